/**
 * The bundled action's dealings with GitHub, run as GitHub runs it (`node main.mjs` / `post.mjs`
 * with INPUT_* variables, an event file and the runner's file commands) against the STAND-IN of
 * GitHub's REST API (test/github-stand-in/, GitHub's documented shapes) and the FAKE lifecycle
 * (action/test/fake-lifecycle.ts, passed in as the lifecycle port by the test entries in fake-entry/): the PR's
 * deployment and its statuses, the opt-in label, GitHub's 5xx and 403 answers, and events the
 * action does not handle. GitHub's backoff is scaled down by the SEEDSTACK_ACTION_TEST_GITHUB_SPEEDUP
 * seam (run-action.ts sets it), so no test waits real seconds.
 */
import * as assert from "uvu/assert";
import { bundledActionSuite, github, MARKER_12, PR_CREATED, TOKEN, type ActionSuiteContext } from "./bundled-action-suite.js";
import type { GitHubStandIn, StoredDeployment } from "../../test/github-stand-in/github-stand-in.js";
import { createJob, pullRequestEvent, readJournal, type Job, type JobOptions, type StepResult } from "./run-action.js";

type Ctx = ActionSuiteContext;
const test = bundledActionSuite<Ctx>("action and GitHub (bundled): deployments, label, retries, permissions, events", {}, undefined, "fake");

const HEAD_SHA = "4f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39";
const RUN_URL = "https://github.com/octo-org/webshop/actions/runs/987654321";
const COMMENTS_12 = /^\/repos\/octo-org\/webshop\/issues\/12\/comments$/;

function job(ctx: Ctx, gh: GitHubStandIn, scenario: string, inputs: Record<string, string> = {}, extra: Partial<JobOptions> = {}): Job {
  const j = createJob({
    distDir: ctx.dist,
    apiUrl: gh.url,
    scenario,
    inputs: { "github-token": TOKEN, engine: "terraform", ...inputs },
    event: pullRequestEvent({ number: 12, action: "synchronize", createdAt: PR_CREATED }),
    stackJson: { stack: "pr-12", fixture: "classic-with-database.cdk.tf.json" },
    ...extra,
  });
  ctx.jobs.push(j);
  return j;
}

function describe(r: StepResult): string {
  return `exit ${r.exitCode}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
}

const states = (d: StoredDeployment) => d.statuses.map((s) => s.state);
const ranLifecycle = (j: Job) => readJournal(j).some((e) => e.call === "runEnvironment");
const destroyedBy = (j: Job) => readJournal(j).some((e) => e.call === "destroyEnvironment");

test("deploy, then the PR closes: one transient deployment to pr-12, in_progress then success with the URL, then inactive", async (ctx) => {
  const gh = await github(ctx);
  const deploy = await job(ctx, gh, "success", { mode: "deploy" }).step("main");
  assert.is(deploy.exitCode, 0, describe(deploy));
  assert.is(gh.deployments.length, 1);
  const d = gh.deployments[0]!;
  assert.is(d.environment, "pr-12");
  assert.is(d.ref, HEAD_SHA, "the PR's head commit is deployed");
  assert.is(d.transient, true);
  assert.is(d.production, false);
  assert.is(d.autoMerge, false);
  assert.equal(d.requiredContexts, []);
  assert.equal(states(d), ["in_progress", "success"]);
  assert.is(d.statuses[1]!.environmentUrl, "https://seedstack-pr-12.example.test", "the URL is the deployment's environment_url");
  assert.is(d.statuses[1]!.logUrl, RUN_URL);

  const closed = await job(ctx, gh, "success", { mode: "destroy" }, { event: pullRequestEvent({ number: 12, action: "closed", createdAt: PR_CREATED }) }).step("main");
  assert.is(closed.exitCode, 0, describe(closed));
  assert.equal(states(d), ["in_progress", "success", "inactive"]);
  assert.is(gh.deployments.length, 1, "a destroy creates no deployment");
});

test("pr mode: success, then inactive once the run has destroyed it; a failed run's deployment shows failure", async (ctx) => {
  const gh = await github(ctx);
  const ok = await job(ctx, gh, "success").step("main");
  assert.is(ok.exitCode, 0, describe(ok));
  assert.equal(states(gh.deployments[0]!), ["in_progress", "success", "inactive"]);
  const failed = await job(ctx, gh, "smoke-failed").step("main");
  assert.is(failed.exitCode, 1, describe(failed));
  const d = gh.deployments[1]!;
  assert.equal(states(d), ["in_progress", "failure", "inactive"]);
  assert.match(d.statuses[1]!.description, "failed: smoke-failed");
});

test("cancelled: the deployment shows failure; the post step destroys the environment and marks it inactive", async (ctx) => {
  const gh = await github(ctx);
  const j = job(ctx, gh, "hang-until-cancelled");
  const main = await j.step("main", {
    whileRunning: async (child) => {
      while (!readJournal(j).some((e) => e.call === "waiting-for-cancel")) await new Promise((r) => setTimeout(r, 50));
      child.kill("SIGINT");
    },
  });
  assert.is(main.exitCode, 1, describe(main));
  assert.equal(states(gh.deployments[0]!), ["in_progress", "failure"]);
  const post = await j.step("post", { state: main.state });
  assert.is(post.exitCode, 0, describe(post));
  assert.equal(states(gh.deployments[0]!), ["in_progress", "failure", "inactive"]);
});

test("label input: an unlabelled PR gets nothing, another label's event does nothing, the label deploys, removing it destroys", async (ctx) => {
  const gh = await github(ctx);
  const inputs = { label: "preview", mode: "deploy" };

  const unlabelled = job(ctx, gh, "success", inputs);
  const r1 = await unlabelled.step("main");
  assert.is(r1.exitCode, 0, describe(r1));
  assert.match(r1.stdout, 'does not carry the "preview" label; add it to get an environment');
  assert.not.ok(ranLifecycle(unlabelled), "no environment without the label");
  assert.is(gh.requests.length, 0, "nor any GitHub call");

  const other = job(ctx, gh, "success", inputs, { event: pullRequestEvent({ number: 12, action: "labeled", createdAt: PR_CREATED, labels: ["bug"], label: "bug" }) });
  const r2 = await other.step("main");
  assert.is(r2.exitCode, 0, describe(r2));
  assert.match(r2.stdout, 'the label "bug" was added; only "preview" concerns seedstack');
  assert.not.ok(ranLifecycle(other) || destroyedBy(other), "another label's event does nothing");

  const labelled = job(ctx, gh, "success", inputs, { event: pullRequestEvent({ number: 12, action: "labeled", createdAt: PR_CREATED, labels: ["bug", "preview"], label: "preview" }) });
  const r3 = await labelled.step("main");
  assert.is(r3.exitCode, 0, describe(r3));
  assert.ok(ranLifecycle(labelled), "labelled: deployed");
  assert.is(gh.comments.filter((c) => c.body.startsWith(MARKER_12)).length, 1);
  assert.equal(states(gh.deployments[0]!), ["in_progress", "success"]);

  const push = job(ctx, gh, "success", inputs, { event: pullRequestEvent({ number: 12, action: "synchronize", createdAt: PR_CREATED, labels: ["preview"] }) });
  assert.is((await push.step("main")).exitCode, 0);
  assert.ok(ranLifecycle(push), "a push to a labelled PR updates its environment");

  // The workflow computes mode deploy for every event but `closed`: removing the label must destroy anyway.
  const removed = job(ctx, gh, "success", inputs, { event: pullRequestEvent({ number: 12, action: "unlabeled", createdAt: PR_CREATED, labels: ["bug"], label: "preview" }) });
  const r4 = await removed.step("main");
  assert.is(r4.exitCode, 0, describe(r4));
  assert.ok(destroyedBy(removed), "removing the label destroys");
  assert.not.ok(ranLifecycle(removed));
  assert.match(r4.stdout, 'label was removed from pull request #12: destroying its environment');
  for (const d of gh.deployments) assert.is(states(d).at(-1), "inactive", `deployment ${d.id} marked inactive`);
  assert.match(gh.comments.find((c) => c.body.startsWith(MARKER_12))!.body, "destroyed");
});

test("without the label input, label events do nothing and every PR deploys", async (ctx) => {
  const gh = await github(ctx);
  const labelEvent = job(ctx, gh, "success", { mode: "deploy" }, { event: pullRequestEvent({ number: 12, action: "labeled", createdAt: PR_CREATED, labels: ["preview"], label: "preview" }) });
  const r = await labelEvent.step("main");
  assert.is(r.exitCode, 0, describe(r));
  assert.not.ok(ranLifecycle(labelEvent) || destroyedBy(labelEvent));
  const plain = job(ctx, gh, "success", { mode: "deploy" });
  assert.is((await plain.step("main")).exitCode, 0);
  assert.ok(ranLifecycle(plain), "an unlabelled PR deploys when no label is asked for");
});

test("a 500, then success, on creating the comment: retried, the run passes, one comment", async (ctx) => {
  const gh = await github(ctx);
  gh.failNext("POST", COMMENTS_12, 1, 500);
  const r = await job(ctx, gh, "success").step("main");
  assert.is(r.exitCode, 0, describe(r));
  assert.is(gh.requests.filter((q) => q.method === "POST" && COMMENTS_12.test(q.path)).length, 2, "created on the second attempt");
  assert.is(gh.comments.filter((c) => c.body.startsWith(MARKER_12)).length, 1);
  assert.not.match(r.stdout, "::warning::the PR comment");
});

test("a 500 on listing the comments, then success: retried, the run passes", async (ctx) => {
  const gh = await github(ctx);
  gh.failNext("GET", COMMENTS_12, 2, 503, "Service Unavailable");
  const r = await job(ctx, gh, "success").step("main");
  assert.is(r.exitCode, 0, describe(r));
  assert.is(gh.comments.filter((c) => c.body.startsWith(MARKER_12)).length, 1);
});

test("a persistent 500: the run's verdict is the environment's, with a warning and a note in the job summary", async (ctx) => {
  const gh = await github(ctx);
  gh.failNext("POST", COMMENTS_12, 1000, 500);
  const passed = await job(ctx, gh, "success").step("main");
  assert.is(passed.exitCode, 0, `an environment that passed is not failed by the comment\n${describe(passed)}`);
  assert.match(passed.stdout, "::warning::the PR comment could not be written: Server Error (HTTP 500 from POST /repos/octo-org/webshop/issues/12/comments), still failing after the retries");
  assert.match(passed.summary, "the PR comment could not be written");
  assert.match(passed.summary, "The job's result is the environment's");
  assert.match(passed.summary, "3 to add", "the report itself is in the summary");

  const failed = await job(ctx, gh, "smoke-failed").step("main");
  assert.is(failed.exitCode, 1, "a failed environment still fails the job");
  assert.match(failed.stdout, "::error::the smoke test failed");
  assert.match(failed.stdout, "::warning::the PR comment could not be written");
});

test("a token without pull-requests: write: the warning names the permission and the 403; the run passes", async (ctx) => {
  const gh = await github(ctx);
  gh.forbid("comments");
  const r = await job(ctx, gh, "success").step("main");
  assert.is(r.exitCode, 0, describe(r));
  assert.match(r.stdout, "::warning::the PR comment could not be written: Resource not accessible by integration (HTTP 403 from POST /repos/octo-org/webshop/issues/12/comments)");
  assert.match(r.stdout, "grant `pull-requests: write`");
  assert.match(r.summary, "pull-requests: write");
});

test("a token without deployments: write: the warning names the permission and the 403; the comment and the run go on", async (ctx) => {
  const gh = await github(ctx);
  gh.forbid("deployments");
  const r = await job(ctx, gh, "success", { mode: "deploy" }).step("main");
  assert.is(r.exitCode, 0, describe(r));
  assert.match(r.stdout, "::warning::the GitHub deployment could not be created: Resource not accessible by integration (HTTP 403 from POST /repos/octo-org/webshop/deployments)");
  assert.match(r.stdout, "grant `deployments: write`");
  assert.is(gh.deployments.length, 0);
  assert.is(gh.comments.filter((c) => c.body.startsWith(MARKER_12)).length, 1, "the comment is still written");
});

test("the post step retries too: a 502 on updating the comment after a cancelled run, then success", async (ctx) => {
  const gh = await github(ctx);
  const j = job(ctx, gh, "destroy-incomplete");
  gh.seedComment(12, "github-actions[bot]", `${MARKER_12}\nthe main step's report`);
  gh.failNext("PATCH", /^\/repos\/octo-org\/webshop\/issues\/comments\/\d+$/, 1, 502, "Bad Gateway");
  const record = { engine: "terraform", stack: "pr-12", environment: "seedstack-pr-12", workingDirectory: j.workspace, prNumber: 12 };
  const target = { stack: "pr-12", engine: "terraform", mode: "pr", prNumber: 12, comment: true };
  const post = await j.step("post", { state: { "pending-destroy": JSON.stringify(record), "report-target": JSON.stringify(target) } });
  assert.is(post.exitCode, 1, `the unfinished destroy decides the post step\n${describe(post)}`);
  assert.is(gh.requests.filter((q) => q.method === "PATCH").length, 2);
  assert.match(gh.comments[0]!.body, "recorded for the sweeper");
  assert.not.match(post.stdout, "seedstack post step failed");
});

test("a push event (no pull request, no pr-number) says what the action expects; nothing is run", async (ctx) => {
  const gh = await github(ctx);
  const j = job(ctx, gh, "success", {}, { event: { ref: "refs/heads/main", after: HEAD_SHA, repository: { full_name: "octo-org/webshop" } }, eventName: "push" });
  const r = await j.step("main");
  assert.is(r.exitCode, 1, describe(r));
  assert.match(r.stdout, "::error::seedstack: the `push` event names no pull request, and the pr-number input is not set");
  assert.match(r.stdout, "The action expects a `pull_request` event");
  assert.not.match(r.stdout, "invalid inputs");
  assert.is(readJournal(j).length, 0);
  assert.is(gh.requests.length, 0);
});

test("workflow_dispatch: without pr-number it says what it expects; with pr-number it runs for that PR", async (ctx) => {
  const gh = await github(ctx);
  const dispatch = { inputs: {}, ref: "refs/heads/main", repository: { full_name: "octo-org/webshop" } };
  const without = job(ctx, gh, "success", {}, { event: dispatch, eventName: "workflow_dispatch" });
  const r1 = await without.step("main");
  assert.is(r1.exitCode, 1, describe(r1));
  assert.match(r1.stdout, "the `workflow_dispatch` event names no pull request");
  assert.is(readJournal(without).length, 0);

  const withPr = job(ctx, gh, "success", { "pr-number": "12" }, { event: dispatch, eventName: "workflow_dispatch" });
  const r2 = await withPr.step("main");
  assert.is(r2.exitCode, 0, describe(r2));
  assert.ok(ranLifecycle(withPr));
  assert.is(gh.deployments[0]!.ref, "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a291807", "without a PR head in the event, GITHUB_SHA is deployed");
});

test.run();
