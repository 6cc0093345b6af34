/**
 * Each scaling activity of a load test next to what AWS's target tracking rules imply
 * (target-tracking.ts cites them): the earliest moment the recorded `ASGAverageCPUUtilization`
 * datapoints allowed it. A scale-out needs the high alarm's consecutive datapoints above the
 * target (none exists before an instance is past its warm-up); a scale-in needs the low alarm's
 * consecutive datapoints below 90% of the target and no instance still warming up. Judged from
 * the datapoints themselves, not from when the load started or stopped: a weak load can leave the
 * metric below the low threshold while it still runs, and AWS would count those datapoints too.
 */
import type { GroupView, ScalingActivity } from "../local/scaling-group.js";

/** A scaling activity with its timing judged by AWS's rules. */
export interface TimedActivity extends ScalingActivity {
  /** Since the load started, ms (this run's clock). */
  readonly atMs: number;
  /** The earliest the recorded datapoints allowed it, since the load started, ms; null: they never met the rule. */
  readonly earliestMs: number | null;
  /** The rule, in words, with the moment the datapoints met it. */
  readonly rule: string;
  /** Not before the rule allows, less a second: an activity's StartTime is in whole seconds, as AWS gives it. */
  readonly withinRules: boolean;
}

/** What the judgement reads of the group at the end of the test. */
export type TimingInput = Pick<GroupView, "policy" | "alarms" | "periodMs" | "warmupMs" | "datapoints" | "activities">;

/** ScalingActivity.startTime has whole seconds (DescribeScalingActivities' format). */
const START_TIME_RESOLUTION_MS = 1000;

/** The alarm-triggered activities since `started` (ms since the epoch), each judged. */
export function timeActivities(g: TimingInput, started: number): TimedActivity[] {
  const p = g.policy;
  if (!p) return [];
  const period = g.periodMs;
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const lowThreshold = p.targetValue * g.alarms.lowFactor;
  const timed: TimedActivity[] = [];
  const alarmed = g.activities.filter((a) => a.alarm && Date.parse(a.startTime) >= started - 1000);
  for (const a of alarmed) {
    const at = Date.parse(a.startTime);
    const before = timed.filter((t) => t.kind === a.kind).at(-1);
    const after = before ? started + before.atMs : Number.NEGATIVE_INFINITY;
    let met: number | undefined;
    let rule: string;
    if (a.kind === "launch") {
      met = firstRun(g.datapoints, g.alarms.highDatapoints, (v) => v > p.targetValue, after);
      rule = `high alarm: ${g.alarms.highDatapoints} consecutive datapoints of ${s(period)} (60 s / speedup) above ${p.targetValue}% (an instance's CPU counts only after its warm-up, ${s(g.warmupMs)})`;
    } else {
      const lastLaunch = Math.max(Number.NEGATIVE_INFINITY, ...g.activities.filter((l) => l.kind === "launch" && Date.parse(l.startTime) <= at).map((l) => Date.parse(l.startTime)));
      met = firstRun(g.datapoints, g.alarms.lowDatapoints, (v) => v < lowThreshold, Math.max(after, lastLaunch + g.warmupMs));
      rule = `low alarm: ${g.alarms.lowDatapoints} consecutive datapoints of ${s(period)} below ${round(lowThreshold)}% (90% of the target), with no instance in its warm-up (${s(g.warmupMs)})`;
    }
    const earliestMs = met === undefined ? null : Math.round(met - started);
    timed.push({
      ...a,
      atMs: at - started,
      earliestMs,
      rule: `${rule}: ${earliestMs === null ? "the recorded datapoints never met it" : `met at ${s(earliestMs)}`}`,
      withinRules: earliestMs !== null && at - started >= earliestMs - START_TIME_RESOLUTION_MS,
    });
  }
  return timed;
}

/**
 * When `n` consecutive datapoints first satisfied `breaching`, closing at or after `from`: the
 * close of the n-th. A missing datapoint (no instance past its warm-up) breaks the run, as it
 * leaves a CloudWatch alarm with insufficient data.
 */
export function firstRun(datapoints: GroupView["datapoints"], n: number, breaching: (v: number) => boolean, from: number): number | undefined {
  let run = 0;
  for (const d of datapoints) {
    run = d.value !== null && breaching(d.value) ? run + 1 : 0;
    if (run >= n && d.at >= from) return d.at;
  }
  return undefined;
}

const round = (n: number) => Number(n.toFixed(n < 10 ? 2 : 1));
