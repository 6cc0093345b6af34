/**
 * The bundled action with the REAL lifecycle on the LOCAL engine, run as GitHub runs it (`node
 * main.mjs` / `post.mjs`, INPUT_* variables, an event file, the runner's file commands), talking to
 * the STAND-IN of GitHub's REST API (test/github-stand-in/). The working directory is a temp folder whose
 * cdktf.json runs this repository's stacks app, so the action really synthesizes the `pr-12` stack
 * and the lifecycle really brings it up (load balancer with TLS, seed-server processes), smoke-tests
 * it and takes it down. The clock of the stack runs 10 times faster through the TEST-ONLY seam
 * SEEDSTACK_ACTION_TEST_SPEEDUP (the lifecycle tests' `speedup`), so a run takes seconds.
 */
import * as assert from "uvu/assert";
import { bundledActionSuite, MARKER_12, PR_CREATED, TOKEN, type ActionSuiteContext } from "./bundled-action-suite.js";
import { startGitHubStandIn, type GitHubStandIn } from "../../test/github-stand-in/github-stand-in.js";
import { createJob, pullRequestEvent, type Job, type StepResult } from "./run-action.js";
import { localEngineJob, startedPids } from "./local-engine-job.js";
import { processAlive } from "../../lifecycle/process-alive.js";


type Ctx = ActionSuiteContext;
const test = bundledActionSuite<Ctx>("action with the real lifecycle, local engine (bundled, as GitHub runs it)", {});

function describe(r: StepResult): string {
  return `exit ${r.exitCode}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
}

/** A local-engine job at 10 times the stack's speed. */
function localJob(ctx: Ctx, gh: GitHubStandIn, inputs: Record<string, string> = {}): Job {
  return localEngineJob(ctx, gh, { inputs, env: { SEEDSTACK_ACTION_TEST_SPEEDUP: "10" } });
}

const alive = processAlive;

test("pr mode on the local engine: synthesized, up, smoke-tested, down; the comment is created, then updated in place", async (ctx) => {
  const gh = await startGitHubStandIn({ token: TOKEN });
  ctx.gh.push(gh);

  const first = localJob(ctx, gh);
  const r1 = await first.step("main", { deadlineMs: 90_000 });
  assert.is(r1.exitCode, 0, describe(r1));
  assert.is(r1.outputs.environment, "seedstack-pr-12");
  assert.match(r1.outputs.url ?? "", /^https:\/\/127\.0\.0\.1:\d+$/, "the local load balancer's HTTPS listener");
  assert.is(r1.outputs["smoke-result"], "passed");
  assert.is(r1.outputs["failure-reason"], "");
  assert.is(r1.state["pending-destroy"], "", "a local environment leaves nothing for the post step");
  const pids = startedPids(r1.stdout);
  assert.ok(pids.length >= 1, `the log names the seed servers started\n${r1.stdout}`);
  assert.equal(pids.filter(alive), [], "every seed-server process the run started is gone");

  const ours = gh.comments.filter((c) => c.body.startsWith(MARKER_12) && c.login === "github-actions[bot]");
  assert.is(ours.length, 1, "one comment by the action");
  const body = ours[0]!.body;
  for (const expected of [
    "passed",
    "Smoke test",
    "GET /status answers 200 OK",
    "TLS: the listener presents the stack's certificate",
    "plain HTTP redirects to HTTPS",
    "flowchart LR", // the diagram, drawn from the stack the action synthesized
    "on the local engine ✅ passed", // the lifecycle's own report
    "| wait-healthy | ✅",
    "| down | ✅",
  ]) {
    assert.ok(body.includes(expected), `the comment shows ${expected}\n${body}`);
  }
  assert.not.ok(/PRIVATE KEY-----/.test(body), "no private key in the comment");
  assert.ok(r1.summary.includes("GET /status answers 200 OK"), "the job summary has the same report");

  // The next push, with the failover drill: same comment, updated in place, now with the drill.
  const second = localJob(ctx, gh, { drill: "on" });
  const r2 = await second.step("main", { deadlineMs: 90_000 });
  assert.is(r2.exitCode, 0, describe(r2));
  const patches = gh.requests.filter((q) => q.method === "PATCH");
  assert.is(patches.length, 1, "the second run edits the comment");
  assert.is(patches[0]!.path, `/repos/octo-org/webshop/issues/comments/${ours[0]!.id}`);
  assert.is(gh.comments.filter((c) => c.body.startsWith(MARKER_12)).length, 1, "still one comment");
  assert.equal(startedPids(r2.stdout).filter(alive), []);
  const updated = gh.comments.find((c) => c.id === ours[0]!.id)!.body;
  for (const expected of ["Failover drill: ✅ passed", "the process dies", "the health check fails while the process lives", "xychart-beta"]) {
    assert.ok(updated.includes(expected), `the updated comment shows ${expected}\n${updated}`);
  }

  const post = await second.step("post", { state: r2.state });
  assert.is(post.exitCode, 0, describe(post));
  assert.ok(post.stdout.includes("nothing left to destroy"), post.stdout);
});

test("a stack the app cannot synthesize fails the run as plan-failed with the app's own words, and reports it", async (ctx) => {
  const gh = await startGitHubStandIn({ token: TOKEN });
  ctx.gh.push(gh);
  const j = localJob(ctx, gh);
  // An invalid setting: the stacks app refuses it and names it.
  const bad = createJob({
    distDir: ctx.dist,
    apiUrl: gh.url,
    inputs: { "github-token": TOKEN, engine: "local", "working-directory": j.workspace },
    event: pullRequestEvent({ number: 12, action: "synchronize", createdAt: PR_CREATED }),
    env: { SEEDSTACK_ACTION_TEST_SPEEDUP: "10", SEEDSTACK_INSTANCE_TYPE: "no-such-type" },
  });
  ctx.jobs.push(bad);
  const r = await bad.step("main");
  assert.is(r.exitCode, 1, describe(r));
  assert.is(r.outputs["failure-reason"], "plan-failed");
  assert.ok(r.stdout.includes("::error::synthesizing or reading the stack failed"), `the step's error says what failed, in the local engine's words\n${r.stdout}`);
  assert.ok(r.stdout.includes("SEEDSTACK_INSTANCE_TYPE"), `the error names the setting\n${r.stdout}`);
  assert.ok(gh.comments.some((c) => c.body.startsWith(MARKER_12)), "the failure is reported on the PR");
});

test.run();
