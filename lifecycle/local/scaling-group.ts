/**
 * The Auto Scaling group's dynamic scaling on this machine: every instance's CPU measured from the
 * operating system (cpu-usage.ts), aggregated as `ASGAverageCPUUtilization` over the instances past
 * their warm-up, one datapoint per alarm period (60 s / speedup), fed to the target tracking model
 * (target-tracking.ts). Its decisions change the desired capacity, and the difference is launched
 * or terminated through the engine's ports: a new instance registers with the target group and is
 * routed to only once its health checks pass; a terminated one is deregistered and drained first.
 * Every change is an activity in the Auto Scaling console's wording.
 */
import { randomBytes } from "node:crypto";
import type { LifecycleEvent } from "../events.js";
import { CpuMeter } from "./cpu-usage.js";
import type { ScalingActivity } from "./scaling-activity.js";

export type { ScalingActivity } from "./scaling-activity.js";
import { AWS_ALARMS, INITIAL_TRACKING, alarmName, evaluatePeriod, type AlarmShape, type ScalingDecision, type TargetTrackingPolicy, type TrackingState } from "./target-tracking.js";

/** An instance's lifecycle state, as the Auto Scaling console shows it. */
export type LifecycleState = "Pending" | "InService" | "Terminating";

/** One member as the group sees it. */
export interface GroupMember {
  readonly id: string;
  readonly pid?: number;
  readonly launchedAt: number;
  readonly lifecycle: LifecycleState;
}

/** The group as the stack defines it: what the engine starts it with and what the view shows back. */
export interface GroupSettings {
  /** The Auto Scaling group's name. */
  readonly name: string;
  /** Fewest instances. */
  readonly min: number;
  /** Most instances. */
  readonly max: number;
  /** The launch template's instance type. */
  readonly instanceType: string;
  /** Its vCPUs: an instance's CPU utilization is its process's CPU time over wall time divided by these. */
  readonly vcpus: number;
  /** The target tracking policy; absent: the desired capacity stays. */
  readonly policy?: TargetTrackingPolicy;
  /** Alarm period (60 s) and warm-up on this run's clock: already divided by the speed-up. */
  readonly periodMs: number;
  readonly warmupMs: number;
}

/** What the console and the load report read. */
export interface GroupView extends GroupSettings {
  /** The desired capacity now. */
  readonly desired: number;
  readonly alarms: AlarmShape;
  readonly alarmStates: { readonly high: TrackingState["high"]; readonly low: TrackingState["low"] };
  /** Each instance's CPU utilization at the last sample (percent of its vCPUs). */
  readonly cpu: Readonly<Record<string, number>>;
  /** The datapoints so far (percent; null: no data), newest last, with when each period closed. */
  readonly datapoints: ReadonlyArray<{ readonly at: number; readonly value: number | null }>;
  readonly members: readonly GroupMember[];
  readonly activities: readonly ScalingActivity[];
}

/** What the group needs from the engine. */
export interface ScalingGroupOptions extends GroupSettings {
  /** The desired capacity at the start. */
  readonly desired: number;
  members(): GroupMember[];
  /** Launch one instance (it registers itself); resolves with its ID. */
  launch(): Promise<string>;
  /** Take `id` out of service: deregister, drain, stop. Resolves when it is gone. */
  terminate(id: string): Promise<void>;
  onEvent(event: LifecycleEvent): void;
}

/** A running group with its scaling. */
export interface ScalingGroup {
  desired(): number;
  view(): GroupView;
  /** Record an activity the health replacement started (same history). */
  record(activity: Omit<ScalingActivity, "activityId" | "startTime" | "statusCode">): ScalingActivity;
  stop(): void;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** Start measuring and scaling; `stop()` ends both (the engine stops instances itself). */
export function startScalingGroup(o: ScalingGroupOptions): ScalingGroup {
  const { name, min, max, instanceType, vcpus, policy, periodMs, warmupMs } = o;
  const settings: GroupSettings = { name, min, max, instanceType, vcpus, ...(policy ? { policy } : {}), periodMs, warmupMs };
  let desired = o.desired;
  let tracking: TrackingState = INITIAL_TRACKING;
  const meter = new CpuMeter(o.vcpus);
  const cpu: Record<string, number> = {};
  const datapoints: Array<{ at: number; value: number | null }> = [];
  const activities: ScalingActivity[] = [];
  let periodSamples: number[] = [];
  const alarmSuffix = randomBytes(16).toString("hex").replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, "$1-$2-$3-$4-$5");
  let stopped = false;

  const record: ScalingGroup["record"] = (a) => {
    const activity: ScalingActivity = { ...a, activityId: randomBytes(18).toString("hex").slice(0, 36), startTime: iso(Date.now()), statusCode: "InProgress" };
    activities.push(activity);
    o.onEvent({ type: "scaling-activity", activity: { ...activity } });
    return activity;
  };
  const finish = (a: ScalingActivity, ok: boolean) => {
    a.endTime = iso(Date.now());
    a.statusCode = ok ? "Successful" : "Failed";
    o.onEvent({ type: "scaling-activity", activity: { ...a } });
  };

  const warming = (m: GroupMember, now: number) => now - m.launchedAt < o.warmupMs;

  // Sample twice per period (at most every second): /proc counts CPU in 10 ms ticks, so longer
  // samples read small utilizations less coarsely. The datapoint is the average of the group averages.
  const sampleEvery = Math.max(250, Math.min(1000, Math.round(o.periodMs / 2)));
  const sampler = setInterval(() => {
    const now = Date.now();
    const members = o.members();
    meter.retain(new Set(members.flatMap((m) => (m.pid ? [m.pid] : []))));
    const reporting: number[] = [];
    for (const m of members) {
      const value = m.pid !== undefined && m.lifecycle !== "Terminating" ? meter.sample(m.pid) : undefined;
      if (value === undefined) {
        delete cpu[m.id];
        continue;
      }
      cpu[m.id] = value;
      // Instances still warming up do not contribute to the aggregated metric.
      if (m.lifecycle === "InService" && !warming(m, now)) reporting.push(value);
    }
    if (reporting.length > 0) periodSamples.push(reporting.reduce((a, b) => a + b, 0) / reporting.length);
  }, sampleEvery);

  const apply = (decision: ScalingDecision) => {
    const now = Date.now();
    const which = decision.alarm;
    const name = alarmName(o.name, which, alarmSuffix);
    const alarm = { name, which, datapoints: decision.datapoints, threshold: decision.threshold, periodMs: o.periodMs };
    const triggered = `At ${iso(now)} a monitor alarm ${name} in state ALARM triggered policy ${o.policy!.name} changing the desired capacity from ${decision.from} to ${decision.to}.`;
    desired = decision.to;
    if (decision.to > decision.from) {
      for (let n = decision.from; n < decision.to; n++) {
        void o.launch().then(
          (id) => {
            const a = record({
              kind: "launch",
              instance: id,
              description: `Launching a new EC2 instance: ${id}`,
              cause: `${triggered} At ${iso(Date.now())} an instance was started in response to a difference between desired and actual capacity, increasing the capacity from ${n} to ${n + 1}.`,
              alarm,
            });
            finish(a, true);
          },
          () => undefined,
        );
      }
      return;
    }
    // Scale in: the newest instance goes (the local model's termination policy), drained first.
    const victims = o
      .members()
      .filter((m) => m.lifecycle !== "Terminating")
      .sort((a, b) => b.launchedAt - a.launchedAt)
      .slice(0, decision.from - decision.to);
    for (const v of victims) {
      const a = record({
        kind: "terminate",
        instance: v.id,
        description: `Terminating EC2 instance: ${v.id}`,
        cause: `${triggered} At ${iso(Date.now())} an instance was taken out of service in response to a difference between desired and actual capacity, shrinking the capacity from ${decision.from} to ${decision.to}. At ${iso(Date.now())} instance ${v.id} was selected for termination.`,
        alarm,
      });
      void o.terminate(v.id).then(
        () => finish(a, true),
        () => finish(a, false),
      );
    }
  };

  const evaluator = o.policy
    ? setInterval(() => {
        if (stopped) return;
        const now = Date.now();
        const value = periodSamples.length ? periodSamples.reduce((a, b) => a + b, 0) / periodSamples.length : undefined;
        periodSamples = [];
        datapoints.push({ at: now, value: value ?? null });
        if (datapoints.length > 120) datapoints.shift();
        const members = o.members().filter((m) => m.lifecycle !== "Terminating");
        const r = evaluatePeriod(tracking, { metric: value, desired, min: o.min, max: o.max, warming: members.filter((m) => warming(m, now)).length }, o.policy!);
        tracking = r.state;
        if (r.decision) apply(r.decision);
      }, o.periodMs)
    : undefined;

  return {
    desired: () => desired,
    record,
    view: () => ({
      ...settings,
      desired,
      alarms: AWS_ALARMS,
      alarmStates: { high: tracking.high, low: tracking.low },
      cpu: { ...cpu },
      datapoints: [...datapoints],
      members: o.members(),
      activities: activities.map((a) => ({ ...a })),
    }),
    stop() {
      stopped = true;
      clearInterval(sampler);
      if (evaluator) clearInterval(evaluator);
    },
  };
}
