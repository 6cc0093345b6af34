/**
 * A script of scripts/ run as a user runs it through npm (`node --import tsx scripts/<name>.ts`),
 * a separate process, for the scripts' tests.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { findPackageRoot } from "../../shared/package-root.js";

/** What a finished script left. */
export interface ScriptResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** How long a script may take before the test fails: terraform downloads and plans are slow on 2 cores. */
const DEADLINE_MS = 600_000;

/**
 * Run `scripts/<script>.ts <args>` in the repository with exactly `env`; resolves with its exit
 * code and output. After 10 minutes it is interrupted (SIGINT, as Ctrl-C) and the test fails,
 * naming `npm run <script> -- <args>` and showing the output so far.
 */
export function runScript(script: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<ScriptResult> {
  const root = findPackageRoot();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(root, "scripts", `${script}.ts`), ...args], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c));
    child.stderr.on("data", (c: Buffer) => (stderr += c));
    const timer = setTimeout(() => {
      child.kill("SIGINT");
      reject(new Error(`npm run ${script} -- ${args.join(" ")} did not finish within ${DEADLINE_MS / 60_000} minutes; output so far:\n${stdout}${stderr}`));
    }, DEADLINE_MS);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
