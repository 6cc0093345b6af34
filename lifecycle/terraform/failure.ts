/**
 * Why a terraform environment step failed, as data a caller branches on (`reason`), never as
 * message text. The lifecycle CLI maps each reason to its exit code and wording.
 */
import type { FailureReason } from "../failure-reason.js";
import type { Interruption, TerraformFailure } from "./run-terraform.js";
import { describeStateLock, parseStateLock, type StateLock } from "./state-lock.js";

/**
 * - `state-locked`: someone else held the state lock for longer than the lock timeout.
 * - `plan-failed`: init, plan or reading the plan failed; nothing was applied.
 * - `apply-failed`: apply (or reading the outputs after it) failed; resources may exist.
 * - `smoke-failed`: the caller's check of the applied environment (wait, smoke test, drill) failed.
 * - `destroy-failed`: destroy failed; the environment is recorded as needing destroy.
 * - `cancelled`: the run was aborted; terraform got one interrupt.
 */
export type EngineFailureReason = FailureReason;

/** The step that failed. */
export type EngineStep = "init" | "plan" | "show" | "apply" | "output" | "smoke" | "state" | "destroy" | "force-unlock";

/** One failure. */
export interface EngineFailure {
  readonly reason: EngineFailureReason;
  readonly step: EngineStep;
  /** One line for people. */
  readonly message: string;
  /** terraform's exit code, when it exited. */
  readonly exitCode?: number | null;
  /** The end of terraform's stderr (at most 4 KiB), when it ran. */
  readonly stderrTail?: string;
  /** The lock, for `state-locked`. */
  readonly lock?: StateLock;
  /** How terraform was stopped, for `cancelled`. */
  readonly interruption?: Interruption;
}

const STDERR_TAIL_CHARS = 4096;

/** What a failing step means when the text says nothing more specific. */
function reasonOfStep(step: EngineStep): EngineFailureReason {
  switch (step) {
    case "init":
    case "plan":
    case "show":
      return "plan-failed";
    case "apply":
    case "output":
      return "apply-failed";
    case "smoke":
      return "smoke-failed";
    case "state":
    case "destroy":
    case "force-unlock":
      return "destroy-failed";
  }
}

/** The first `Error: ...` line terraform printed, for the one-line message. */
function firstErrorLine(stderr: string): string | undefined {
  return stderr
    .split("\n")
    .map((line) => line.replace(/^[│╷╵\s]+/, "").trim())
    .find((line) => line.startsWith("Error: "));
}

const CANCELLED: Readonly<Record<Interruption, string>> = {
  "not-started": "terraform was not started",
  graceful: "terraform got one interrupt, stopped and saved its state",
  killed: "terraform did not stop within the grace period after one interrupt and was killed; its state may be incomplete or still locked",
};

/** The failure a terraform run's result means at `step`. */
export function failureOf(step: EngineStep, run: TerraformFailure, binary = "terraform"): EngineFailure {
  if (run.reason === "spawn") {
    return { reason: reasonOfStep(step), step, message: `could not start ${binary} for ${step}: ${run.cause.message}` };
  }
  const stderrTail = run.stderr.slice(-STDERR_TAIL_CHARS);
  if (run.reason === "cancelled") {
    return { reason: "cancelled", step, message: `cancelled during ${step}: ${CANCELLED[run.interruption]}`, exitCode: run.exitCode, stderrTail, interruption: run.interruption };
  }
  const lock = parseStateLock(run.stderr);
  if (lock) {
    return { reason: "state-locked", step, message: `${step}: ${describeStateLock(lock)}`, exitCode: run.exitCode, stderrTail, lock };
  }
  const why = firstErrorLine(run.stderr) ?? (run.signal ? `killed by ${run.signal}` : "no error message");
  return { reason: reasonOfStep(step), step, message: `terraform ${step} failed (exit ${run.exitCode ?? "none"}): ${why}`, exitCode: run.exitCode, stderrTail };
}

/** A failure that did not come from a terraform run (bad JSON, a missing directory, the caller's check). */
export function stepFailure(step: EngineStep, message: string, reason: EngineFailureReason = reasonOfStep(step)): EngineFailure {
  return { reason, step, message };
}
