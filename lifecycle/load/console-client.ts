/**
 * A client of a running `seedstack up`'s console API (console-server.ts): its state document and
 * its load controls, each request carrying the per-run token in the X-Seedstack-Token header (the
 * console's own check, access.ts). Loopback only, as the console listens.
 */
import { request } from "undici";
import { LifecycleError } from "../errors.js";
import type { ConsoleSnapshot } from "../console/snapshot.js";

/** A console to talk to. */
export interface ConsoleClient {
  /** The console's address without its token: safe to print and to put in a report. */
  readonly origin: string;
  state(): Promise<ConsoleSnapshot>;
  /** POST a control (`load`, `load-stop`) with a JSON body; resolves with the console's answer. */
  post<T>(control: string, body?: Record<string, unknown>): Promise<T>;
}

/** A client for the console at `url` (`http://127.0.0.1:<port>/?token=…`, as `up` printed and recorded it). */
export function consoleClient(url: string): ConsoleClient {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new LifecycleError("ERR_RECORD_UNREADABLE", `the recorded console address ${JSON.stringify(url.replace(/token=.*/, "token=…"))} is not a URL`);
  }
  const token = parsed.searchParams.get("token");
  if (parsed.protocol !== "http:" || parsed.hostname !== "127.0.0.1" || !token) {
    throw new LifecycleError("ERR_RECORD_UNREADABLE", `the recorded console address ${parsed.origin} is not a loopback console URL with its token`);
  }
  const origin = parsed.origin;
  const call = async <T>(method: "GET" | "POST", path: string, body?: Record<string, unknown>): Promise<T> => {
    let status: number;
    let text: string;
    try {
      const res = await request(`${origin}${path}`, {
        method,
        headers: { "x-seedstack-token": token, ...(body ? { "content-type": "application/json" } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
        headersTimeout: 10_000,
        bodyTimeout: 10_000,
      });
      status = res.statusCode;
      text = await res.body.text();
    } catch (err) {
      const e = err as Error & { code?: string };
      throw new LifecycleError("ERR_NO_ENVIRONMENT", `the console of \`seedstack up\` at ${origin} does not answer (${e.code ?? e.message}): is the up still running?`, { cause: err });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new LifecycleError("ERR_NO_ENVIRONMENT", `the console at ${origin} answered ${method} ${path} with ${status} and a body that is not JSON`);
    }
    if (status !== 200) {
      const message = (json as { error?: unknown }).error;
      throw new LifecycleError(status === 400 ? "ERR_USAGE" : "ERR_NO_ENVIRONMENT", `the console at ${origin} refused ${method} ${path} (${status}): ${typeof message === "string" ? message : text}`);
    }
    return json as T;
  };
  return {
    origin,
    state: () => call<ConsoleSnapshot>("GET", "/api/state"),
    post: (control, body = {}) => call("POST", `/api/${control}`, body),
  };
}
