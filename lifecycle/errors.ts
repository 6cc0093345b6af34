/**
 * Errors of the lifecycle carry a typed code (the pattern of Miniflare's `MiniflareError<Code>`):
 * the CLI picks its exit code and wording from the code, never from the message text.
 *
 * User errors are problems the user can fix (a stack that does not exist, a stack whose rules keep
 * its targets unhealthy, a smoke test that fails); system errors are this machine's (a process
 * that cannot be spawned, a missing bundle).
 */

/** Codes of problems the user fixes in their stack, their command line or their app. */
export const USER_ERROR_CODES = [
  "ERR_USAGE",
  "ERR_STACK_NOT_FOUND",
  "ERR_STACK_INVALID",
  "ERR_STACK_UNSUPPORTED",
  "ERR_SYNTH_FAILED",
  "ERR_TARGETS_UNHEALTHY",
  "ERR_SMOKE_FAILED",
  "ERR_DRILL_FAILED",
  "ERR_NO_ENVIRONMENT",
  // A second `seedstack up` of a stack that is up (local engine): the first one's details say where.
  "ERR_ALREADY_UP",
  // The terraform engine's failure reasons (lifecycle/terraform/failure.ts), one code each:
  "ERR_STATE_LOCKED",
  "ERR_PLAN_FAILED",
  "ERR_APPLY_FAILED",
] as const;

/** Codes of problems with this machine or with a process we started. */
export const SYSTEM_ERROR_CODES = ["ERR_BUNDLE_MISSING", "ERR_PROCESS_EXITED", "ERR_SPAWN", "ERR_POSTGRES", "ERR_ADDRESS_IN_USE", "ERR_TIMEOUT", "ERR_RECORD_UNREADABLE"] as const;

/**
 * Resources may be left behind (a destroy failed or was stopped): the environment stays recorded
 * as needing destroy for `seedstack down` or `seedstack sweep`. Its own exit code, 4.
 */
export const LEFT_BEHIND = "ERR_DESTROY_FAILED" as const;

/** A run stopped by the user (Ctrl-C) or its caller's AbortSignal. */
export const CANCELLED = "ERR_CANCELLED" as const;

/** Every code a LifecycleError can carry. */
export type LifecycleErrorCode = (typeof USER_ERROR_CODES)[number] | (typeof SYSTEM_ERROR_CODES)[number] | typeof CANCELLED | typeof LEFT_BEHIND;

/** An error of the lifecycle, with a code the CLI (and the Action) can switch on. */
export class LifecycleError<Code extends LifecycleErrorCode = LifecycleErrorCode> extends Error {
  readonly code: Code;
  constructor(code: Code, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "LifecycleError";
    this.code = code;
  }
}

/** Whether `code` names a problem the user fixes (as opposed to this machine's). */
export function isUserErrorCode(code: LifecycleErrorCode): boolean {
  return (USER_ERROR_CODES as readonly string[]).includes(code);
}

/** Throws ERR_CANCELLED when `signal` is aborted: the one check every wait makes. */
export function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new LifecycleError(CANCELLED, "cancelled");
}
