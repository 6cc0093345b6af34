/**
 * Forward one request to a target through its connection pool (undici's Pool: Node's own HTTP
 * client, keep-alive pooling, streaming bodies), with the usual forwarded headers, and stream the
 * answer back. Errors become the ALB's own answers: 502 when the target refuses or resets, 504
 * when it does not answer within the load balancer's idle timeout.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Pool } from "undici";

/** Request headers never passed on: hop-by-hop headers (RFC 9110 7.6.1), which undici also refuses. */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "expect", "proxy-authorization"]);

/** How the request reached the load balancer. */
export interface ForwardContext {
  readonly clientAddress: string;
  readonly protocol: "http" | "https";
  readonly port: number;
  readonly idleTimeoutMs: number;
  /** Extra response headers (stickiness cookies). */
  readonly setCookies?: readonly string[];
}

/** Outcome of one forwarded request, for the load balancer's bookkeeping. */
export type ForwardOutcome = { readonly ok: true; readonly status: number } | { readonly ok: false; readonly status: 502 | 504; readonly reason: string };

/** Forward `req` to `pool`; answers the client in every case. */
export async function forward(pool: Pool, req: IncomingMessage, res: ServerResponse, ctx: ForwardContext): Promise<ForwardOutcome> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(req.headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
  const priorFor = req.headers["x-forwarded-for"];
  headers["x-forwarded-for"] = priorFor ? `${String(priorFor)}, ${ctx.clientAddress}` : ctx.clientAddress;
  headers["x-forwarded-proto"] = ctx.protocol;
  headers["x-forwarded-port"] = String(ctx.port);
  const hasBody = req.headers["content-length"] !== undefined ? req.headers["content-length"] !== "0" : req.headers["transfer-encoding"] !== undefined;
  try {
    // undici's stream(): the answer's body is written straight into our response (no intermediate
    // Readable and pipeline), the fastest of its APIs for a proxy.
    let status = 0;
    await pool.stream(
      {
        method: req.method as "GET",
        path: req.url ?? "/",
        headers,
        body: hasBody ? req : null,
        headersTimeout: ctx.idleTimeoutMs,
        bodyTimeout: ctx.idleTimeoutMs,
      },
      ({ statusCode, headers: answer }) => {
        status = statusCode;
        const out: Record<string, string | string[]> = {};
        for (const [name, value] of Object.entries(answer)) if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value as string | string[];
        if (ctx.setCookies && ctx.setCookies.length > 0) {
          const prior = out["set-cookie"];
          out["set-cookie"] = [...(prior === undefined ? [] : Array.isArray(prior) ? prior : [prior]), ...ctx.setCookies];
        }
        res.writeHead(statusCode, out);
        return res;
      },
    );
    return { ok: true, status };
  } catch (err) {
    const code = (err as { code?: string }).code ?? "";
    const timedOut = code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT" || code === "UND_ERR_CONNECT_TIMEOUT";
    const status = timedOut ? 504 : 502;
    if (!res.headersSent && !res.destroyed) {
      res.writeHead(status, { "content-type": "text/html", connection: "close" });
      res.end(timedOut ? "<html><body><h1>504 Gateway Time-out</h1></body></html>\n" : "<html><body><h1>502 Bad Gateway</h1></body></html>\n");
    } else res.destroy();
    return { ok: false, status, reason: code || (err as Error).message };
  }
}
