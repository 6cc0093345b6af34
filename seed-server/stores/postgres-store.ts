/**
 * The shared store: the seed in one PostgreSQL row, so every server behind the load balancer
 * answers with the same seed and a restart loses nothing.
 *
 * - The value is `text` holding canonical decimal digits (a CHECK constraint enforces the form),
 *   so integers of any size round-trip exactly.
 * - A write is one upsert statement, atomic on its own; a read sees the last committed value.
 * - The table is created when missing, lazily: the server starts even while the database is
 *   down, answers 503 meanwhile, and carries on when it is back (the pool reconnects per query).
 */
import pg from "pg";
import type { PoolConfig } from "pg";
import type { Logger } from "../logger.js";
import { silentLogger } from "../logger.js";
import { INITIAL_SEED } from "../seed-value.js";
import { StoreUnavailableError, type SeedStore } from "./seed-store.js";

/** Options of PostgresStore. */
export interface PostgresStoreOptions {
  /** node-postgres connection settings (see postgresPoolConfig). Unset fields come from the PG* variables. */
  readonly connection: PoolConfig;
  /** Table holding the seed row; created when missing. @default "seedstack_seed" */
  readonly table?: string;
  /** Most connections per server. @default 10 */
  readonly maxConnections?: number;
  /** Give up connecting (and answer 503) after this long. @default 5000 ms */
  readonly connectTimeoutMs?: number;
  /** Give up on a query (and answer 503) after this long. @default 5000 ms */
  readonly queryTimeoutMs?: number;
  /** Where pool errors are reported. @default nowhere */
  readonly logger?: Logger;
}

/** undefined_table: the database was replaced (e.g. recreated empty) since we created the table. */
const UNDEFINED_TABLE = "42P01";

/** Keeps the seed in PostgreSQL. */
export class PostgresStore implements SeedStore {
  readonly kind = "postgres";
  private readonly pool: pg.Pool;
  private readonly table: string;
  private schemaReady: Promise<void> | undefined;
  private checking: Promise<void> | undefined;

  constructor(options: PostgresStoreOptions) {
    const table = options.table ?? "seedstack_seed";
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(table)) {
      throw new Error(`PostgresStore: table must be 1-63 lowercase letters, digits or underscores, not starting with a digit; got ${JSON.stringify(table)}`);
    }
    this.table = table;
    const queryTimeout = options.queryTimeoutMs ?? 5000;
    this.pool = new pg.Pool({
      ...options.connection,
      max: options.maxConnections ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
      idleTimeoutMillis: 30_000,
      // The server enforces the statement timeout; the client-side one also covers a dead network.
      statement_timeout: queryTimeout,
      query_timeout: queryTimeout + 1000,
      keepAlive: true,
      application_name: "seed-server",
    });
    const logger = options.logger ?? silentLogger;
    // An idle connection dying (database restart) is reported here; without a listener it would
    // crash the process. The pool has already dropped that connection; the next query reconnects.
    this.pool.on("error", (err) => logger.warn("postgres connection lost", { error: err.message }));
  }

  async get(): Promise<string> {
    const rows = await this.run<{ value: string }>(`SELECT value FROM ${this.table} WHERE id = 1`, []);
    return rows[0]?.value ?? INITIAL_SEED;
  }

  async set(seed: string): Promise<string> {
    const rows = await this.run<{ value: string }>(
      `INSERT INTO ${this.table} (id, value) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET value = EXCLUDED.value, updated_at = now() RETURNING value`,
      [seed],
    );
    const stored = rows[0]?.value;
    if (stored === undefined) throw new StoreUnavailableError("seed store (postgres) returned no row for the write");
    return stored;
  }

  check(): Promise<void> {
    // Health checks from several balancers can arrive together; one query answers them all.
    this.checking ??= this.get()
      .then(() => undefined)
      .finally(() => {
        this.checking = undefined;
      });
    return this.checking;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  /** Run a query after making sure the table exists; every failure becomes StoreUnavailableError. */
  private async run<R extends pg.QueryResultRow>(sql: string, params: unknown[]): Promise<R[]> {
    try {
      await this.ensureSchema();
      try {
        return (await this.pool.query<R>(sql, params)).rows;
      } catch (err) {
        if (errorCode(err) !== UNDEFINED_TABLE) throw err;
        this.schemaReady = undefined;
        await this.ensureSchema();
        return (await this.pool.query<R>(sql, params)).rows;
      }
    } catch (err) {
      throw new StoreUnavailableError(`seed store (postgres) unavailable: ${describeError(err)}`, { cause: err });
    }
  }

  private ensureSchema(): Promise<void> {
    this.schemaReady ??= this.createSchema().catch((err: unknown) => {
      this.schemaReady = undefined; // try again on the next request
      throw err;
    });
    return this.schemaReady;
  }

  private async createSchema(): Promise<void> {
    // Servers starting together on an empty database would race in CREATE TABLE IF NOT EXISTS
    // (it is not safe under concurrency: "type ... already exists"), so the creation runs under a
    // transaction-scoped advisory lock keyed by the table name.
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [this.table]);
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${this.table} (` +
          `id smallint PRIMARY KEY CHECK (id = 1), ` +
          `value text NOT NULL CHECK (value ~ '^(0|-?[1-9][0-9]*)$'), ` +
          `updated_at timestamptz NOT NULL DEFAULT now())`,
      );
      await client.query(`INSERT INTO ${this.table} (id, value) VALUES (1, $1) ON CONFLICT (id) DO NOTHING`, [INITIAL_SEED]);
      await client.query("COMMIT");
      client.release();
    } catch (err) {
      // The connection may be broken (that is often why we are here): discard it rather than reuse.
      client.release(err instanceof Error ? err : true);
      throw err;
    }
  }
}

function errorCode(err: unknown): string | undefined {
  return typeof err === "object" && err !== null && "code" in err && typeof err.code === "string" ? err.code : undefined;
}

function describeError(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) return describeError(err.errors[0]);
  if (err instanceof Error) {
    const code = errorCode(err);
    return err.message !== "" ? err.message : (code ?? err.name);
  }
  return String(err);
}
