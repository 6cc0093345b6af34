/**
 * A load test the way locust runs one: a number of users, each sending its next request as soon as
 * the last one is answered, spawned evenly over a ramp; or a fixed request rate, reached over the
 * ramp. Bounded (users, rate, duration), and only against this machine: the URL must be loopback.
 * Every request is counted per second (requests, failures, p50/p95) and by the instance that
 * answered it (X-Served-By).
 */
import { Agent, request } from "undici";
import { LifecycleError } from "../errors.js";
import { PerSecond, type SecondStats } from "./per-second.js";

/** The bounds: a typo must not become a denial of service on a shared machine. */
export const LOAD_LIMITS = { users: 200, rps: 2000, durationSeconds: 3600, rampSeconds: 600 } as const;

/** What to run. */
export interface LoadOptions {
  readonly baseUrl: string;
  /** The certificate to pin for HTTPS (self-signed stacks). */
  readonly certificatePem?: string;
  /** Concurrent users (locust's -u), each without think time. One of users and rps. */
  readonly users?: number;
  /** A fixed request rate instead of users. */
  readonly rps?: number;
  /** Seconds to reach the full users or rate (locust's spawn rate, as a duration). @default 0 */
  readonly rampSeconds?: number;
  /** Seconds of load, ramp included. */
  readonly durationSeconds: number;
  /** Request path. @default "/" */
  readonly path?: string;
  /** A request slower than this fails. @default 5000 ms */
  readonly timeoutMs?: number;
}

/** A second of the test, as the live line and the charts show it. */
export interface LoadSecond extends SecondStats {
  /** Users (or the rate) in effect during the second. */
  readonly users: number;
}

/** The load test's result (the `load` section of the JSON report). */
export interface LoadResult {
  readonly mode: "users" | "rps";
  readonly users?: number;
  readonly rps?: number;
  readonly rampSeconds: number;
  readonly durationSeconds: number;
  readonly startedAt: string;
  readonly stoppedAt?: string;
  readonly requests: number;
  readonly failures: number;
  readonly latencyMs: { readonly p50: number | null; readonly p95: number | null; readonly max: number | null };
  /** Requests answered per instance ID. */
  readonly servedBy: Readonly<Record<string, number>>;
  /** Failures by reason (status code or error). */
  readonly failureReasons: Readonly<Record<string, number>>;
  readonly seconds: readonly LoadSecond[];
}

/** A running load test. */
export interface RunningLoad {
  readonly options: LoadOptions;
  /** When it started (ISO 8601), as its result's startedAt. */
  readonly startedAt: string;
  /** Users (or rate) in effect now. */
  current(): number;
  running(): boolean;
  seconds(): LoadSecond[];
  /** Stop early; resolves with the result once in-flight requests are done. */
  stop(): Promise<LoadResult>;
  /** Resolves when the duration is over (or stop() was called). */
  readonly done: Promise<LoadResult>;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

/** Check the options: exactly one of users and rps, within the bounds, loopback only. */
export function checkLoadOptions(o: LoadOptions): void {
  const problems: string[] = [];
  let host = "";
  try {
    host = new URL(o.baseUrl).hostname;
  } catch {
    problems.push(`the URL ${JSON.stringify(o.baseUrl)} is not a URL`);
  }
  if (host && !LOOPBACK.has(host)) problems.push(`the URL's host is ${host}; load is only sent to this machine (127.0.0.1, localhost)`);
  if ((o.users === undefined) === (o.rps === undefined)) problems.push("give exactly one of users and rps");
  if (o.users !== undefined && !(Number.isInteger(o.users) && o.users >= 1 && o.users <= LOAD_LIMITS.users)) problems.push(`users is ${o.users}; allowed: a whole number from 1 to ${LOAD_LIMITS.users}`);
  if (o.rps !== undefined && !(Number.isFinite(o.rps) && o.rps > 0 && o.rps <= LOAD_LIMITS.rps)) problems.push(`rps is ${o.rps}; allowed: more than 0 and at most ${LOAD_LIMITS.rps}`);
  if (!(Number.isFinite(o.durationSeconds) && o.durationSeconds > 0 && o.durationSeconds <= LOAD_LIMITS.durationSeconds)) problems.push(`duration is ${o.durationSeconds} s; allowed: more than 0 and at most ${LOAD_LIMITS.durationSeconds}`);
  const ramp = o.rampSeconds ?? 0;
  if (!(Number.isFinite(ramp) && ramp >= 0 && ramp <= Math.min(LOAD_LIMITS.rampSeconds, o.durationSeconds))) problems.push(`ramp is ${ramp} s; allowed: 0 to the duration (at most ${LOAD_LIMITS.rampSeconds})`);
  if (problems.length) throw new LifecycleError("ERR_USAGE", `load: ${problems.join("; ")}`);
}

/** Start a load test; `onSecond` is called as each second closes. */
export function startLoad(options: LoadOptions, onSecond?: (s: LoadSecond) => void): RunningLoad {
  checkLoadOptions(options);
  const url = options.baseUrl.replace(/\/$/, "") + (options.path ?? "/");
  const timeoutMs = options.timeoutMs ?? 5_000;
  const ramp = (options.rampSeconds ?? 0) * 1000;
  const full = options.users ?? options.rps!;
  const agent = new Agent({ ...(options.certificatePem ? { connect: { ca: options.certificatePem } } : {}), connections: Math.max(8, options.users ?? 64), keepAliveTimeout: 4_000 });
  const started = Date.now();
  const perSecond = new PerSecond(LOAD_LIMITS.durationSeconds + 10);
  const usersAt = new Map<number, number>();
  const servedBy: Record<string, number> = {};
  const failureReasons: Record<string, number> = {};
  let latencies: number[] = [];
  let total = 0;
  let stopping = false;
  let stoppedAt: number | undefined;
  const inFlight = new Set<Promise<void>>();

  const current = () => (stopping ? 0 : ramp === 0 ? full : Math.min(full, Math.max(options.users ? 1 : 0, (full * (Date.now() - started)) / ramp)));

  const one = async (): Promise<void> => {
    const t0 = performance.now();
    let failure: string | undefined;
    try {
      const res = await request(url, { dispatcher: agent, method: "GET", headersTimeout: timeoutMs, bodyTimeout: timeoutMs, signal: AbortSignal.timeout(timeoutMs) });
      await res.body.dump();
      const by = res.headers["x-served-by"];
      if (typeof by === "string") servedBy[by] = (servedBy[by] ?? 0) + 1;
      if (res.statusCode >= 400) failure = `HTTP ${res.statusCode}`;
    } catch (err) {
      const e = err as Error & { code?: string; cause?: { code?: string } };
      failure = e.name === "TimeoutError" || e.name === "AbortError" ? `no answer within ${timeoutMs} ms` : (e.cause?.code ?? e.code ?? e.message);
    }
    const ms = performance.now() - t0;
    if (failure) failureReasons[failure] = (failureReasons[failure] ?? 0) + 1;
    total++;
    perSecond.add(ms, failure !== undefined);
    latencies.push(ms);
    if (latencies.length > 200_000) latencies = latencies.slice(-100_000);
  };
  const track = (p: Promise<void>) => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  };

  // Users: each loops while it is among the first current() users.
  const user = async (n: number) => {
    while (!stopping) {
      if (n >= Math.ceil(current())) {
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      const p = one();
      track(p);
      await p;
    }
  };
  const userLoops = options.users ? Array.from({ length: options.users }, (_, n) => user(n)) : [];

  // Rate: a tick every 10 ms sends what the rate owes since the start, never more than 1000 in flight.
  let owed = 0;
  let lastTick = Date.now();
  const rateTimer = options.rps
    ? setInterval(() => {
        const now = Date.now();
        owed += (current() * (now - lastTick)) / 1000;
        lastTick = now;
        while (owed >= 1 && inFlight.size < 1000) {
          owed--;
          track(one());
        }
      }, 10)
    : undefined;

  let lastReported = started - (started % 1000);
  const secondTimer = setInterval(() => {
    usersAt.set(Date.now() - (Date.now() % 1000), current());
    for (const s of perSecond.seconds()) {
      if (s.at < lastReported) continue;
      lastReported = s.at + 1000;
      onSecond?.({ ...s, users: usersAt.get(s.at) ?? current() });
    }
  }, 250);
  usersAt.set(started - (started % 1000), current());

  const seconds = (): LoadSecond[] => perSecond.seconds().map((s) => ({ ...s, users: Math.round((usersAt.get(s.at) ?? 0) * 10) / 10 }));

  let resolveDone!: (r: LoadResult) => void;
  const done = new Promise<LoadResult>((r) => (resolveDone = r));
  let finishing: Promise<LoadResult> | undefined;
  const finish = (): Promise<LoadResult> =>
    (finishing ??= (async () => {
      stopping = true;
      stoppedAt = Date.now();
      clearTimeout(endTimer);
      if (rateTimer) clearInterval(rateTimer);
      await Promise.all(userLoops);
      await Promise.all([...inFlight]);
      clearInterval(secondTimer);
      await agent.close();
      const sorted = [...latencies].sort((a, b) => a - b);
      const pick = (q: number) => (sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! * 10) / 10 : null);
      const all = seconds();
      const result: LoadResult = {
        mode: options.users ? "users" : "rps",
        ...(options.users ? { users: options.users } : { rps: options.rps! }),
        rampSeconds: options.rampSeconds ?? 0,
        durationSeconds: options.durationSeconds,
        startedAt: new Date(started).toISOString(),
        stoppedAt: new Date(stoppedAt).toISOString(),
        requests: total,
        failures: Object.values(failureReasons).reduce((a, b) => a + b, 0),
        latencyMs: { p50: pick(0.5), p95: pick(0.95), max: sorted.length ? Math.round(sorted.at(-1)! * 10) / 10 : null },
        servedBy: { ...servedBy },
        failureReasons: { ...failureReasons },
        seconds: all,
      };
      resolveDone(result);
      return result;
    })());
  const endTimer = setTimeout(() => void finish(), options.durationSeconds * 1000);

  return {
    options,
    startedAt: new Date(started).toISOString(),
    current,
    running: () => !stopping,
    seconds,
    stop: finish,
    done,
  };
}
