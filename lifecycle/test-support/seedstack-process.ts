/**
 * `seedstack` run as a user runs it, for the CLI's tests: a real process (`node --import tsx
 * main.ts`, one process, so a signal sent to it reaches seedstack itself), its output collected.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const main = join(root, "lifecycle", "cli", "main.ts");

/** A running seedstack command. */
export interface Cli {
  readonly child: ChildProcess;
  output(): string;
  waitForOutput(pattern: RegExp, what: string, deadlineMs?: number): Promise<RegExpMatchArray>;
  /** The exit code (-1 when killed by a signal); rejects after `deadlineMs`, and kills it then. */
  exited(deadlineMs?: number): Promise<number | null>;
}

/** Start `seedstack <args>` in the repository, with only PATH, HOME, NO_COLOR and `env`. */
export function seedstack(args: string[], env: Record<string, string> = {}): Cli {
  const child = spawn(process.execPath, ["--import", "tsx", main, ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", TMPDIR: process.env.TMPDIR ?? "/tmp", NO_COLOR: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (out += c.toString()));
  const closed = new Promise<number | null>((resolve) => child.once("close", (code, signal) => resolve(code ?? (signal ? -1 : null))));
  return {
    child,
    output: () => out,
    async waitForOutput(pattern, what, deadlineMs = 60_000) {
      const deadline = Date.now() + deadlineMs;
      for (;;) {
        const m = out.match(pattern);
        if (m) return m;
        if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) throw new Error(`no ${what} in the output (${child.exitCode !== null ? `exited ${child.exitCode}` : `after ${deadlineMs} ms`}):\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async exited(deadlineMs = 120_000) {
      const timer = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`seedstack still running after ${deadlineMs} ms:\n${out}`)), deadlineMs).unref());
      try {
        return await Promise.race([closed, timer]);
      } finally {
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      }
    },
  };
}
