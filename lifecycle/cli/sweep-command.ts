/**
 * `seedstack sweep [--apply] [--github-token t --repo owner/name]`: destroy environments whose TTL
 * has passed or whose pull request is closed (lifecycle/terraform/sweep.ts), each through its own
 * state. The candidates are the environment records (every terraform environment is recorded
 * before its first apply). Dry run by default: it prints what it would destroy and why.
 */
import { LifecycleError } from "../errors.js";
import { destroyEnvironment } from "../terraform/deploy.js";
import { pullRequestClosedChecker } from "../terraform/github-pulls.js";
import { lifecycleErrorOf } from "../terraform/terraform-engine.js";
import { candidatesFromRecords, sweep } from "../terraform/sweep.js";
import type { CommandDefinition } from "./command.js";
import { sweepStateBucketCommand } from "./sweep-state-bucket.js";
import { environmentOptions, recordsOf } from "./terraform-setup.js";

export const sweepCommand: CommandDefinition = {
  name: "sweep",
  summary: "destroy terraform environments whose ExpiresAt has passed or whose pull request is closed (dry run unless --apply)",
  async handler(deps) {
    const o = deps.options;
    const token = o.githubToken ?? process.env.GITHUB_TOKEN;
    const repo = o.repo ?? process.env.GITHUB_REPOSITORY;
    if (o.githubToken !== undefined && repo === undefined) throw new LifecycleError("ERR_USAGE", "--github-token needs --repo owner/name (or GITHUB_REPOSITORY) to know whose pull requests to ask about");
    // With a state bucket, the bucket knows every PR environment; a fresh runner has no records.
    const bucket = process.env.SEEDSTACK_STATE_BUCKET;
    if (bucket) return sweepStateBucketCommand(deps, bucket, { ...(token ? { token } : {}), ...(repo ? { repo } : {}) });
    const { dir: recordDir, registry } = recordsOf(deps.projectDir, o);
    const { records, problems } = await registry.list();
    const stackDirs = new Map(records.map((r) => [r.name, r.stackDir]));
    const say = deps.render.line;
    for (const p of problems) say(`unreadable record: ${p}`);
    say(`${records.length} environment record(s) in ${recordDir}${token && repo ? `; asking GitHub about pull requests in ${repo}` : "; no GitHub token: pull request states are unknown, so only expiry counts"}`);

    const report = await sweep({
      candidates: candidatesFromRecords(records, recordDir),
      dryRun: !o.apply,
      ...(token && repo ? { isPullRequestClosed: pullRequestClosedChecker({ token, repo }) } : {}),
      destroy: (c) => {
        say(`destroying ${c.name}`);
        return destroyEnvironment(environmentOptions(deps.projectDir, o, c.name, stackDirs.get(c.name)!), deps.cleanupSignal);
      },
    });
    for (const p of report.problems) say(`could not ask GitHub: ${p}`);
    for (const d of report.decisions) say(`${d.destroy ? (report.dryRun ? "would destroy" : "destroy") : "keep"} ${d.candidate.name}: ${d.why}`);
    for (const { name, result } of report.destroyed) say(result.ok ? `destroyed ${name}${result.alreadyGone ? " (its state was already empty)" : ""}` : `could not destroy ${name}: ${result.failure.reason}: ${result.failure.message}`);
    if (report.dryRun && report.decisions.some((d) => d.destroy)) say("dry run: nothing was destroyed; run with --apply to destroy");
    const failed = report.destroyed.find((d) => !d.result.ok);
    if (failed && !failed.result.ok) throw lifecycleErrorOf(failed.result.failure);
    return 0;
  },
};
