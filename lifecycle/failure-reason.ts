/**
 * Why a run failed, in the few words a workflow branches on: the Action's `failure-reason` output
 * and the terraform layer's own failure kinds are the same six reasons. Every lifecycle error code
 * maps to exactly one (the table below is checked by the compiler to name every code), so a
 * reason never depends on message text and never loses what the code said (ERR_STATE_LOCKED is
 * `state-locked`, not `apply-failed`).
 */
import type { LifecycleErrorCode } from "./errors.js";
import type { Phase } from "./events.js";

/**
 * - `state-locked`: someone else held the terraform state lock for longer than the lock timeout.
 * - `plan-failed`: synthesis, reading the stack, options, init or plan failed; nothing was created.
 * - `apply-failed`: bringing the environment up failed (apply, outputs, processes); resources may exist.
 * - `smoke-failed`: the check of the running environment failed (health wait, smoke test, drill).
 * - `destroy-failed`: taking it down failed; what is left is recorded for `down` / the sweeper.
 * - `cancelled`: the run was aborted (Ctrl-C, the runner's cancel).
 */
export type FailureReason = "state-locked" | "plan-failed" | "apply-failed" | "smoke-failed" | "destroy-failed" | "cancelled";

/** Every failure reason, for validation and docs. */
export const FAILURE_REASONS: readonly FailureReason[] = ["state-locked", "plan-failed", "apply-failed", "smoke-failed", "destroy-failed", "cancelled"];

/** The reason each code means when the phase says nothing more specific. */
export const FAILURE_REASON_OF_CODE: Readonly<Record<LifecycleErrorCode, FailureReason>> = {
  ERR_USAGE: "plan-failed",
  ERR_STACK_NOT_FOUND: "plan-failed",
  ERR_STACK_INVALID: "plan-failed",
  ERR_STACK_UNSUPPORTED: "plan-failed",
  ERR_SYNTH_FAILED: "plan-failed",
  // Refused before anything starts: another `up` of the stack runs, or its record cannot be read.
  ERR_ALREADY_UP: "plan-failed",
  ERR_RECORD_UNREADABLE: "plan-failed",
  ERR_PLAN_FAILED: "plan-failed",
  ERR_STATE_LOCKED: "state-locked",
  ERR_APPLY_FAILED: "apply-failed",
  ERR_BUNDLE_MISSING: "apply-failed",
  ERR_PROCESS_EXITED: "apply-failed",
  ERR_SPAWN: "apply-failed",
  ERR_POSTGRES: "apply-failed",
  ERR_ADDRESS_IN_USE: "apply-failed",
  ERR_TIMEOUT: "apply-failed",
  ERR_TARGETS_UNHEALTHY: "smoke-failed",
  ERR_SMOKE_FAILED: "smoke-failed",
  ERR_DRILL_FAILED: "smoke-failed",
  ERR_NO_ENVIRONMENT: "destroy-failed",
  ERR_DESTROY_FAILED: "destroy-failed",
  ERR_CANCELLED: "cancelled",
};

/**
 * The reason of a run's error. A cancellation is `cancelled` wherever it struck; any other error
 * while taking the environment down is `destroy-failed` (a local environment's processes that did
 * not stop say ERR_PROCESS_EXITED, yet it is the teardown that failed); a lock is `state-locked`
 * in any phase; before anything was brought up (synth, summary) the rest is `plan-failed`.
 */
export function failureReasonOf(error: { readonly code: LifecycleErrorCode; readonly phase?: Phase }): FailureReason {
  const byCode = FAILURE_REASON_OF_CODE[error.code];
  if (byCode === "cancelled" || byCode === "state-locked") return byCode;
  if (error.phase === "down") return "destroy-failed";
  if (error.phase === "synth" || error.phase === "summary") return "plan-failed";
  return byCode;
}
