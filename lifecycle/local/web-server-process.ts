/**
 * One seed-server process: the built bundle run by plain `node`, as an EC2 instance's systemd unit
 * runs it, configured from the stack's user data (port, store, drain), named like an instance.
 *
 * Ready only when it says so: its "listening" log line races its exit (Miniflare's runtime), and
 * an early exit becomes ERR_PROCESS_EXITED carrying its last log lines. `dispose()` is idempotent:
 * forget the reference first, kill, await the exit.
 *
 * It never outlives us: its stdin is a lifeline pipe (SEEDSTACK_LIFELINE=stdin, seed-server/lifeline.ts)
 * whose EOF, when we die however we die, makes it exit. It runs in its own process group, so a
 * terminal's Ctrl-C does not start its own graceful drain behind the engine's back, and so a
 * stopped one (the drill's SIGSTOP) gets the kernel's SIGHUP+SIGCONT when that group is orphaned.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { LifecycleError } from "../errors.js";
import { LIFELINE_ENV, LIFELINE_STDIN } from "../../seed-server/lifeline.js";
import { killOnExit } from "./exit-hook.js";
import { NO_TRACKING, type ProcessTracker } from "../../local-postgres/process-tracker.js";

/** How to start one server. */
export interface WebServerOptions {
  /** The instance ID it answers with (X-Served-By) and logs. */
  readonly instanceId: string;
  /** The built bundle (dist/bundle/seed-server.mjs). */
  readonly bundle: string;
  readonly host: string;
  readonly port: number;
  readonly drainSeconds: number;
  readonly logLevel: string;
  /** No per-request log lines (benchmarks). */
  readonly quiet?: boolean;
  /** Extra environment: the store (SEED_STORE, PG*). */
  readonly env: Readonly<Record<string, string>>;
  /** Log lines kept for diagnoses. */
  readonly keepLines?: number;
  /** Told of the process as it starts (the running record). @default nothing recorded */
  readonly track?: ProcessTracker;
}

/** How a process ended. */
export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A started seed server. */
export interface WebServerProcess {
  readonly instanceId: string;
  readonly pid: number;
  readonly host: string;
  readonly port: number;
  /** Resolves when the process has ended (never rejects). */
  readonly exited: Promise<ProcessExit>;
  /** Whether it has not exited yet. */
  running(): boolean;
  /** The last log lines, stdout and stderr interleaved. */
  lastLines(n?: number): string[];
  /** Send a signal (SIGSTOP to hang it, SIGCONT to resume, SIGKILL to kill); false when it has exited. */
  signal(sig: NodeJS.Signals): boolean;
  /** Kill it (SIGKILL) and wait for the exit; safe to call twice. */
  dispose(): Promise<void>;
}

/** Start a server and wait until it listens, or throw ERR_PROCESS_EXITED with its last lines. */
export async function startWebServer(options: WebServerOptions, signal: AbortSignal): Promise<WebServerProcess> {
  const args = [
    options.bundle,
    "--port",
    String(options.port),
    "--host",
    options.host,
    "--instance-id",
    options.instanceId,
    "--drain-seconds",
    String(options.drainSeconds),
    "--log-level",
    options.logLevel,
    ...(options.quiet ? ["--quiet"] : []),
  ];
  let child: ChildProcess | undefined = spawn(process.execPath, args, {
    // Only what an instance's unit gives it: no PORT/PG* of ours leaks in.
    // ... plus the lifeline, which only the local engine sets.
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp", ...options.env, [LIFELINE_ENV]: LIFELINE_STDIN },
    stdio: ["pipe", "pipe", "pipe"],
    detached: true,
  });
  // The lifeline: never written to, never closed by us (its EOF means "we are gone").
  child.stdin?.on("error", () => undefined);
  if (child.pid === undefined) {
    const error = await new Promise<Error>((resolve) => child!.once("error", resolve));
    throw new LifecycleError("ERR_SPAWN", `could not start ${process.execPath} for ${options.instanceId}: ${error.message}`);
  }
  const pid = child.pid;
  const forgetOnExit = killOnExit(pid);
  const forgetRecorded = (options.track ?? NO_TRACKING).process(pid, `seed server ${options.instanceId}`, `${options.host}:${options.port}`);
  const forget = () => {
    forgetOnExit();
    forgetRecorded();
  };
  const keep = options.keepLines ?? 40;
  const lines: string[] = [];
  const remember = (line: string) => {
    lines.push(line);
    if (lines.length > keep) lines.shift();
  };
  let onListening: (() => void) | undefined;
  createInterface({ input: child.stdout! }).on("line", (line) => {
    remember(line);
    if (onListening && line.includes('"listening"')) {
      try {
        if ((JSON.parse(line) as { msg?: unknown }).msg === "listening") onListening();
      } catch {
        // not a JSON log line
      }
    }
  });
  createInterface({ input: child.stderr! }).on("line", remember);
  // "close" comes after both pipes are drained, so the last lines are complete by then.
  const exited = new Promise<ProcessExit>((resolve) =>
    child!.once("close", (code, sig) => {
      forget();
      resolve({ code, signal: sig });
    }),
  );

  const server: WebServerProcess = {
    instanceId: options.instanceId,
    pid,
    host: options.host,
    port: options.port,
    exited,
    running: () => child !== undefined && child.exitCode === null && child.signalCode === null,
    lastLines: (n = 10) => lines.slice(-n),
    signal: (sig) => {
      if (!server.running()) return false;
      try {
        return process.kill(pid, sig);
      } catch {
        return false;
      }
    },
    async dispose() {
      const c = child;
      child = undefined;
      if (!c) return;
      if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
      await exited;
    },
  };

  const listening = new Promise<boolean>((resolve) => (onListening = () => resolve(true)));
  const aborted = new Promise<boolean>((resolve) => signal.addEventListener("abort", () => resolve(false), { once: true }));
  const ready = await Promise.race([listening, exited.then(() => false), aborted]);
  onListening = undefined;
  if (!ready) {
    await server.dispose();
    if (signal.aborted) throw new LifecycleError("ERR_CANCELLED", "cancelled while starting " + options.instanceId);
    const exit = await exited;
    const last = lines.slice(-8);
    const inUse = last.some((l) => l.includes("EADDRINUSE"));
    throw new LifecycleError(
      inUse ? "ERR_ADDRESS_IN_USE" : "ERR_PROCESS_EXITED",
      `${options.instanceId} exited before listening on ${options.host}:${options.port} (${exit.signal ?? `code ${exit.code}`}); last lines:\n${last.map((l) => `    ${l}`).join("\n")}`,
    );
  }
  return server;
}
