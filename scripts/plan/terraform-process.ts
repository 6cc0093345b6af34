/**
 * Running the terraform binary: found on PATH, with a deadline, output captured, and the child
 * stopped (SIGINT first, as terraform expects, then SIGKILL) when the deadline passes, the caller
 * aborts, or this process is interrupted. Nothing is left running.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

/** A finished terraform run. */
export interface TerraformResult {
  /** The exit code (null when it was killed). */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall time in milliseconds. */
  readonly ms: number;
}

/** How to run one terraform command. */
export interface TerraformRunOptions {
  /** The working directory (the stack's). */
  readonly cwd: string;
  /** The complete environment (see terraformEnv in lifecycle/terraform/cli-config.ts). */
  readonly env: NodeJS.ProcessEnv;
  /** Give up after this long, stopping terraform, and reject naming the command. */
  readonly timeoutMs: number;
  /** Print terraform's output as it comes as well as capturing it. @default false */
  readonly echo?: boolean;
  /** Stop terraform when this aborts. @default never */
  readonly signal?: AbortSignal;
  /** The terraform executable. @default the first `terraform` on PATH */
  readonly terraform?: string;
}

/** The path of the first `terraform` executable on `PATH`, or undefined. */
export function findTerraform(path: string | undefined = process.env.PATH): string | undefined {
  const names = process.platform === "win32" ? ["terraform.exe"] : ["terraform"];
  for (const dir of (path ?? "").split(delimiter).filter(Boolean)) {
    for (const name of names) {
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** On Ctrl-C or exit of this process, interrupt every terraform still running. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const child of running) child.kill("SIGKILL");
  });
}

/** Run `terraform <args>`; resolves with its exit code and output, rejects on timeout or abort. */
export function runTerraform(args: readonly string[], options: TerraformRunOptions): Promise<TerraformResult> {
  const terraform = options.terraform ?? findTerraform(options.env.PATH) ?? "terraform";
  installExitHook();
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(terraform, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
    running.add(child);
    let stdout = "";
    let stderr = "";
    let stopReason: string | undefined;
    child.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
      if (options.echo) process.stdout.write(chunk);
    });
    child.stderr!.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
      if (options.echo) process.stderr.write(chunk);
    });
    const stop = (reason: string) => {
      if (stopReason !== undefined) return;
      stopReason = reason;
      // terraform handles SIGINT by cancelling cleanly (releasing locks); SIGKILL if it will not stop.
      child.kill("SIGINT");
      setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
    };
    const timer = setTimeout(() => stop(`did not finish within ${Math.round(options.timeoutMs / 1000)} s`), options.timeoutMs);
    const onAbort = () => stop("was cancelled");
    options.signal?.addEventListener("abort", onAbort, { once: true });
    const finish = () => {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      running.delete(child);
    };
    child.once("error", (error: NodeJS.ErrnoException) => {
      finish();
      reject(
        error.code === "ENOENT"
          ? new Error(`terraform is not installed (no ${terraform} on PATH); install Terraform >= 1.10 from https://developer.hashicorp.com/terraform/install`)
          : error,
      );
    });
    child.once("close", (code) => {
      finish();
      if (stopReason !== undefined) {
        reject(new Error(`terraform ${args[0]} in ${options.cwd} ${stopReason}; output so far:\n${(stdout + stderr).trim().slice(-4000)}`));
      } else {
        resolve({ code, stdout, stderr, ms: Date.now() - started });
      }
    });
  });
}
