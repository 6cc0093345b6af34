/**
 * The bundled action with the REAL terraform binary on the terraform engine, run as GitHub runs it,
 * talking to the STAND-IN of GitHub's REST API (test/github-stand-in/). The stacks are the terraform
 * engine's FIXTURE stacks (`terraform_data` only, local state, no provider, no AWS:
 * lifecycle/terraform/test-support/fixture-stacks.ts), in a directory the TEST-ONLY seam
 * SEEDSTACK_ACTION_TEST_TERRAFORM_DIR names (as `seedstack --terraform-dir` does). What the run
 * expects is read from a real synthesized stack (fixtures/classic-with-database.cdk.tf.json) put
 * where synthesis would write `cdktf.out/stacks/pr-12/cdk.tf.json`; SEEDSTACK_ACTION_TEST_USE_SYNTHESIZED
 * tells the action to use it instead of synthesizing. The smoke test runs against a real
 * seed-server process named by the fixture's `url` output; its `instance_ids` output says one target.
 *
 * Not covered here: our AWS stacks applied for real, S3 state and its lock, the ALB's health wait
 * and the EC2 drill (the fixtures output no target group: both are skipped, said so; the engine's
 * own suite, lifecycle/terraform/terraform-engine.test.ts, runs them against mocked AWS clients).
 */
import * as assert from "uvu/assert";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { join } from "node:path";
import { seedServerBundlePath } from "../../seed-server/bundle-path.js";
import { applyArgs, initArgs, planArgs } from "../../lifecycle/terraform/args.js";
import { liveTerraformProcesses, runTerraform } from "../../lifecycle/terraform/run-terraform.js";
import { lockHolderName } from "../../lifecycle/terraform/state-lock.js";
import { applyErrorStack, happyStack, sleepingStack } from "../../lifecycle/terraform/test-support/fixture-stacks.js";
import { killLiveTerraform, TERRAFORM_AVAILABLE } from "../../lifecycle/terraform/test-support/workspace.js";
import { bundledActionSuite, github, MARKER_12, PR_CREATED, TOKEN, type ActionSuiteContext } from "./bundled-action-suite.js";
import type { GitHubStandIn } from "../../test/github-stand-in/github-stand-in.js";
import { createJob, pullRequestEvent, waitFor, type Job, type JobOptions, type StepResult } from "./run-action.js";


interface Ctx extends ActionSuiteContext {
  children: ChildProcess[];
}
const test = bundledActionSuite<Ctx>("action with the real terraform engine on fixture stacks (bundled, as GitHub runs it)", { children: [] }, (ctx) => {
  killLiveTerraform();
  for (const c of ctx.children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  ctx.children = [];
});
const tfTest = TERRAFORM_AVAILABLE ? test : test.skip;

function describe(r: StepResult): string {
  return `exit ${r.exitCode}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
}

/** A job whose workspace holds a synthesized pr-12 stack, and `stack` in the directory terraform runs in. */
function tfJob(ctx: Ctx, gh: GitHubStandIn, stack: object, inputs: Record<string, string> = {}, extra: Partial<JobOptions> = {}): Job {
  const j = createJob({
    distDir: ctx.dist,
    apiUrl: gh.url,
    inputs: { "github-token": TOKEN, engine: "terraform", "lock-timeout": "1s", ...inputs },
    event: pullRequestEvent({ number: 12, action: "synchronize", createdAt: PR_CREATED }),
    env: { SEEDSTACK_ACTION_TEST_USE_SYNTHESIZED: "1", SEEDSTACK_ACTION_TEST_TERRAFORM_DIR: FIXTURE_DIR },
    ...extra,
    stackJson: { stack: "pr-12", fixture: "classic-with-database.cdk.tf.json" },
  });
  mkdirSync(stackDir(j), { recursive: true });
  writeFileSync(join(stackDir(j), "cdk.tf.json"), JSON.stringify(stack, null, 2));
  ctx.jobs.push(j);
  return j;
}

/** Where terraform runs, relative to the working directory: the FIXTURE stack's directory. */
const FIXTURE_DIR = "terraform-fixture";
const stackDir = (j: Job) => join(j.workspace, FIXTURE_DIR);

/** The fixture's outputs for a run against `url`: one target. */
const oneTarget = (url: string) => ({ url: { value: url }, instance_ids: { value: ["i-fixture"] } });

/** Resource names in the fixture's local state. */
function stateResources(j: Job): string[] {
  const path = join(stackDir(j), "terraform.tfstate");
  if (!existsSync(path)) return [];
  return (JSON.parse(readFileSync(path, "utf8")) as { resources: { name: string }[] }).resources.map((r) => r.name);
}

function comment(gh: GitHubStandIn): string {
  const ours = gh.comments.filter((c) => c.body.startsWith(MARKER_12));
  assert.is(ours.length, 1, "one comment for the environment");
  return ours[0]!.body;
}

/** A real seed server on a free loopback port: what the fixture's `url` output points at. */
async function seedServer(ctx: Ctx): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  const child = spawn(process.execPath, [seedServerBundlePath(), "--port", String(port), "--host", "127.0.0.1", "--instance-id", "i-fixture", "--quiet", "--drain-seconds", "0"], { stdio: "ignore" });
  ctx.children.push(child);
  const url = `http://127.0.0.1:${port}`;
  let up = false;
  await waitFor("the seed server to answer GET /status", () => {
    fetch(`${url}/status`).then((r) => (up ||= r.ok), () => undefined);
    return up;
  }, 20_000);
  return url;
}

tfTest("deploy applies and smoke-tests a real seed server; the next pr run plans no changes, smoke-tests, destroys, and updates the comment in place", async (ctx) => {
  const gh = await github(ctx);
  const url = await seedServer(ctx);
  const stack = { ...happyStack(), output: { ...oneTarget(url), secret_token: { value: "fixture-secret-3b9d", sensitive: true } } };

  const deploy = tfJob(ctx, gh, stack, { mode: "deploy" });
  const r1 = await deploy.step("main");
  assert.is(r1.exitCode, 0, describe(r1));
  assert.is(r1.outputs["has-changes"], "true");
  assert.is(r1.outputs["to-add"], "2");
  assert.is(r1.outputs.url, url);
  assert.is(r1.outputs["smoke-result"], "passed");
  assert.is(JSON.parse(r1.outputs["outputs-json"]!).secret_token, "(sensitive)");
  assert.ok(r1.stdout.includes("::add-mask::fixture-secret-3b9d"), "the sensitive output is masked with the runner");
  assert.is(r1.state["pending-destroy"], "", "a deployed environment is meant to stay");
  assert.equal(stateResources(deploy).sort(), ["lb", "web"]);
  const body1 = comment(gh);
  assert.ok(r1.stdout.includes("not waiting for healthy targets: the stack has no target_group_arn output"), "the skipped wait is said in the log");
  for (const expected of ["2 to add, 0 to change, 0 to destroy", "terraform_data.web", "GET /status answers 200 OK", "on the terraform engine ✅ passed"]) {
    assert.ok(body1.includes(expected), `the comment shows ${expected}\n${body1}`);
  }
  assert.not.ok(body1.includes("fixture-secret-3b9d"));

  // The next run (pr mode) of the same environment, from the same working directory: the state already matches.
  const next = tfJob(ctx, gh, stack, { "working-directory": deploy.workspace });
  const r2 = await next.step("main");
  assert.is(r2.exitCode, 0, describe(r2));
  assert.is(r2.outputs["has-changes"], "false");
  assert.is(r2.outputs["to-add"], "0");
  assert.is(r2.outputs["smoke-result"], "passed");
  assert.ok(!r2.stdout.includes("terraform apply"), "nothing is applied when the plan has no changes");
  assert.equal(stateResources(deploy), [], "pr mode destroyed the environment");
  assert.is(r2.state["pending-destroy"], "");
  const patches = gh.requests.filter((q) => q.method === "PATCH");
  assert.is(patches.length, 1, "the comment is edited, not added");
  const body2 = comment(gh);
  for (const expected of ["No changes", "Teardown: ✅ destroyed"]) assert.ok(body2.includes(expected), `the comment shows ${expected}\n${body2}`);
  assert.is(liveTerraformProcesses().size, 0);
});

tfTest("apply failure: the job fails as apply-failed with terraform's error, and what was created is destroyed", async (ctx) => {
  const gh = await github(ctx);
  const j = tfJob(ctx, gh, applyErrorStack());
  const r = await j.step("main");
  assert.is(r.exitCode, 1, describe(r));
  assert.is(r.outputs["failure-reason"], "apply-failed");
  assert.is(r.outputs["smoke-result"], "skipped");
  assert.ok(r.stdout.includes("::error::terraform apply failed"), r.stdout);
  assert.ok(r.stdout.includes("InvalidParameterCombination: fixture permanent failure"), "terraform's own error reaches the log");
  assert.equal(stateResources(j), [], "the resource created before the failure was destroyed");
  assert.is(r.state["pending-destroy"], "", "nothing is left for the post step");
  const body = comment(gh);
  for (const expected of ["terraform apply failed", "InvalidParameterCombination", "Teardown: ✅ destroyed"]) assert.ok(body.includes(expected), `the comment shows ${expected}\n${body}`);
});

tfTest("smoke failure: the URL the stack outputs does not answer; the job fails as smoke-failed and the environment is destroyed", async (ctx) => {
  const gh = await github(ctx);
  // A loopback port nothing listens on: every check is refused until the smoke test's 30 s deadline.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const deadUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
  await new Promise((resolve) => probe.close(resolve));
  const j = tfJob(ctx, gh, { ...happyStack(), output: oneTarget(deadUrl) });
  const r = await j.step("main", { deadlineMs: 120_000 });
  assert.is(r.exitCode, 1, describe(r));
  assert.is(r.outputs["failure-reason"], "smoke-failed");
  assert.is(r.outputs["smoke-result"], "failed");
  assert.ok(r.stdout.includes("::error::the smoke test failed"), r.stdout);
  assert.equal(stateResources(j), [], "destroyed after the failed smoke test");
  assert.is(r.state["pending-destroy"], "");
  const body = comment(gh);
  for (const expected of ["Smoke test: ❌ failed", "GET /status answers 200 OK", "ECONNREFUSED", "Teardown: ✅ destroyed"]) assert.ok(body.includes(expected), `the comment shows ${expected}\n${body}`);
});

tfTest("cancellation: SIGINT to the main step forwards one interrupt to terraform and saves the environment; the post step destroys it from the state", async (ctx) => {
  const gh = await github(ctx);
  const j = tfJob(ctx, gh, sleepingStack(58.3));
  const main = await j.step("main", {
    whileRunning: async (child) => {
      await waitFor("terraform's apply to reach its sleeping provisioner", () => j.liveStdout().includes("(local-exec): Executing:"));
      child.kill("SIGINT");
    },
  });
  assert.is(main.signal, null, `the main step ended by itself after SIGINT\n${describe(main)}`);
  assert.is(main.exitCode, 1, describe(main));
  assert.is(main.outputs["failure-reason"], "cancelled");
  assert.ok(main.stdout.includes("Interrupt received."), "terraform got the interrupt");
  assert.not.ok(main.stdout.includes("Two interrupts received"), "never a second interrupt");
  assert.equal(stateResources(j), ["slow"], "terraform stopped and saved its state; the resource is left for the post step");
  const saved = JSON.parse(main.state["pending-destroy"]!) as Record<string, unknown>;
  assert.equal([saved.engine, saved.stack, saved.workingDirectory, saved.createdAt], ["terraform", "pr-12", j.workspace, PR_CREATED]);

  const post = await j.step("post", { state: main.state });
  assert.is(post.exitCode, 0, describe(post));
  assert.ok(post.stdout.includes("terraform destroy"), post.stdout);
  assert.equal(stateResources(j), [], "the post step destroyed it");
  const body = comment(gh);
  for (const expected of ["the run was cancelled", "Cleanup after the cancelled run", "✅ destroyed, nothing left"]) assert.ok(body.includes(expected), `the comment shows ${expected}\n${body}`);
  assert.is(spawnSync("pgrep", ["-f", "sleep 58.3"], { encoding: "utf8" }).stdout.trim(), "", "no provisioner left running");
});

tfTest("lock contention: another terraform holds the state lock; the job fails as state-locked naming the holder, nothing is applied or destroyed", async (ctx) => {
  const gh = await github(ctx);
  const j = tfJob(ctx, gh, sleepingStack(57.1));
  const env = { TF_CLI_CONFIG_FILE: join(j.dir, "holder.tfrc") };
  writeFileSync(env.TF_CLI_CONFIG_FILE, "# empty: terraform_data needs no provider\n");
  const cwd = stackDir(j);
  assert.is((await runTerraform({ args: initArgs(), cwd, env })).reason, "ok");
  assert.is((await runTerraform({ args: planArgs({ planFile: "held.tfplan", lockTimeoutSeconds: 1 }), cwd, env, successExitCodes: [2] })).reason, "ok");
  const holder = new AbortController();
  let holding = false;
  const held = runTerraform({ args: applyArgs({ planFile: "held.tfplan", lockTimeoutSeconds: 1 }), cwd, env, signal: holder.signal, onLine: (l) => (holding ||= l.includes("(local-exec): Executing:")) });
  try {
    await waitFor("the other terraform to hold the lock inside its sleeping apply", () => holding);
    const r = await j.step("main");
    assert.is(r.exitCode, 1, describe(r));
    assert.is(r.outputs["failure-reason"], "state-locked");
    const lockId = (JSON.parse(readFileSync(join(cwd, ".terraform.tfstate.lock.info"), "utf8")) as { ID: string }).ID;
    const body = comment(gh);
    assert.ok(body.includes("the terraform state is locked by another run"), body);
    assert.ok(body.includes(lockId), "the comment names the lock's ID");
    assert.ok(body.includes(lockHolderName()), "and who holds it");
    assert.is(r.state["pending-destroy"] ?? "", "", "nothing for the post step: this run created nothing");
    assert.not.ok(r.stdout.includes("terraform destroy"), "nothing was destroyed");
  } finally {
    holder.abort();
    await held;
  }
});

tfTest("terraform-args that would override a fixed flag fail the run before synthesis or terraform runs, naming the argument", async (ctx) => {
  const gh = await github(ctx);
  const j = tfJob(ctx, gh, happyStack(), { "terraform-args": "-lock=false" });
  const r = await j.step("main");
  assert.is(r.exitCode, 1, describe(r));
  assert.is(r.outputs["failure-reason"], "plan-failed");
  assert.ok(r.stdout.includes('extra plan argument \"-lock=false\" would override the fixed flag -lock') || r.stdout.includes('extra plan argument "-lock=false" would override the fixed flag -lock'), r.stdout);
  assert.not.ok(r.stdout.includes("terraform init"), "terraform never ran");
  assert.equal(stateResources(j), []);
});

tfTest("sweep: an environment past its TTL (recorded when it was deployed) is destroyed through its own state", async (ctx) => {
  const gh = await github(ctx);
  const url = await seedServer(ctx);
  // Created 2026-11-28 09:15 with a 6 h TTL: expired long before today.
  const deploy = tfJob(ctx, gh, { ...happyStack(), output: oneTarget(url) }, { mode: "deploy", ttl: "6" });
  const r1 = await deploy.step("main");
  assert.is(r1.exitCode, 0, describe(r1));
  assert.equal(stateResources(deploy).sort(), ["lb", "web"]);

  const sweeper = tfJob(ctx, gh, {}, { mode: "sweep", "github-token": "", "working-directory": deploy.workspace }, { event: { schedule: "17 * * * *" }, eventName: "schedule" });
  const r2 = await sweeper.step("main");
  assert.is(r2.exitCode, 0, describe(r2));
  assert.equal(stateResources(deploy), [], "the sweep destroyed it");
  assert.ok(r2.summary.includes("| `seedstack-pr-12` | 2026-11-28 15:15:00 UTC | destroyed |"), r2.summary);
});

test.run();
