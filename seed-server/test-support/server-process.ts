/**
 * Run the seed server as a real child process (the bundle with plain node, or the source with
 * tsx) and follow its JSON log lines. Tests must call `kill()` in a finally/after hook; if the
 * test process ends first (a crash, Ctrl-C), the server is killed then.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { onProcessEnd } from "./stop-on-exit.js";

/** A running (or exited) server process. */
export interface ServerProcess {
  readonly child: ChildProcess;
  /** Parsed stdout JSON lines so far. */
  readonly logs: Array<Record<string, unknown>>;
  /** Everything written to stderr so far. */
  readonly stderr: () => string;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  /** `exited`, but rejects if the process is still running after `timeoutMs` (a hang guard, not a speed check). */
  exitedWithin(timeoutMs: number): Promise<number | null>;
  /** Resolves with the URL from the "listening" line; rejects if the process exits first. */
  readonly listening: Promise<string>;
  /** Resolves when a log line with this `msg` appears. */
  waitForLog(msg: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Send SIGKILL if still running (cleanup). */
  kill(): void;
}

/** Start `command args...` with `env` added to a minimal environment. */
export function startServerProcess(command: string, args: readonly string[], env: Record<string, string> = {}, cwd?: string): ServerProcess {
  const child = spawn(command, [...args], {
    cwd,
    // Only what a server needs: tests must not depend on (or leak) the caller's PG*/PORT settings.
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: Array<Record<string, unknown>> = [];
  const waiters: Array<{ msg: string; resolve: (line: Record<string, unknown>) => void }> = [];
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  // Killed if the test process ends first (a crash, Ctrl-C) while this one still runs.
  const forget = onProcessEnd(() => child.kill("SIGKILL"));
  // "close" rather than "exit": it comes after stdout is drained, so `logs` is complete by then.
  const exited = new Promise<number | null>((resolve) =>
    child.once("close", (code) => {
      forget();
      resolve(code);
    }),
  );
  createInterface({ input: child.stdout! }).on("line", (line) => {
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(line) as Record<string, unknown>;
    } catch {
      parsed = { msg: "(not JSON)", line };
    }
    logs.push(parsed);
    for (const w of waiters.filter((w) => w.msg === parsed.msg)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(parsed);
    }
  });
  const waitForLog = (msg: string, timeoutMs = 15_000): Promise<Record<string, unknown>> => {
    const seen = logs.find((l) => l.msg === msg);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "${msg}" log line within ${timeoutMs} ms; stderr: ${stderr}`)), timeoutMs);
      waiters.push({
        msg,
        resolve: (line) => {
          clearTimeout(timer);
          resolve(line);
        },
      });
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`server exited (code ${code}) before logging "${msg}"; stderr: ${stderr}`));
      });
    });
  };
  const listening = waitForLog("listening").then((line) => String(line.url));
  listening.catch(() => undefined); // a test that expects an early exit never awaits this
  return {
    child,
    logs,
    stderr: () => stderr,
    exited,
    listening,
    exitedWithin: (timeoutMs) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`server still running ${timeoutMs} ms later; last log lines: ${JSON.stringify(logs.slice(-3))}`)), timeoutMs);
        void exited.then((code) => {
          clearTimeout(timer);
          resolve(code);
        });
      }),
    waitForLog,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
  };
}
