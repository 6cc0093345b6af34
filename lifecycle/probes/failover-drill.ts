/**
 * The failover drill, the course's exercise: with steady, bounded load running through the load
 * balancer, take one target down, either way the course shows (the process dies; or the app stops
 * answering while the process lives, so its health check fails), and measure what a user sees:
 * how long until the load balancer stops routing to it (detection), how many requests failed in
 * that window, that none fail afterwards and the survivors take all traffic, that no acknowledged
 * write is lost (with a database), and how long the target takes to come back. Each measured time
 * is compared with what the health-check settings imply.
 *
 * The drill talks to the environment only through `DrillControl`, so an engine for real AWS can
 * run it too (stopping an instance, for example).
 */
import { LifecycleError, throwIfCancelled } from "../errors.js";
import type { RunContext, TargetState } from "../events.js";
import type { HealthCheckSpec } from "../stack/stack.js";
import { abortableSleep } from "./abortable-sleep.js";
import { header, httpClient } from "./http-client.js";
import { buildTimeline, type LoadSample, type TimelineBucket } from "./timeline.js";

/** How the target is taken down. */
export type FailureMode = "process-dies" | "health-fails";

/** What the drill may do to the environment. */
export interface DrillControl {
  /** The registered targets and their health. */
  targets(): ReadonlyArray<{ readonly id: string; readonly state: TargetState }>;
  fail(id: string, mode: FailureMode): Promise<void>;
  recover(id: string, mode: FailureMode): Promise<void>;
}

/** Settings of one drill. */
export interface DrillOptions {
  readonly baseUrl: string;
  readonly certificatePem?: string;
  /** A database is shared: check that no acknowledged write is lost. */
  readonly sharedStore: boolean;
  readonly healthCheck: HealthCheckSpec;
  /** The clock speed-up the environment runs with (durations are divided by it). */
  readonly speedup: number;
  readonly mode: FailureMode;
  /** Requests per second of load. @default 20 */
  readonly rps?: number;
  /** A request that takes longer counts as failed. @default 2000 ms */
  readonly requestTimeoutMs?: number;
}

/** A measured time next to what the health-check settings imply. */
export interface MeasuredTime {
  readonly measuredMs?: number;
  readonly expectedMinMs: number;
  readonly expectedMaxMs: number;
  /** Whether the measured time falls in the implied range (a quarter and 250 ms of slack). */
  readonly withinExpected: boolean;
}

/** The drill's result. */
export interface DrillResult {
  readonly mode: FailureMode;
  readonly ok: boolean;
  readonly problems: readonly string[];
  readonly victim: string;
  readonly survivors: readonly string[];
  readonly speedup: number;
  readonly requests: number;
  /** Failure to the load balancer marking the target unhealthy. */
  readonly detection: MeasuredTime;
  /** Failure to the last failed request. */
  readonly lastFailureAfterMs?: number;
  readonly failedInWindow: number;
  readonly failedAfterWindow: number;
  /** Share of successful requests after detection served by the survivors (1 = all). */
  readonly survivorShareAfter: number;
  readonly writes?: { readonly acknowledged: number; readonly lastAcknowledged?: string; readonly finalValues: Readonly<Record<string, string>>; readonly lost: boolean };
  /** Recovery to the target being healthy again and serving. */
  readonly recovery: MeasuredTime;
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly marks: ReadonlyArray<{ readonly atMs: number; readonly label: string }>;
  readonly timeline: readonly TimelineBucket[];
  /** Width of a timeline bucket, ms (one second of stack time). */
  readonly bucketMs: number;
}

const quantile = (sorted: readonly number[], q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : 0);

/** Run one drill; throws only when cancelled or when fewer than two targets are healthy. */
export async function runFailoverDrill(control: DrillControl, options: DrillOptions, ctx: RunContext): Promise<DrillResult> {
  const hc = options.healthCheck;
  const scale = (seconds: number) => (seconds * 1000) / options.speedup;
  const healthy = control.targets().filter((t) => t.state === "healthy");
  if (healthy.length < 2) throw new LifecycleError("ERR_DRILL_FAILED", `the drill needs at least two healthy targets, so one can fail over to another; ${healthy.length} healthy`);
  const victim = healthy[0]!.id;
  const survivors = healthy.slice(1).map((t) => t.id);
  // Cancelling ends the requests on their way too: the finally below must not wait out their timeouts.
  const client = httpClient(options.certificatePem, { cancel: ctx.signal });
  const base = options.baseUrl.replace(/\/$/, "");
  const rps = options.rps ?? 20;
  const timeoutMs = options.requestTimeoutMs ?? 2000;
  const started = performance.now();
  const now = () => performance.now() - started;
  const samples: LoadSample[] = [];
  const marks: Array<{ atMs: number; label: string }> = [];
  const mark = (label: string) => {
    marks.push({ atMs: now(), label });
    ctx.onEvent({ type: "progress", phase: "drill", message: label });
  };
  const writes: Array<{ value: string; sentAt: number; acked: boolean }> = [];
  let writeCounter = 0n;
  const writeBase = 10n ** 20n;

  // Steady, bounded load: one request every 1/rps s, at most 64 in flight.
  let inFlight = 0;
  let sent = 0;
  const pending = new Set<Promise<void>>();
  const fire = () => {
    if (inFlight >= 64) return;
    const atMs = now();
    const isWrite = options.sharedStore && sent % 4 === 3;
    sent++;
    inFlight++;
    const value = isWrite ? String(writeBase + ++writeCounter) : "";
    const write = isWrite ? { value, sentAt: atMs, acked: false } : undefined;
    if (write) writes.push(write);
    const p = client
      .send(`${base}/`, isWrite ? { method: "POST", body: `{"num": ${value}}`, headers: { "content-type": "application/json" }, timeoutMs } : { timeoutMs })
      .then((r) => {
        const ok = r.ok && r.status === 200 && (!isWrite || r.body === value);
        if (write && ok) write.acked = true;
        const servedBy = header(r, "x-served-by");
        samples.push({ atMs, ok, status: r.status, ms: r.ms, ...(servedBy ? { servedBy } : {}) });
      })
      .finally(() => {
        inFlight--;
        pending.delete(p);
      });
    pending.add(p);
  };
  const loader = setInterval(fire, 1000 / rps);
  const stateOf = (id: string) => control.targets().find((t) => t.id === id)?.state;
  const waitUntil = async (what: string, condition: () => boolean, deadlineMs: number): Promise<boolean> => {
    const deadline = now() + deadlineMs;
    while (!condition()) {
      throwIfCancelled(ctx.signal);
      if (now() > deadline) {
        problems.push(`${what} did not happen within ${Math.round(deadlineMs)} ms`);
        return false;
      }
      await abortableSleep(10, ctx.signal);
    }
    return true;
  };
  const problems: string[] = [];
  const modeWords = options.mode === "process-dies" ? "the process dies" : "the app stops answering; its process lives";
  const detectionExtra = options.mode === "health-fails" ? hc.timeoutSeconds : 0;
  const expectedDetection = { min: scale((hc.unhealthyThreshold - 1) * hc.intervalSeconds + detectionExtra), max: scale(hc.unhealthyThreshold * hc.intervalSeconds + detectionExtra) };
  const expectedRecovery = { min: scale((hc.healthyThreshold - 1) * hc.intervalSeconds), max: scale(hc.healthyThreshold * hc.intervalSeconds) };

  let failAt = 0;
  let unhealthyAt: number | undefined;
  let recoverAt = 0;
  let recoveredAt: number | undefined;
  try {
    // Warm up: every target serves before anything fails.
    await waitUntil("traffic reaching every target before the failure", () => [victim, ...survivors].every((id) => samples.some((s) => s.servedBy === id)), scale(hc.intervalSeconds * 4) + 10_000);
    await abortableSleep(Math.max(500, scale(hc.intervalSeconds)), ctx.signal);
    failAt = now();
    mark(`failure: ${victim} (${modeWords})`);
    await control.fail(victim, options.mode);
    if (await waitUntil(`the load balancer marking ${victim} unhealthy`, () => stateOf(victim) === "unhealthy", expectedDetection.max * 3 + 5_000)) {
      unhealthyAt = now();
      mark(`detected: ${victim} unhealthy`);
    }
    // The window is over: the load keeps running, and must all succeed on the survivors.
    await abortableSleep(Math.max(1000, scale(hc.intervalSeconds * 2)), ctx.signal);
    // Never recover after a cancel: the environment is being taken down, not brought back.
    throwIfCancelled(ctx.signal);
    recoverAt = now();
    mark(`recovery: ${victim} ${options.mode === "process-dies" ? "started again" : "answers again"}`);
    await control.recover(victim, options.mode);
    if (await waitUntil(`${victim} serving again after recovery`, () => stateOf(victim) === "healthy" && samples.some((s) => s.atMs > recoverAt && s.servedBy === victim), expectedRecovery.max * 3 + 10_000)) {
      recoveredAt = samples.find((s) => s.atMs > recoverAt && s.servedBy === victim)!.atMs;
      mark(`recovered: ${victim} serving`);
    }
    await abortableSleep(Math.max(500, scale(hc.intervalSeconds)), ctx.signal);
  } finally {
    clearInterval(loader);
    await Promise.all([...pending]);
    if (ctx.signal.aborted) await client.close().catch(() => undefined);
  }

  // Writes: every instance must read the last acknowledged value, or a later one whose answer was lost.
  let writeReport: DrillResult["writes"];
  if (options.sharedStore) {
    const finalValues: Record<string, string> = {};
    for (let i = 0; i < 40 && Object.keys(finalValues).length < survivors.length + 1; i++) {
      const r = await client.send(`${base}/`, { timeoutMs });
      const who = header(r, "x-served-by");
      if (r.status === 200 && who) finalValues[who] = r.body;
    }
    const acked = writes.filter((w) => w.acked);
    const last = acked.at(-1);
    const allowed = new Set(last ? [last.value, ...writes.filter((w) => !w.acked && w.sentAt >= last.sentAt).map((w) => w.value)] : []);
    const lost = last !== undefined && Object.values(finalValues).some((v) => !allowed.has(v));
    if (lost) problems.push(`an acknowledged write was lost: the last acknowledged value was ${last!.value}; instances read ${JSON.stringify(finalValues)}`);
    writeReport = { acknowledged: acked.length, ...(last ? { lastAcknowledged: last.value } : {}), finalValues, lost };
  }
  await client.close();

  const detectedAt = unhealthyAt ?? Infinity;
  const windowFailures = samples.filter((s) => !s.ok && s.atMs >= failAt && s.atMs <= detectedAt);
  // After detection: requests sent once the load balancer knew (minus one request timeout for those already on their way).
  const after = samples.filter((s) => s.atMs > detectedAt && s.atMs < recoverAt);
  const failedAfter = after.filter((s) => !s.ok);
  const okAfter = after.filter((s) => s.ok);
  const survivorShare = okAfter.length ? okAfter.filter((s) => s.servedBy !== victim).length / okAfter.length : 0;
  if (failedAfter.length > 0) problems.push(`${failedAfter.length} request(s) failed after the load balancer had marked ${victim} unhealthy`);
  if (okAfter.length === 0) problems.push("no request succeeded between detection and recovery");
  else if (survivorShare < 1) problems.push(`${victim} still got ${okAfter.length - okAfter.filter((s) => s.servedBy !== victim).length} request(s) after it was marked unhealthy`);
  const lastFailure = samples.filter((s) => !s.ok && s.atMs >= failAt).at(-1);
  const latencies = samples.filter((s) => s.ok).map((s) => s.ms).sort((a, b) => a - b);
  const detectionMs = unhealthyAt !== undefined ? unhealthyAt - failAt : undefined;
  const recoveryMs = recoveredAt !== undefined ? recoveredAt - recoverAt : undefined;
  // Probes are scheduled on a timer and answered over loopback: allow a quarter, plus 250 ms of scheduling.
  const within = (ms: number | undefined, e: { min: number; max: number }) => ms !== undefined && ms >= e.min * 0.75 - 250 && ms <= e.max * 1.25 + 250;
  const bucketMs = 1000 / options.speedup;
  return {
    mode: options.mode,
    ok: problems.length === 0,
    problems,
    victim,
    survivors,
    speedup: options.speedup,
    requests: samples.length,
    detection: { ...(detectionMs !== undefined ? { measuredMs: detectionMs } : {}), expectedMinMs: expectedDetection.min, expectedMaxMs: expectedDetection.max, withinExpected: within(detectionMs, expectedDetection) },
    ...(lastFailure ? { lastFailureAfterMs: lastFailure.atMs - failAt } : {}),
    failedInWindow: windowFailures.length,
    failedAfterWindow: failedAfter.length,
    survivorShareAfter: survivorShare,
    ...(writeReport ? { writes: writeReport } : {}),
    recovery: { ...(recoveryMs !== undefined ? { measuredMs: recoveryMs } : {}), expectedMinMs: expectedRecovery.min, expectedMaxMs: expectedRecovery.max, withinExpected: within(recoveryMs, expectedRecovery) },
    latencyMs: { p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), max: latencies.at(-1) ?? 0 },
    marks,
    timeline: buildTimeline(samples, marks, bucketMs),
    bucketMs,
  };
}
