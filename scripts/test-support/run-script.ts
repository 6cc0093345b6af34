/**
 * A script of scripts/ run as a user runs it through npm (`node --import tsx scripts/<name>.ts`),
 * a separate process, for the scripts' tests.
 *
 * The script leads a process group of its own, so a timeout reaches what it started too (terraform
 * and its providers): the group is interrupted (SIGINT, as Ctrl-C), then SIGKILLed after a grace.
 * Being its own group, it no longer gets the terminal's Ctrl-C: if the test process ends (Ctrl-C,
 * a CI timeout) while a script runs, the group is SIGKILLed on the way out.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { interruptThenKillGroup, signalGroup } from "../../lifecycle/test-support/stop-group.js";
import { onProcessEnd } from "../../seed-server/test-support/stop-on-exit.js";
import { findPackageRoot } from "../../shared/package-root.js";

/** What a finished script left. */
export interface ScriptResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** How a script run may be cut short. */
export interface RunScriptOptions {
  /** How long the script may take before the test fails. @default 600 000 ms: terraform downloads and plans are slow on 2 cores */
  readonly deadlineMs?: number;
  /** After the deadline's SIGINT, how long the script and its children get to end before SIGKILL. @default 5 000 ms */
  readonly graceMs?: number;
}

const DEFAULT_DEADLINE_MS = 600_000;
const DEFAULT_GRACE_MS = 5_000;

/**
 * Run `scripts/<script>.ts <args>` in the repository with exactly `env`; resolves with its exit
 * code and output. After the deadline its process group is interrupted and then killed, and once
 * the script has closed the test fails, naming `npm run <script> -- <args>` and showing the output
 * so far. A script that cannot be started fails at once.
 */
export function runScript(script: string, args: readonly string[], env: NodeJS.ProcessEnv, options: RunScriptOptions = {}): Promise<ScriptResult> {
  const root = findPackageRoot();
  const deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
  const graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
  const command = [`npm run ${script}`, ...(args.length > 0 ? ["--", ...args] : [])].join(" ");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(root, "scripts", `${script}.ts`), ...args], {
      cwd: root,
      env,
      detached: true, // its own process group: a timeout stops its children with it
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c));
    child.stderr.on("data", (c: Buffer) => (stderr += c));
    const pgid = child.pid; // undefined when node could not be started: "error" follows
    const forgetOnEnd = pgid === undefined ? () => {} : onProcessEnd(() => signalGroup(pgid, "SIGKILL"));
    let cancelKill: (() => void) | undefined;
    const timer = setTimeout(() => {
      if (pgid !== undefined) cancelKill = interruptThenKillGroup(pgid, graceMs);
    }, deadlineMs);
    child.once("error", (error) => {
      // Emitted instead of "spawn" when node cannot be started at all (its "close" is ignored below).
      if (pgid !== undefined) return;
      clearTimeout(timer);
      reject(new Error(`${command}: could not start ${process.execPath}: ${error.message}`));
    });
    child.once("close", (code) => {
      if (pgid === undefined) return; // a start failure: "error" has answered
      clearTimeout(timer);
      forgetOnEnd();
      if (cancelKill === undefined) return resolve({ code, stdout, stderr });
      cancelKill();
      // The script has ended; a child of it that let go of its output may still run.
      signalGroup(pgid, "SIGKILL");
      reject(new Error(`${command} did not finish within ${deadlineMs / 1000} s and was stopped; output so far:\n${stdout}${stderr}`));
    });
  });
}
