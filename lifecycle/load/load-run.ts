/**
 * `seedstack load` on a running local environment: the load test with a live line per second, then
 * (for a group with a target tracking policy) the wait for the group to scale back in, and the
 * report: the load's totals and seconds, and every scaling activity with its time next to the
 * earliest time AWS's rules allow (target-tracking.ts). Before the load starts, it says when the
 * group cannot scale out under it, and why (scaling-outlook.ts).
 */
import type { LocalEnvironment } from "../local/local-environment.js";
import type { ScalingActivity } from "../local/scaling-activity.js";
import { startLoad, type LoadOptions, type LoadResult, type LoadSecond } from "./load-generator.js";
import { scalingOutlook } from "./scaling-outlook.js";

/** A scaling activity with its timing judged by AWS's rules. */
export interface TimedActivity extends ScalingActivity {
  /** Since the load started, ms (this run's clock). */
  readonly atMs: number;
  /** The earliest time AWS's rules allow, since the load started, ms. */
  readonly earliestMs: number;
  readonly rule: string;
  /** Not before the rule allows (less one alarm period: datapoints are not aligned with the load). */
  readonly withinRules: boolean;
}

/** The `load` section of the report. */
export interface LoadReport extends LoadResult {
  /** Why the group could not scale out under this load, said before it started (absent: nothing stood in the way). */
  readonly warnings?: readonly string[];
  readonly scaling?: {
    readonly group: string;
    readonly min: number;
    readonly max: number;
    readonly desiredAtStart: number;
    readonly desiredPeak: number;
    readonly desiredAtEnd: number;
    readonly policy: string;
    readonly periodMs: number;
    readonly warmupMs: number;
    readonly scaledOut: boolean;
    readonly scaledBackIn: boolean;
    readonly activities: readonly TimedActivity[];
  };
}

/** Run the load against `env`, print a line per second, wait for scale-in, report. */
export async function runLoad(env: LocalEnvironment, options: Omit<LoadOptions, "baseUrl" | "certificatePem">, print: (line: string) => void, signal: AbortSignal): Promise<LoadReport> {
  const group0 = env.autoScaling();
  const warnings = group0 ? scalingOutlook(group0, options.durationSeconds, Date.now()) : [];
  for (const w of warnings) print(`⚠ ${w}`);
  const started = Date.now();
  let desiredPeak = group0?.desired ?? 0;
  const groupLine = () => {
    const g = env.autoScaling();
    if (!g) return "";
    desiredPeak = Math.max(desiredPeak, g.desired);
    const last = g.datapoints.at(-1)?.value;
    const states = g.members.map((m) => `${m.lifecycle}${g.cpu[m.id] !== undefined ? ` ${g.cpu[m.id]!.toFixed(0)}%` : ""}`).join(", ");
    return `  desired ${g.desired} [${states}]${last !== undefined && last !== null ? `  ASG CPU ${last.toFixed(1)}%` : ""}`;
  };
  const line = (s: LoadSecond) =>
    print(`  ${String(Math.round((s.at + 1000 - started) / 1000)).padStart(4)} s  users ${String(s.users).padStart(5)}  req/s ${String(s.requests).padStart(5)}  fail ${String(s.failures).padStart(4)}  p50 ${fmt(s.p50)}  p95 ${fmt(s.p95)}${groupLine()}`);
  const load = startLoad({ ...options, baseUrl: env.url, ...(env.certificatePem ? { certificatePem: env.certificatePem } : {}) }, line);
  const onAbort = () => void load.stop();
  signal.addEventListener("abort", onAbort, { once: true });
  const result: LoadResult & Pick<LoadReport, "warnings"> = { ...(await load.done), ...(warnings.length ? { warnings } : {}) };
  signal.removeEventListener("abort", onAbort);
  const stopped = Date.now();
  print(`load done: ${result.requests} requests, ${result.failures} failures, p50 ${fmt(result.latencyMs.p50)}, p95 ${fmt(result.latencyMs.p95)}; served by ${Object.entries(result.servedBy).map(([id, n]) => `${id} ${n}`).join(", ")}`);

  const g = env.autoScaling();
  if (!g?.policy || !group0) return result;
  // Scale-in needs the low alarm's datapoints after the last instance's warm-up, then a drain.
  const lastLaunch = Math.max(0, ...g.activities.filter((a) => a.kind === "launch").map((a) => Date.parse(a.startTime)));
  const waitUntil = Math.max(stopped, lastLaunch + g.warmupMs) + (g.alarms.lowDatapoints + 3) * g.periodMs + env.stack.targetGroup.deregistrationDelaySeconds * (1000 / env.speedup) + 5_000;
  if (g.desired > g.min) print(`waiting for the group to scale back in (the low alarm needs ${g.alarms.lowDatapoints} datapoints of ${(g.periodMs / 1000).toFixed(1)} s below ${(g.policy.targetValue * g.alarms.lowFactor).toFixed(1)}%)`);
  let lastPrint = 0;
  while (!signal.aborted && Date.now() < waitUntil) {
    const now = env.autoScaling()!;
    if (now.desired === now.min && now.members.every((m) => m.lifecycle !== "Terminating")) break;
    if (Date.now() - lastPrint >= 1000) {
      lastPrint = Date.now();
      print(`  +${String(Math.round((Date.now() - stopped) / 1000)).padStart(3)} s after the load${groupLine()}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const end = env.autoScaling()!;
  return { ...result, scaling: scalingReport(end, group0.desired, desiredPeak, started, stopped) };
}

function scalingReport(g: NonNullable<ReturnType<LocalEnvironment["autoScaling"]>>, desiredAtStart: number, desiredPeak: number, started: number, stopped: number): NonNullable<LoadReport["scaling"]> {
  const p = g.policy!;
  const period = g.periodMs;
  const launches = g.activities.filter((a) => Date.parse(a.startTime) >= started - 1000 && a.alarm);
  const lastLaunch = Math.max(0, ...launches.filter((a) => a.kind === "launch").map((a) => Date.parse(a.startTime)));
  const activities = launches.map((a): TimedActivity => {
    const at = Date.parse(a.startTime) - started;
    const earliest =
      a.kind === "launch"
        ? g.alarms.highDatapoints * period
        : Math.max(stopped, Math.min(lastLaunch, Date.parse(a.startTime)) + g.warmupMs) - started + g.alarms.lowDatapoints * period;
    const rule =
      a.kind === "launch"
        ? `high alarm: ${g.alarms.highDatapoints} consecutive datapoints of ${period / 1000} s (60 s / speedup) above ${p.targetValue}%`
        : `low alarm: ${g.alarms.lowDatapoints} consecutive datapoints of ${period / 1000} s below ${p.targetValue * g.alarms.lowFactor}% (90% of the target), counted after the load stopped and the last instance's warm-up (${g.warmupMs / 1000} s)`;
    return { ...a, atMs: at, earliestMs: Math.round(earliest), rule, withinRules: at >= earliest - period };
  });
  return {
    group: g.name,
    min: g.min,
    max: g.max,
    desiredAtStart,
    desiredPeak,
    desiredAtEnd: g.desired,
    policy: `${p.name}: ${p.metric} at ${p.targetValue}%`,
    periodMs: period,
    warmupMs: g.warmupMs,
    scaledOut: desiredPeak > desiredAtStart,
    scaledBackIn: desiredPeak > desiredAtStart && g.desired === g.min,
    activities,
  };
}

const fmt = (ms: number | null) => (ms === null ? "    -" : `${ms.toFixed(1).padStart(6)} ms`);
