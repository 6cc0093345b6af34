/**
 * Local state never backs an ephemeral environment: the guard on literal synthesized JSON (as the
 * stack reader gives it), and the engine refusing deploy and destroy of such a stack before
 * terraform runs (no `.terraform` made).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { deployEnvironment, destroyEnvironment } from "./deploy.js";
import { stackSettingsOf } from "../stack/read-stack-settings.js";
import { localStateProblem } from "./local-state-guard.js";
import { makeWorkspace } from "./test-support/workspace.js";

/** A pr-12 stack as the stacks app synthesizes it without a state bucket (cdktf's LocalBackend), trimmed. */
const prStack = (backend?: object) => ({
  ...(backend ? { terraform: { backend } } : {}),
  provider: { aws: [{ region: "us-east-1", default_tags: [{ tags: { Project: "seedstack", Stack: "pr-12", PR: "12", ExpiresAt: "2026-12-03T12:00:00Z" } }] }] },
  resource: { terraform_data: { web: { input: "x" } } },
});
const classic = { terraform: { backend: { local: { path: "terraform.classic.tfstate" } } }, provider: { aws: [{ region: "us-east-1", default_tags: [{ tags: { Project: "seedstack", Stack: "classic" } }] }] } };

test("localStateProblem: an ephemeral stack on a local (or no) backend is refused, naming SEEDSTACK_STATE_BUCKET", () => {
  const problemOf = (json: unknown, name: string) => localStateProblem(stackSettingsOf(json), name);
  for (const stack of [prStack({ local: { path: "terraform.pr-12.tfstate" } }), prStack()]) {
    const problem = problemOf(stack, "pr-12");
    assert.ok(problem);
    assert.match(problem!, /^pr-12 is an ephemeral environment \(its resources are tagged PR and ExpiresAt\) but its state would be a local file/);
    assert.match(problem!, /set SEEDSTACK_STATE_BUCKET \(and SEEDSTACK_STATE_REGION\)/);
  }
  assert.is(problemOf(prStack({ s3: { bucket: "b", key: "seedstack/pr-12/terraform.tfstate" } }), "pr-12"), undefined);
  assert.is(problemOf(classic, "classic"), undefined, "a long-lived stack may keep local state (a laptop)");
  assert.is(stackSettingsOf({}).backend.type, "local");
});

test("the engine refuses deploy and destroy of an ephemeral stack on local state, before terraform runs", async () => {
  const ws = makeWorkspace();
  try {
    ws.writeStack(prStack({ local: { path: "terraform.tfstate" } }));
    const options = { name: "pr-12", stackDir: ws.stackDir, recordDir: join(ws.root, "records"), env: ws.env };
    const deployed = await deployEnvironment(options);
    assert.ok(!deployed.ok && deployed.failure.reason === "plan-failed" && deployed.failure.step === "init");
    assert.match(!deployed.ok ? deployed.failure.message : "", /set SEEDSTACK_STATE_BUCKET/);
    assert.is(deployed.ok ? true : deployed.applyStarted, false);
    const destroyed = await destroyEnvironment(options);
    assert.ok(!destroyed.ok && destroyed.failure.reason === "destroy-failed");
    assert.match(!destroyed.ok ? destroyed.failure.message : "", /set SEEDSTACK_STATE_BUCKET/);
    assert.not.ok(existsSync(join(ws.stackDir, ".terraform")), "terraform never ran");
  } finally {
    ws.dispose();
  }
});

test.run();
