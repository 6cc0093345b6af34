/**
 * terraform for `npm run plan`, the provider mirror script and the plan tests: the lifecycle's one
 * runner (lifecycle/terraform/run-terraform.ts) with a deadline and "throw if it did not finish",
 * the shape these scripts want. Nothing here starts a process itself: the runner owns terraform
 * (its own process group, one interrupt then a kill after the grace, the one environment policy).
 */
import { findTerraform, runTerraform as runWithLifecycleRunner } from "../../lifecycle/index.js";

export { findTerraform };

/** A finished terraform run. */
export interface TerraformResult {
  /** The exit code (null when it was killed by a signal). */
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
  /** The environment terraform inherits, cleaned by the runner's policy (terraform-env.ts). */
  readonly env: NodeJS.ProcessEnv;
  /** Give up after this long, stopping terraform, and reject naming the command. */
  readonly timeoutMs: number;
  /** Print terraform's output as it comes as well as capturing it. @default false */
  readonly echo?: boolean;
  /** Stop terraform when this aborts. @default never */
  readonly signal?: AbortSignal;
  /** The terraform executable. @default the first `terraform` on PATH */
  readonly terraform?: string;
  /** Shared provider processes (TF_REATTACH_PROVIDERS) of the plan harness. @default terraform starts its own */
  readonly reattachProviders?: string;
}

/** After the interrupt, how long terraform gets before its group is killed: plans hold no state worth waiting for. */
const INTERRUPT_GRACE_MS = 10_000;

/** Run `terraform <args>`; resolves with its exit code and output (any code), rejects on timeout, abort or a binary that cannot start. */
export async function runTerraform(args: readonly string[], options: TerraformRunOptions): Promise<TerraformResult> {
  const terraform = options.terraform ?? findTerraform(options.env.PATH) ?? "terraform";
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const started = Date.now();
  const run = await runWithLifecycleRunner({
    args,
    cwd: options.cwd,
    binary: terraform,
    baseEnv: options.env,
    signal: options.signal ? AbortSignal.any([deadline, options.signal]) : deadline,
    interruptGraceMs: INTERRUPT_GRACE_MS,
    ...(options.reattachProviders !== undefined ? { reattachProviders: options.reattachProviders } : {}),
    ...(options.echo ? { onLine: (line: string, stream: "stdout" | "stderr") => void (stream === "stdout" ? process.stdout : process.stderr).write(`${line}\n`) } : {}),
  });
  if (run.reason === "spawn") {
    const code = (run.cause as NodeJS.ErrnoException).code;
    throw code === "ENOENT" ? new Error(`terraform is not installed (no ${terraform} on PATH); install Terraform >= 1.10 from https://developer.hashicorp.com/terraform/install`) : run.cause;
  }
  if (run.reason === "cancelled") {
    const why = deadline.aborted ? `did not finish within ${Math.round(options.timeoutMs / 1000)} s` : "was cancelled";
    throw new Error(`terraform ${args[0]} in ${options.cwd} ${why}; output so far:\n${(run.stdout + run.stderr).trim().slice(-4000)}`);
  }
  return { code: run.exitCode, stdout: run.stdout, stderr: run.stderr, ms: Date.now() - started };
}
