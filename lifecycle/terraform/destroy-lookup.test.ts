/**
 * Destroy with the real terraform binary when the stack's lookups no longer find what they found
 * at apply (the shared VPC's owner deleted or re-tagged it): a refreshing destroy reads the data
 * sources first and stops; the environment must be destroyed all the same. FIXTURE stacks only
 * (test-support/fixture-stacks.ts: `terraform_remote_state` of a local file, no provider, no AWS).
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as assert from "uvu/assert";
import { test } from "uvu";
import { deployEnvironment, destroyEnvironment, type TerraformEnvironmentOptions } from "./deploy.js";
import type { TerraformEngineEvent } from "./deploy-events.js";
import { describeTerraformEvent } from "./terraform-engine.js";
import { destroyErrorStack, lookupStack, networkState } from "./test-support/fixture-stacks.js";
import { makeWorkspace, tfTest, type Workspace } from "./test-support/workspace.js";

function options(ws: Workspace, events: TerraformEngineEvent[]): TerraformEnvironmentOptions {
  return {
    name: "pr-8",
    stackDir: ws.stackDir,
    recordDir: join(ws.root, "records"),
    env: ws.env,
    lockTimeoutSeconds: 1,
    retry: { maxAttempts: 3, initialDelayMs: 5, maxDelayMs: 5 },
    prNumber: 8,
    onEvent: (e) => events.push(e),
  };
}

const destroyArgsSeen = (events: TerraformEngineEvent[]) => events.flatMap((e) => (e.type === "command-started" && e.command === "destroy" ? [e.args] : []));

function stateResourceCount(ws: Workspace): number {
  const path = join(ws.stackDir, "terraform.tfstate");
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as { resources: unknown[] }).resources.length : 0;
}

/** Deploy the lookup fixture on a network with two subnets, then break the network with `breakIt`. */
async function deployedThenBroken(ws: Workspace, breakIt: (networkFile: string) => void): Promise<void> {
  const networkFile = join(ws.root, "network.tfstate");
  writeFileSync(networkFile, networkState("vpc-0fixture", ["subnet-a", "subnet-b"]));
  ws.writeStack(lookupStack(networkFile));
  const deploy = await deployEnvironment(options(ws, []));
  assert.ok(deploy.ok, JSON.stringify(deploy));
  assert.ok(stateResourceCount(ws) > 0, "the fixture deployed something to destroy");
  breakIt(networkFile);
}

for (const [what, breakIt] of [
  ["the looked-up network is gone (the data source finds nothing)", (file: string) => rmSync(file)],
  ["the network's subnet list is now empty (element() of an empty list)", (file: string) => writeFileSync(file, networkState("vpc-0fixture", []))],
] as const) {
  tfTest(`destroy succeeds when ${what}: retried once without refresh, saying why`, async () => {
    const ws = makeWorkspace();
    const events: TerraformEngineEvent[] = [];
    try {
      await deployedThenBroken(ws, breakIt);
      const destroy = await destroyEnvironment(options(ws, events));
      assert.ok(destroy.ok, JSON.stringify(destroy));
      assert.equal(stateResourceCount(ws), 0);
      const runs = destroyArgsSeen(events);
      assert.equal(runs.length, 2, "one refreshing destroy, one without refresh");
      assert.not.ok(runs[0]!.includes("-refresh=false"));
      assert.ok(runs[1]!.includes("-refresh=false"));
      const notice = events.find((e) => e.type === "destroy-without-refresh");
      assert.ok(notice && notice.type === "destroy-without-refresh" && /data\.terraform_remote_state\.network/.test(notice.lookupError), JSON.stringify(notice));
      // What a person reads in the lifecycle's progress: why, and that the state alone is used.
      const line = describeTerraformEvent(notice);
      assert.ok(line?.includes(notice.lookupError) && line.includes("-refresh=false"), line);
      assert.not.ok(existsSync(join(ws.root, "records", "pr-8.json")), "the record is removed once nothing is left");
    } finally {
      ws.dispose();
    }
  });
}

tfTest("a destroy whose lookups still work refreshes as before: one run, no -refresh=false", async () => {
  const ws = makeWorkspace();
  const events: TerraformEngineEvent[] = [];
  try {
    await deployedThenBroken(ws, () => {});
    const destroy = await destroyEnvironment(options(ws, events));
    assert.ok(destroy.ok, JSON.stringify(destroy));
    assert.equal(destroyArgsSeen(events).map((args) => args.includes("-refresh=false")), [false]);
    assert.not.ok(events.some((e) => e.type === "destroy-without-refresh"));
  } finally {
    ws.dispose();
  }
});

tfTest("a failed postcondition on the lookup (another VPC, subnets still found) stops a deploy, not a destroy: one refreshing run", async () => {
  const ws = makeWorkspace();
  const events: TerraformEngineEvent[] = [];
  try {
    await deployedThenBroken(ws, (file) => writeFileSync(file, networkState("vpc-0other", ["subnet-x"])));
    // The postcondition does fail: a deploy now stops at it.
    const redeploy = await deployEnvironment(options(ws, []));
    assert.ok(!redeploy.ok && /the network is not vpc-0fixture/.test(redeploy.failure.stderrTail ?? ""), JSON.stringify(redeploy));
    const destroy = await destroyEnvironment(options(ws, events));
    assert.ok(destroy.ok, JSON.stringify(destroy));
    assert.equal(stateResourceCount(ws), 0);
    assert.equal(destroyArgsSeen(events).map((args) => args.includes("-refresh=false")), [false]);
  } finally {
    ws.dispose();
  }
});

tfTest("a destroy failing for another reason (a destroy-time error) is not re-run without refresh; the record says needs-destroy", async () => {
  const ws = makeWorkspace();
  const events: TerraformEngineEvent[] = [];
  try {
    ws.writeStack(destroyErrorStack());
    const deploy = await deployEnvironment(options(ws, []));
    assert.ok(deploy.ok, JSON.stringify(deploy));
    const destroy = await destroyEnvironment(options(ws, events));
    assert.not.ok(destroy.ok);
    if (!destroy.ok) assert.is(destroy.failure.reason, "destroy-failed");
    assert.equal(destroyArgsSeen(events).length, 1);
    assert.not.ok(events.some((e) => e.type === "destroy-without-refresh"));
    const record = JSON.parse(readFileSync(join(ws.root, "records", "pr-8.json"), "utf8")) as { status: string };
    assert.is(record.status, "needs-destroy");
  } finally {
    ws.dispose();
  }
});

test.run();
