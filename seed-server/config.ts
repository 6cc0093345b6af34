/**
 * The seed server's configuration: command-line flags and environment variables, flags winning.
 *
 * The names are a contract: the EC2 user data (modules/) starts the server with them, so they must
 * not change. `--help` lists them all with their defaults; a bad value is an error that names the
 * flag or variable, the value, and what is allowed (main.ts exits 2 on it).
 */
import { hostname } from "node:os";
import { parseArgs } from "node:util";
import type { PoolConfig } from "pg";
import { LOG_LEVELS, type LogLevel } from "./logger.js";
import { ConnectionConfigError, postgresConnectionFromEnv, postgresPoolConfig, SSL_MODES } from "./stores/postgres-connection.js";

/** Stores the server can use. */
export const STORE_KINDS = ["memory", "postgres"] as const;
/** One of STORE_KINDS. */
export type StoreKind = (typeof STORE_KINDS)[number];

/** The server's settings after defaults and validation. */
export interface SeedServerConfig {
  /** TCP port; 0 picks a free one (the "listening" log line says which). */
  readonly port: number;
  /** Address to bind. */
  readonly host: string;
  /** Which store keeps the seed. */
  readonly store: StoreKind;
  /** Connection settings when `store` is "postgres" (TLS already mapped from PGSSLMODE). */
  readonly postgres?: PoolConfig;
  /** Seconds between SIGTERM and closing, with /status answering 503 meanwhile. */
  readonly drainSeconds: number;
  /** Least severe log level written. */
  readonly logLevel: LogLevel;
  /** No request log lines. */
  readonly quiet: boolean;
  /** Sent as X-Served-By. */
  readonly instanceId: string;
}

/** A configuration value that cannot be used. main.ts prints the message and exits 2. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** What the command line asked for: the help text, or a server with this configuration. */
export type ConfigResult = { readonly kind: "help"; readonly text: string } | { readonly kind: "config"; readonly config: SeedServerConfig };

/** Default port. */
export const DEFAULT_PORT = 8080;
/** Default drain period, seconds; the load balancer's deregistration delay should match it. */
export const DEFAULT_DRAIN_SECONDS = 10;
/** Longest drain period accepted (an hour); longer is almost certainly a typo. */
export const MAX_DRAIN_SECONDS = 3600;

interface OptionSpec {
  readonly flag: string;
  readonly env: string;
  readonly value: string;
  readonly defaultText: string;
  readonly description: string;
}

/** Every option, for parsing and for --help (and docs/seed-server.md's table). */
export const OPTIONS: readonly OptionSpec[] = [
  { flag: "port", env: "PORT", value: "<0-65535>", defaultText: String(DEFAULT_PORT), description: "TCP port to listen on (0: any free port)" },
  { flag: "host", env: "HOST", value: "<address>", defaultText: "0.0.0.0", description: "address to bind" },
  {
    flag: "store",
    env: "SEED_STORE",
    value: STORE_KINDS.join("|"),
    defaultText: "postgres when DATABASE_URL is set, else memory",
    description: "where the seed is kept",
  },
  {
    flag: "drain-seconds",
    env: "DRAIN_SECONDS",
    value: "<seconds>",
    defaultText: String(DEFAULT_DRAIN_SECONDS),
    description: "after SIGTERM/SIGINT: /status answers 503 for this long before the server closes (match the ALB deregistration delay)",
  },
  { flag: "log-level", env: "LOG_LEVEL", value: LOG_LEVELS.join("|"), defaultText: "info", description: "least severe log level written" },
  { flag: "quiet", env: "QUIET", value: "", defaultText: "off", description: "no per-request log lines (QUIET=1 or true)" },
  { flag: "instance-id", env: "SEED_INSTANCE_ID", value: "<id>", defaultText: "the host name", description: "sent as the X-Served-By header" },
];

/** The --help text. */
export function helpText(): string {
  const rows = OPTIONS.map((o) => [`--${o.flag}${o.value ? ` ${o.value}` : ""}`, o.env, o.description, o.defaultText]);
  const width = Math.max(...rows.map((r) => (r[0] as string).length));
  const lines = rows.map(([flag, env, description, def]) => `  ${(flag as string).padEnd(width)}  ${env}\n  ${"".padEnd(width)}  ${description}; default: ${def}`);
  return [
    "seed-server: serves one integer seed over HTTP (GET / reads it, POST / {\"num\": <integer>} sets it, GET /status is the health check)",
    "",
    "Usage: seed-server [options]     (flags win over environment variables)",
    "",
    "Options (flag, environment variable):",
    ...lines,
    `  --help, -h  print this help and exit`,
    "",
    "PostgreSQL store:",
    "  DATABASE_URL            postgres://user:password@host:5432/database",
    "  PGHOST PGPORT PGUSER PGPASSWORD PGDATABASE   used when DATABASE_URL is unset",
    "  PGPASSWORD_FILE         file holding the password, re-read for every new connection (rotated passwords)",
    `  PGSSLMODE               ${SSL_MODES.join("|")} with libpq's meaning (require: TLS without certificate verification); default: disable`,
    "  PGSSLROOTCERT           CA file for verify-ca / verify-full; default: Node's bundled CA list",
    "",
  ].join("\n");
}

/** Read the configuration from argv (without node and script) and the environment. Throws ConfigError. */
export function loadConfig(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ConfigResult {
  let parsed: ReturnType<typeof parseFlags>;
  try {
    parsed = parseFlags(argv);
  } catch (err) {
    // node's messages are right but long; keep their first sentence(s) on one line.
    const message = (err as Error).message.replace(/\.? ?To specify a positional argument.*$/s, "").replace(/\s*\n\s*/g, " ").replace(/\.$/, "");
    throw new ConfigError(`${message}; see --help`);
  }
  const flags = parsed.values;
  if (flags.help) return { kind: "help", text: helpText() };
  if (parsed.positionals.length > 0) throw new ConfigError(`unexpected argument ${JSON.stringify(parsed.positionals[0])}; see --help`);

  const pick = (flag: keyof typeof flags, envName: string): { value: string; source: string } | undefined => {
    const fromFlag = flags[flag];
    if (typeof fromFlag === "string") return { value: fromFlag, source: `--${flag}` };
    const fromEnv = env[envName];
    if (fromEnv !== undefined && fromEnv !== "") return { value: fromEnv, source: envName };
    return undefined;
  };

  const port = parsePort(pick("port", "PORT"));
  const hostSetting = pick("host", "HOST");
  const host = hostSetting?.value.trim() ?? "0.0.0.0";
  if (host === "") throw new ConfigError(`${hostSetting?.source} must not be empty`);

  const storeSetting = pick("store", "SEED_STORE");
  const store: StoreKind = storeSetting
    ? oneOf(storeSetting, STORE_KINDS)
    : env.DATABASE_URL !== undefined && env.DATABASE_URL !== ""
      ? "postgres"
      : "memory";

  let postgres: PoolConfig | undefined;
  if (store === "postgres") {
    try {
      postgres = postgresPoolConfig(postgresConnectionFromEnv(env));
    } catch (err) {
      if (err instanceof ConnectionConfigError) throw new ConfigError(err.message);
      throw err;
    }
  }

  const drainSeconds = parseDrainSeconds(pick("drain-seconds", "DRAIN_SECONDS"));
  const levelSetting = pick("log-level", "LOG_LEVEL");
  const logLevel: LogLevel = levelSetting ? oneOf(levelSetting, LOG_LEVELS) : "info";
  const quiet = flags.quiet === true || parseBoolean(env.QUIET, "QUIET");
  const idSetting = pick("instance-id", "SEED_INSTANCE_ID");
  const instanceId = idSetting?.value ?? hostname();
  if (!/^[\x21-\x7e]{1,128}$/.test(instanceId)) {
    throw new ConfigError(
      `${idSetting?.source ?? "the host name (used as instance id)"} must be 1-128 visible ASCII characters without spaces (it is sent as an HTTP header); got ${JSON.stringify(instanceId)}`,
    );
  }

  return {
    kind: "config",
    config: { port, host, store, ...(postgres ? { postgres } : {}), drainSeconds, logLevel, quiet, instanceId },
  };
}

function parseFlags(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: true,
    options: {
      port: { type: "string" },
      host: { type: "string" },
      store: { type: "string" },
      "drain-seconds": { type: "string" },
      "log-level": { type: "string" },
      quiet: { type: "boolean" },
      "instance-id": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
}

function parsePort(setting: { value: string; source: string } | undefined): number {
  if (setting === undefined) return DEFAULT_PORT;
  const port = /^[0-9]{1,5}$/.test(setting.value.trim()) ? Number(setting.value.trim()) : NaN;
  if (!(port >= 0 && port <= 65535)) throw new ConfigError(`${setting.source} must be an integer from 0 to 65535; got ${JSON.stringify(setting.value)}`);
  return port;
}

function parseDrainSeconds(setting: { value: string; source: string } | undefined): number {
  if (setting === undefined) return DEFAULT_DRAIN_SECONDS;
  const seconds = /^[0-9]+(\.[0-9]+)?$/.test(setting.value.trim()) ? Number(setting.value.trim()) : NaN;
  if (!(seconds >= 0 && seconds <= MAX_DRAIN_SECONDS)) {
    throw new ConfigError(`${setting.source} must be a number of seconds from 0 to ${MAX_DRAIN_SECONDS}; got ${JSON.stringify(setting.value)}`);
  }
  return seconds;
}

function oneOf<T extends string>(setting: { value: string; source: string }, allowed: readonly T[]): T {
  const value = setting.value.trim().toLowerCase();
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(`${setting.source} must be one of ${allowed.join(", ")}; got ${JSON.stringify(setting.value)}`);
  }
  return value as T;
}

function parseBoolean(value: string | undefined, name: string): boolean {
  if (value === undefined) return false;
  const v = value.trim().toLowerCase();
  if (["1", "true", "yes", "on"].includes(v)) return true;
  if (["", "0", "false", "no", "off"].includes(v)) return false;
  throw new ConfigError(`${name} must be 1/true/yes/on or 0/false/no/off; got ${JSON.stringify(value)}`);
}
