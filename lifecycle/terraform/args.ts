/**
 * The terraform command lines the lifecycle runs, built by pure functions with fixed flags
 * (the pattern of hashicorp/terraform-exec's `tfexec/plan.go` and `tfexec/apply.go`).
 *
 * Why fixed flags:
 * - `-input=false`: a CI job has no one to answer a prompt; a missing variable must fail, not hang.
 * - `-no-color`: output is parsed (state-lock info, transient errors) and rendered by us.
 * - `-lock-timeout`: a lock held by someone else is waited for by terraform itself, then reported.
 * - `plan -detailed-exitcode -out=<file>` and `apply <file>`: what is applied is exactly what was
 *   planned and shown; there is no builder for an apply without a saved plan.
 * - `init -reconfigure`: the backend is whatever the stack was synthesized with; a checkout whose
 *   `.terraform` was set up for another backend (local state before a bucket was configured,
 *   another bucket or key) would otherwise stop at "Backend configuration changed", which asks
 *   for a choice no automation can make. seedstack never migrates state between backends.
 *
 * Every builder checks its input and throws a `TerraformArgsError` naming the problem.
 */

/** A builder was given something it cannot turn into a safe command line. */
export class TerraformArgsError extends Error {
  override readonly name = "TerraformArgsError";
}

/** Longest lock wait accepted: one hour. A CI job waiting longer for a lock is stuck, not patient. */
export const MAX_LOCK_TIMEOUT_SECONDS = 3600;

/** Options shared by every command that takes the state lock. */
export interface LockOptions {
  /**
   * How long terraform waits for a state lock held by someone else before failing, in whole seconds.
   * 0 means fail at once when the state is locked.
   */
  readonly lockTimeoutSeconds: number;
}

/** Options of `terraform init`. */
export interface InitOptions {
  /**
   * Backend settings passed as `-backend-config=key=value`, in the order given, on top of the
   * backend block the stack was synthesized with.
   * @default none: the synthesized backend block is used as it is
   */
  readonly backendConfig?: Readonly<Record<string, string>>;
}

/** Options of `terraform plan`. */
export interface PlanOptions extends LockOptions {
  /** Where terraform writes the saved plan that `apply` will receive. */
  readonly planFile: string;
  /** Plan a destroy (`-destroy`) instead of an apply. @default false: plan to reach the configuration */
  readonly destroy?: boolean;
  /**
   * Further arguments appended after the fixed ones (`-var=...`, `-target=...`, `-parallelism=...`).
   * Arguments that would override a fixed flag are refused.
   * @default none
   */
  readonly extraArgs?: readonly string[];
}

/** Options of `terraform apply` of a saved plan. */
export interface ApplyOptions extends LockOptions {
  /** The plan file written by `plan`; apply never plans afresh. */
  readonly planFile: string;
}

/** Flags the builders own; an extra argument setting one of them is refused. */
const FIXED_FLAGS = ["-input", "-no-color", "-reconfigure", "-migrate-state", "-lock-timeout", "-lock", "-detailed-exitcode", "-out", "-destroy", "-auto-approve", "-json", "-state", "-state-out"];

function lockTimeoutFlag(seconds: number): string {
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_LOCK_TIMEOUT_SECONDS) {
    throw new TerraformArgsError(
      `lock timeout must be a whole number of seconds from 0 to ${MAX_LOCK_TIMEOUT_SECONDS}; got ${String(seconds)}`,
    );
  }
  return `-lock-timeout=${seconds}s`;
}

function checkPlanFile(planFile: string): string {
  if (typeof planFile !== "string" || planFile.trim() === "") {
    throw new TerraformArgsError("a saved plan file path is required; got an empty one");
  }
  // terraform would read a leading "-" as a flag, not as the file.
  if (planFile.startsWith("-")) throw new TerraformArgsError(`plan file path must not start with "-"; got "${planFile}"`);
  return planFile;
}

/** `terraform init -input=false -no-color -reconfigure [-backend-config=k=v ...]`. */
export function initArgs(options: InitOptions = {}): string[] {
  const args = ["init", "-input=false", "-no-color", "-reconfigure"];
  for (const [key, value] of Object.entries(options.backendConfig ?? {})) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
      throw new TerraformArgsError(`backend config key must be a terraform attribute name; got "${key}"`);
    }
    args.push(`-backend-config=${key}=${value}`);
  }
  return args;
}

/**
 * `terraform plan -input=false -no-color -lock-timeout=<t>s -detailed-exitcode -out=<file> [-destroy] [extra ...]`.
 * Exit code 0 means no changes, 2 changes, 1 an error.
 */
export function planArgs(options: PlanOptions): string[] {
  const args = [
    "plan",
    "-input=false",
    "-no-color",
    lockTimeoutFlag(options.lockTimeoutSeconds),
    "-detailed-exitcode",
    `-out=${checkPlanFile(options.planFile)}`,
  ];
  if (options.destroy) args.push("-destroy");
  for (const extra of options.extraArgs ?? []) {
    const flag = extra.split("=", 1)[0]!;
    if (FIXED_FLAGS.includes(flag)) {
      throw new TerraformArgsError(`extra plan argument "${extra}" would override the fixed flag ${flag}`);
    }
    if (!extra.startsWith("-")) {
      throw new TerraformArgsError(`extra plan argument "${extra}" is not a flag; plan runs in the stack directory and takes no path`);
    }
    args.push(extra);
  }
  return args;
}

/** `terraform show -json <plan file>`: the saved plan as JSON (one line). */
export function showPlanArgs(planFile: string): string[] {
  return ["show", "-json", "-no-color", checkPlanFile(planFile)];
}

/** `terraform show -json`: the current state as JSON, to tell an empty or missing state from a live one. */
export function showStateArgs(): string[] {
  return ["show", "-json", "-no-color"];
}

/**
 * `terraform apply -input=false -no-color -lock-timeout=<t>s <plan file>`: applies exactly the saved
 * plan (terraform refuses a stale one) and asks nothing, so no `-auto-approve` is needed.
 */
export function applyArgs(options: ApplyOptions): string[] {
  return ["apply", "-input=false", "-no-color", lockTimeoutFlag(options.lockTimeoutSeconds), checkPlanFile(options.planFile)];
}

/** `terraform output -json -no-color`: every output with its type and sensitive flag. */
export function outputArgs(): string[] {
  return ["output", "-json", "-no-color"];
}

/** Options of `terraform destroy`. */
export interface DestroyOptions extends LockOptions {
  /**
   * Refresh (read the data sources and the resources) before destroying. `false` adds
   * `-refresh=false`: the destroy is planned from the state alone (see lookup-failure.ts for when).
   * @default true
   */
  readonly refresh?: boolean;
}

/** `terraform destroy -input=false -no-color -lock-timeout=<t>s -auto-approve [-refresh=false]`. */
export function destroyArgs(options: DestroyOptions): string[] {
  const args = ["destroy", "-input=false", "-no-color", lockTimeoutFlag(options.lockTimeoutSeconds), "-auto-approve"];
  if (options.refresh === false) args.push("-refresh=false");
  return args;
}

/**
 * `terraform force-unlock -force <lock id>`. Only for a lock this lifecycle itself left behind
 * (see `isOwnStaleLock` in state-lock.ts); never for a lock someone else holds.
 */
export function forceUnlockArgs(lockId: string): string[] {
  if (!/^[0-9A-Za-z][0-9A-Za-z._:-]*$/.test(lockId)) {
    throw new TerraformArgsError(`lock ID must be the ID terraform printed (letters, digits, "-", "."); got "${lockId}"`);
  }
  return ["force-unlock", "-no-color", "-force", lockId];
}
