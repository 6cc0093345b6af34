/**
 * The post step (`post-if: always()`): runs after the job's steps, also after a failure or a
 * cancellation. It decides from the action's state alone, never from inputs (actions/cache #1315):
 * when the main step left an environment to destroy, it destroys it within the time GitHub allows
 * a cancelled job, records what it could not finish for the sweeper, and says so in the log, the
 * job summary and the PR comment. The token to comment with is read from its input: it is a
 * credential, not a decision, and is never written into state.
 */
import { COMMENT_LIMIT_CHARS, Inputs, POST_DESTROY_BUDGET_MS, State } from "./constants.js";
import type { RunContext, TeardownResult } from "./lifecycle-port.js";
import type { StepPorts } from "./ports.js";
import { upsertComment } from "./pr-comment.js";
import { fitLimit, truncationNotice } from "./report/fit-limit.js";
import { redact } from "./report/redact.js";
import { renderPostSection, withPostSection, withoutPostSection } from "./report/render-report.js";
import { logEvent } from "./log-event.js";
import { readPendingDestroy, readReportTarget, savePendingDestroy } from "./state.js";
// github-api: deployments marked inactive, a comment failure that does not decide the step
import { deploymentsAfterDestroy } from "./deployment-steps.js";
import { sayUnpublished } from "./unpublished.js";

/** Runs the post step. Never throws: failures become a failed step with a message. */
export async function runPost(ports: StepPorts): Promise<void> {
  try {
    await post(ports);
  } catch (error) {
    ports.log.fail(`seedstack post step failed: ${(error as Error).stack ?? String(error)}`);
  }
}

async function post(ports: StepPorts): Promise<void> {
  const { log } = ports;
  const record = readPendingDestroy(ports.state);
  if (record === undefined) {
    log.info("seedstack: nothing left to destroy");
    return;
  }
  const name = record.stack;
  const how = ports.state.get(State.MainFinished) === "true" ? "finished but left" : "did not finish (cancelled or killed) and may have left";
  log.info(`seedstack: the main step ${how} ${name}; destroying it (at most ${POST_DESTROY_BUDGET_MS / 60_000} minutes)`);
  const deadline = AbortSignal.timeout(POST_DESTROY_BUDGET_MS);
  const context: RunContext = { signal: AbortSignal.any([ports.signal, deadline]), onEvent: (e) => logEvent(log, e) };

  let teardown: TeardownResult;
  try {
    teardown = await ports.lifecycle.destroyEnvironment(record, context);
  } catch (error) {
    teardown = { status: "failed", remaining: [name], message: (error as Error).message };
  }
  const done = teardown.status === "destroyed";
  let handedOver: string | undefined;
  if (done) {
    savePendingDestroy(ports.state, undefined);
    log.info(`seedstack: ${name} destroyed`);
  } else {
    // Terraform was interrupted once at the deadline and left to release its lock; what it did
    // not finish goes to the sweeper (through the state bucket when there is one).
    handedOver = await ports.lifecycle.recordForSweeper(record, teardown.message ?? teardown.status).catch((error: Error) => {
      log.warning(`seedstack: could not hand ${name} over to the sweeper: ${error.message}`);
      return undefined;
    });
    log.warning(
      `seedstack: ${name} is not fully destroyed (${teardown.status}${teardown.message ? `: ${teardown.message}` : ""}). ` +
        `Left: ${teardown.remaining.join(", ") || "unknown"}. ${handedOver ? `It is handed over to the sweeper (${handedOver})` : "It is recorded for the sweeper"}, which destroys it on its next run.`,
    );
  }

  const at = ports.clock().toISOString();
  const section = redact(renderPostSection(teardown, at, handedOver ?? !done), []);
  await ports.summary(`\n\n${section}\n`);
  const target = readReportTarget(ports.state);
  await deploymentsAfterDestroy(ports, ports.inputs(Inputs.GitHubToken), target?.prNumber, done);
  if (target?.comment && target.prNumber !== undefined) {
    const notice = truncationNotice("GitHub's 65,536-character limit for a comment", `The whole report is in the [job summary of this run](${ports.run.runUrl}).`);
    const written = await upsertComment(
      ports.github(ports.inputs(Inputs.GitHubToken)),
      { stack: target.stack, pr: target.prNumber },
      // Keep the main step's report, cut if needed so the cleanup section always fits after it.
      (existing) => withPostSection(fitLimit(withoutPostSection(existing ?? ""), COMMENT_LIMIT_CHARS - section.length - 200, "chars", notice).text, section),
      ports.run.runUrl,
    ).catch((error: Error) => sayUnpublished(ports, [`the PR comment could not be updated: ${error.message}`]));
    if (written) log.info(`seedstack: updated the environment's comment ${written.comment.htmlUrl}`);
  }
  if (!done) log.fail(`seedstack: could not finish destroying ${name}; recorded for the sweeper`);
}
