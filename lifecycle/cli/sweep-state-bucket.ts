/**
 * `seedstack sweep` when SEEDSTACK_STATE_BUCKET is set: sweep the pull-request states in the bucket
 * (lifecycle/terraform/state-bucket-sweep.ts) instead of this machine's environment records, which
 * a fresh CI runner does not have. Each chosen `pr-<n>` is synthesized as the stacks app does
 * (SEEDSTACK_PR_NUMBER=n, the same bucket settings, so the same state key) into a directory of its
 * own and destroyed through its state. Then the resources tagged for pull requests that no state
 * knows about are listed (never deleted).
 */
import { join } from "node:path";
import { LifecycleError } from "../errors.js";
import { synthesize } from "../stack/synth.js";
import { pullRequestClosedChecker } from "../terraform/github-pulls.js";
import { hostname } from "node:os";
import { githubRunStatusChecker, processStartTicks } from "../terraform/lock-holder.js";
import { lifecycleErrorOf } from "../terraform/terraform-engine.js";
import { listPullRequestResources, orphanReportLines, orphansOf } from "../terraform/orphan-report.js";
import { stateBucketSweepLines, sweepFailureOf, sweepStateBucket } from "../terraform/state-bucket-sweep.js";
import { checkTtlHours } from "../terraform/state-sweep-decision.js";
import type { CliOptions } from "./options.js";
import { stateDirOf } from "../terraform/state-dir.js";
import { environmentOptions } from "./terraform-setup.js";

/** What the sweep takes from the command (a subset of its CommandDeps). */
export interface StateBucketSweepDeps {
  readonly projectDir: string;
  readonly options: CliOptions;
  readonly ctx: { readonly signal: AbortSignal };
  readonly render: { line(text: string): void };
  readonly cleanupSignal?: AbortSignal;
}

/** Sweep the state bucket `bucket`; returns the exit code (throws the first failed destroy that was not merely locked by a live holder: sweepFailureOf). */
export async function sweepStateBucketCommand(deps: StateBucketSweepDeps, bucket: string, github: { token?: string; repo?: string }): Promise<number> {
  const env = process.env;
  const say = deps.render.line;
  const ttlHours = env.SEEDSTACK_TTL_HOURS ? Number(env.SEEDSTACK_TTL_HOURS) : 24;
  try {
    checkTtlHours(ttlHours);
  } catch (error) {
    throw new LifecycleError("ERR_USAGE", `SEEDSTACK_TTL_HOURS: ${(error as Error).message}`);
  }
  const region = env.SEEDSTACK_STATE_REGION || env.SEEDSTACK_REGION || env.AWS_REGION;
  const where = { bucket, namePrefix: env.SEEDSTACK_NAME_PREFIX || "seedstack", ...(region ? { region } : {}) };
  say(`sweeping the pull-request states in s3://${bucket}/${where.namePrefix}/pr-*; TTL ${ttlHours} h from each environment's last deploy${github.token && github.repo ? `; asking GitHub about pull requests in ${github.repo}` : "; no GitHub token: pull request states are unknown, so only the TTL counts"}`);

  const sweepDir = join(stateDirOf(deps.projectDir, deps.options.stateDir).root, "sweep");
  const report = await sweepStateBucket({
    where,
    ttlHours,
    dryRun: !deps.options.apply,
    ...(github.token && github.repo ? { isPullRequestClosed: pullRequestClosedChecker({ token: github.token, repo: github.repo }) } : {}),
    // With a token GitHub also says whether the run that left a lock has finished (actions: read).
    ...(github.token ? { lockProbes: { host: hostname(), startTicks: processStartTicks, githubRunStatus: githubRunStatusChecker({ token: github.token }) } } : {}),
    ...(deps.cleanupSignal ? { signal: deps.cleanupSignal } : {}),
    environmentFor: async (state) => {
      say(`synthesizing ${state.stackName} to destroy it through its state`);
      const outdir = join(sweepDir, state.stackName);
      await synthesize({ projectDir: deps.projectDir, outdir, env: { ...env, SEEDSTACK_PR_NUMBER: String(state.prNumber) }, signal: deps.ctx.signal });
      return environmentOptions(deps.projectDir, deps.options, state.stackName, join(outdir, "stacks", state.stackName));
    },
  });
  for (const line of stateBucketSweepLines(report)) say(line);

  try {
    const orphans = orphansOf(await listPullRequestResources(region ? { region } : {}), new Set(report.decisions.map((d) => d.state.prNumber)));
    for (const line of orphanReportLines(orphans)) say(line);
  } catch (error) {
    say(`could not list the resources tagged for pull requests (tag:GetResources): ${(error as Error).message}`);
  }

  const failed = sweepFailureOf(report);
  if (failed && !failed.result.ok) throw lifecycleErrorOf(failed.result.failure);
  return 0;
}
