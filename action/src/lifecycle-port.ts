/**
 * What the action needs from the environment lifecycle (`lifecycle/`), as a port. Its vocabulary
 * is the lifecycle's own (lifecycle/index.ts: RunReport, LifecycleEvent, FailureReason); the
 * action adds only what GitHub needs: the request its inputs make, and the record of what the post
 * step must destroy. Production: real-lifecycle.ts, over `runLifecycle` for both engines; tests
 * pass their own implementation in through the ports.
 *
 * The records are plain data (JSON): they travel from the main step to the post step through the
 * action's state.
 */
import type { RunContext, RunReport } from "../../lifecycle/index.js";

export type { FailureReason, LifecycleEvent, RunContext, RunReport } from "../../lifecycle/index.js";

/** Which engine realizes the stack: real AWS through terraform, or this machine. */
export type EngineName = RunReport["engine"];

/** What one run of the action does. `pr`: apply, smoke and destroy in one run; `deploy`: apply and smoke, keep it. */
export type RunMode = "pr" | "deploy";

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
   * Creation time of the environment (ISO 8601), passed to synthesis as `SEEDSTACK_CREATED_AT`: for
   * a PR its own creation time, so a new push does not re-tag every resource.
   */
  readonly createdAt?: string;
  /** Hours the environment may live before the sweeper destroys it (`SEEDSTACK_TTL_HOURS`). */
  readonly ttlHours: number;
  /** How long terraform waits for a state lock, in seconds (`-lock-timeout`). */
  readonly lockTimeoutSeconds: number;
  /** Extra arguments appended to terraform plan, already split into words. */
  readonly extraArgs: readonly string[];
  /** Whether to run the failover drill after the smoke test. */
  readonly drill: boolean;
}

/** What must be destroyed later: enough for the post step (or a `destroy` run) to find the environment. */
export interface EnvironmentRecord {
  readonly engine: EngineName;
  /** The stack name, e.g. `pr-12`. */
  readonly stack: string;
  /** Directory holding cdktf.json (absolute). */
  readonly workingDirectory: string;
  readonly prNumber?: number;
  /** Creation time the environment was tagged with (SEEDSTACK_CREATED_AT), so a destroy synthesizes the same stack. */
  readonly createdAt?: string;
}

/** A run as the action reports it: the lifecycle's report, and what only the action adds. */
export interface RunOutcome {
  readonly report: RunReport;
  /** The environment's name as its resources are named, e.g. `seedstack-pr-12`. */
  readonly environment: string;
  /** Set when resources may still exist and someone else must destroy them (a cancelled run, a failed destroy). */
  readonly leftover?: EnvironmentRecord;
  /** The synthesized stack (`cdktf.out/stacks/<stack>/cdk.tf.json`), when there is one, for the diagram. */
  readonly stackJsonPath?: string;
  readonly finishedAt: string;
}

/** What became of tearing an environment down outside a run (mode destroy, the post step). */
export interface TeardownResult {
  /** `destroyed`: nothing left; `incomplete`: stopped before the end (deadline, cancel); `failed`: destroy errored. */
  readonly status: "destroyed" | "incomplete" | "failed";
  /** What is left, in words or addresses; empty when destroyed. */
  readonly remaining: readonly string[];
  readonly message?: string;
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
  /** Lines for the job summary below the table: problems, cleared locks, the orphan report. @default none */
  readonly notes?: readonly string[];
}

/** The lifecycle, as the action uses it. */
export interface LifecyclePort {
  /** Stand up one environment; in `pr` mode also smoke, drill and tear it down. Never throws for a failed phase: reports it. */
  runEnvironment(request: RunRequest, context: RunContext): Promise<RunOutcome>;
  /** Destroy the environment `record` names. */
  destroyEnvironment(record: EnvironmentRecord, context: RunContext): Promise<TeardownResult>;
  /** Destroy every recorded environment whose ExpiresAt lies before `now`, or that is recorded as needing destroy. */
  sweep(
    request: {
      readonly engine: EngineName;
      readonly workingDirectory: string;
      readonly now: Date;
      /** Hours an environment lives after its last deploy (the state-bucket sweep). */
      readonly ttlHours?: number;
      /** Asks GitHub whether pull requests are closed and whether a lock's run has finished. @default GitHub is not asked */
      readonly github?: { readonly token: string; readonly repository: string };
    },
    context: RunContext,
  ): Promise<SweepResult>;
  /**
   * Remember an environment the post step could not finish destroying, so the next sweep destroys
   * it: with a state bucket, a hand-over note beside its state (the runner's disk is thrown away).
   * @returns where the hand-over was written (`s3://bucket/key`), or undefined for a record on this machine
   */
  recordForSweeper(record: EnvironmentRecord, reason: string): Promise<string | undefined>;
}
