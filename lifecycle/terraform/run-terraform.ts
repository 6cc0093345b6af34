/**
 * The one place a terraform process is started. It owns the process from spawn to exit: fixed
 * environment, output streamed line by line, cancellation, and the result as data, never thrown
 * (terraform-exec's `tfexec/cmd.go` and `cmd_linux.go` are the model).
 *
 * Cancellation, because terraform treats a second interrupt as "exit now, state may be lost":
 * - terraform runs in its own process group, so a Ctrl-C in the terminal (sent to our whole
 *   foreground group) does not reach it directly; only what we forward does;
 * - on abort exactly ONE SIGINT is sent to terraform, never a second; terraform then stops its
 *   provisioners, finishes the calls in flight and writes its state;
 * - if it has not exited after `interruptGraceMs`, its whole group (terraform, providers,
 *   provisioner commands) is killed with SIGKILL. That can lose state, so the grace is long.
 */
import { spawn } from "node:child_process";
import { terraformEnv } from "./terraform-env.js";

/** Default wait after the interrupt before the kill: two minutes, enough for in-flight AWS calls. */
export const DEFAULT_INTERRUPT_GRACE_MS = 120_000;

/** Which stream a line came from. */
export type OutputStream = "stdout" | "stderr";

/** One terraform run. */
export interface RunTerraformOptions {
  /** The arguments, from args.ts. */
  readonly args: readonly string[];
  /** The stack directory terraform runs in. */
  readonly cwd: string;
  /** @default "terraform", found on PATH */
  readonly binary?: string;
  /** The inherited environment, cleaned by `terraformEnv`. @default process.env */
  readonly baseEnv?: Readonly<Record<string, string | undefined>>;
  /** Added on top (TF_CLI_CONFIG_FILE, TF_DATA_DIR, TF_VAR_*). @default none */
  readonly env?: Readonly<Record<string, string>>;
  /** Aborting it interrupts terraform once, then kills it after the grace. @default never aborted */
  readonly signal?: AbortSignal;
  /** Called with every complete output line, as it arrives (progress). @default lines are only collected */
  readonly onLine?: (line: string, stream: OutputStream) => void;
  /** Exit codes that count as success; `plan -detailed-exitcode` passes [0, 2]. @default [0] */
  readonly successExitCodes?: readonly number[];
  /**
   * How long to wait after the interrupt before SIGKILL. `Infinity`: never killed; after its one
   * interrupt terraform finishes what is in flight, saves the state and releases the lock itself
   * (a killed terraform leaves its lock behind).
   * @default DEFAULT_INTERRUPT_GRACE_MS
   */
  readonly interruptGraceMs?: number;
  /**
   * Provider processes someone started on purpose (`TF_REATTACH_PROVIDERS`): the plan harness
   * shares a few long-lived AWS provider processes between its plans. The inherited variable is
   * never used (terraform-env.ts); only this option sets it. @default terraform starts its own
   */
  readonly reattachProviders?: string;
  /** Called with terraform's pid once it has started (for the lock-holder note). @default not called */
  readonly onSpawn?: (pid: number) => void;
}

/** Captured output of a run that started. */
export interface CapturedOutput {
  readonly stdout: string;
  readonly stderr: string;
}

/** Terraform ran and exited with one of the success codes. */
export interface TerraformSuccess extends CapturedOutput {
  readonly reason: "ok";
  readonly exitCode: number;
}

/**
 * How a run was cancelled: aborted before it started; interrupted and terraform exited by itself
 * (state written); or interrupted and killed after the grace (state may be lost or still locked).
 */
export type Interruption = "not-started" | "graceful" | "killed";

/** Why a terraform run did not succeed. */
export type TerraformFailure =
  | (CapturedOutput & { readonly reason: "cancelled"; readonly interruption: Interruption; readonly exitCode: number | null })
  | (CapturedOutput & { readonly reason: "exit"; readonly exitCode: number | null; readonly signal: NodeJS.Signals | null })
  | { readonly reason: "spawn"; readonly cause: Error };

/** The outcome of one run. */
export type TerraformRun = TerraformSuccess | TerraformFailure;

/** Process ids of terraform runs in progress, for a last-resort exit hook. */
const live = new Set<number>();

/** Process group ids (= pids) of terraform processes running now. */
export function liveTerraformProcesses(): ReadonlySet<number> {
  return live;
}

/** Splits a stream into lines and hands each to `emit`, keeping the unfinished tail. */
function lineSplitter(emit: (line: string) => void): { push(chunk: string): void; end(): void } {
  let tail = "";
  return {
    push(chunk) {
      const parts = (tail + chunk).split("\n");
      tail = parts.pop()!;
      for (const part of parts) emit(part.endsWith("\r") ? part.slice(0, -1) : part);
    },
    end() {
      if (tail !== "") emit(tail);
      tail = "";
    },
  };
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** Run terraform once. Never rejects for anything terraform does; only for invalid options. */
export async function runTerraform(options: RunTerraformOptions): Promise<TerraformRun> {
  const env = terraformEnv(options.baseEnv ?? process.env, options.env);
  if (options.reattachProviders !== undefined) env.TF_REATTACH_PROVIDERS = options.reattachProviders;
  const successCodes = options.successExitCodes ?? [0];
  const graceMs = options.interruptGraceMs ?? DEFAULT_INTERRUPT_GRACE_MS;
  if (Number.isNaN(graceMs) || graceMs < 0) throw new RangeError(`interruptGraceMs must be a non-negative number; got ${graceMs}`);
  if (options.signal?.aborted) return { reason: "cancelled", interruption: "not-started", exitCode: null, stdout: "", stderr: "" };

  return new Promise<TerraformRun>((resolve) => {
    let stdout = "";
    let stderr = "";
    let interrupted = false;
    let killed = false;
    let graceTimer: NodeJS.Timeout | undefined;

    const child = spawn(options.binary ?? "terraform", options.args, {
      cwd: options.cwd,
      env,
      detached: true, // own process group: see the header
      stdio: ["ignore", "pipe", "pipe"],
    });

    const lines = {
      stdout: lineSplitter((line) => options.onLine?.(line, "stdout")),
      stderr: lineSplitter((line) => options.onLine?.(line, "stderr")),
    };
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      lines.stdout.push(chunk);
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
      lines.stderr.push(chunk);
    });

    const onAbort = () => {
      if (interrupted || child.pid === undefined || child.exitCode !== null) return;
      interrupted = true; // the only SIGINT this run will ever send
      try {
        process.kill(child.pid, "SIGINT");
      } catch {
        // Exited in between.
      }
      const kill = () => {
        killed = true;
        killGroup(child.pid!, "SIGKILL");
      };
      // No grace: kill now, not on a 0 ms timer, which a loaded machine can let terraform's own
      // exit overtake (seen: "graceful" where the kill was asked for).
      if (graceMs === 0) kill();
      // setTimeout would fire at once for Infinity: no timer at all means never killed.
      else if (Number.isFinite(graceMs)) graceTimer = setTimeout(kill, graceMs);
    };

    const finish = (run: TerraformRun) => {
      clearTimeout(graceTimer);
      options.signal?.removeEventListener("abort", onAbort);
      if (child.pid !== undefined) live.delete(child.pid);
      resolve(run);
    };

    child.once("error", (cause) => {
      // Emitted instead of "spawn" when the binary cannot be started (ENOENT, EACCES).
      if (child.pid === undefined) finish({ reason: "spawn", cause });
    });
    child.once("spawn", () => {
      live.add(child.pid!);
      options.onSpawn?.(child.pid!);
      options.signal?.addEventListener("abort", onAbort, { once: true });
      if (options.signal?.aborted) onAbort();
    });
    child.once("close", (exitCode, signal) => {
      if (child.pid === undefined) return; // the spawn failure was reported by "error"
      lines.stdout.end();
      lines.stderr.end();
      // A kill ends terraform, not necessarily everything it started: take the group down too.
      if (killed) killGroup(child.pid, "SIGKILL");
      if (interrupted) {
        finish({ reason: "cancelled", interruption: killed ? "killed" : "graceful", exitCode, stdout, stderr });
      } else if (exitCode !== null && successCodes.includes(exitCode)) {
        finish({ reason: "ok", exitCode, stdout, stderr });
      } else {
        finish({ reason: "exit", exitCode, signal, stdout, stderr });
      }
    });
  });
}
