/**
 * The probes' HTTP client (undici). With a certificate PEM, TLS trusts exactly that certificate
 * (the stack's self-signed one: pinning); verification is never switched off. Requests carry a
 * timeout and never throw: a failure is a result with a reason.
 */
import { Agent, buildConnector, request } from "undici";

/** One answered (or failed) request. */
export interface HttpResult {
  readonly ok: boolean;
  readonly status: number;
  readonly body: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly ms: number;
  /** Why the request failed before an answer (timeout, refused, TLS). */
  readonly error?: string;
}

/** A client bound to one trust setting. */
export interface HttpClient {
  /** Redirects are never followed: a 301 is an answer. */
  send(url: string, init?: { method?: string; body?: string; headers?: Record<string, string>; timeoutMs?: number }): Promise<HttpResult>;
  close(): Promise<void>;
}

/**
 * A client that trusts `certificatePem` only, when given; the system's CAs otherwise. With
 * `cancel`, aborting it ends every request on its way at once (a failed result, never a throw). With
 * `connectTo`, every connection goes to that host (an ALB's own DNS name) while the URL's host stays
 * the TLS server name (SNI, verified against the certificate) and the Host header: how a name that
 * has no DNS record yet (an `acm-arn` PR stack's `pr-<n>.<domain>`) is tested, as `curl --connect-to` does.
 */
export function httpClient(certificatePem?: string, options: { readonly cancel?: AbortSignal; readonly connectTo?: string } = {}): HttpClient {
  const { cancel, connectTo } = options;
  const tls = certificatePem ? { ca: certificatePem } : {};
  const direct = buildConnector(tls);
  const connect: buildConnector.connector | typeof tls = connectTo
    ? (opts, callback) => direct({ ...opts, hostname: connectTo, servername: opts.servername || opts.hostname }, callback)
    : tls;
  const agent = new Agent({ connect, keepAliveTimeout: 4_000, connections: 64 });
  return {
    async send(url, init = {}) {
      const started = performance.now();
      const timeoutMs = init.timeoutMs ?? 5_000;
      try {
        const res = await request(url, {
          dispatcher: agent,
          method: (init.method ?? "GET") as "GET",
          ...(init.body !== undefined ? { body: init.body } : {}),
          headers: init.headers ?? {},
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
          signal: cancel ? AbortSignal.any([AbortSignal.timeout(timeoutMs), cancel]) : AbortSignal.timeout(timeoutMs),
        });
        const body = await res.body.text();
        return { ok: true, status: res.statusCode, body, headers: res.headers, ms: performance.now() - started };
      } catch (err) {
        const e = err as Error & { code?: string; cause?: { code?: string; message?: string } };
        const reason = e.name === "TimeoutError" || e.name === "AbortError" ? `no answer within ${timeoutMs} ms` : (e.cause?.code ?? e.code ?? e.cause?.message ?? e.message);
        return { ok: false, status: 0, body: "", headers: {}, ms: performance.now() - started, error: reason };
      }
    },
    close: () => agent.close(),
  };
}

/** The first value of a response header. */
export function header(result: HttpResult, name: string): string | undefined {
  const v = result.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}
