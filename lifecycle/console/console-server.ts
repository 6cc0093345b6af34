/**
 * The local console: one page on a loopback port, live over server-sent events about once a
 * second, with the controls the AWS console gives (stop an instance, hang its app, start or resume
 * it), the failover drill, and a load test. Every request is checked by access.ts (Host header,
 * per-run token). It only reads the environment and calls its controls: closing the page changes
 * nothing, and disposing the console stops what it started (drill, load) and closes every stream.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { LifecycleError } from "../errors.js";
import type { LifecycleEvent, RunContext } from "../events.js";
import { localDrillControl } from "../local/drill-control.js";
import type { LocalEnvironment } from "../local/local-environment.js";
import { CpuMeter } from "../local/cpu-usage.js";
import { startLoad, type LoadResult, type RunningLoad } from "../load/load-generator.js";
import { PerSecond } from "../load/per-second.js";
import { runFailoverDrill, type DrillResult, type FailureMode } from "../probes/failover-drill.js";
import { newToken, refusal } from "./access.js";
import { consolePage } from "./page.js";
import { resourceMap, targetRows, type ConsoleSnapshot } from "./snapshot.js";

/** A running console. */
export interface RunningConsole extends AsyncDisposable {
  /** The URL to open, token included. */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  snapshot(): ConsoleSnapshot;
  dispose(): Promise<void>;
}

/** How often the page is sent a new snapshot. */
const PUSH_EVERY_MS = 1000;

/** Serve the console for `env`; `ctx` receives what the console's drill and load emit. */
export async function startConsole(env: LocalEnvironment, ctx: RunContext, options: { readonly port?: number } = {}): Promise<RunningConsole> {
  const token = newToken();
  const perTarget = new Map<string, PerSecond>();
  const unobserve = env.observeRequests((id, status, ms) => {
    let s = perTarget.get(id);
    if (!s) perTarget.set(id, (s = new PerSecond(300)));
    s.add(ms, status === 0 || status >= 500);
  });
  const hung = new Set<string>();
  // Stacks without a group: CPU per instance on the default instance type's 2 vCPUs.
  const meter = new CpuMeter(env.autoScaling()?.vcpus ?? 2);
  let cpu: Record<string, number> = {};
  const drill: { running: boolean; mode?: FailureMode; log: string[]; result?: DrillResult; error?: string; abort?: AbortController } = { running: false, log: [] };
  let load: RunningLoad | undefined;
  let lastLoad: LoadResult | undefined;
  const streams = new Set<ServerResponse>();
  const closing = new AbortController();

  const snapshot = (): ConsoleSnapshot => {
    const now = Date.now();
    const group = env.autoScaling();
    const charts: Record<string, ReturnType<PerSecond["seconds"]>> = {};
    for (const [id, s] of perTarget) charts[id] = s.seconds(now).slice(-180);
    return {
      now,
      stack: env.stack.name,
      speedup: env.speedup,
      url: env.url,
      map: resourceMap(env.stack, env),
      targets: targetRows(env, hung, group ? group.cpu : cpu),
      charts,
      ...(group ? { group } : {}),
      drill: { running: drill.running, ...(drill.mode ? { mode: drill.mode } : {}), log: drill.log.slice(-40), ...(drill.result ? { result: drill.result } : {}), ...(drill.error ? { error: drill.error } : {}) },
      load: { running: load?.running() ?? false, ...(load ? { startedAt: load.startedAt } : {}), users: Math.round((load?.current() ?? 0) * 10) / 10, seconds: (load?.seconds() ?? lastLoad?.seconds ?? []).slice(-300), ...(lastLoad ? { result: lastLoad } : {}) },
    };
  };

  const push = setInterval(() => {
    if (!env.autoScaling()) {
      const next: Record<string, number> = {};
      for (const i of env.instances()) {
        const v = i.pid !== undefined && i.running ? meter.sample(i.pid) : undefined;
        if (v !== undefined) next[i.id] = v;
      }
      cpu = next;
    }
    if (streams.size === 0) return;
    const data = `data: ${JSON.stringify(snapshot())}\n\n`;
    for (const res of streams) res.write(data);
  }, PUSH_EVERY_MS);

  const controls: Record<string, (body: Record<string, unknown>, id?: string) => Promise<unknown>> = {
    stop: async (_b, id) => {
      await env.killInstance(id!);
      hung.delete(id!);
      return { ok: true, message: `stopped ${id}: its process was killed (SIGKILL)` };
    },
    hang: async (_b, id) => {
      env.hangInstance(id!);
      hung.add(id!);
      return { ok: true, message: `hung ${id}: its process lives but does not answer (SIGSTOP)` };
    },
    resume: async (_b, id) => {
      env.resumeInstance(id!);
      hung.delete(id!);
      return { ok: true, message: `resumed ${id} (SIGCONT)` };
    },
    start: async (_b, id) => {
      await env.restartInstance(id!);
      return { ok: true, message: `started ${id} again (its user data ran again)` };
    },
    drill: async (body) => {
      if (drill.running) throw new LifecycleError("ERR_USAGE", "a drill is already running");
      const mode = body.mode === "health-fails" ? "health-fails" : body.mode === "process-dies" ? "process-dies" : undefined;
      if (!mode) throw new LifecycleError("ERR_USAGE", `mode is ${JSON.stringify(body.mode)}; allowed: process-dies, health-fails`);
      if (env.targets().filter((t) => t.state === "healthy").length < 2) throw new LifecycleError("ERR_USAGE", "the drill needs two healthy targets to route around one");
      const abort = new AbortController();
      Object.assign(drill, { running: true, mode, log: [`drill (${mode}) started`], result: undefined, error: undefined, abort });
      const log = (e: LifecycleEvent) => {
        if (e.type === "progress" || e.type === "check") drill.log.push(e.type === "progress" ? e.message : `${e.ok ? "✔" : "✘"} ${e.name}: ${e.detail}`);
        else if (e.type === "target-health") drill.log.push(`${e.instance} ${e.from} -> ${e.to}`);
        ctx.onEvent(e);
      };
      const dctx: RunContext = { signal: AbortSignal.any([abort.signal, closing.signal]), onEvent: log };
      void runFailoverDrill(
        localDrillControl(env),
        { baseUrl: env.url, ...(env.certificatePem ? { certificatePem: env.certificatePem } : {}), sharedStore: env.stack.database !== undefined, healthCheck: env.stack.targetGroup.healthCheck, speedup: env.speedup, mode },
        dctx,
      ).then(
        (r) => Object.assign(drill, { running: false, result: r, log: [...drill.log, `drill ${r.ok ? "passed" : `failed: ${r.problems.join("; ")}`}`] }),
        (err: Error) => Object.assign(drill, { running: false, error: err.message, log: [...drill.log, `drill stopped: ${err.message}`] }),
      );
      return { ok: true, message: `drill (${mode}) started` };
    },
    load: async (body) => {
      if (load?.running()) throw new LifecycleError("ERR_USAGE", "a load test is already running; stop it first");
      const num = (k: string) => (body[k] === undefined || body[k] === "" || body[k] === null ? undefined : Number(body[k]));
      const users = num("users");
      const rps = num("rps");
      load = startLoad({
        baseUrl: env.url,
        ...(env.certificatePem ? { certificatePem: env.certificatePem } : {}),
        ...(users !== undefined ? { users } : {}),
        ...(rps !== undefined ? { rps } : {}),
        rampSeconds: num("rampSeconds") ?? 0,
        durationSeconds: num("durationSeconds") ?? 300,
      });
      lastLoad = undefined;
      const mine = load;
      void mine.done.then((r) => {
        if (load === mine) lastLoad = r;
      });
      // startedAt names this load: a client that started it knows its result from a later one's.
      return { ok: true, message: `load started: ${users !== undefined ? `${users} users` : `${rps} requests/s`}`, startedAt: mine.startedAt };
    },
    "load-stop": async () => {
      if (!load?.running()) return { ok: true, message: "no load test is running" };
      lastLoad = await load.stop();
      return { ok: true, message: `load stopped after ${lastLoad.requests} requests`, result: lastLoad };
    },
  };

  let port = 0;
  const server = createServer((req, res) => void handle(req, res));
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const refused = refusal(req, port, token);
    if (refused) return send(res, refused.status, { error: refused.message });
    const url = new URL(req.url ?? "/", `http://127.0.0.1:${port}`);
    try {
      if (req.method === "GET" && url.pathname === "/") {
        res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "content-security-policy": "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:", "referrer-policy": "no-referrer" });
        return res.end(consolePage());
      }
      if (req.method === "GET" && url.pathname === "/api/state") return send(res, 200, snapshot());
      if (req.method === "GET" && url.pathname === "/events") {
        res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store", connection: "keep-alive" });
        res.write(`retry: 2000\ndata: ${JSON.stringify(snapshot())}\n\n`);
        streams.add(res);
        req.once("close", () => streams.delete(res));
        return;
      }
      const m = /^\/api\/(?:instances\/([A-Za-z0-9-]+)\/)?(stop|hang|resume|start|drill|load|load-stop)$/.exec(url.pathname);
      if (req.method === "POST" && m && (m[1] !== undefined) === ["stop", "hang", "resume", "start"].includes(m[2]!)) {
        const body = await readJson(req);
        return send(res, 200, await controls[m[2]!]!(body, m[1]));
      }
      return send(res, 404, { error: `no ${req.method} ${url.pathname} here` });
    } catch (err) {
      const e = err as Error;
      const usage = err instanceof LifecycleError && err.code === "ERR_USAGE";
      return send(res, usage ? 400 : 500, { error: e.message });
    }
  };

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  let disposed = false;
  const dispose = async () => {
    if (disposed) return;
    disposed = true;
    clearInterval(push);
    unobserve();
    closing.abort();
    drill.abort?.abort();
    for (const res of streams) res.end();
    streams.clear();
    await load?.stop().catch(() => undefined);
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  };
  return { url: `http://127.0.0.1:${port}/?token=${token}`, port, token, snapshot, dispose, [Symbol.asyncDispose]: dispose };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = "";
  for await (const chunk of req) {
    text += chunk;
    if (text.length > 10_000) throw new LifecycleError("ERR_USAGE", "request body too large");
  }
  if (text.trim() === "") return {};
  try {
    const v = JSON.parse(text) as unknown;
    if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Error("not an object");
    return v as Record<string, unknown>;
  } catch (err) {
    throw new LifecycleError("ERR_USAGE", `the request body is not a JSON object: ${(err as Error).message}`);
  }
}
