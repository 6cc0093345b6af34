/** A minimal HTTP client for tests: no connection reuse unless an agent is given, body as text. */
import { request as httpRequest, type Agent, type IncomingHttpHeaders } from "node:http";

/** What a test sees of a response. */
export interface TestResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** Options of `call`. */
export interface CallOptions {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  /** Sent as-is; with `chunks`, each is written separately (chunked transfer encoding). */
  readonly body?: string | Buffer;
  readonly chunks?: readonly (string | Buffer)[];
  /** Keep-alive agent to reuse connections. @default a fresh connection per request */
  readonly agent?: Agent;
}

/** Send one request and read the whole response. */
export function call(url: string, options: CallOptions = {}): Promise<TestResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? "GET", headers: options.headers, agent: options.agent ?? false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    if (options.chunks) for (const chunk of options.chunks) req.write(chunk);
    req.end(options.body);
  });
}

/** POST a body as application/json (unless headers say otherwise). */
export function postJson(url: string, body: string, headers: Record<string, string> = {}): Promise<TestResponse> {
  return call(url, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body });
}
