/**
 * The lifecycle's public entry: what the GitHub Action (and other repos) use. Nothing outside
 * lifecycle/ imports its folders; what is not exported here is the lifecycle's own business.
 */

// The run: options, context, events, report, errors, failure reasons.
export { runLifecycle, smokeTargetOf, type LifecycleOptions } from "./run-lifecycle.js";
export type { Environment, EnvironmentEngine } from "./environment.js";
export { quietContext, type Diagnosis, type LifecycleEvent, type Phase, type RunContext } from "./events.js";
export { LifecycleError, isUserErrorCode, type LifecycleErrorCode } from "./errors.js";
export { FAILURE_REASONS, failureReasonOf, type FailureReason } from "./failure-reason.js";
export type { PhaseRecord, RunReport, Teardown } from "./report/run-report.js";
export { drillMarkdown, reportMarkdown } from "./report/markdown.js";
export type { DrillResult, FailureMode } from "./probes/failover-drill.js";
export type { SmokeCheck, SmokeResult } from "./probes/smoke-test.js";

// The stack: where it is synthesized, how it is read.
export { synthesize } from "./stack/synth.js";
export { listStacks, readStack, readStackFile, stackFile } from "./stack/read-stack.js";
export type * from "./stack/stack.js";

// The engines.
export { localEngine } from "./local/local-engine.js";
export type { LocalEngineOptions } from "./local/local-environment.js";
export { lifecycleErrorOf, terraformEngine, type TerraformEngineSettings } from "./terraform/terraform-engine.js";

// Terraform environments outside a run: destroy, records, sweep, the project's state directory.
export { checkEnvironmentOptions, destroyEnvironment, type DestroyResult, type TerraformEnvironmentOptions } from "./terraform/deploy.js";
export type { TerraformEngineEvent } from "./terraform/deploy-events.js";
export type { EngineFailure } from "./terraform/failure.js";
export type { Outputs, OutputValue, PlanSummary } from "./terraform/json.js";
export type { EnvironmentRecord } from "./terraform/environment-record.js";
export { folderRegistry, type RecordRegistry } from "./terraform/record-registry.js";
export { candidatesFromRecords, sweep, type SweepReport } from "./terraform/sweep.js";
export { stateBucketSweepLines, sweepStateBucket, type StateBucketSweepReport } from "./terraform/state-bucket-sweep.js";
export { MAX_SWEEP_TTL_HOURS } from "./terraform/state-sweep-decision.js";
export { handOverToSweeper, type StateBucket } from "./terraform/state-objects.js";
export { githubRunStatusChecker, processStartTicks } from "./terraform/lock-holder.js";
export { pullRequestClosedChecker } from "./terraform/github-pulls.js";
export { listPullRequestResources, orphanReportLines, orphansOf } from "./terraform/orphan-report.js";
export { stateDirOf, writeTerraformCliConfig, type StateDir } from "./terraform/state-dir.js";

// terraform itself: the one runner, its one environment policy, its configuration (npm run plan, the plan tests).
export { runTerraform, type RunTerraformOptions, type TerraformRun } from "./terraform/run-terraform.js";
export { findTerraform } from "./terraform/find-terraform.js";
export { terraformEnv } from "./terraform/terraform-env.js";
export { writeCliConfig } from "./terraform/cli-config.js";
export { PINNED_PROVIDERS, findProviderMirror, providerLayout, terraformPlatform, type ProviderRequirement } from "./terraform/provider-mirror.js";
