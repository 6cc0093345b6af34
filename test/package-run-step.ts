/**
 * Runs one command of a packaging test (npm pack, npm install, tsc, node) as a child process with
 * a deadline. A command that fails or outlives its deadline rejects with a StepError naming the
 * step and ending with the command's own output, so a failing test says what went wrong.
 *
 * The child shares our process group, so Ctrl-C at the terminal reaches it as well; on a deadline
 * it gets SIGTERM (npm passes that on to the scripts it runs), then SIGKILL 5 s later.
 */
import { spawn, type ChildProcess } from "node:child_process";

export interface StepOptions {
  readonly cwd: string;
  /** Seconds the step may take before it is stopped and the test fails. */
  readonly timeoutS: number;
  readonly env?: NodeJS.ProcessEnv;
}

/** A step that failed: its message names the step; what it printed and why it ended are kept. */
export class StepError extends Error {
  constructor(
    message: string,
    readonly stdout: string,
    readonly timedOut: boolean,
  ) {
    super(message);
  }
}

/** Keep the last part of a long output: that is where tools print the error. */
function tail(text: string, chars = 4000): string {
  return text.length <= chars ? text : `...${text.slice(-chars)}`;
}

/** Children still running, so an interrupted test can stop them (see stopRunningSteps). */
const running = new Set<ChildProcess>();

/** SIGTERM every step still running: for a test's own SIGINT / SIGTERM handler. */
export function stopRunningSteps(): void {
  for (const child of running) child.kill("SIGTERM");
}

/** Run `command args` in `options.cwd`; resolves to its stdout when it exits 0. */
export function runStep(what: string, command: string, args: readonly string[], options: StepOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    running.add(child);
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    let timedOut = false;
    let killTimer: NodeJS.Timeout | undefined;
    const deadline = setTimeout(() => {
      timedOut = true;
      child.kill("SIGTERM");
      killTimer = setTimeout(() => child.kill("SIGKILL"), 5000);
    }, options.timeoutS * 1000);
    child.on("error", (error) => {
      running.delete(child);
      clearTimeout(deadline);
      reject(new Error(`${what}: could not start ${command}: ${error.message}`));
    });
    child.on("close", (code, signal) => {
      running.delete(child);
      clearTimeout(deadline);
      if (killTimer) clearTimeout(killTimer);
      const output = tail(`${stdout}\n${stderr}`.trim());
      if (timedOut) reject(new StepError(`${what}: still running after ${options.timeoutS} s, stopped; its output so far:\n${output}`, stdout, true));
      else if (code !== 0) reject(new StepError(`${what}: \`${command} ${args.join(" ")}\` exited with ${code ?? signal}:\n${output}`, stdout, false));
      else resolve(stdout);
    });
  });
}
