/**
 * What the action needs from the environment lifecycle (`lifecycle/`), as a port.
 *
 * The action is the GitHub adapter only: it reads inputs and the event, calls this port, and turns
 * the result into outputs, a PR comment and a job summary. Everything that plans, applies,
 * smoke-tests, drills and destroys lives behind it, so the same behaviour is available from the
 * `seedstack` command line. `src/lifecycle.ts` is the one place that picks the implementation.
 *
 * Every type here is plain data (JSON-serializable) except the AbortSignal and the callbacks:
 * an EnvironmentRecord travels from the main step to the post step through the action's state.
 */

/** Which engine realizes the stack: real AWS through terraform, or this machine. */
export type EngineName = "terraform" | "local";

/** What one run of the action does. `pr`: apply, smoke and destroy in one run; `deploy`: apply and smoke, keep it. */
export type RunMode = "pr" | "deploy";

/**
 * Why a run failed, as the terraform engine names it. The action maps each to its wording; it
 * never parses a message.
 */
export type FailureReason = "state-locked" | "plan-failed" | "apply-failed" | "smoke-failed" | "destroy-failed" | "cancelled";

/** Every failure reason, for validation and docs. */
export const FAILURE_REASONS: readonly FailureReason[] = ["state-locked", "plan-failed", "apply-failed", "smoke-failed", "destroy-failed", "cancelled"];

/**
 * A progress event of the lifecycle (the terminal renderer, the JSON report and the action all
 * read the same events). The action logs every event and acts on one: `resources-may-exist`.
 */
export type LifecycleEvent =
  | {
      /** A phase started or ended (`plan`, `apply`, `smoke`, `drill`, `destroy`, ...). */
      readonly kind: "phase";
      readonly phase: string;
      readonly state: "started" | "succeeded" | "failed";
      /** ISO 8601 time of the event. */
      readonly at: string;
      readonly message?: string;
    }
  | {
      /**
       * From this moment resources may exist that someone must destroy: the action saves this
       * record in its state at once, so a cancelled or killed main step still leaves the post step
       * enough to destroy them.
       */
      readonly kind: "resources-may-exist";
      readonly record: EnvironmentRecord;
      readonly at: string;
    }
  | {
      /** A line worth showing in the log. */
      readonly kind: "log";
      readonly level: "info" | "warning";
      readonly message: string;
      readonly at: string;
    };

/** Where a run reports progress and how it is cancelled. */
export interface RunContext {
  /** Aborted when the step is cancelled: the lifecycle forwards one interrupt to terraform and stops. */
  readonly signal: AbortSignal;
  /** Receives every event, in order. Must not throw. */
  onEvent(event: LifecycleEvent): void;
}

/** A request to stand up (and in `pr` mode also test and tear down) one environment. */
export interface RunRequest {
  /** The stack to synthesize and realize: `classic`, `autoscaled` or `pr-<n>`. */
  readonly stack: string;
  readonly engine: EngineName;
  readonly mode: RunMode;
  /** Directory holding cdktf.json (absolute). */
  readonly workingDirectory: string;
  /** The pull request this environment belongs to; absent outside pull requests. */
  readonly prNumber?: number;
  /**
   * Creation time of the environment (ISO 8601, seconds), passed to synthesis as
   * `SEEDSTACK_CREATED_AT`. For a PR it is the pull request's own creation time, so a new push does
   * not re-tag every resource or roll the Auto Scaling group.
   */
  readonly createdAt?: string;
  /** Hours the environment may live before the sweeper destroys it (`SEEDSTACK_TTL_HOURS`). */
  readonly ttlHours: number;
  /** How long terraform waits for a state lock, in seconds (`-lock-timeout`). */
  readonly lockTimeoutSeconds: number;
  /** Extra arguments appended to terraform plan/apply, already split into words. */
  readonly extraArgs: readonly string[];
  /** Whether to run the failover drill after the smoke test. */
  readonly drill: boolean;
}

/**
 * What must be destroyed later: enough for another process (the post step, the sweeper) to find
 * the environment and tear it down. Plain data, saved as JSON in the action's state.
 */
export interface EnvironmentRecord {
  readonly engine: EngineName;
  /** The stack name, e.g. `pr-12`. */
  readonly stack: string;
  /**
   * The environment's name as its resources are named, e.g. `seedstack-pr-12`, when the run got far
   * enough to know it; a destroy requested from inputs alone leaves it to the lifecycle.
   */
  readonly environment?: string;
  /** Directory holding cdktf.json (absolute). */
  readonly workingDirectory: string;
  readonly prNumber?: number;
  /** Creation time the environment was tagged with (SEEDSTACK_CREATED_AT), so a destroy synthesizes the same stack. */
  readonly createdAt?: string;
  /**
   * ID of a state lock that OUR run took and may have left behind when it was cancelled. The
   * destroy releases this lock by its ID, and never a lock someone else holds.
   */
  readonly lockId?: string;
}

/** Terraform's plan, summarized: counts from `terraform show -json`, and the addresses that change. */
export interface PlanSummary {
  /** Whether applying would change anything (plan exit code 2). */
  readonly hasChanges: boolean;
  readonly toAdd: number;
  readonly toChange: number;
  readonly toDestroy: number;
  /** The changed resources, e.g. `{ address: "aws_lb.lb", action: "create" }`. */
  readonly changes: readonly { readonly address: string; readonly action: "create" | "update" | "delete" | "replace" }[];
}

/** One request of the smoke test against the environment's URL. */
export interface SmokeCheck {
  /** What was checked, e.g. `GET /status`, `POST / {"num":100}`. */
  readonly name: string;
  readonly passed: boolean;
  /** Time from request to full response, in milliseconds. */
  readonly latencyMs: number;
  /** Why it failed (expected vs got); absent when it passed. */
  readonly detail?: string;
}

/** The smoke test's verdict. */
export interface SmokeResult {
  readonly passed: boolean;
  readonly checks: readonly SmokeCheck[];
}

/** The failover drill's timeline, rendered by the lifecycle. */
export interface DrillTimeline {
  readonly passed: boolean;
  /** Markdown (a Mermaid timeline/gantt chart and a table) produced by the lifecycle's report. */
  readonly markdown: string;
}

/** One terraform output, as `terraform output -json` gives it. */
export interface OutputValue {
  /** The value; never rendered or written as an output when `sensitive` is true. */
  readonly value: unknown;
  /** Marked `sensitive = true` in the stack: masked in the log, left out of every report. */
  readonly sensitive: boolean;
}

/** What became of tearing an environment down. */
export interface TeardownResult {
  /** `destroyed`: nothing left; `incomplete`: stopped before the end (deadline, cancel); `failed`: destroy errored. */
  readonly status: "destroyed" | "incomplete" | "failed";
  /** What is left, in words or addresses; empty when destroyed. */
  readonly remaining: readonly string[];
  readonly message?: string;
}

/** The outcome of `runEnvironment`: everything the PR comment, the summary and the outputs need. */
export interface EnvironmentResult {
  /** `succeeded`: every phase passed; `failed`: see failureReason; `cancelled`: the signal fired. */
  readonly status: "succeeded" | "failed" | "cancelled";
  /** Set when status is not `succeeded`. */
  readonly failureReason?: FailureReason;
  /** One sentence for people: what failed and what to do (e.g. who holds the lock). */
  readonly failureMessage?: string;
  /** The environment's name, e.g. `seedstack-pr-12`. */
  readonly environment: string;
  /** The load balancer's URL, once applied. */
  readonly url?: string;
  /** The plan; absent when planning did not finish. */
  readonly plan?: PlanSummary;
  /** The smoke test; absent when it did not run. */
  readonly smoke?: SmokeResult;
  /** The failover drill; absent when it was not asked for or did not run. */
  readonly drill?: DrillTimeline;
  /** Every terraform output of the stack, with its sensitive flag. Empty before apply. */
  readonly outputs: Readonly<Record<string, OutputValue>>;
  /**
   * Set when resources may still exist and must be destroyed by someone else (a cancelled `pr`
   * run, a failed destroy). Absent when nothing is left or (mode `deploy`) the environment is
   * meant to stay.
   */
  readonly leftover?: EnvironmentRecord;
  /** The tear-down in `pr` mode (or after a failed `deploy`); absent when none was attempted. */
  readonly teardown?: TeardownResult;
  /** The lifecycle's own Markdown report of the run (phases, timings), shown in a collapsed section. */
  readonly reportMarkdown: string;
  /** Absolute path of the synthesized stack (`cdktf.out/stacks/<stack>/cdk.tf.json`), for the diagram. */
  readonly stackJsonPath?: string;
  /** ISO 8601 start and end of the run. */
  readonly startedAt: string;
  readonly finishedAt: string;
}

/** One environment the sweeper looked at. */
export interface SweptEnvironment {
  readonly environment: string;
  /** ISO 8601 expiry from the environment's ExpiresAt tag. */
  readonly expiresAt?: string;
  readonly action: "destroyed" | "kept" | "failed";
  readonly message?: string;
}

/** The outcome of one sweep. */
export interface SweepResult {
  readonly swept: readonly SweptEnvironment[];
  /** Markdown report of the sweep for the job summary. */
  readonly reportMarkdown: string;
}

/** The lifecycle, as the action uses it. */
export interface LifecyclePort {
  /** Stand up one environment; in `pr` mode also smoke, drill and tear it down. Never throws for a failed phase: reports it. */
  runEnvironment(request: RunRequest, context: RunContext): Promise<EnvironmentResult>;
  /** Destroy the environment `record` names (releasing our own left-behind lock first, by its ID). */
  destroyEnvironment(record: EnvironmentRecord, context: RunContext): Promise<TeardownResult>;
  /** Destroy every environment whose ExpiresAt lies before `now`, and the environments recorded for the sweeper. */
  sweep(request: { readonly engine: EngineName; readonly workingDirectory: string; readonly now: Date }, context: RunContext): Promise<SweepResult>;
  /**
   * Remember an environment the post step could not finish destroying, so the next sweep destroys
   * it even before its TTL ends.
   */
  recordForSweeper(record: EnvironmentRecord, reason: string): Promise<void>;
}
