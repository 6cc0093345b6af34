/**
 * The ports the action's two steps run on. Production builds them from @actions/core and
 * @actions/github (runtime.ts); tests can build them from fakes.
 */
import type { GitHubPort } from "./github-port.js";
import type { InputSource } from "./inputs.js";
import type { LifecyclePort } from "./lifecycle-port.js";
import type { SummaryPort } from "./job-summary.js";
import type { StatePort } from "./state.js";
import type { Outputs } from "./constants.js";

/** The step's log and verdict (core.info / warning / setFailed). */
export interface LogPort {
  info(message: string): void;
  warning(message: string): void;
  /** Marks the step failed with `message`. */
  fail(message: string): void;
}

/** Step outputs and secret masking (core.setOutput / core.setSecret). */
export interface OutputPort {
  set(name: Outputs, value: string): void;
  /** From now on the runner masks `value` wherever it would appear in the log. */
  mask(value: string): void;
}

/** Facts of the workflow run, from the runner's environment. */
export interface RunFacts {
  /** `owner/name` (GITHUB_REPOSITORY). */
  readonly repository: string;
  /** Link to this run. */
  readonly runUrl: string;
  /** GITHUB_WORKSPACE: where relative working directories start. */
  readonly workspace: string;
  /** GITHUB_SHA: the commit the run is for (the deployment's ref when the event names no PR head). */
  readonly sha?: string;
}

/** What both steps use. */
export interface StepPorts {
  readonly inputs: InputSource;
  readonly run: RunFacts;
  /** Builds the GitHub client for a token (called only when a comment is to be written). */
  readonly github: (token: string) => GitHubPort;
  readonly lifecycle: LifecyclePort;
  readonly clock: () => Date;
  readonly state: StatePort;
  readonly outputs: OutputPort;
  readonly summary: SummaryPort;
  readonly log: LogPort;
  /** Aborted when the runner cancels the step. */
  readonly signal: AbortSignal;
}

/** The main step's ports: the step ports and the triggering event's payload. */
export interface MainPorts extends StepPorts {
  /** The parsed event payload (GITHUB_EVENT_PATH), or undefined. */
  readonly event: unknown;
  /** GITHUB_EVENT_NAME, e.g. `pull_request`, `push`, `workflow_dispatch`. */
  readonly eventName?: string;
}
