/**
 * One health-check probe, as the ALB sends it: a fresh connection to the target's health-check
 * port, `GET <path>`, an answer within the timeout whose status the matcher accepts. The result
 * says what went wrong in terms a diagnosis can use (refused, timed out, which status).
 */
import { request } from "node:http";
import { matcherAccepts } from "./target-health.js";

/** What one probe found. */
export type ProbeResult =
  | { readonly ok: true; readonly status: number }
  | { readonly ok: false; readonly kind: "refused" | "timeout" | "error"; readonly reason: string }
  | { readonly ok: false; readonly kind: "status"; readonly status: number; readonly reason: string }
  | { readonly ok: false; readonly kind: "blocked"; readonly reason: string };

/** Where and how to probe. */
export interface ProbeTarget {
  readonly host: string;
  readonly port: number;
  readonly path: string;
  readonly matcher: string;
  readonly timeoutMs: number;
}

/** Probe once; never throws. */
export function probe(target: ProbeTarget): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const req = request({ host: target.host, port: target.port, path: target.path, method: "GET", agent: false, headers: { "User-Agent": "ELB-HealthChecker/2.0" } }, (res) => {
      res.resume();
      res.once("end", () => {
        clearTimeout(timer);
        const status = res.statusCode ?? 0;
        resolve(
          matcherAccepts(target.matcher, status)
            ? { ok: true, status }
            : { ok: false, kind: "status", status, reason: `GET ${target.path} on port ${target.port} answered ${status}; the health check expects ${target.matcher}` },
        );
      });
    });
    const timer = setTimeout(() => {
      req.destroy();
      resolve({ ok: false, kind: "timeout", reason: `GET ${target.path} on port ${target.port} got no answer within ${target.timeoutMs} ms (health check timeout)` });
    }, target.timeoutMs);
    req.once("error", (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(
        err.code === "ECONNREFUSED"
          ? { ok: false, kind: "refused", reason: `nothing listens on ${target.host}:${target.port} (connection refused)` }
          : { ok: false, kind: "error", reason: `GET ${target.path} on port ${target.port} failed: ${err.code ?? err.message}` },
      );
    });
    req.end();
  });
}
