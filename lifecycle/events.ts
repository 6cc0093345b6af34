/**
 * The lifecycle's core emits typed events; the CLI renders them, and the JSON and Markdown reports
 * (and later the GitHub Action) are built from the same data (terraform-cdk's `onUpdate`). The core
 * never prints.
 */

import type { ScalingActivity } from "./local/scaling-activity.js";
import type { SummaryLine } from "./stack/stack-summary.js";
import type { PlanSummary } from "./terraform/json.js";

/** The steps of a run, in order. */
export type Phase = "synth" | "summary" | "up" | "wait-healthy" | "smoke" | "drill" | "down";

/** Health of a target as the load balancer sees it (the ALB's own words). */
export type TargetState = "initial" | "healthy" | "unhealthy" | "draining";

/** Why a target stays unhealthy, in the course FAQ's terms. */
export type DiagnosisKind = "port-mismatch" | "path-not-found" | "status-mismatch" | "security-group" | "process-exited" | "database-unreachable" | "timeout";

/** A plain-words explanation of an unhealthy target. */
export interface Diagnosis {
  readonly target: string;
  readonly kind: DiagnosisKind;
  readonly message: string;
}

/** Everything the core reports while it works. */
export type LifecycleEvent =
  | { readonly type: "phase"; readonly phase: Phase; readonly status: "start" | "done" | "failed"; readonly detail?: string }
  | { readonly type: "progress"; readonly phase: Phase; readonly message: string }
  | { readonly type: "summary"; readonly stack: string; readonly lines: readonly SummaryLine[] }
  /** The engine's plan (terraform: `show -json` of the saved plan), before it is applied. */
  | { readonly type: "plan"; readonly plan: PlanSummary }
  /**
   * From now on resources may exist that must be destroyed (terraform: the apply is about to
   * start). A front end that cannot count on finishing (the Action's main step) saves what to
   * destroy here, so whoever runs next (its post step) can.
   */
  | { readonly type: "resources-may-exist"; readonly stack: string; readonly engine: "local" | "terraform" }
  | { readonly type: "instance-started"; readonly instance: string; readonly name: string; readonly pid: number; readonly address: string }
  | {
      readonly type: "instance-exited";
      readonly instance: string;
      readonly code: number | null;
      readonly signal: string | null;
      readonly lastLines: readonly string[];
      /** We ended it on purpose (the drill's kill, the Auto Scaling group's replacement): news, not a warning. @default false */
      readonly deliberate?: boolean;
    }
  | { readonly type: "listener"; readonly protocol: "HTTP" | "HTTPS"; readonly stackPort: number; readonly url: string }
  | { readonly type: "target-health"; readonly instance: string; readonly from: TargetState; readonly to: TargetState; readonly reason?: string; readonly atMs: number }
  | { readonly type: "hop-denied"; readonly hop: string; readonly message: string }
  | { readonly type: "diagnosis"; readonly diagnosis: Diagnosis }
  | { readonly type: "scaling"; readonly action: "launch" | "terminate"; readonly instance: string; readonly reason: string }
  | { readonly type: "database"; readonly status: "started" | "stopped"; readonly port: number }
  | { readonly type: "check"; readonly phase: Phase; readonly name: string; readonly ok: boolean; readonly detail: string; readonly ms?: number; readonly skipped?: boolean }
  | { readonly type: "scaling-activity"; readonly activity: ScalingActivity };

/** What every long-running core function takes: cancellation, and where to send events. */
export interface RunContext {
  readonly signal: AbortSignal;
  onEvent(event: LifecycleEvent): void;
}

/** A context for code that needs none of it (tests, one-off calls). */
export function quietContext(signal: AbortSignal = new AbortController().signal): RunContext {
  return { signal, onEvent: () => undefined };
}
