/**
 * The main step: read the event and inputs, run the lifecycle, and report (outputs, PR comment,
 * job summary). Whatever must be destroyed if this step is cancelled or killed is saved in the
 * action's state the moment it may exist; the post step (run-post.ts) destroys it.
 */
import { readStackFile } from "../../lifecycle/index.js";
import { Outputs, State } from "./constants.js";
import { InputError, readInputs, type ActionInputs } from "./inputs.js";
import { writeRunOutputs } from "./action-outputs.js";
import { fitSummary } from "./job-summary.js";
import { outputsOf } from "./action-outputs.js";
import type { EnvironmentRecord, LifecycleEvent, RunContext } from "./lifecycle-port.js";
import { logEvent } from "./log-event.js";
import type { MainPorts } from "./ports.js";
import { upsertComment } from "./pr-comment.js";
import { isFork, pullRequestFromEvent, type PullRequestInfo } from "./pull-request.js";
import { redact, sensitiveStrings } from "./report/redact.js";
import {
  FAILURE_WORDS,
  failureWords,
  renderDestroyReport,
  renderForkReport,
  renderRunReport,
  renderSweepReport,
  type StackOrProblem,
  type ReportContext,
} from "./report/render-report.js";
import { savePendingDestroy, type ReportTarget } from "./state.js";
// github-api: deployments, opt-in label, unhandled events, comment failures (one call per phase)
import { deploymentAfterRun, deploymentBeforeRun, deploymentsAfterDestroy, deploymentsAfterSweep } from "./deployment-steps.js";
import { checkHandledEvent } from "./event-gate.js";
import { gateByLabel } from "./label-gate.js";
import { sayUnpublished } from "./unpublished.js";

function readStackOrProblem(path: string | undefined): StackOrProblem | undefined {
  if (path === undefined) return undefined;
  try {
    return { stack: readStackFile(path) };
  } catch (error) {
    return { problem: `could not read the synthesized stack ${path}: ${(error as Error).message}` };
  }
}

/**
 * Writes the report to the job summary and, when asked and possible, to the PR comment. Returns
 * what could not be written instead of throwing: a report that fails must not hide the verdict
 * of the run it reports on, nor decide it (the job's result is the environment's).
 */
async function publish(ports: MainPorts, inputs: ActionInputs, markdown: string): Promise<string | undefined> {
  const problems: string[] = [];
  try {
    await ports.summary(fitSummary(markdown, ports.run.runUrl));
  } catch (error) {
    problems.push(`the job summary could not be written: ${(error as Error).message}`);
  }
  if (inputs.comment && inputs.prNumber === undefined) ports.log.info("no pull request: the report is in the job summary only");
  if (inputs.comment && inputs.prNumber !== undefined) {
    try {
      const github = ports.github(inputs.token);
      const { comment, created, truncated } = await upsertComment(github, { stack: inputs.stack, pr: inputs.prNumber }, () => markdown, ports.run.runUrl);
      ports.log.info(`${created ? "created" : "updated"} the environment's comment ${comment.htmlUrl}${truncated ? " (truncated to GitHub's limit)" : ""}`);
    } catch (error) {
      problems.push(`the PR comment could not be written: ${(error as Error).message}`);
    }
  }
  await sayUnpublished(ports, problems);
  return problems.length > 0 ? problems.join("; ") : undefined;
}

/** Runs the main step. Never throws: failures become a failed step with a message. */
export async function runMain(ports: MainPorts): Promise<void> {
  try {
    await main(ports);
  } catch (error) {
    ports.log.fail(error instanceof InputError ? error.message : `seedstack action failed: ${(error as Error).stack ?? String(error)}`);
  }
}

async function main(ports: MainPorts): Promise<void> {
  const { log } = ports;
  const pr = pullRequestFromEvent(ports.event);
  checkHandledEvent(ports.eventName, pr, ports.inputs);
  const inputs = gateByLabel(readInputs(ports.inputs, pr, ports.run.workspace), pr, ports.log);
  if (inputs === undefined) return;
  const ctx: ReportContext = {
    stack: inputs.stack,
    ...(inputs.prNumber !== undefined ? { prNumber: inputs.prNumber } : {}),
    engine: inputs.engine,
    mode: inputs.mode,
    runUrl: ports.run.runUrl,
    ...(pr?.headSha ? { headSha: pr.headSha } : {}),
  };
  // What the post step must destroy, should resources appear and this step not finish.
  const record: EnvironmentRecord = {
    engine: inputs.engine,
    stack: inputs.stack,
    workingDirectory: inputs.workingDirectory,
    ...(inputs.prNumber !== undefined ? { prNumber: inputs.prNumber } : {}),
    ...(pr !== undefined ? { createdAt: pr.createdAt } : {}),
  };
  const context: RunContext = { signal: ports.signal, onEvent: (e) => onEvent(ports, e, record) };

  if (inputs.mode === "sweep") return sweep(ports, inputs, context);

  if (pr !== undefined && isFork(pr)) return forkPullRequest(ports, inputs, ctx, pr);

  const target: ReportTarget = { stack: inputs.stack, engine: inputs.engine, mode: inputs.mode, comment: inputs.comment, ...(inputs.prNumber !== undefined ? { prNumber: inputs.prNumber } : {}) };
  ports.state.save(State.ReportTarget, JSON.stringify(target));

  if (inputs.mode === "destroy") return destroy(ports, inputs, ctx, context, record);

  const deployment = await deploymentBeforeRun(ports, inputs, pr?.headSha);
  const outcome = await ports.lifecycle.runEnvironment(
    {
      stack: inputs.stack,
      engine: inputs.engine,
      mode: inputs.mode,
      workingDirectory: inputs.workingDirectory,
      ...(inputs.prNumber !== undefined ? { prNumber: inputs.prNumber } : {}),
      ...(pr !== undefined ? { createdAt: pr.createdAt } : {}),
      ttlHours: inputs.ttlHours,
      lockTimeoutSeconds: inputs.lockTimeoutSeconds,
      extraArgs: inputs.extraArgs,
      drill: inputs.drill,
    },
    context,
  );
  // What the post step must destroy: what the lifecycle says is left (a `deploy` environment that
  // is meant to stay is not "left"). This overwrites the record saved when resources appeared.
  savePendingDestroy(ports.state, outcome.leftover);
  ports.state.save(State.MainFinished, "true");
  writeRunOutputs(ports.outputs, outcome);
  await deploymentAfterRun(ports, inputs, deployment, outcome.report);

  const secrets = sensitiveStrings(outputsOf(outcome));
  const markdown = redact(renderRunReport(ctx, outcome, readStackOrProblem(outcome.stackJsonPath)), secrets);
  await publish(ports, inputs, markdown);

  if (outcome.leftover) log.warning(`resources of ${outcome.environment} are left; the post step destroys them`);
  if (!outcome.report.ok) log.fail(redact(failureWords(outcome.report, inputs.engine), secrets));
}

function onEvent(ports: MainPorts, event: LifecycleEvent, record: EnvironmentRecord): void {
  // Saved at once: if the runner kills this step, the post step still knows what to destroy.
  // A `deploy` environment is saved too: cancelled half-way, it is in no state worth keeping.
  if (event.type === "resources-may-exist") savePendingDestroy(ports.state, record);
  logEvent(ports.log, event);
}

async function destroy(ports: MainPorts, inputs: ActionInputs, ctx: ReportContext, context: RunContext, record: EnvironmentRecord): Promise<void> {
  const startedAt = ports.clock().toISOString();
  // Saved first: if this step is cancelled mid-destroy, the post step carries on.
  savePendingDestroy(ports.state, record);
  const teardown = await ports.lifecycle.destroyEnvironment(record, context);
  const done = teardown.status === "destroyed";
  savePendingDestroy(ports.state, done ? undefined : record);
  ports.state.save(State.MainFinished, "true");
  ports.outputs.set(Outputs.Environment, inputs.stack);
  ports.outputs.set(Outputs.FailureReason, done ? "" : "destroy-failed");
  await deploymentsAfterDestroy(ports, inputs.token, inputs.prNumber, done);
  await publish(ports, inputs, renderDestroyReport(ctx, teardown, startedAt, ports.clock().toISOString()));
  if (!done) ports.log.fail(`${FAILURE_WORDS["destroy-failed"]}${teardown.message ? `: ${teardown.message}` : ""}; the post step tries once more`);
}

async function forkPullRequest(ports: MainPorts, inputs: ActionInputs, ctx: ReportContext, pr: PullRequestInfo): Promise<void> {
  ports.log.warning(`pull request #${pr.number} comes from ${pr.headRepo ?? "a deleted fork"}, not ${pr.baseRepo}: no environment is built for it`);
  if (inputs.mode === "destroy") return; // nothing was ever built for it
  await publish(ports, inputs, renderForkReport(ctx, pr.headRepo));
}

async function sweep(ports: MainPorts, inputs: ActionInputs, context: RunContext): Promise<void> {
  const now = ports.clock();
  const result = await ports.lifecycle.sweep(
    {
      engine: inputs.engine,
      workingDirectory: inputs.workingDirectory,
      now,
      ttlHours: inputs.ttlHours,
      ...(inputs.token && ports.run.repository ? { github: { token: inputs.token, repository: ports.run.repository } } : {}),
    },
    context,
  );
  await ports.summary(fitSummary(renderSweepReport(ports.run.runUrl, result, now.toISOString()), ports.run.runUrl));
  await deploymentsAfterSweep(ports, inputs.token, result.swept);
  const failed = result.swept.filter((s) => s.action === "failed");
  ports.outputs.set(Outputs.FailureReason, failed.length > 0 ? "destroy-failed" : "");
  for (const s of result.swept) ports.log.info(`${s.environment}: ${s.action}${s.message ? ` (${s.message})` : ""}`);
  if (failed.length > 0) ports.log.fail(`the sweep could not destroy ${failed.map((s) => s.environment).join(", ")}`);
}
