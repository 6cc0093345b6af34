/**
 * The smoke test, against any base URL (the local engine's, or a real ALB's): GET/POST/GET round
 * trip with an integer far beyond 2^53, /status, every target reached (X-Served-By), the same
 * value from every instance when a database is shared, the HTTP -> HTTPS redirect followed to
 * where it leads (redirect-check.ts), TLS verified against the stack's certificate by pinning it,
 * and stickiness when enabled. Each check retries until it passes or the deadline passes
 * (Terratest's HTTP-with-retry: an environment that was just created is eventually consistent).
 * Every check is in the result: run, or skipped with the reason, so a check that does not apply
 * is never mistaken for one that was forgotten. The result is data: JSON and Markdown come from it.
 */
import { throwIfCancelled } from "../errors.js";
import type { RunContext } from "../events.js";
import { header, httpClient, type HttpClient, type HttpResult } from "./http-client.js";
import { followRedirect } from "./redirect-check.js";
import { tlsHandshake } from "./tls-handshake.js";

/** What to test and what to expect. */
export interface SmokeTarget {
  /** The URL clients use (https:// when the stack has TLS). */
  readonly baseUrl: string;
  /** The plain-HTTP listener, which must redirect to HTTPS (the redirect is followed); absent: the check is skipped. */
  readonly redirectFromUrl?: string;
  /** Why no redirect is checked, when `redirectFromUrl` is absent (the skipped check says it). */
  readonly redirectSkipped?: string;
  /** The stack's certificate, pinned for every HTTPS request. */
  readonly certificatePem?: string;
  /** How many distinct instances must answer. */
  readonly expectedTargets: number;
  /** Every instance shares one seed (a database). */
  readonly sharedStore: boolean;
  /** Load-balancer cookie stickiness is on. */
  readonly stickiness: boolean;
  /**
   * Connect here (the ALB's own DNS name) instead of `baseUrl`'s host, which stays the TLS server
   * name and Host header: for a certificate's name with no DNS record (`acm-arn` PR stacks).
   * @default the URL's own host
   */
  readonly connectTo?: string;
}

/** One check's outcome. */
export interface SmokeCheck {
  readonly name: string;
  /** Passed, or skipped (then `skipped` says why). */
  readonly ok: boolean;
  /** Why the check was not run; absent when it ran. */
  readonly skipped?: string;
  readonly detail: string;
  readonly attempts: number;
  /** Wall time of the check, retries included. */
  readonly ms: number;
  /** Latencies of the requests it made, ms. */
  readonly latenciesMs: readonly number[];
}

/** The smoke test's result. */
export interface SmokeResult {
  readonly ok: boolean;
  readonly baseUrl: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly checks: readonly SmokeCheck[];
}

/** A number no float can hold: JSON.parse would round it. */
export const BIG_SEED = "123456789012345678901234567890123456789";

type Attempt = { ok: boolean; detail: string };

/** Run every check; never throws for a failing check (the result says), only on cancellation. */
export async function runSmokeTest(target: SmokeTarget, ctx: RunContext, options: { deadlineMs?: number; requestTimeoutMs?: number } = {}): Promise<SmokeResult> {
  const started = Date.now();
  const deadline = started + (options.deadlineMs ?? 30_000);
  const timeoutMs = options.requestTimeoutMs ?? 5_000;
  // A cancel ends requests on their way; connectTo reaches a name without a DNS record.
  const client = httpClient(target.certificatePem, { cancel: ctx.signal, ...(target.connectTo ? { connectTo: target.connectTo } : {}) });
  const checks: SmokeCheck[] = [];
  const base = target.baseUrl.replace(/\/$/, "");

  const check = async (name: string, attempt: (send: (url: string, init?: Parameters<HttpClient["send"]>[1]) => Promise<HttpResult>) => Promise<Attempt>) => {
    throwIfCancelled(ctx.signal);
    const t0 = Date.now();
    const latencies: number[] = [];
    const send: typeof client.send = async (url, init) => {
      const r = await client.send(url, { timeoutMs, ...init });
      latencies.push(Math.round(r.ms * 10) / 10);
      return r;
    };
    let attempts = 0;
    let last: Attempt = { ok: false, detail: "not run" };
    for (;;) {
      attempts++;
      last = await attempt(send);
      if (last.ok || Date.now() >= deadline || ctx.signal.aborted) break;
      await new Promise((r) => setTimeout(r, Math.min(500, 100 * attempts)));
    }
    const result: SmokeCheck = { name, ok: last.ok, detail: last.detail, attempts, ms: Date.now() - t0, latenciesMs: latencies };
    checks.push(result);
    ctx.onEvent({ type: "check", phase: "smoke", name, ok: result.ok, detail: result.detail, ms: result.ms });
  };
  const skip = (name: string, why: string) => {
    checks.push({ name, ok: true, skipped: why, detail: `skipped: ${why}`, attempts: 0, ms: 0, latenciesMs: [] });
    ctx.onEvent({ type: "check", phase: "smoke", name, ok: true, skipped: true, detail: `skipped: ${why}` });
  };
  const describe = (r: HttpResult) => (r.error ? r.error : `${r.status} ${JSON.stringify(r.body.slice(0, 80))}${header(r, "x-served-by") ? ` from ${header(r, "x-served-by")}` : ""}`);

  try {
    const tlsName = target.certificatePem ? "TLS: the listener presents the stack's certificate (pinned, verified)" : "TLS: the listener presents a certificate the system's CAs trust (verified)";
    if (!base.startsWith("https:")) skip(tlsName, "the URL is plain HTTP (the stack has no HTTPS listener)");
    else await check(tlsName, async () => tlsHandshake(base, target.certificatePem, timeoutMs));
    await check("GET /status answers 200 OK", async (send) => {
      const r = await send(`${base}/status`);
      return r.status === 200 && r.body === "OK" ? { ok: true, detail: describe(r) } : { ok: false, detail: describe(r) };
    });
    await check(`POST / {"num": ${BIG_SEED.slice(0, 6)}...} then GET / reads it back exactly`, async (send) => {
      const post = await send(`${base}/`, { method: "POST", body: `{"num": ${BIG_SEED}}`, headers: { "content-type": "application/json" } });
      if (post.status !== 200 || post.body !== BIG_SEED) return { ok: false, detail: `POST: ${describe(post)}` };
      const writer = header(post, "x-served-by");
      // Without a shared store only the instance that took the write holds it: read until it answers.
      for (let i = 0; i < 20 * Math.max(1, target.expectedTargets); i++) {
        const get = await send(`${base}/`);
        if (get.status !== 200) return { ok: false, detail: `GET: ${describe(get)}` };
        if (target.sharedStore || header(get, "x-served-by") === writer) {
          return get.body === BIG_SEED ? { ok: true, detail: `written by ${writer}, read back from ${header(get, "x-served-by")}` } : { ok: false, detail: `GET after POST: ${describe(get)}` };
        }
      }
      return { ok: false, detail: `never read back from ${writer}, the instance that took the write` };
    });
    const seen = new Map<string, string>();
    await check(`every target answers (${target.expectedTargets} expected, seen through X-Served-By)`, async (send) => {
      for (let i = 0; i < 10 * target.expectedTargets && seen.size < target.expectedTargets; i++) {
        const r = await send(`${base}/`);
        const who = header(r, "x-served-by");
        if (r.status === 200 && who) seen.set(who, r.body);
      }
      const detail = `${seen.size} of ${target.expectedTargets}: ${[...seen.keys()].join(", ") || "none"}`;
      return seen.size >= target.expectedTargets ? { ok: true, detail } : { ok: false, detail };
    });
    const sharedName = "every instance reads the same value (shared database)";
    if (!target.sharedStore) skip(sharedName, "no database: each instance keeps its own seed");
    else {
      await check(sharedName, async (send) => {
        for (const who of [...seen.keys()]) if (seen.get(who) !== BIG_SEED) seen.delete(who);
        for (let i = 0; i < 10 * target.expectedTargets && seen.size < target.expectedTargets; i++) {
          const r = await send(`${base}/`);
          const who = header(r, "x-served-by");
          if (r.status === 200 && who && r.body === BIG_SEED) seen.set(who, r.body);
          else if (r.status === 200 && who) return { ok: false, detail: `${who} answered ${JSON.stringify(r.body.slice(0, 60))}, not the value written` };
        }
        return seen.size >= target.expectedTargets ? { ok: true, detail: `${seen.size} instances answer ${BIG_SEED.slice(0, 6)}...` } : { ok: false, detail: `only ${seen.size} instances seen` };
      });
    }
    const redirectName = `plain HTTP redirects to HTTPS, and the redirect leads there (${target.certificatePem ? "pinned" : "verified"} TLS, same path and query, 200)`;
    if (!target.redirectFromUrl) skip(redirectName, target.redirectSkipped ?? "no plain-HTTP address of the load balancer was given");
    else await check(redirectName, async (send) => followRedirect(target.redirectFromUrl!, send, { certificatePem: target.certificatePem, timeoutMs, describe }));
    const stickyName = "stickiness: the AWSALB cookie keeps a client on one instance";
    if (!target.stickiness) skip(stickyName, "the target group has no stickiness");
    else {
      await check(stickyName, async (send) => {
        const first = await send(`${base}/`);
        const cookies = first.headers["set-cookie"];
        const awsalb = (Array.isArray(cookies) ? cookies : cookies ? [cookies] : []).find((c) => c.startsWith("AWSALB="));
        if (!awsalb) return { ok: false, detail: `no AWSALB cookie in the answer (${describe(first)})` };
        const cookie = awsalb.split(";")[0]!;
        const servers = new Set<string>();
        for (let i = 0; i < 6; i++) servers.add(header(await send(`${base}/`, { headers: { cookie } }), "x-served-by") ?? "?");
        return servers.size === 1 && servers.has(header(first, "x-served-by") ?? "") ? { ok: true, detail: `6 of 6 requests with the cookie went to ${[...servers][0]}` } : { ok: false, detail: `with the cookie, requests went to ${[...servers].join(", ")}` };
      });
    }
  } finally {
    await client.close();
  }
  return { ok: checks.every((c) => c.ok), baseUrl: target.baseUrl, startedAt: new Date(started).toISOString(), durationMs: Date.now() - started, checks };
}
