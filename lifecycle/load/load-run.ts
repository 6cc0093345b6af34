/**
 * `seedstack load` on a running local environment: the load test with a live line per second, then
 * (for a group with a target tracking policy) the wait for the group to scale back in, and the
 * report: the load's totals and seconds, and every scaling activity with its time next to the
 * earliest time AWS's rules allow (target-tracking.ts). Before the load starts, it says when the
 * group cannot scale out under it, and why (scaling-outlook.ts).
 *
 * The environment is a LoadSource: one this process runs (localSource), or the one a `seedstack up`
 * runs, driven through its console (attached-source.ts).
 */
import type { LocalEnvironment } from "../local/local-environment.js";
import type { GroupView } from "../local/scaling-group.js";
import { timeActivities, type TimedActivity } from "./activity-timing.js";
import { startLoad, type LoadOptions, type LoadResult, type LoadSecond } from "./load-generator.js";
import { scalingOutlook } from "./scaling-outlook.js";

/** What the load test runs against. */
export interface LoadSource {
  /** The Auto Scaling group now; undefined for a stack without one. */
  autoScaling(): GroupView | undefined;
  /** How long a deregistered target drains, ms on this run's clock (the scale-in wait allows for it). */
  readonly drainMs: number;
  /** The environment is a running `up`'s (its stack is synthesized already: advice names `load --own`). @default false */
  readonly attached?: boolean;
  /** Start the load; `onSecond` gets each second as it closes. */
  start(options: LoadSettings, onSecond: (s: LoadSecond) => void): Promise<{ readonly done: Promise<LoadResult>; stop(): Promise<LoadResult> }>;
}

/** What `seedstack load` asks for: users or a rate, the duration, the ramp. */
export type LoadSettings = Omit<LoadOptions, "baseUrl" | "certificatePem">;

/** An environment this process runs: the load is sent from here. */
export function localSource(env: LocalEnvironment): LoadSource {
  return {
    autoScaling: () => env.autoScaling(),
    drainMs: env.stack.targetGroup.deregistrationDelaySeconds * (1000 / env.speedup),
    start: async (options, onSecond) => startLoad({ ...options, baseUrl: env.url, ...(env.certificatePem ? { certificatePem: env.certificatePem } : {}) }, onSecond),
  };
}

/** The `load` section of the report. */
export interface LoadReport extends LoadResult {
  /** The `seedstack up` the load attached to (its pid, its console without the token); absent: an environment of its own. */
  readonly attached?: { readonly pid: number; readonly console: string };
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
    /** The group's ASGAverageCPUUtilization datapoints (percent; null: no instance past its warm-up), when each period closed since the load started. */
    readonly datapoints: ReadonlyArray<{ readonly atMs: number; readonly value: number | null }>;
  };
}

/** Run the load against `env`, print a line per second, wait for scale-in, report. */
export async function runLoad(env: LoadSource, options: LoadSettings, print: (line: string) => void, signal: AbortSignal): Promise<LoadReport> {
  const group0 = env.autoScaling();
  const warnings = group0 ? scalingOutlook(group0, options.durationSeconds, Date.now(), env.attached ?? false) : [];
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
  const load = await env.start(options, line);
  // A stop that fails (an attached up's console gone) must not become an unhandled rejection:
  // `done` carries that failure (the watcher sees the console go) and the command reports it.
  const onAbort = () => void load.stop().catch(() => undefined);
  signal.addEventListener("abort", onAbort, { once: true });
  // An abort while the load was being started has fired already: stop it now.
  if (signal.aborted) onAbort();
  const result: LoadResult & Pick<LoadReport, "warnings"> = { ...(await load.done), ...(warnings.length ? { warnings } : {}) };
  signal.removeEventListener("abort", onAbort);
  const stopped = Date.now();
  print(`load done: ${result.requests} requests, ${result.failures} failures, p50 ${fmt(result.latencyMs.p50)}, p95 ${fmt(result.latencyMs.p95)}; served by ${Object.entries(result.servedBy).map(([id, n]) => `${id} ${n}`).join(", ")}`);

  const g = env.autoScaling();
  if (!g?.policy || !group0) return result;
  // Scale-in needs the low alarm's datapoints after the last instance's warm-up, then a drain.
  const lastLaunch = Math.max(0, ...g.activities.filter((a) => a.kind === "launch").map((a) => Date.parse(a.startTime)));
  const waitUntil = Math.max(stopped, lastLaunch + g.warmupMs) + (g.alarms.lowDatapoints + 3) * g.periodMs + env.drainMs + 5_000;
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
  return { ...result, scaling: scalingReport(end, group0.desired, desiredPeak, started) };
}

function scalingReport(g: GroupView, desiredAtStart: number, desiredPeak: number, started: number): NonNullable<LoadReport["scaling"]> {
  const p = g.policy!;
  return {
    group: g.name,
    min: g.min,
    max: g.max,
    desiredAtStart,
    desiredPeak,
    desiredAtEnd: g.desired,
    policy: `${p.name}: ${p.metric} at ${p.targetValue}%`,
    periodMs: g.periodMs,
    warmupMs: g.warmupMs,
    scaledOut: desiredPeak > desiredAtStart,
    scaledBackIn: desiredPeak > desiredAtStart && g.desired === g.min,
    activities: timeActivities(g, started),
    datapoints: g.datapoints.filter((d) => d.at >= started).map((d) => ({ atMs: d.at - started, value: d.value === null ? null : Number(d.value.toFixed(3)) })),
  };
}

const fmt = (ms: number | null) => (ms === null ? "    -" : `${ms.toFixed(1).padStart(6)} ms`);
