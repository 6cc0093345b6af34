/**
 * The Action's sweep over the state bucket, without S3 or terraform: the settings that turn it on
 * (SEEDSTACK_STATE_BUCKET, read once), the state-bucket sweep's report mapped onto the Action's
 * SweepResult (destroyed / kept / failed with reasons), and the job summary with the orphan report
 * and the post step's hand-over. The sweep itself runs against s3rver and real terraform in
 * lifecycle/terraform/state-bucket-sweep.test.ts.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { StateBucketSweepReport } from "../../lifecycle/index.js";
import { renderPostSection, renderSweepReport } from "../src/report/render-report.js";
import { lifecycleSettingsOf } from "../src/settings.js";
import { sweepResultOf } from "../src/state-bucket-sweep-result.js";

test("settings: SEEDSTACK_STATE_BUCKET turns the state-bucket sweep on, with its region and name prefix; absent, the records are swept", () => {
  assert.equal(lifecycleSettingsOf({ SEEDSTACK_STATE_BUCKET: "acme-state", SEEDSTACK_STATE_REGION: "eu-west-1", SEEDSTACK_REGION: "us-east-1", SEEDSTACK_NAME_PREFIX: "shop" }).stateBucket, {
    bucket: "acme-state",
    namePrefix: "shop",
    region: "eu-west-1",
  });
  assert.equal(lifecycleSettingsOf({ SEEDSTACK_STATE_BUCKET: "acme-state", SEEDSTACK_REGION: "us-east-2" }).stateBucket, { bucket: "acme-state", namePrefix: "seedstack", region: "us-east-2" });
  assert.is(lifecycleSettingsOf({ SEEDSTACK_STATE_BUCKET: "" }).stateBucket, undefined);
  assert.is(lifecycleSettingsOf({}).stateBucket, undefined);
});

const state = (n: number) => ({ key: `seedstack/pr-${n}/terraform.tfstate`, stackName: `pr-${n}`, prNumber: n, lastModified: new Date("2026-12-01T08:00:00Z") });
const expiresAt = new Date("2026-12-02T08:00:00Z");
const report: StateBucketSweepReport = {
  dryRun: false,
  decisions: [
    { state: state(3), destroy: true, reasons: ["pr-closed"], why: "pull request #3 is closed", expiresAt },
    { state: state(4), destroy: false, reasons: [], why: "pull request #4 is open; expires 2026-12-02T08:00:00.000Z", expiresAt },
    { state: state(5), destroy: true, reasons: ["expired"], why: "expired at 2026-12-02T08:00:00.000Z", expiresAt },
  ],
  destroyed: [
    { name: "pr-3", result: { ok: true, alreadyGone: false }, stateRemoved: true, clearedLock: "lock abc by runner@fv-az1: GitHub run 77 has finished" },
    { name: "pr-5", result: { ok: false, failure: { reason: "destroy-failed", step: "destroy", message: "DependencyViolation on the VPC" } }, stateRemoved: false, handedOver: "seedstack/pr-5/needs-destroy.json" },
  ],
  problems: ["pull request #9: HTTP 502"],
  ignored: [],
};

test("the state-bucket sweep's report as the Action's SweepResult: destroyed, kept and failed, each with its reason", () => {
  const result = sweepResultOf(report, (s) => `seedstack-${s}`, ["1 resource(s) tagged for a pull request that no state knows about (listed, not deleted; check and delete them by hand):", "  pr-8: arn:aws:ec2:us-east-1:1:vpc/vpc-1"]);
  assert.equal(result.swept, [
    { environment: "seedstack-pr-3", expiresAt: "2026-12-02T08:00:00.000Z", action: "destroyed", message: "pull request #3 is closed" },
    { environment: "seedstack-pr-4", expiresAt: "2026-12-02T08:00:00.000Z", action: "kept", message: "pull request #4 is open; expires 2026-12-02T08:00:00.000Z" },
    { environment: "seedstack-pr-5", expiresAt: "2026-12-02T08:00:00.000Z", action: "failed", message: "expired at 2026-12-02T08:00:00.000Z; destroy-failed: DependencyViolation on the VPC; kept for the next sweep" },
  ]);
  assert.equal(result.notes, [
    "problem: pull request #9: HTTP 502",
    "cleared the lock of pr-3: lock abc by runner@fv-az1: GitHub run 77 has finished",
    "1 resource(s) tagged for a pull request that no state knows about (listed, not deleted; check and delete them by hand):",
    "  pr-8: arn:aws:ec2:us-east-1:1:vpc/vpc-1",
  ]);
  const summary = renderSweepReport("https://example.test/run", result, "2026-12-02T09:00:00Z");
  assert.ok(summary.includes("| `seedstack-pr-5` | 2026-12-02 08:00:00 UTC | failed | expired at"), summary);
  assert.ok(summary.includes("  pr-8: arn:aws:ec2:us-east-1:1:vpc/vpc-1"), "the orphan report is in the job summary");
});

test("a decision to destroy that the sweep did not carry out (it stopped) is reported as kept, never as destroyed", () => {
  const result = sweepResultOf({ ...report, destroyed: [] }, (s) => s, []);
  assert.equal(result.swept.map((s) => s.action), ["kept", "kept", "kept"]);
  assert.is(result.notes?.length, 1, "only the problem");
});

test("a state locked by a holder seen running is kept and reported with the lock, not failed: the step does not fail for a live deploy", () => {
  const locked = { reason: "state-locked" as const, step: "destroy" as const, message: "not destroyed now: the state is locked by runner@fv-az7 since 2026-12-02T08:50:00.000Z (OperationTypeApply, lock ID 4d1e), and its holder is not known dead (GitHub run 222 of octo-org/webshop is in_progress)" };
  const result = sweepResultOf({ ...report, destroyed: [{ name: "pr-3", result: { ok: false, failure: locked }, stateRemoved: false, lockHolderRunning: true }] }, (s) => s, []);
  assert.equal(result.swept[0], {
    environment: "pr-3",
    expiresAt: "2026-12-02T08:00:00.000Z",
    action: "kept",
    message: `pull request #3 is closed; ${locked.message}; the next sweep looks again`,
  });
});

test("a state locked by a holder nothing can tell about is a failed row: such a lock never clears itself", () => {
  const locked = { reason: "state-locked" as const, step: "destroy" as const, message: "not destroyed now: the state is locked by laptop since 2026-12-02T08:50:00.000Z, and its holder is not known dead (no holder note names the run that took the lock)" };
  const result = sweepResultOf({ ...report, destroyed: [{ name: "pr-3", result: { ok: false, failure: locked }, stateRemoved: false, lockHolderRunning: false }] }, (s) => s, []);
  assert.is(result.swept[0]!.action, "failed");
  assert.match(result.swept[0]!.message ?? "", /state-locked: not destroyed now: the state is locked by laptop/);
});

test("the post step's section names where an unfinished destroy was handed over", () => {
  const section = renderPostSection({ status: "incomplete", remaining: ["pr-12"], message: "cancelled" }, "2026-12-02T09:00:00Z", "s3://acme-state/seedstack/pr-12/needs-destroy.json");
  assert.ok(section.includes("handed over to the sweeper through the state bucket (`s3://acme-state/seedstack/pr-12/needs-destroy.json`)"), section);
  assert.ok(renderPostSection({ status: "incomplete", remaining: [] }, "2026-12-02T09:00:00Z", true).includes("recorded for the sweeper"));
});

test.run();
