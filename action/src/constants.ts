/**
 * Every name the action shares with GitHub: its inputs, its outputs and the state the main step
 * hands to the post step. One file, so action.yml, the code and the tests cannot drift apart
 * (the pattern of actions/cache `src/constants.ts`; a test checks action.yml against these lists).
 */

/** Input names, exactly as action.yml declares them. */
export enum Inputs {
  Stack = "stack",
  Engine = "engine",
  Mode = "mode",
  WorkingDirectory = "working-directory",
  GitHubToken = "github-token",
  PrNumber = "pr-number",
  Ttl = "ttl",
  LockTimeout = "lock-timeout",
  TerraformArgs = "terraform-args",
  Drill = "drill",
  Comment = "comment",
  Label = "label",
}

/** Output names, exactly as action.yml declares them. */
export enum Outputs {
  Url = "url",
  Environment = "environment",
  HasChanges = "has-changes",
  ToAdd = "to-add",
  ToChange = "to-change",
  ToDestroy = "to-destroy",
  SmokeResult = "smoke-result",
  FailureReason = "failure-reason",
  OutputsJson = "outputs-json",
}

/**
 * Names of the values the main step saves with `core.saveState` for the post step. The post step
 * reads only these, never the inputs (actions/cache #1315: inputs evaluated in `post-if` or re-read
 * in the post step can disagree with what the main step actually did).
 */
export enum State {
  /** JSON EnvironmentRecord of an environment the post step must destroy; empty when none. */
  PendingDestroy = "pending-destroy",
  /** JSON of what the post step needs to report: the PR, the stack, whether to comment. */
  ReportTarget = "report-target",
  /** Set to "true" once the main step has finished its own work (destroy included). */
  MainFinished = "main-finished",
}

/** The engines the lifecycle offers. */
export const ENGINES = ["terraform", "local"] as const;
/** The modes of the action. */
export const MODES = ["pr", "deploy", "destroy", "sweep"] as const;

/** GitHub's limit on an issue comment body, in characters. */
export const COMMENT_LIMIT_CHARS = 65_536;
/** GitHub's limit on one step's job summary, in bytes (1 MiB). */
export const SUMMARY_LIMIT_BYTES = 1024 * 1024;

/**
 * How long the post step spends destroying before it records the rest for the sweeper. GitHub
 * force-ends a cancelled job 5 minutes after the cancellation; 4 minutes leaves time to record
 * what is left, update the comment and exit.
 */
export const POST_DESTROY_BUDGET_MS = 4 * 60_000;

/**
 * How long all GitHub API calls of one step may take together, retries and their waits included,
 * so that a GitHub outage cannot hold the job (the post step's share comes on top of its destroy
 * budget and must fit GitHub's 5 minutes for a cancelled job). See src/github/retrying-octokit.ts.
 */
export const GITHUB_BUDGET_MS = 45_000;

/**
 * TEST-ONLY seam: divides the GitHub client's backoff (retry waits, Retry-After of rate limits) by
 * this number and drops the spacing octokit keeps between writes, so the retry tests do not wait
 * real seconds. Unset in real use.
 */
export const TEST_GITHUB_SPEEDUP_ENV = "SEEDSTACK_ACTION_TEST_GITHUB_SPEEDUP";

/**
 * TEST-ONLY seam: divides every duration of the stack on the LOCAL engine (health-check interval,
 * thresholds' waits, deregistration delay) by this number, as the lifecycle's own tests do with
 * `speedup`, so a whole `pr` run through the bundle stays well under a minute. Unset in real use:
 * the stack's own timing.
 */
export const TEST_SPEEDUP_ENV = "SEEDSTACK_ACTION_TEST_SPEEDUP";
/**
 * TEST-ONLY seam: when "1", the action does not synthesize; it uses the stack already in
 * `<working-directory>/cdktf.out/stacks/<stack>/cdk.tf.json` (as `seedstack --skip-synth` does).
 * The terraform tests put a real synthesized stack there (what to expect) and apply a
 * `terraform_data` FIXTURE elsewhere (TEST_TERRAFORM_DIR_ENV). The state-bucket sweep destroys
 * each `pr-<n>` it chose from `cdktf.out/stacks/pr-<n>/` instead of synthesizing it.
 */
export const TEST_USE_SYNTHESIZED_ENV = "SEEDSTACK_ACTION_TEST_USE_SYNTHESIZED";
/**
 * TEST-ONLY seam: terraform runs in this directory (relative to the working directory) instead of the synthesized stack's, as
 * `seedstack --terraform-dir` does: the terraform tests apply a `terraform_data` FIXTURE there while
 * the lifecycle reads a real synthesized stack for what to expect.
 */
export const TEST_TERRAFORM_DIR_ENV = "SEEDSTACK_ACTION_TEST_TERRAFORM_DIR";
