/**
 * What the terraform engine reports while it works. The lifecycle core turns these into its own
 * LifecycleEvents; renderers never see terraform's raw text except through `output-line`.
 */
import type { EngineFailure } from "./failure.js";
import type { PlanSummary } from "./json.js";
import type { RetryNotice, TerraformCommand } from "./retry.js";
import type { EnvironmentStatus } from "./environment-record.js";
import type { OutputStream } from "./run-terraform.js";

export type TerraformEngineEvent =
  /** A terraform command starts; `args` is the exact vector. */
  | { readonly type: "command-started"; readonly command: TerraformCommand | "force-unlock"; readonly args: readonly string[]; readonly attempt: number }
  /** A line terraform printed (progress). */
  | { readonly type: "output-line"; readonly command: TerraformCommand | "force-unlock"; readonly stream: OutputStream; readonly line: string }
  /** A transient error; the step runs again after `notice.delayMs`. */
  | { readonly type: "retrying"; readonly command: TerraformCommand; readonly notice: RetryNotice }
  /** A plan was saved and read; `planFile` is what apply will receive. */
  | { readonly type: "planned"; readonly summary: PlanSummary; readonly planFile: string; readonly exitCode: 0 | 2 }
  /** The saved plan was applied. */
  | { readonly type: "applied"; readonly planFile: string }
  /** Outputs were read; sensitive values are redacted here. */
  | { readonly type: "outputs"; readonly outputs: Readonly<Record<string, unknown>> }
  /** The environment record was written (or removed: status `destroyed`). */
  | { readonly type: "record"; readonly path: string; readonly status: EnvironmentStatus | "destroyed" }
  /** Destroy finished; `alreadyGone` when the state held nothing. */
  | { readonly type: "destroyed"; readonly alreadyGone: boolean }
  /**
   * The refreshing destroy failed on a data-source lookup (`lookupError`, see lookup-failure.ts):
   * destroy runs once more with `-refresh=false`, from the state alone.
   */
  | { readonly type: "destroy-without-refresh"; readonly lookupError: string }
  /** A lock this process left behind (it had to kill terraform) was removed. */
  | { readonly type: "own-lock-removed"; readonly lockId: string }
  /** A step failed. */
  | { readonly type: "failed"; readonly failure: EngineFailure };
