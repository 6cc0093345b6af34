import { test } from "uvu";
import * as assert from "uvu/assert";
import type { ScalingActivity } from "../local/scaling-activity.js";
import { AWS_ALARMS } from "../local/target-tracking.js";
import { firstRun, timeActivities, type TimingInput } from "./activity-timing.js";

const START = Date.parse("2026-01-01T00:00:00Z");
const PERIOD = 2_000;
const iso = (ms: number) => new Date(START + ms).toISOString();
/** Datapoints closing every period from START + PERIOD, with these values. */
const series = (values: ReadonlyArray<number | null>) => values.map((value, i) => ({ at: START + (i + 1) * PERIOD, value }));
const activity = (kind: "launch" | "terminate", atMs: number): ScalingActivity => ({
  activityId: `${kind}-${atMs}`,
  description: kind === "launch" ? "Launching a new EC2 instance: i-0b" : "Terminating EC2 instance: i-0b",
  cause: "…",
  startTime: iso(atMs),
  statusCode: "Successful",
  kind,
  instance: "i-0b",
  alarm: { name: "TargetTracking-g-AlarmHigh-x", which: kind === "launch" ? "high" : "low", datapoints: [], threshold: 1, periodMs: PERIOD },
});
function group(values: ReadonlyArray<number | null>, activities: ScalingActivity[]): TimingInput {
  return {
    policy: { name: "cpu-target-tracking", metric: "ASGAverageCPUUtilization", targetValue: 1, disableScaleIn: false },
    alarms: AWS_ALARMS,
    periodMs: PERIOD,
    warmupMs: 10_000,
    datapoints: series(values),
    activities,
  };
}

// Two datapoints of warm-up, then four above 1%, then 20 below 0.9%.
const VALUES = [null, null, 1.5, 2, 3, 2.5, ...Array<number>(20).fill(0.3)];

test("firstRun: the close of the n-th consecutive breaching datapoint; a missing one breaks the run; `from` skips earlier closes", () => {
  const d = series([2, null, 2, 2, 0.5, 2, 2, 2]);
  assert.is(firstRun(d, 2, (v) => v > 1, 0), START + 4 * PERIOD);
  assert.is(firstRun(d, 3, (v) => v > 1, 0), START + 8 * PERIOD);
  assert.is(firstRun(d, 2, (v) => v > 1, START + 5 * PERIOD), START + 7 * PERIOD);
  assert.is(firstRun(d, 4, (v) => v > 1, 0), undefined);
});

test("a launch and a termination at or after the datapoints met their alarms: within the rules, each with the moment it was met", () => {
  // High met at the 5th datapoint (10 s): the launch at 10.4 s. Low: the run of 0.3 starts at the
  // 7th (14 s), 15 of them close at 42 s; the new instance's warm-up ended at 20.4 s.
  const [launch, terminate] = timeActivities(group(VALUES, [activity("launch", 10_400), activity("terminate", 42_300)]), START);
  assert.equal([launch!.atMs, launch!.earliestMs, launch!.withinRules], [10_400, 10_000, true]);
  assert.match(launch!.rule, /^high alarm: 3 consecutive datapoints of 2\.0 s \(60 s \/ speedup\) above 1% .*: met at 10\.0 s$/);
  assert.equal([terminate!.atMs, terminate!.earliestMs, terminate!.withinRules], [42_300, 42_000, true]);
  assert.match(terminate!.rule, /^low alarm: 15 consecutive datapoints of 2\.0 s below 0\.9% \(90% of the target\), with no instance in its warm-up \(10\.0 s\): met at 42\.0 s$/);
});

test("a low run that began while the load still ran counts (AWS counts it too), but not while the new instance warms up", () => {
  // The same datapoints with a late launch at 40 s: its warm-up ends at 50 s, so the low run is met
  // at the first close from 50 s on (the run is long by then).
  const [, terminate] = timeActivities(group(VALUES, [activity("launch", 40_000), activity("terminate", 50_500)]), START);
  assert.is(terminate!.earliestMs, 50_000);
  assert.is(terminate!.withinRules, true);
});

test("too early (beyond the start time's whole seconds), or never met: not within the rules, and said so", () => {
  const [early] = timeActivities(group(VALUES, [activity("launch", 8_900)]), START);
  assert.equal([early!.earliestMs, early!.withinRules], [10_000, false]);
  // StartTime has whole seconds: a launch at 10.4 s reads 10 s, one at 9.6 s reads 9 s.
  assert.is(timeActivities(group(VALUES, [activity("launch", 9_000)]), START)[0]!.withinRules, true);
  const [never] = timeActivities(group([null, 0.2, 0.3, 0.2], [activity("launch", 8_000)]), START);
  assert.equal([never!.earliestMs, never!.withinRules], [null, false]);
  assert.match(never!.rule, /the recorded datapoints never met it$/);
});

test("activities before the load, or without an alarm (health replacements), are not judged; no policy, none", () => {
  const replacement = { ...activity("launch", 12_000) } as ScalingActivity & { alarm?: unknown };
  delete replacement.alarm;
  assert.equal(timeActivities(group(VALUES, [activity("launch", -5_000), replacement]), START), []);
  assert.equal(timeActivities({ ...group(VALUES, [activity("launch", 10_400)]), policy: undefined } as unknown as TimingInput, START), []);
});

test.run();
