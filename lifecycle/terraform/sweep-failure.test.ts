import { test } from "uvu";
import * as assert from "uvu/assert";
import { sweepFailureOf, type StateBucketDestroy, type StateBucketSweepReport } from "./state-bucket-sweep.js";

const report = (destroyed: StateBucketDestroy[]): StateBucketSweepReport => ({ dryRun: false, decisions: [], destroyed, problems: [], ignored: [] });
const locked: StateBucketDestroy = { name: "pr-3", result: { ok: false, failure: { reason: "state-locked", step: "destroy", message: "not destroyed now: the state is locked by runner@fv-az7, and its holder is not known dead (GitHub run 222 is in_progress)" } }, stateRemoved: false, lockHolderRunning: true };
const unknownHolder: StateBucketDestroy = { ...locked, name: "pr-6", result: { ok: false, failure: { reason: "state-locked", step: "destroy", message: "not destroyed now: the state is locked by laptop, and its holder is not known dead (the holder ran on laptop, outside GitHub Actions; nothing here can tell whether it is still running)" } }, lockHolderRunning: false };
const broken: StateBucketDestroy = { name: "pr-4", result: { ok: false, failure: { reason: "destroy-failed", step: "destroy", message: "Error: deleting EC2 Instance: UnauthorizedOperation" } }, stateRemoved: false, handedOver: "seedstack/pr-4/needs-destroy.json" };
const done: StateBucketDestroy = { name: "pr-5", result: { ok: true, alreadyGone: false }, stateRemoved: true };

test("a state locked by a holder seen running is kept and reported, not the sweep's failure (the CLI exits 0 as the Action's step does)", () => {
  assert.is(sweepFailureOf(report([locked, done])), undefined);
});

test("a lock whose holder nothing can tell about never clears itself: it fails the sweep, so someone looks", () => {
  assert.is(sweepFailureOf(report([locked, unknownHolder, done]))?.name, "pr-6");
});

test("any other failed destroy fails the sweep, even after a locked one", () => {
  assert.is(sweepFailureOf(report([locked, broken, done]))?.name, "pr-4");
  assert.is(sweepFailureOf(report([done])), undefined);
});

test.run();
