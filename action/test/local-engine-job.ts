/**
 * What the bundled-action tests on the REAL local engine share: a job whose workspace is a project
 * that depends on seedstack (`node_modules/seedstack` links to this repository, built by
 * `npm test`'s pretest) and whose cdktf.json runs its stacks app, playing pr-12's `synchronize`;
 * and how such a run's log is read back (the seed servers it started, the listeners it opened).
 */
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { findPackageRoot } from "../../shared/package-root.js";
import { PR_CREATED, TOKEN, type ActionSuiteContext } from "./bundled-action-suite.js";
import type { GitHubStandIn } from "../../test/github-stand-in/github-stand-in.js";
import { createJob, pullRequestEvent, waitFor, type Job } from "./run-action.js";

/** What a local-engine job varies. */
export interface LocalEngineJobOptions {
  /** Inputs besides the token and `engine: local`. @default none */
  readonly inputs?: Readonly<Record<string, string>>;
  /** More environment for the steps (the lifecycle's TEST-ONLY seams). @default none */
  readonly env?: Readonly<Record<string, string>>;
}

/** A job on the local engine for pr-12, cleaned up with the suite's jobs after the test. */
export function localEngineJob(ctx: ActionSuiteContext, gh: GitHubStandIn, options: LocalEngineJobOptions = {}): Job {
  const job = createJob({
    distDir: ctx.dist,
    apiUrl: gh.url,
    inputs: { "github-token": TOKEN, engine: "local", ...options.inputs },
    event: pullRequestEvent({ number: 12, action: "synchronize", createdAt: PR_CREATED }),
    env: options.env,
  });
  ctx.jobs.push(job);
  mkdirSync(join(job.workspace, "node_modules"));
  symlinkSync(findPackageRoot(), join(job.workspace, "node_modules", "seedstack"));
  writeFileSync(join(job.workspace, "cdktf.json"), JSON.stringify({ language: "typescript", app: `node ${join(findPackageRoot(), "stacks", "run-app.mjs")}` }));
  return job;
}

/** Resolves once the job's log says the failover drill killed an instance on purpose (fails after `deadlineMs`). */
export async function drillKillLogged(job: Job, deadlineMs: number): Promise<void> {
  await waitFor("the drill's deliberate kill in the log", () => /instance i-0[0-9a-f]+ ended on purpose/.test(job.liveStdout()), deadlineMs);
}

/** The seed-server pids a run's log names (`started: pid N at ...`). */
export function startedPids(stdout: string): number[] {
  return [...stdout.matchAll(/started: pid (\d+) at/g)].map((m) => Number(m[1]));
}

/** The loopback ports of the load balancer's listeners a run's log names (`listener (stack port N) at https://127.0.0.1:P`). */
export function listenerPorts(stdout: string): number[] {
  return [...stdout.matchAll(/listener \(stack port \d+\) at https?:\/\/127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1]));
}
