/**
 * How the seed server finds its PostgreSQL database: `DATABASE_URL`, else the libpq variables
 * (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, which node-postgres reads itself), with TLS per
 * PGSSLMODE / PGSSLROOTCERT *in libpq's meaning*.
 *
 * Why we map TLS ourselves: node-postgres reads PGSSLMODE=require as "TLS and verify the
 * certificate against Node's CA list", unlike libpq's "TLS, no verification". On EC2 the user data
 * sets PGSSLMODE=require for RDS (which forces TLS) and the RDS CA is not in Node's list, so
 * node-postgres' reading would refuse every connection.
 *
 * PGPASSWORD_FILE names a file holding the password, read again for every new connection: RDS
 * rotates its managed master password (every 7 days by default), and the EC2 user data refreshes
 * the file from Secrets Manager, so servers pick up a new password without a restart.
 */
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type { ConnectionOptions } from "node:tls";
import type { PoolConfig } from "pg";

/** PGSSLMODE values we honour, with libpq's meaning. */
export const SSL_MODES = ["disable", "require", "verify-ca", "verify-full"] as const;
/** One of SSL_MODES. */
export type SslMode = (typeof SSL_MODES)[number];

/** A connection setting that cannot be used; the message names the variable, the value and what is allowed. */
export class ConnectionConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConnectionConfigError";
  }
}

/** Inputs of postgresPoolConfig; normally taken from the environment. */
export interface PostgresConnectionInput {
  /** A postgres:// URL. @default the libpq variables apply (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE) */
  readonly databaseUrl?: string;
  /** @default the URL's sslmode parameter, else PGSSLMODE, else "disable" (node-postgres' default: no TLS) */
  readonly sslMode?: string;
  /** CA bundle file for verify-ca / verify-full (and require, which then verifies like libpq). @default Node's bundled CA list */
  readonly sslRootCert?: string;
  /**
   * File holding the password (trailing newline ignored), read for every new connection.
   * @default the URL's password, else PGPASSWORD
   */
  readonly passwordFile?: string;
}

/** Read PostgresConnectionInput from environment variables. */
export function postgresConnectionFromEnv(env: NodeJS.ProcessEnv = process.env): PostgresConnectionInput {
  return {
    ...(nonEmpty(env.DATABASE_URL) ? { databaseUrl: env.DATABASE_URL } : {}),
    ...(nonEmpty(env.PGSSLMODE) ? { sslMode: env.PGSSLMODE } : {}),
    ...(nonEmpty(env.PGSSLROOTCERT) ? { sslRootCert: env.PGSSLROOTCERT } : {}),
    ...(nonEmpty(env.PGPASSWORD_FILE) ? { passwordFile: env.PGPASSWORD_FILE } : {}),
  };
}

/**
 * node-postgres pool settings (connection part only) for the input. Throws ConnectionConfigError
 * for an unsupported sslmode, or an unreadable root certificate or password file.
 */
export function postgresPoolConfig(input: PostgresConnectionInput): PoolConfig {
  let connectionString: string | undefined;
  let sslMode = input.sslMode;
  let sslRootCert = input.sslRootCert;
  if (input.databaseUrl !== undefined) {
    let url: URL;
    try {
      url = new URL(input.databaseUrl);
    } catch {
      throw new ConnectionConfigError(`DATABASE_URL is not a valid URL (expected postgres://user:password@host:5432/database)`);
    }
    if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
      throw new ConnectionConfigError(`DATABASE_URL must start with postgres:// or postgresql://; got ${url.protocol}//...`);
    }
    // libpq: parameters in the URL override the environment. They are removed from the URL because
    // node-postgres would apply its own (non-libpq) reading of them over ours.
    sslMode = url.searchParams.get("sslmode") ?? sslMode;
    sslRootCert = url.searchParams.get("sslrootcert") ?? sslRootCert;
    for (const param of ["sslmode", "sslrootcert", "uselibpqcompat"]) url.searchParams.delete(param);
    connectionString = url.toString();
  }
  const ssl = tlsOptions(sslMode ?? "disable", sslRootCert);
  const password = input.passwordFile !== undefined ? passwordFromFile(input.passwordFile) : undefined;
  return { ...(connectionString !== undefined ? { connectionString } : {}), ssl, ...(password !== undefined ? { password } : {}) };
}

/**
 * A password function for node-postgres, which calls it for every new connection. The file must be
 * readable now (a clear start-up error beats a server that can never connect); a later read error
 * fails that one connection attempt, which the store reports as unavailable (503) and retries.
 */
function passwordFromFile(path: string): () => Promise<string> {
  try {
    readFileSync(path, "utf8");
  } catch (err) {
    throw new ConnectionConfigError(`PGPASSWORD_FILE ${path} cannot be read: ${(err as Error).message}`);
  }
  return async () => (await readFile(path, "utf8")).replace(/\r?\n$/, "");
}

function tlsOptions(mode: string, rootCertPath: string | undefined): false | ConnectionOptions {
  if (!(SSL_MODES as readonly string[]).includes(mode)) {
    const hint = mode === "prefer" || mode === "allow" ? " (node-postgres cannot fall back between TLS and plain connections)" : "";
    throw new ConnectionConfigError(`PGSSLMODE (or sslmode) must be one of ${SSL_MODES.join(", ")}; got ${JSON.stringify(mode)}${hint}`);
  }
  if (mode === "disable") return false;
  const ca = rootCertPath !== undefined ? readRootCert(rootCertPath) : undefined;
  if (mode === "require" && ca === undefined) {
    // libpq's require: encrypted, but the server's certificate is not checked.
    return { rejectUnauthorized: false };
  }
  if (mode === "verify-full") return { rejectUnauthorized: true, ...(ca !== undefined ? { ca } : {}) };
  // verify-ca, and require with a root certificate (libpq treats that as verify-ca):
  // the chain must verify, the host name need not match.
  return { rejectUnauthorized: true, ...(ca !== undefined ? { ca } : {}), checkServerIdentity: () => undefined };
}

function readRootCert(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    throw new ConnectionConfigError(`PGSSLROOTCERT (or sslrootcert) file ${path} cannot be read: ${(err as Error).message}`);
  }
}

function nonEmpty(value: string | undefined): value is string {
  return value !== undefined && value !== "";
}
