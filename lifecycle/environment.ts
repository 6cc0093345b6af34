/**
 * The one abstraction the lifecycle runs an engine through (Miniflare's shared plugin interface,
 * at the scale of a whole environment): an engine brings a synthesized stack up and hands back an
 * environment the lifecycle can wait on, smoke-test, drill and take down. The local engine
 * (processes on this machine) and the terraform engine (real AWS) both implement it.
 */
import { LifecycleError } from "./errors.js";
import type { Diagnosis, RunContext } from "./events.js";
import type { DrillControl, FailureMode } from "./probes/failover-drill.js";
import type { Stack } from "./stack/stack.js";
import type { Outputs } from "./terraform/json.js";

/** A running environment, whichever engine started it. */
export interface Environment {
  readonly stack: Stack;
  /** Where clients go (the HTTPS listener when the stack has TLS). */
  readonly url: string;
  /** The plain-HTTP URL that should redirect to `url`; absent: no redirect is checked. */
  readonly redirectFromUrl?: string;
  /** Why no redirect is checked, when `redirectFromUrl` is absent (a skipped smoke check says it). */
  readonly redirectSkipped?: string;
  /** The certificate (PEM) to pin for HTTPS, for self-signed stacks. */
  readonly certificatePem?: string;
  /** The environment's outputs (terraform's `output -json`, sensitive ones flagged); absent for the local engine. */
  readonly outputs?: Outputs;
  /** Connect the smoke test here (the ALB's own DNS name) while the URL's host stays SNI and Host; for a name without a DNS record. */
  readonly connectTo?: string;
  /** How many targets must be healthy (and answer the smoke test). */
  readonly expectedTargets: number;
  /** The clock speed-up the environment runs with (1: the stack's own timing). */
  readonly speedup: number;
  /** Resolves when `expectedTargets` are healthy; throws ERR_TARGETS_UNHEALTHY at the deadline. */
  waitHealthy(options?: { deadlineMs?: number }): Promise<void>;
  /** Plain-words reasons for every target that is not healthy. */
  diagnose(): Diagnosis[];
  /** What the failover drill may do to this environment. */
  readonly drill: DrillControl;
  /** The drill modes this engine can cause; the others are reported as skipped, with `why`. */
  readonly drillModes: ReadonlyArray<FailureMode>;
  readonly drillModesWhy?: string;
  /** Take it down (for terraform: destroy); idempotent. */
  dispose(): Promise<void>;
}

/** An engine: its name (in the report) and how it brings a stack up. */
export interface EnvironmentEngine {
  readonly name: "local" | "terraform";
  /**
   * Its environments outlive this process (real cloud resources): with `keep`, the run ends and
   * leaves the environment up (after a failure too) instead of waiting for Ctrl-C.
   */
  readonly persistent: boolean;
  /**
   * Refuse, before anything starts, what this engine cannot run: a stack shape it does not support
   * (ERR_STACK_UNSUPPORTED) or settings that cannot work (ERR_USAGE). @default everything runs
   */
  check?(stack: Stack): void;
  /**
   * Bring `stack` up. When it fails after creating something, it throws a `StartFailedError`
   * whose `dispose` takes that down; the lifecycle calls it in its `down` phase.
   */
  start(stack: Stack, ctx: RunContext): Promise<Environment>;
}

/** A start that failed part-way: `dispose` removes what it left (a failed apply's resources). */
export class StartFailedError extends LifecycleError {
  constructor(
    error: LifecycleError,
    readonly dispose: () => Promise<void>,
  ) {
    super(error.code, error.message, { cause: error.cause });
  }
}
