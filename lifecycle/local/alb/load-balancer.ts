/**
 * The local Application Load Balancer: the stack's listeners on loopback ports, its target group's
 * health checks, routing, deregistration delay and stickiness, and the security-group hops on both
 * sides of it. Health checks write target health (target-health.ts); routing reads it
 * (pick-target.ts).
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { Pool } from "undici";
import type { LifecycleEvent, TargetState } from "../../events.js";
import type { Address, ListenerSpec, SecurityGroupSpec, TargetGroupSpec } from "../../stack/stack.js";
import { evaluateHop, type HopEndpoint, type HopVerdict } from "../security-groups.js";
import { forward } from "./forward.js";
import { probe, type ProbeResult } from "./health-probe.js";
import { pickTarget, type Cursor } from "./pick-target.js";
import { stickinessCookies } from "./stickiness.js";
import { INITIAL_HEALTH, recordProbe, type TargetHealth } from "./target-health.js";

/** What the load balancer needs to know about one target it registers. */
export interface TargetRegistration {
  /** Instance ID (what X-Served-By says). */
  readonly id: string;
  readonly name: string;
  /** Where the instance's process is reachable (its loopback address). */
  readonly host: string;
  /** The port the target group registers it on. */
  readonly port: number;
  /** The instance as a security-group endpoint. */
  readonly endpoint: HopEndpoint;
}

/** A target as routing and reports see it. */
export interface TargetView {
  readonly id: string;
  readonly name: string;
  readonly state: TargetState;
  /** Why the last health check failed, while it is failing. */
  readonly reason?: string;
  readonly lastProbe?: ProbeResult;
  /**
   * While the security groups block the health check: what it would find once they allow it (a
   * probe past the block, for diagnoses only; AWS sends none, and target health never reads it).
   */
  readonly probeBeyondBlock?: ProbeResult;
  /** The verdict of the security groups on load balancer -> target (traffic and health check). */
  readonly hop: HopVerdict;
  readonly healthCheckHop: HopVerdict;
}

/** One listener as it runs here. */
export interface RunningListener {
  readonly spec: ListenerSpec;
  readonly url: string;
  readonly localPort: number;
}

/** Settings of the local load balancer. */
export interface LoadBalancerOptions {
  readonly name: string;
  readonly listeners: readonly ListenerSpec[];
  readonly targetGroup: TargetGroupSpec;
  readonly securityGroups: ReadonlyMap<Address, SecurityGroupSpec>;
  /** The load balancer as a security-group endpoint (its groups, a modelled address). */
  readonly endpoint: HopEndpoint;
  readonly idleTimeoutSeconds: number;
  /** PEM key and certificate of each HTTPS listener (by listener address): each serves the one it names. */
  readonly tls?: ReadonlyMap<Address, { readonly key: string; readonly cert: string }>;
  /** The client's address for security-group checks; default: the connection's real peer address. */
  readonly clientAddress?: string;
  /** Divides every duration (health-check interval and timeout, deregistration delay, idle timeout); 1 in real runs. */
  readonly speedup: number;
  onEvent(event: LifecycleEvent): void;
}

/** A running local load balancer. */
export interface LocalLoadBalancer {
  readonly listeners: readonly RunningListener[];
  register(target: TargetRegistration): void;
  /** Stop routing new requests to the target; resolves when in-flight requests are done or the deregistration delay has passed. */
  deregister(id: string): Promise<void>;
  targets(): TargetView[];
  /** Be told of every forwarded request (the console's per-target charts); returns the unsubscriber. */
  observe(observer: RequestObserver): () => void;
  dispose(): Promise<void>;
}

/** Called once per request forwarded to a target: its status (0: no answer) and duration. */
export type RequestObserver = (targetId: string, status: number, ms: number) => void;

interface LiveTarget extends TargetRegistration {
  /** What routing reads: draining, or the health state (a getter, so routing allocates nothing per request). */
  readonly state: TargetState;
  health: TargetHealth;
  draining: boolean;
  inFlight: number;
  lastProbe?: ProbeResult;
  probeBeyondBlock?: ProbeResult;
  readonly pool: Pool;
  readonly hop: HopVerdict;
  readonly healthCheckHop: HopVerdict;
  timer?: NodeJS.Timeout;
  probing: boolean;
}

const stateOf = (t: LiveTarget): TargetState => t.state;

/** Start the listeners; targets are registered afterwards. */
export async function startLoadBalancer(options: LoadBalancerOptions): Promise<LocalLoadBalancer> {
  const tg = options.targetGroup;
  const hc = tg.healthCheck;
  const scale = (seconds: number) => Math.max(1, Math.round((seconds * 1000) / options.speedup));
  const intervalMs = scale(hc.intervalSeconds);
  const timeoutMs = scale(hc.timeoutSeconds);
  const idleTimeoutMs = scale(options.idleTimeoutSeconds);
  const targets: LiveTarget[] = [];
  const cursor: Cursor = { next: 0 };
  const cookies = tg.stickiness ? stickinessCookies(tg.stickiness.durationSeconds) : undefined;
  const started = Date.now();
  const reportedDenials = new Set<string>();
  const observers = new Set<RequestObserver>();
  const reportDenial = (hop: string, message: string) => {
    if (reportedDenials.has(message)) return;
    reportedDenials.add(message);
    options.onEvent({ type: "hop-denied", hop, message });
  };

  const runProbe = async (t: LiveTarget) => {
    if (t.probing) return; // the previous probe is still waiting for its timeout
    t.probing = true;
    try {
      const port = hc.port === "traffic-port" ? t.port : hc.port;
      const direct = await probe({ host: t.host, port, path: hc.path, matcher: hc.matcher, timeoutMs });
      // A blocked hop fails the health check; what lies behind the block is kept for diagnoses only.
      const result: ProbeResult = t.healthCheckHop.allowed ? direct : { ok: false, kind: "blocked", reason: t.healthCheckHop.message };
      if (!targets.includes(t)) return;
      if (!t.healthCheckHop.allowed) t.probeBeyondBlock = direct;
      const before = stateOf(t);
      t.lastProbe = result;
      t.health = recordProbe(t.health, result.ok ? { ok: true } : { ok: false, reason: result.reason }, hc);
      const after = stateOf(t);
      if (after !== before) options.onEvent({ type: "target-health", instance: t.id, from: before, to: after, ...(t.health.reason && after !== "healthy" ? { reason: t.health.reason } : {}), atMs: Date.now() - started });
    } finally {
      t.probing = false;
    }
  };

  const handle = (spec: ListenerSpec, localPorts: Map<number, number>) => async (req: IncomingMessage, res: ServerResponse) => {
    const clientAddress = options.clientAddress ?? req.socket.remoteAddress ?? "unknown";
    if (spec.action.type === "redirect") {
      const a = spec.action;
      const protocol = a.protocol === "#{protocol}" ? spec.protocol : a.protocol;
      const stackPort = a.port === "#{port}" ? spec.port : Number(a.port);
      const port = localPorts.get(stackPort) ?? stackPort;
      const host = (req.headers.host ?? "127.0.0.1").replace(/:\d+$/, "");
      res.writeHead(a.statusCode, { location: `${protocol.toLowerCase()}://${host}:${port}${req.url ?? "/"}`, "content-length": "0" });
      res.end();
      return;
    }
    const sticky = cookies?.targetOf(req.headers.cookie);
    const target = pickTarget(targets, cursor, sticky);
    if (!target) {
      res.writeHead(503, { "content-type": "text/html" });
      res.end("<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>\n");
      return;
    }
    if (!target.hop.allowed) {
      reportDenial(`load balancer -> ${target.name}`, target.hop.message);
      res.writeHead(504, { "content-type": "text/html" });
      res.end("<html><body><h1>504 Gateway Time-out</h1></body></html>\n");
      return;
    }
    target.inFlight++;
    // Timed only while someone watches, so an unwatched load balancer does no extra work.
    const t0 = observers.size > 0 ? performance.now() : 0;
    try {
      await forward(target.pool, req, res, {
        clientAddress,
        protocol: spec.protocol === "HTTPS" ? "https" : "http",
        port: (req.socket.localPort ?? spec.port),
        idleTimeoutMs,
        ...(cookies && sticky !== target.id ? { setCookies: cookies.setCookies(target.id) } : {}),
      });
    } finally {
      target.inFlight--;
      if (t0 > 0) for (const o of observers) o(target.id, res.headersSent ? res.statusCode : 0, performance.now() - t0);
    }
  };

  // Client -> listener: the load balancer's ingress rules, checked per connection; a denied
  // connection is dropped (closed without an answer), and the event names the missing rule.
  const admit = (spec: ListenerSpec) => (socket: Socket) => {
    const address = options.clientAddress ?? socket.remoteAddress?.replace(/^::ffff:/, "") ?? "unknown";
    const verdict = evaluateHop(options.securityGroups, { label: `client ${address}`, groups: [], address }, { ...options.endpoint, label: `listener ${spec.protocol}:${spec.port} of ${options.endpoint.label}` }, spec.port);
    if (!verdict.allowed) {
      reportDenial(`client -> listener ${spec.port}`, verdict.message);
      socket.destroy();
    }
  };

  const servers: Server[] = [];
  const running: RunningListener[] = [];
  const localPorts = new Map<number, number>();
  try {
    for (const spec of options.listeners) {
      const tls = options.tls?.get(spec.address);
      if (spec.protocol === "HTTPS" && !tls) throw new Error(`listener ${spec.address} is HTTPS but no certificate was given`);
      const server: Server = spec.protocol === "HTTPS" ? createHttpsServer({ key: tls!.key, cert: tls!.cert, minVersion: "TLSv1.2" }) : createHttpServer();
      server.keepAliveTimeout = idleTimeoutMs;
      server.on("connection", admit(spec));
      server.on("request", (req, res) => void handle(spec, localPorts)(req, res));
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => resolve());
      });
      servers.push(server);
      const localPort = (server.address() as AddressInfo).port;
      localPorts.set(spec.port, localPort);
      const url = `${spec.protocol.toLowerCase()}://127.0.0.1:${localPort}`;
      running.push({ spec, url, localPort });
      options.onEvent({ type: "listener", protocol: spec.protocol === "HTTPS" ? "HTTPS" : "HTTP", stackPort: spec.port, url });
    }
  } catch (err) {
    await Promise.all(servers.map((s) => closeServer(s)));
    throw err;
  }

  const remove = async (t: LiveTarget) => {
    clearInterval(t.timer);
    const i = targets.indexOf(t);
    if (i >= 0) targets.splice(i, 1);
    await t.pool.destroy().catch(() => undefined);
  };

  return {
    listeners: running,
    register(registration) {
      const hcPort = hc.port === "traffic-port" ? registration.port : hc.port;
      const t: LiveTarget = {
        ...registration,
        get state(): TargetState {
          return this.draining ? "draining" : this.health.state;
        },
        health: INITIAL_HEALTH,
        draining: false,
        inFlight: 0,
        pool: new Pool(`http://${registration.host}:${registration.port}`, { connections: 128, keepAliveTimeout: 4_000, connectTimeout: idleTimeoutMs }),
        hop: evaluateHop(options.securityGroups, options.endpoint, registration.endpoint, registration.port),
        healthCheckHop: evaluateHop(options.securityGroups, options.endpoint, registration.endpoint, hcPort),
        probing: false,
      };
      if (!t.healthCheckHop.allowed) reportDenial(`load balancer -> ${t.name} (health check)`, t.healthCheckHop.message);
      targets.push(t);
      void runProbe(t);
      t.timer = setInterval(() => void runProbe(t), intervalMs);
    },
    async deregister(id) {
      const t = targets.find((x) => x.id === id);
      if (!t || t.draining) return;
      const before = stateOf(t);
      t.draining = true;
      options.onEvent({ type: "target-health", instance: t.id, from: before, to: "draining", reason: "deregistered", atMs: Date.now() - started });
      const deadline = Date.now() + scale(tg.deregistrationDelaySeconds);
      while (t.inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      await remove(t);
    },
    targets: () =>
      targets.map((t) => ({
        id: t.id,
        name: t.name,
        state: stateOf(t),
        ...(t.health.state !== "healthy" && t.health.reason ? { reason: t.health.reason } : {}),
        ...(t.lastProbe ? { lastProbe: t.lastProbe } : {}),
        ...(t.probeBeyondBlock ? { probeBeyondBlock: t.probeBeyondBlock } : {}),
        hop: t.hop,
        healthCheckHop: t.healthCheckHop,
      })),
    observe(observer) {
      observers.add(observer);
      return () => void observers.delete(observer);
    },
    async dispose() {
      observers.clear();
      // Stop probing first, then close listeners (dropping idle keep-alive connections), then pools.
      for (const t of targets) clearInterval(t.timer);
      await Promise.all(servers.map((s) => closeServer(s)));
      await Promise.all([...targets].map((t) => remove(t)));
    },
  };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
