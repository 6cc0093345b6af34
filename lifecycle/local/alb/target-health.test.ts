import { test } from "uvu";
import * as assert from "uvu/assert";
import { INITIAL_HEALTH, matcherAccepts, recordProbe, type TargetHealth } from "./target-health.js";

const T = { healthyThreshold: 3, unhealthyThreshold: 2 };
const ok = { ok: true } as const;
const fail = { ok: false, reason: "refused" } as const;
const run = (results: Array<typeof ok | typeof fail>, from: TargetHealth = INITIAL_HEALTH) => results.reduce((h, r) => recordProbe(h, r, T), from);

test("a new target becomes healthy after exactly healthyThreshold consecutive successes", () => {
  assert.is(run([ok, ok]).state, "initial");
  assert.is(run([ok, ok, ok]).state, "healthy");
});

test("a failure resets the success count", () => {
  assert.is(run([ok, ok, fail, ok, ok]).state, "initial");
  assert.is(run([ok, ok, fail, ok, ok, ok]).state, "healthy");
});

test("a healthy target becomes unhealthy after exactly unhealthyThreshold consecutive failures, keeping the reason", () => {
  const healthy = run([ok, ok, ok]);
  assert.is(run([fail], healthy).state, "healthy");
  const down = run([fail, fail], healthy);
  assert.is(down.state, "unhealthy");
  assert.is(down.reason, "refused");
});

test("an initial target that keeps failing becomes unhealthy; recovering needs healthyThreshold successes", () => {
  const down = run([fail, fail]);
  assert.is(down.state, "unhealthy");
  assert.is(run([ok, ok], down).state, "unhealthy");
  assert.is(run([ok, ok, ok], down).state, "healthy");
});

test("the matcher accepts single codes, lists and ranges", () => {
  assert.ok(matcherAccepts("200", 200));
  assert.not.ok(matcherAccepts("200", 204));
  assert.ok(matcherAccepts("200,202", 202));
  assert.ok(matcherAccepts("200-299", 250));
  assert.not.ok(matcherAccepts("200-299", 301));
});

test.run();
