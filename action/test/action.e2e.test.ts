/**
 * The bundled action, run as GitHub runs it: `node main.mjs` then `node post.mjs` with INPUT_*
 * variables, an event file and the runner's file commands, talking to a STAND-IN of GitHub's REST
 * API (test/github-stand-in/) over HTTP, with the FAKE lifecycle (fake-lifecycle.ts) passed in as the
 * lifecycle port by test entry points (fake-entry/), the scenario named by an environment variable
 * only those entries read: scenarios the real lifecycle cannot produce
 * on this machine (AWS-shaped plans and outputs, a destroy cut off half-way, a report too long for a
 * comment), and the action's own logic (comment lookup, outputs, masking, inputs) without waiting
 * for a real environment. The real lifecycle through the bundle: real-local.e2e.test.ts and
 * real-terraform.e2e.test.ts. The bundle is built fresh from the source into a temporary folder first.
 */
import * as assert from "uvu/assert";
import { bundledActionSuite, github, MARKER_12, PR_CREATED, TOKEN, type ActionSuiteContext } from "./bundled-action-suite.js";
import type { GitHubStandIn } from "../../test/github-stand-in/github-stand-in.js";
import { FAKE_HANDOVER } from "./fake-lifecycle.js";
import { createJob, pullRequestEvent, readJournal, waitFor, type Job, type JobOptions, type StepResult } from "./run-action.js";

/** The secret of the fake lifecycle's sensitive output (a literal here, on purpose). */
const SECRET = "fake-db-password-7c1e9";

type Ctx = ActionSuiteContext;
const test = bundledActionSuite<Ctx>("action (bundled, as GitHub runs it)", {}, undefined, "fake");

function job(ctx: Ctx, gh: GitHubStandIn, scenario: string, inputs: Record<string, string> = {}, extra: Partial<JobOptions> = {}): Job {
  const j = createJob({
    distDir: ctx.dist,
    apiUrl: gh.url,
    scenario,
    inputs: { "github-token": TOKEN, engine: "local", ...inputs },
    event: pullRequestEvent({ number: 12, action: "synchronize", createdAt: PR_CREATED }),
    stackJson: { stack: "pr-12", fixture: "classic-with-database.cdk.tf.json" },
    ...extra,
  });
  ctx.jobs.push(j);
  return j;
}

function commentsWithMarker(gh: GitHubStandIn, marker: string) {
  return gh.comments.filter((c) => c.body.startsWith(marker));
}

function describe(r: StepResult): string {
  return `exit ${r.exitCode}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
}

function assertNoSecrets(text: string, where: string): void {
  assert.not.ok(text.includes(SECRET), `${where} shows the sensitive output's value`);
  assert.not.ok(/PRIVATE KEY-----/.test(text), `${where} shows a private key block`);
}

test("pr mode: the comment is created, then updated in place by the next run; outputs and summary written", async (ctx) => {
  const gh = await github(ctx);
  // 120 comments by people push ours onto the second page; an impostor copied our marker.
  for (let i = 0; i < 120; i++) gh.seedComment(12, "mona", `comment ${i}`);
  const impostor = gh.seedComment(12, "mallory", `${MARKER_12}\nnot from the action`);

  const inputs = { "lock-timeout": "2m", "terraform-args": '-parallelism=4 -var "note=a b"', ttl: "6h" };
  const first = await job(ctx, gh, "success", inputs).step("main");
  assert.is(first.exitCode, 0, describe(first));
  const ours = commentsWithMarker(gh, MARKER_12).filter((c) => c.login === "github-actions[bot]");
  assert.is(ours.length, 1, "one comment by the action");
  const id = ours[0]!.id;
  assert.ok(gh.requests.some((r) => r.method === "GET" && r.query.page === "2"), "the listing followed the Link header to page 2");
  assert.ok(gh.requests.some((r) => r.method === "POST" && r.path === "/graphql"), "asked GraphQL who the token is");

  // Outputs, as the requirements name them.
  assert.is(first.outputs.url, "https://seedstack-pr-12.example.test");
  assert.is(first.outputs.environment, "seedstack-pr-12");
  assert.is(first.outputs["has-changes"], "true");
  assert.is(first.outputs["to-add"], "3");
  assert.is(first.outputs["to-change"], "1");
  assert.is(first.outputs["to-destroy"], "0");
  assert.is(first.outputs["smoke-result"], "passed");
  assert.is(first.outputs["failure-reason"], "");
  const outputsJson = JSON.parse(first.outputs["outputs-json"]!);
  assert.equal(outputsJson.instance_ids, ["i-0123456789abcdef0", "i-0fedcba9876543210"]);
  assert.is(outputsJson.database_password, "(sensitive)");
  assert.ok(first.stdout.includes(`::add-mask::${SECRET}`), "the sensitive value is masked with the runner");

  // What the lifecycle was asked for.
  const [call] = readJournal(ctx.jobs[0]!).filter((e) => e.call === "runEnvironment");
  const request = (call as { request: Record<string, unknown> }).request;
  assert.is(request.stack, "pr-12");
  assert.is(request.prNumber, 12);
  assert.is(request.createdAt, PR_CREATED, "tagged with the PR's own creation time");
  assert.is(request.mode, "pr");
  assert.is(request.lockTimeoutSeconds, 120);
  assert.is(request.ttlHours, 6);
  assert.equal(request.extraArgs, ["-parallelism=4", "-var", "note=a b"]);
  assert.is(request.workingDirectory, ctx.jobs[0]!.workspace);

  // The comment's content.
  const body = ours[0]!.body;
  for (const expected of ["passed: applied, smoke-tested and destroyed", "3 to add, 1 to change, 0 to destroy", "aws_lb.lb_alb_3A88C95E", "```mermaid", "flowchart LR", "RDS postgres", "sg 5432", "| GET /status | ✅ pass | 42 ms |", "Cost per hour, on paper", "EC2 t3.micro", "https://github.com/octo-org/webshop/actions/runs/987654321", "4f2a9c1e8b7d"]) {
    assert.ok(body.includes(expected), `the comment shows ${expected}`);
  }
  assertNoSecrets(body, "the comment");
  assert.ok(first.summary.includes("3 to add, 1 to change, 0 to destroy"), "the job summary has the same report");
  assertNoSecrets(first.summary, "the job summary");
  assert.is(first.state["pending-destroy"], "", "nothing left for the post step");

  // The next push: same comment, updated in place.
  const second = await job(ctx, gh, "no-changes").step("main");
  assert.is(second.exitCode, 0, describe(second));
  assert.is(commentsWithMarker(gh, MARKER_12).filter((c) => c.login === "github-actions[bot]").length, 1, "still one comment by the action");
  const patches = gh.requests.filter((r) => r.method === "PATCH");
  assert.is(patches.length, 1);
  assert.is(patches[0]!.path, `/repos/octo-org/webshop/issues/comments/${id}`);
  assert.ok(gh.comments.find((c) => c.id === id)!.body.includes("No changes"), "the comment now shows the new run");
  assert.is(gh.comments.find((c) => c.id === impostor.id)!.body, `${MARKER_12}\nnot from the action`, "another account's comment is never edited");
  assert.is(second.outputs["has-changes"], "false");

  // The post step after a clean run: nothing to do, no API calls.
  const before = gh.requests.length;
  const post = await ctx.jobs[1]!.step("post", { state: second.state });
  assert.is(post.exitCode, 0, describe(post));
  assert.ok(post.stdout.includes("nothing left to destroy"));
  assert.is(gh.requests.length, before);
});

test("deploy mode: the environment stays; the post step leaves it alone", async (ctx) => {
  const gh = await github(ctx);
  const j = job(ctx, gh, "success", { mode: "deploy", engine: "terraform" });
  const main = await j.step("main");
  assert.is(main.exitCode, 0, describe(main));
  assert.is(main.state["pending-destroy"], "", "the record saved while applying is cleared: the environment is meant to stay");
  const body = commentsWithMarker(gh, MARKER_12)[0]!.body;
  assert.ok(body.includes("✅ ready"));
  assert.ok(body.includes("| URL | https://seedstack-pr-12.example.test |"));
  assert.not.ok(body.includes("Teardown"));
  const post = await j.step("post", { state: main.state });
  assert.is(post.exitCode, 0, describe(post));
  assert.not.ok(readJournal(j).some((e) => e.call === "destroyEnvironment"));
});

test("apply failure: the job fails, the failure and the destroy that followed are reported", async (ctx) => {
  const gh = await github(ctx);
  // The scenario's failure is a terraform one (the local engine words its own failures differently).
  const r = await job(ctx, gh, "apply-failed", { engine: "terraform" }).step("main");
  assert.is(r.exitCode, 1, describe(r));
  assert.is(r.outputs["failure-reason"], "apply-failed");
  assert.is(r.outputs["smoke-result"], "skipped");
  const body = commentsWithMarker(gh, MARKER_12)[0]!.body;
  assert.ok(body.includes("terraform apply failed"));
  assert.ok(body.includes("DuplicateTargetGroupName"));
  assert.ok(body.includes("Teardown: ✅ destroyed, nothing left"));
  assert.ok(r.stdout.includes("::error::terraform apply failed"), "the step's error names the failure");
});

test("smoke failure: the job fails, the failing check and its latency are shown, the environment is destroyed", async (ctx) => {
  const gh = await github(ctx);
  const r = await job(ctx, gh, "smoke-failed").step("main");
  assert.is(r.exitCode, 1, describe(r));
  assert.is(r.outputs["smoke-result"], "failed");
  assert.is(r.outputs["failure-reason"], "smoke-failed");
  const body = commentsWithMarker(gh, MARKER_12)[0]!.body;
  assert.ok(body.includes("Smoke test: ❌ failed"));
  assert.ok(body.includes('| GET / (seed) | ❌ fail | 12 ms | expected body 100, got "100" |'));
  assert.ok(body.includes("Teardown: ✅ destroyed"));
});

test("a comment GitHub refuses does not hide the run's verdict: the smoke failure is the step's error, the comment a warning", async (ctx) => {
  const gh = await github(ctx);
  const r = await job(ctx, gh, "smoke-failed", { "github-token": "ghs_revokedtoken" }).step("main");
  assert.is(r.exitCode, 1, describe(r));
  assert.ok(r.stdout.includes("::error::the smoke test failed"), r.stdout);
  assert.ok(r.stdout.includes("::warning::the PR comment could not be written: Bad credentials"), r.stdout);
  assert.is(r.outputs["failure-reason"], "smoke-failed");
  assert.ok(r.summary.includes("Smoke test: ❌ failed"), "the job summary is still written");
});

test("cancellation: SIGINT to the main step aborts the lifecycle and saves what to destroy; the post step destroys it", async (ctx) => {
  const gh = await github(ctx);
  const j = job(ctx, gh, "hang-until-cancelled");
  const main = await j.step("main", {
    whileRunning: async (child) => {
      await waitFor("the fake lifecycle to start its apply", () => readJournal(j).some((e) => e.call === "waiting-for-cancel"));
      child.kill("SIGINT");
    },
  });
  assert.is(main.signal, null, `the main step ended by itself after SIGINT\n${describe(main)}`);
  assert.is(main.exitCode, 1, describe(main));
  assert.is(main.outputs["failure-reason"], "cancelled");
  assert.ok(readJournal(j).some((e) => e.call === "apply-interrupted" && e.cancelled === true), "the lifecycle saw the abort");
  const saved = JSON.parse(main.state["pending-destroy"]!);
  assert.is(saved.stack, "pr-12");
  assert.is(saved.workingDirectory, j.workspace, "where to destroy it travels to the post step");
  const commentId = commentsWithMarker(gh, MARKER_12)[0]!.id;

  const post = await j.step("post", { state: main.state });
  assert.is(post.exitCode, 0, describe(post));
  const destroy = readJournal(j).find((e) => e.call === "destroyEnvironment") as { record: Record<string, unknown> } | undefined;
  assert.ok(destroy, "the post step destroyed the environment");
  assert.is(destroy!.record.stack, "pr-12");
  assert.is(destroy!.record.createdAt, PR_CREATED);
  assert.is(commentsWithMarker(gh, MARKER_12).length, 1);
  const body = gh.comments.find((c) => c.id === commentId)!.body;
  assert.ok(body.includes("the run was cancelled"), "the main step's report is kept");
  assert.ok(body.includes("Cleanup after the cancelled run"), "the post step's section is added");
  assert.ok(body.includes("✅ destroyed, nothing left"));
  assert.ok(post.summary.includes("Cleanup after the cancelled run"));
});

test("a main step killed outright (no chance to clean up) has already saved what the post step must destroy", async (ctx) => {
  const gh = await github(ctx);
  const j = job(ctx, gh, "hang-until-cancelled");
  const main = await j.step("main", {
    whileRunning: async (child) => {
      await waitFor("the fake lifecycle to start its apply", () => readJournal(j).some((e) => e.call === "waiting-for-cancel"));
      child.kill("SIGKILL");
    },
  });
  assert.is(main.signal, "SIGKILL");
  assert.is(JSON.parse(main.state["pending-destroy"]!).stack, "pr-12", "saved when resources appeared, before the end");
  const post = await j.step("post", { state: main.state });
  assert.is(post.exitCode, 0, describe(post));
  assert.ok(post.stdout.includes("the main step did not finish (cancelled or killed)"), post.stdout);
  assert.ok(readJournal(j).some((e) => e.call === "destroyEnvironment"));
});

test("post step: what it cannot finish is recorded for the sweeper and said in the log", async (ctx) => {
  const gh = await github(ctx);
  const j = job(ctx, gh, "destroy-incomplete");
  const record = { engine: "local", stack: "pr-12", workingDirectory: j.workspace, prNumber: 12 };
  const target = { stack: "pr-12", engine: "local", mode: "pr", prNumber: 12, comment: true };
  const post = await j.step("post", { state: { "pending-destroy": JSON.stringify(record), "report-target": JSON.stringify(target) } });
  assert.is(post.exitCode, 1, describe(post));
  const recorded = readJournal(j).find((e) => e.call === "recordForSweeper") as { record: Record<string, unknown>; reason: string } | undefined;
  assert.ok(recorded, "recorded for the sweeper");
  assert.is(recorded!.record.stack, "pr-12");
  assert.ok(post.stdout.includes("recorded for the sweeper"));
  assert.ok(post.stdout.includes("aws_db_instance.database_instance_D7FC2283"), "the log names what is left");
  assert.ok(commentsWithMarker(gh, MARKER_12)[0]!.body.includes("recorded for the sweeper"));
});

test("post step with a state bucket: what it cannot finish is handed over beside the state, and the job summary and the comment say where", async (ctx) => {
  const gh = await github(ctx);
  const j = job(ctx, gh, "destroy-handed-over");
  const record = { engine: "terraform", stack: "pr-12", workingDirectory: j.workspace, prNumber: 12 };
  const target = { stack: "pr-12", engine: "terraform", mode: "pr", prNumber: 12, comment: true };
  const post = await j.step("post", { state: { "pending-destroy": JSON.stringify(record), "report-target": JSON.stringify(target) } });
  assert.is(post.exitCode, 1, describe(post));
  assert.ok(post.stdout.includes(`handed over to the sweeper (${FAKE_HANDOVER})`), post.stdout);
  assert.ok(post.summary.includes(`handed over to the sweeper through the state bucket (\`${FAKE_HANDOVER}\`)`), post.summary);
  assert.ok(commentsWithMarker(gh, MARKER_12)[0]!.body.includes(FAKE_HANDOVER));
});

test("lock contention: the job fails saying who holds the lock; nothing was created or destroyed", async (ctx) => {
  const gh = await github(ctx);
  const j = job(ctx, gh, "state-locked");
  const r = await j.step("main");
  assert.is(r.exitCode, 1, describe(r));
  assert.is(r.outputs["failure-reason"], "state-locked");
  const body = commentsWithMarker(gh, MARKER_12)[0]!.body;
  assert.ok(body.includes("the terraform state is locked by another run"));
  assert.ok(body.includes("held by runner@fv-az123"));
  assert.ok(!readJournal(j).some((e) => e.call === "destroyEnvironment"));
  assert.is(r.state["pending-destroy"] ?? "", "");
});

test("a report over 65,536 characters is cut with a marker and a link to the run; the job summary keeps it whole", async (ctx) => {
  const gh = await github(ctx);
  const r = await job(ctx, gh, "huge-report").step("main");
  assert.is(r.exitCode, 0, describe(r));
  const body = commentsWithMarker(gh, MARKER_12)[0]!.body;
  assert.ok(body.length <= 65_536, `comment is ${body.length} characters`);
  assert.ok(body.includes("Report truncated"));
  assert.ok(body.includes("(https://github.com/octo-org/webshop/actions/runs/987654321)"));
  assert.ok(r.summary.length > 65_536, "the summary (limit 1 MiB) is not cut");
  assert.not.ok(r.summary.includes("Report truncated"));
});

test("a pull request from a fork is not deployed and gets a comment saying why", async (ctx) => {
  const gh = await github(ctx);
  const j = job(ctx, gh, "success", {}, { event: pullRequestEvent({ number: 12, action: "opened", createdAt: PR_CREATED, headRepo: "mallory/webshop" }) });
  const r = await j.step("main");
  assert.is(r.exitCode, 0, describe(r));
  assert.is(readJournal(j).length, 0, "the lifecycle was not called");
  const body = commentsWithMarker(gh, MARKER_12)[0]!.body;
  assert.ok(body.includes("the fork `mallory/webshop`"));
  assert.ok(body.includes("no environment is built"));
});

test("mode destroy (PR closed) destroys the environment by its record and reports it", async (ctx) => {
  const gh = await github(ctx);
  const j = job(ctx, gh, "success", { mode: "destroy" }, { event: pullRequestEvent({ number: 12, action: "closed", createdAt: PR_CREATED }) });
  const r = await j.step("main");
  assert.is(r.exitCode, 0, describe(r));
  const destroy = readJournal(j).find((e) => e.call === "destroyEnvironment") as { record: Record<string, unknown> };
  assert.equal(destroy.record, { engine: "local", stack: "pr-12", workingDirectory: j.workspace, prNumber: 12, createdAt: PR_CREATED });
  assert.ok(commentsWithMarker(gh, MARKER_12)[0]!.body.includes("🗑️ destroyed"));
  assert.is(r.state["pending-destroy"], "");
});

test("mode sweep runs the sweeper and reports in the job summary", async (ctx) => {
  const gh = await github(ctx);
  const j = job(ctx, gh, "success", { mode: "sweep", "github-token": "" }, { event: { schedule: "17 * * * *" }, eventName: "schedule" });
  const r = await j.step("main");
  assert.is(r.exitCode, 0, describe(r));
  assert.ok(readJournal(j).some((e) => e.call === "sweep"));
  assert.ok(r.summary.includes("| `seedstack-pr-7` | 2026-11-29 08:00:00 UTC | destroyed |"));
  assert.is(gh.requests.length, 0, "a sweep does not talk to the issues API");
});

test("comment off: the report goes to the job summary only, no call to the comments API", async (ctx) => {
  const gh = await github(ctx);
  const r = await job(ctx, gh, "success", { comment: "off" }).step("main");
  assert.is(r.exitCode, 0, describe(r));
  assert.is(gh.requests.filter((q) => q.path.includes("/comments") || q.path === "/graphql" || q.path === "/user").length, 0);
  assert.ok(gh.requests.length > 0, "the PR's deployment is still recorded (comment off is about the comment only)");
  assert.ok(r.summary.includes("3 to add"));
});

test("drill on: the lifecycle is asked for it, and a drill mode the engine cannot cause is in the report with why", async (ctx) => {
  const gh = await github(ctx);
  const j = job(ctx, gh, "success", { drill: "on" });
  const r = await j.step("main");
  assert.is(r.exitCode, 0, describe(r));
  assert.is((readJournal(j)[0] as { request: { drill: boolean } }).request.drill, true);
  const body = commentsWithMarker(gh, MARKER_12)[0]!.body;
  assert.ok(body.includes("Failover drill: ⏭️ skipped"), body);
  assert.ok(body.includes("skipped health-fails on the fake engine: it has no processes"), body);
});

test("a personal access token: its account is found through GET /user when GraphQL refuses", async (ctx) => {
  const gh = await github(ctx, { login: "seedstack-bot", kind: "pat", graphql: false });
  const earlier = gh.comments.length;
  const r = await job(ctx, gh, "success").step("main");
  assert.is(r.exitCode, 0, describe(r));
  assert.ok(gh.requests.some((q) => q.method === "GET" && q.path === "/user"));
  assert.is(gh.comments.length, earlier + 1);
  assert.is(gh.comments.at(-1)!.login, "seedstack-bot");
});

test("when GitHub answers neither GraphQL nor GET /user, the workflow token's account is assumed, with a warning", async (ctx) => {
  const gh = await github(ctx, { login: "github-actions[bot]", kind: "installation", graphql: false });
  const r = await job(ctx, gh, "success").step("main");
  assert.is(r.exitCode, 0, describe(r));
  assert.ok(r.stdout.includes("::warning::could not ask GitHub which account the token belongs to"), r.stdout);
  assert.is(commentsWithMarker(gh, MARKER_12).length, 1);
});

test("bad inputs: every problem named at once, the lifecycle never called", async (ctx) => {
  const gh = await github(ctx);
  const j = job(ctx, gh, "success", { engine: "cloud", "lock-timeout": "soon", drill: "maybe" });
  const r = await j.step("main");
  assert.is(r.exitCode, 1, describe(r));
  assert.ok(r.stdout.includes('engine: \\"cloud\\" is not allowed') || r.stdout.includes('engine: "cloud" is not allowed'), r.stdout);
  assert.ok(r.stdout.includes("lock-timeout"));
  assert.ok(r.stdout.includes("drill"));
  assert.is(readJournal(j).length, 0);
});

test.run();
