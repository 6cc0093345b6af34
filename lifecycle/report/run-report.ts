/**
 * The report of one lifecycle run: plain data, written as JSON as it is, rendered as Markdown by
 * markdown.ts, and (later) posted by the GitHub Action.
 */
import type { Diagnosis, Phase } from "../events.js";
import type { DrillResult } from "../probes/failover-drill.js";
import type { SmokeResult } from "../probes/smoke-test.js";
import type { SummaryLine } from "../stack/stack-summary.js";
import type { LoadReport } from "../load/load-run.js";

/** How one phase went. */
export interface PhaseRecord {
  readonly phase: Phase;
  readonly ok: boolean;
  readonly ms: number;
  readonly detail?: string;
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
  /** The first error, by code, when the run failed. */
  readonly error?: { readonly code: string; readonly message: string };
}
