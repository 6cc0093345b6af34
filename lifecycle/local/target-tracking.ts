/**
 * Target tracking, as Amazon EC2 Auto Scaling runs it for a policy on `ASGAverageCPUUtilization`:
 * a pure state machine fed one datapoint per alarm period. It decides; the engine acts.
 *
 * AWS's rules, and where they are written:
 * - The policy creates and manages two CloudWatch alarms (EC2 Auto Scaling user guide, "Target
 *   tracking scaling policies for Amazon EC2 Auto Scaling",
 *   https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-scaling-target-tracking.html).
 * - Their shape is not in the guide; what AWS creates, as users read it in the CloudWatch console
 *   (aws/copilot-cli#4233, hashicorp/terraform-provider-aws#42553): the high alarm fires on
 *   3 datapoints of 1 minute out of 3 above the target, the low alarm on 15 out of 15 below it.
 * - Scale in is gradual and starts only when the metric is "usually more than 10% lower" than the
 *   target (Application Auto Scaling user guide, "How target tracking scaling works",
 *   https://docs.aws.amazon.com/autoscaling/application/userguide/target-tracking-scaling-policy-overview.html):
 *   the low alarm's threshold is 90% of the target, and capacity is removed only when the metric,
 *   spread over the remaining instances, stays below the target.
 * - Scale out is proportional to the metric, as fast as it can (same page): desired becomes
 *   ceil(capacity x metric / target), within min and max.
 * - Instance warm-up: a new instance's metrics are not aggregated until its warm-up has passed, and
 *   while instances warm up the group scales out only beyond the capacity already launching, and
 *   does not scale in ("Set the default instance warmup for an Auto Scaling group",
 *   https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-default-instance-warmup.html;
 *   without DefaultInstanceWarmup the policy uses the default cooldown, 300 s).
 * - A scaling policy's alarm action runs again every period while the alarm stays in ALARM, so
 *   capacity keeps following the metric until it is back in range.
 */

/** The policy as the stack synthesizes it (aws_autoscaling_policy, TargetTrackingScaling). */
export interface TargetTrackingPolicy {
  /** The policy's name (in activity messages). */
  readonly name: string;
  /** The metric, e.g. ASGAverageCPUUtilization. */
  readonly metric: string;
  /** Percent. */
  readonly targetValue: number;
  readonly disableScaleIn: boolean;
}

/** The alarms target tracking creates: the period and the datapoints each needs. */
export interface AlarmShape {
  /** Seconds per datapoint. @default 60 */
  readonly periodSeconds: number;
  /** Consecutive datapoints above the target. @default 3 */
  readonly highDatapoints: number;
  /** Consecutive datapoints below `lowFactor` x target. @default 15 */
  readonly lowDatapoints: number;
  /** @default 0.9 */
  readonly lowFactor: number;
}

/** The shape AWS uses. */
export const AWS_ALARMS: AlarmShape = { periodSeconds: 60, highDatapoints: 3, lowDatapoints: 15, lowFactor: 0.9 };

/** What the group looks like when a period closes. */
export interface PeriodInput {
  /** The period's datapoint: average CPU of the instances past their warm-up; undefined: no data. */
  readonly metric: number | undefined;
  readonly desired: number;
  readonly min: number;
  readonly max: number;
  /** Instances still in their warm-up (launched by an earlier scale-out). */
  readonly warming: number;
}

/** The alarms' memory. */
export interface TrackingState {
  /** The last datapoints, newest last (undefined: missing). */
  readonly datapoints: ReadonlyArray<number | undefined>;
  readonly high: "OK" | "ALARM" | "INSUFFICIENT_DATA";
  readonly low: "OK" | "ALARM" | "INSUFFICIENT_DATA";
}

export const INITIAL_TRACKING: TrackingState = { datapoints: [], high: "INSUFFICIENT_DATA", low: "INSUFFICIENT_DATA" };

/** A change of desired capacity, and why. */
export interface ScalingDecision {
  readonly alarm: "high" | "low";
  readonly from: number;
  readonly to: number;
  /** The datapoints that put the alarm in ALARM, oldest first. */
  readonly datapoints: readonly number[];
  readonly threshold: number;
}

/** The alarm states after one more datapoint, and the scaling decision (if any). */
export function evaluatePeriod(state: TrackingState, input: PeriodInput, policy: TargetTrackingPolicy, alarms: AlarmShape = AWS_ALARMS): { state: TrackingState; decision?: ScalingDecision } {
  const keep = Math.max(alarms.highDatapoints, alarms.lowDatapoints);
  const datapoints = [...state.datapoints, input.metric].slice(-keep);
  const lowThreshold = policy.targetValue * alarms.lowFactor;
  const high = alarmState(datapoints, alarms.highDatapoints, (v) => v > policy.targetValue);
  const low = alarmState(datapoints, alarms.lowDatapoints, (v) => v < lowThreshold);
  const next: TrackingState = { datapoints, high, low };
  const metric = input.metric;
  if (metric === undefined) return { state: next };

  if (high === "ALARM") {
    // The metric comes from the instances past their warm-up; capacity still warming up already
    // counts toward desired, so the group scales out only beyond it.
    const reporting = Math.max(1, input.desired - input.warming);
    const wanted = Math.min(input.max, Math.ceil((reporting * metric) / policy.targetValue));
    if (wanted > input.desired) return { state: next, decision: { alarm: "high", from: input.desired, to: wanted, datapoints: lastOf(datapoints, alarms.highDatapoints), threshold: policy.targetValue } };
    return { state: next };
  }
  if (low === "ALARM" && !policy.disableScaleIn && input.warming === 0 && input.desired > input.min) {
    // Remove one instance at a time, and only when the rest stay below the target.
    const after = (input.desired * metric) / (input.desired - 1);
    if (after < policy.targetValue) return { state: next, decision: { alarm: "low", from: input.desired, to: input.desired - 1, datapoints: lastOf(datapoints, alarms.lowDatapoints), threshold: lowThreshold } };
  }
  return { state: next };
}

function alarmState(datapoints: ReadonlyArray<number | undefined>, needed: number, breaching: (v: number) => boolean): TrackingState["high"] {
  const recent = datapoints.slice(-needed);
  // Missing datapoints (no instance past its warm-up) leave too little data to decide.
  if (recent.length < needed || recent.some((v) => v === undefined)) return "INSUFFICIENT_DATA";
  return recent.every((v) => breaching(v!)) ? "ALARM" : "OK";
}

function lastOf(datapoints: ReadonlyArray<number | undefined>, n: number): number[] {
  return datapoints.slice(-n).map((v) => v ?? 0);
}

/** The CloudWatch alarm's name, as target tracking names it. */
export function alarmName(group: string, which: "high" | "low", suffix: string): string {
  return `TargetTracking-${group}-Alarm${which === "high" ? "High" : "Low"}-${suffix}`;
}
