/**
 * The report of one lifecycle run: plain data, written as JSON as it is, rendered as Markdown by
 * markdown.ts, and (later) posted by the GitHub Action.
 */
import type { Diagnosis, Phase } from "../events.js";
import type { DrillResult } from "../probes/failover-drill.js";
import type { SmokeResult } from "../probes/smoke-test.js";
import type { FailureReason } from "../failure-reason.js";
import type { LifecycleErrorCode } from "../errors.js";
import type { SummaryLine } from "../stack/stack-summary.js";
import type { LoadReport } from "../load/load-run.js";
import type { Outputs, PlanSummary } from "../terraform/json.js";

/** How one phase went. */
export interface PhaseRecord {
  readonly phase: Phase;
  readonly ok: boolean;
  readonly ms: number;
  readonly detail?: string;
}

/**
 * What became of the environment at the end of the run:
 * - `destroyed`: taken down, nothing left;
 * - `failed`: taking it down failed (`message` says why); what is left is recorded;
 * - `kept`: left up on purpose (`keep`);
 * - `left`: the run was cancelled and the cancel policy `leave` left the destroy to someone else
 *   (the Action's post step).
 * Absent: nothing was ever up.
 */
export interface Teardown {
  readonly status: "destroyed" | "failed" | "kept" | "left";
  readonly message?: string;
}

/** Everything a run found. */
export interface RunReport {
  readonly stack: string;
  readonly engine: "local" | "terraform";
  readonly ok: boolean;
  readonly startedAt: string;
  readonly durationMs: number;
  /** The clock speed-up (1: the stack's own timing). */
  readonly speedup: number;
  readonly url?: string;
  readonly summary: readonly SummaryLine[];
  readonly phases: readonly PhaseRecord[];
  readonly diagnoses: readonly Diagnosis[];
  readonly smoke?: SmokeResult;
  readonly drills: readonly DrillResult[];
  /** `seedstack load`: the load test and the scaling it caused. */
  readonly load?: LoadReport;
  /** The engine's plan, when it makes one (terraform) and got that far. */
  readonly plan?: PlanSummary;
  /** The environment's outputs (terraform's `output -json`), once it was up. */
  readonly outputs?: Outputs;
  /** What became of the environment; absent when nothing was up. */
  readonly teardown?: Teardown;
  /** Resources may exist (or may have existed) for this run (the `resources-may-exist` event was sent). */
  readonly resourcesMayExist: boolean;
  /** The first error when the run failed: its code, the phase it struck in, and what it means as a failure reason. */
  readonly error?: { readonly code: LifecycleErrorCode; readonly message: string; readonly phase?: Phase; readonly reason: FailureReason };
}
