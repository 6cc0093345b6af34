import { test } from "uvu";
import * as assert from "uvu/assert";
import { AWS_ALARMS, INITIAL_TRACKING, alarmName, evaluatePeriod, type PeriodInput, type ScalingDecision, type TargetTrackingPolicy, type TrackingState } from "./target-tracking.js";

const POLICY: TargetTrackingPolicy = { name: "cpu-target-tracking", metric: "ASGAverageCPUUtilization", targetValue: 50, disableScaleIn: false };
const GROUP = { desired: 1, min: 1, max: 2, warming: 0 };

/** Feed datapoints one period at a time; returns every decision with the period it came in (1-based). */
function feed(values: Array<number | undefined>, group: Omit<PeriodInput, "metric"> = GROUP, policy = POLICY, from: TrackingState = INITIAL_TRACKING) {
  let state = from;
  const decisions: Array<ScalingDecision & { period: number }> = [];
  values.forEach((metric, i) => {
    const r = evaluatePeriod(state, { ...group, metric }, policy);
    state = r.state;
    if (r.decision) decisions.push({ ...r.decision, period: i + 1 });
  });
  return { state, decisions };
}

test("AWS's alarm shape: 1-minute periods, 3 datapoints high, 15 low at 90% of the target", () => {
  assert.equal(AWS_ALARMS, { periodSeconds: 60, highDatapoints: 3, lowDatapoints: 15, lowFactor: 0.9 });
});

test("the high alarm needs exactly 3 consecutive datapoints above the target", () => {
  assert.equal(feed([80, 80]).decisions, []);
  assert.is(feed([80, 80]).state.high, "INSUFFICIENT_DATA");
  const r = feed([80, 80, 80]);
  assert.is(r.state.high, "ALARM");
  assert.equal(r.decisions, [{ alarm: "high", from: 1, to: 2, datapoints: [80, 80, 80], threshold: 50, period: 3 }]);
});

test("one datapoint at or below the target restarts the count", () => {
  assert.equal(feed([80, 80, 50, 80, 80]).decisions, []);
  assert.is(feed([80, 80, 50, 80, 80, 80]).decisions[0]?.period, 6);
});

test("scale out is proportional to the metric and stops at max", () => {
  const big = { desired: 2, min: 1, max: 10, warming: 0 };
  assert.is(feed([90, 90, 90], big).decisions[0]?.to, 4); // ceil(2 x 90 / 50)
  assert.is(feed([90, 90, 90], { ...big, max: 3 }).decisions[0]?.to, 3);
  assert.equal(feed([90, 90, 90], { ...big, desired: 3, max: 3 }).decisions, []);
});

test("while the alarm stays in ALARM the policy runs every period, but launching capacity already counts", () => {
  // Desired was raised to 2 after the third datapoint; the metric (of instances past warm-up) stays at 60.
  // 60% is what the one instance past its warm-up saw: ceil(1 x 60 / 50) = 2, already launching.
  const r = feed([60, 60, 60, 60], { desired: 2, min: 1, max: 4, warming: 1 });
  assert.equal(r.decisions, []);
  assert.is(r.state.high, "ALARM");
  const hot = feed([60, 60, 60, 110], { desired: 2, min: 1, max: 4, warming: 1 });
  assert.equal(hot.decisions.map((d) => [d.period, d.to]), [[4, 3]]);
  const settled = feed([60, 60, 60, 60], { desired: 2, min: 1, max: 4, warming: 0 });
  assert.equal(settled.decisions.map((d) => [d.period, d.to]), [[3, 3], [4, 3]], "without warm-up every period in ALARM asks again");
});

test("the low alarm needs exactly 15 datapoints below 90% of the target", () => {
  const two = { desired: 2, min: 1, max: 2, warming: 0 };
  assert.equal(feed(Array(14).fill(10), two).decisions, []);
  const r = feed(Array(15).fill(10), two);
  assert.equal(r.decisions.map((d) => [d.alarm, d.from, d.to, d.threshold, d.period]), [["low", 2, 1, 45, 15]]);
  // 45 is not below 45: no scale in, however long it lasts.
  assert.equal(feed(Array(30).fill(45), two).decisions, []);
  assert.equal(feed([...Array(14).fill(10), 46, ...Array(14).fill(10)], two).decisions, []);
});

test("scale in removes one instance only when the rest stay below the target, never below min, never while warming up", () => {
  const two = { desired: 2, min: 1, max: 2, warming: 0 };
  // 30% on two instances is 60% on one: above the target, so nothing is removed.
  assert.equal(feed(Array(15).fill(30), { ...two, max: 3 }, { ...POLICY, targetValue: 40 }).decisions, []);
  assert.equal(feed(Array(15).fill(10), { ...two, desired: 1 }).decisions, []);
  assert.equal(feed(Array(15).fill(10), { ...two, warming: 1 }).decisions, []);
  assert.equal(feed(Array(15).fill(10), two, { ...POLICY, disableScaleIn: true }).decisions, []);
  const three = feed(Array(16).fill(5), { desired: 3, min: 1, max: 3, warming: 0 });
  assert.equal(three.decisions.map((d) => d.to), [2, 2], "one at a time: desired is the engine's to lower");
});

test("missing datapoints (no instance past its warm-up) leave the alarms without data", () => {
  const r = feed([80, undefined, 80, 80]);
  assert.equal(r.decisions, []);
  assert.is(r.state.high, "INSUFFICIENT_DATA");
  assert.is(feed([80, undefined, 80, 80, 80]).decisions.length, 1);
});

test("alarm names follow target tracking's", () => {
  assert.is(alarmName("web-asg", "high", "5e1a"), "TargetTracking-web-asg-AlarmHigh-5e1a");
  assert.is(alarmName("web-asg", "low", "5e1a"), "TargetTracking-web-asg-AlarmLow-5e1a");
});

test.run();
