/**
 * The local engine: a synthesized stack realized on this machine. From the typed `Stack` it starts
 * what AWS would run: PostgreSQL when the stack has a database, one seed-server process per
 * instance (or per the Auto Scaling group's desired capacity, replacing unhealthy ones after the
 * grace period), and a load balancer with the stack's listeners, health check, stickiness,
 * deregistration delay and security groups. The result is a disposable environment.
 *
 * Teardown follows Miniflare's lesson: kill first, keep going, throw last; reverse order of start.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { seedServerBundlePath } from "../../seed-server/bundle-path.js";
import { LifecycleError, throwIfCancelled } from "../errors.js";
import type { Diagnosis, RunContext } from "../events.js";
import type { Stack, UserDataFacts } from "../stack/stack.js";
import { startAutoScaling } from "./auto-scaling.js";
import { startLoadBalancer, type LocalLoadBalancer, type RunningListener, type TargetView } from "./alb/load-balancer.js";
import { generateCertificate } from "./certificate.js";
import { diagnoseTarget, type InstanceFacts } from "./diagnose.js";
import { addressInCidr, allocateLoopbackNetwork } from "./loopback-network.js";
import { startDatabase, type LocalDatabase } from "./postgres.js";
import { evaluateHop, type HopEndpoint, type HopVerdict } from "./security-groups.js";
import { startWebServer, type WebServerProcess } from "./web-server-process.js";

/** Options of the local engine. */
export interface LocalEngineOptions {
  /** The seed-server bundle; default: this package's dist/bundle/seed-server.mjs. */
  readonly bundle?: string;
  /**
   * Divides every duration of the stack (health-check interval and timeout, deregistration delay,
   * grace period, idle timeout). Tests run the clock faster; `npm start` uses 1, the stack's own timing.
   * @default 1
   */
  readonly speedup?: number;
  /** The address clients are taken to come from, for the load balancer's ingress rules; default: the real peer (127.0.0.1). */
  readonly clientAddress?: string;
  /** Servers write no per-request log lines (benchmarks). */
  readonly quietServers?: boolean;
}

/** One instance as the environment reports it. */
export interface InstanceView {
  readonly id: string;
  readonly name: string;
  readonly host: string;
  readonly appPort: number;
  readonly pid?: number;
  readonly running: boolean;
}

/** A running local environment. */
export interface LocalEnvironment extends AsyncDisposable {
  readonly stack: Stack;
  /** Where clients go: the HTTPS listener when there is one, else the first forwarding listener. */
  readonly url: string;
  readonly listeners: readonly RunningListener[];
  /** The HTTPS listener's certificate (PEM), for pinning. */
  readonly certificatePem?: string;
  readonly speedup: number;
  instances(): InstanceView[];
  targets(): TargetView[];
  /** Plain-words reasons for every target that is not healthy. */
  diagnose(): Diagnosis[];
  /** Resolves when the expected number of targets is healthy; throws ERR_TARGETS_UNHEALTHY with diagnoses at the deadline. */
  waitHealthy(options?: { deadlineMs?: number }): Promise<void>;
  /** The instance's process dies (SIGKILL), as when an instance is stopped. */
  killInstance(id: string): Promise<void>;
  /** The process stays alive but stops answering (SIGSTOP): a hung app. */
  hangInstance(id: string): void;
  /** A hung process answers again (SIGCONT). */
  resumeInstance(id: string): void;
  /** Start the instance's server again (same ID and address) after it died. */
  restartInstance(id: string): Promise<void>;
  dispose(): Promise<void>;
}

interface Instance {
  readonly id: string;
  readonly name: string;
  readonly host: string;
  readonly userData: UserDataFacts;
  readonly endpoint: HopEndpoint;
  readonly databaseHop?: HopVerdict;
  process?: WebServerProcess;
  exit?: { description: string; lastLines: string[] };
  launchedAt: number;
  terminating: boolean;
}

const instanceId = () => `i-0${randomBytes(8).toString("hex")}`;

/** Bring the stack up on this machine. */
export async function startLocalEnvironment(stack: Stack, ctx: RunContext, options: LocalEngineOptions = {}): Promise<LocalEnvironment> {
  const speedup = options.speedup ?? 1;
  const bundle = options.bundle ?? seedServerBundlePath();
  if (!existsSync(bundle)) throw new LifecycleError("ERR_BUNDLE_MISSING", `the seed-server bundle is missing at ${bundle}: run \`npm run build:bundle\` (npm ci does it)`);
  const network = allocateLoopbackNetwork();
  const scaleMs = (seconds: number) => Math.max(1, Math.round((seconds * 1000) / speedup));
  const instances: Instance[] = [];
  const cleanups: Array<() => Promise<void>> = []; // in start order; run in reverse
  let launched = 0;
  let disposed = false;
  let stopAutoScaling = (): void => undefined;
  let lb: LocalLoadBalancer | undefined;

  const servers = stack.servers;
  const targetPort = servers.targetPort;
  const lbEndpoint: HopEndpoint = {
    label: `load balancer ${stack.loadBalancer.name}`,
    groups: stack.loadBalancer.securityGroups,
    ...(addressInCidr(stack.loadBalancer.subnetCidrs[0], 10) ? { address: addressInCidr(stack.loadBalancer.subnetCidrs[0], 10)! } : {}),
  };

  const dispose = async (): Promise<void> => {
    if (disposed) return;
    disposed = true;
    stopAutoScaling();
    // Kill every process first (sync signal), then await the slow parts; keep going on errors.
    for (const i of instances) i.process?.signal("SIGKILL");
    const errors: unknown[] = [];
    for (const i of instances) await i.process?.dispose().catch((e) => errors.push(e));
    for (const cleanup of cleanups.reverse()) await cleanup().catch((e) => errors.push(e));
    if (errors.length > 0) throw errors[0];
  };

  let database: LocalDatabase | undefined;
  let blackhole: Server | undefined;
  let tls: { key: string; cert: string } | undefined;
  const dbEndpoint: HopEndpoint | undefined = stack.database
    ? { label: `database ${stack.database.name}`, groups: stack.database.securityGroups, ...(addressInCidr(stack.database.subnetCidrs[0], 5) ? { address: addressInCidr(stack.database.subnetCidrs[0], 5)! } : {}) }
    : undefined;

  /** Start (or, with `reuse`, start again) one instance's server and register it. */
  const launch = async (spec: { name: string; groups: readonly string[]; subnetCidr?: string; userData: UserDataFacts }, reuse?: Instance): Promise<Instance> => {
    const alb = lb!;
    const n = launched++;
    const host = reuse?.host ?? network.instanceAddress(n);
    const id = reuse?.id ?? instanceId();
    const endpoint: HopEndpoint = reuse?.endpoint ?? { label: `web server ${spec.name}`, groups: spec.groups, ...(addressInCidr(spec.subnetCidr, 10 + n) ? { address: addressInCidr(spec.subnetCidr, 10 + n)! } : {}) };
    const databaseHop = spec.userData.store === "postgres" && dbEndpoint && stack.database ? evaluateHop(stack.securityGroups, endpoint, dbEndpoint, spec.userData.database?.port ?? stack.database.port) : undefined;
    if (databaseHop && !databaseHop.allowed && !reuse) ctx.onEvent({ type: "hop-denied", hop: `${spec.name} -> database`, message: databaseHop.message });
    const env: Record<string, string> = { SEED_STORE: spec.userData.store };
    if (spec.userData.store === "postgres") {
      if (!database) throw new LifecycleError("ERR_STACK_INVALID", `${spec.name}'s user data uses the postgres store, but the stack has no database (aws_db_instance)`);
      const reachable = databaseHop?.allowed ?? true;
      Object.assign(env, {
        PGHOST: "127.0.0.1",
        PGPORT: String(reachable ? database.port : (blackhole!.address() as { port: number }).port),
        PGDATABASE: spec.userData.database?.name ?? database.database,
        PGUSER: spec.userData.database?.user ?? database.user,
        PGPASSWORD_FILE: database.passwordFile,
        PGSSLMODE: "disable",
      });
    }
    const instance: Instance = reuse ?? {
      id,
      name: spec.name,
      host,
      userData: spec.userData,
      endpoint,
      ...(databaseHop ? { databaseHop } : {}),
      launchedAt: Date.now(),
      terminating: false,
    };
    if (!reuse) instances.push(instance);
    instance.exit = undefined;
    instance.launchedAt = Date.now();
    try {
      const proc = await startWebServer(
        { instanceId: id, bundle, host, port: spec.userData.port, drainSeconds: spec.userData.drainSeconds, logLevel: spec.userData.logLevel, quiet: options.quietServers ?? false, env },
        ctx.signal,
      );
      instance.process = proc;
      ctx.onEvent({ type: "instance-started", instance: id, name: spec.name, pid: proc.pid, address: `${host}:${spec.userData.port}` });
      void proc.exited.then((exit) => {
        if (disposed || instance.process !== proc) return;
        const description = exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
        instance.exit = { description, lastLines: proc.lastLines(8) };
        ctx.onEvent({ type: "instance-exited", instance: id, code: exit.code, signal: exit.signal, lastLines: proc.lastLines(8) });
      });
    } catch (err) {
      if (!(err instanceof LifecycleError) || (err.code !== "ERR_PROCESS_EXITED" && err.code !== "ERR_ADDRESS_IN_USE")) throw err;
      // The instance is there but its app is not: the target stays unhealthy and is diagnosed.
      const [first, ...lines] = err.message.split("\n");
      instance.exit = { description: /\(([^)]*)\); last lines:$/.exec(first!)?.[1] ?? first!, lastLines: lines.map((l) => l.trim()) };
      ctx.onEvent({ type: "instance-exited", instance: id, code: null, signal: null, lastLines: instance.exit.lastLines });
    }
    if (!reuse) alb.register({ id, name: spec.name, host, port: targetPort, endpoint });
    return instance;
  };

  try {
    // 1. The database, and the servers' hop to it.
    if (stack.database) {
      ctx.onEvent({ type: "progress", phase: "up", message: `starting PostgreSQL for ${stack.database.address}` });
      database = await startDatabase(stack.database);
      const db = database;
      cleanups.push(async () => {
        await db.dispose();
        ctx.onEvent({ type: "database", status: "stopped", port: db.port });
      });
      ctx.onEvent({ type: "database", status: "started", port: database.port });
      // A server whose security groups do not let it reach the database gets an address where
      // connections are dropped, as in AWS (PostgreSQL itself stays reachable for the others).
      blackhole = createServer((socket) => socket.destroy());
      await new Promise<void>((resolve) => blackhole!.listen(0, "127.0.0.1", resolve));
      const hole = blackhole;
      cleanups.push(() => new Promise<void>((resolve) => hole.close(() => resolve())));
    }
    throwIfCancelled(ctx.signal);

    // 2. The load balancer (its certificate generated from the stack's TLS resources).
    tls = stack.certificate ? await generateCertificate(stack.certificate) : undefined;
    lb = await startLoadBalancer({
      name: stack.loadBalancer.name,
      listeners: stack.loadBalancer.listeners,
      targetGroup: stack.targetGroup,
      securityGroups: stack.securityGroups,
      endpoint: lbEndpoint,
      idleTimeoutSeconds: stack.loadBalancer.idleTimeoutSeconds,
      ...(tls ? { tls } : {}),
      ...(options.clientAddress ? { clientAddress: options.clientAddress } : {}),
      speedup,
      onEvent: (e) => ctx.onEvent(e),
    });
    const alb = lb;
    cleanups.push(() => alb.dispose());
    throwIfCancelled(ctx.signal);

    // 3. The servers.
    if (servers.kind === "instances") {
      ctx.onEvent({ type: "progress", phase: "up", message: `starting ${servers.instances.length} seed server(s)` });
      await Promise.all(servers.instances.map((i) => launch({ name: i.name, groups: i.securityGroups, ...(i.subnetCidr ? { subnetCidr: i.subnetCidr } : {}), userData: i.userData })));
    } else {
      const asg = servers;
      let serial = 0;
      const launchOne = () => {
        const cidr = asg.subnetCidrs[serial % Math.max(1, asg.subnetCidrs.length)];
        return launch({ name: `${asg.name}-${serial++}`, groups: asg.securityGroups, ...(cidr ? { subnetCidr: cidr } : {}), userData: asg.userData });
      };
      ctx.onEvent({ type: "progress", phase: "up", message: `starting the Auto Scaling group's ${asg.desired} seed server(s) (min ${asg.min}, max ${asg.max})` });
      await Promise.all(Array.from({ length: asg.desired }, launchOne));
      stopAutoScaling = startAutoScaling({
        desired: asg.desired,
        max: asg.max,
        healthCheckType: asg.healthCheckType,
        graceMs: scaleMs(asg.gracePeriodSeconds),
        checkEveryMs: scaleMs(stack.targetGroup.healthCheck.intervalSeconds),
        inService: () => instances.filter((x) => !x.terminating).map((x) => ({ id: x.id, launchedAt: x.launchedAt, down: x.exit !== undefined })),
        targetState: (id) => alb.targets().find((t) => t.id === id)?.state,
        terminate: (id) => {
          const i = instances.find((x) => x.id === id)!;
          i.terminating = true;
          void alb.deregister(id).then(() => i.process?.dispose());
        },
        launch: async () => (await launchOne()).id,
        onEvent: (e) => ctx.onEvent(e),
      });
    }
  } catch (err) {
    await dispose().catch(() => undefined);
    throw err;
  }

  const alb = lb;
  const find = (id: string): Instance => {
    const i = instances.find((x) => x.id === id && !x.terminating);
    if (!i) throw new LifecycleError("ERR_USAGE", `no running instance ${id}; instances: ${instances.filter((x) => !x.terminating).map((x) => x.id).join(", ")}`);
    return i;
  };
  const facts = (i: Instance): InstanceFacts => ({
    id: i.id,
    name: i.name,
    appPort: i.userData.port,
    targetPort,
    ...(i.exit ? { exit: i.exit } : {}),
    ...(i.databaseHop ? { databaseHop: i.databaseHop } : {}),
  });
  const diagnose = (): Diagnosis[] =>
    alb
      .targets()
      .filter((t) => t.state !== "healthy" && t.state !== "draining")
      .flatMap((t) => {
        const i = instances.find((x) => x.id === t.id);
        const d = i ? diagnoseTarget(t, facts(i), stack.targetGroup.healthCheck) : undefined;
        return d ? [d] : [];
      });
  const https = alb.listeners.find((l) => l.spec.protocol === "HTTPS" && l.spec.action.type === "forward");
  const primary = https ?? alb.listeners.find((l) => l.spec.action.type === "forward") ?? alb.listeners[0]!;

  const env: LocalEnvironment = {
    stack,
    url: primary.url,
    listeners: alb.listeners,
    ...(tls && https ? { certificatePem: tls.cert } : {}),
    speedup,
    instances: () =>
      instances
        .filter((i) => !i.terminating)
        .map((i) => ({ id: i.id, name: i.name, host: i.host, appPort: i.userData.port, ...(i.process ? { pid: i.process.pid } : {}), running: i.process?.running() ?? false })),
    targets: () => alb.targets(),
    diagnose,
    async waitHealthy(opts = {}) {
      const hc = stack.targetGroup.healthCheck;
      const expected = servers.kind === "instances" ? servers.instances.length : servers.desired;
      const deadlineMs = opts.deadlineMs ?? scaleMs((hc.healthyThreshold + hc.unhealthyThreshold) * hc.intervalSeconds * 2) + 10_000;
      const deadline = Date.now() + deadlineMs;
      let lastReport = 0;
      for (;;) {
        throwIfCancelled(ctx.signal);
        const targets = alb.targets().filter((t) => t.state !== "draining");
        const healthy = targets.filter((t) => t.state === "healthy").length;
        if (healthy >= expected) return;
        if (Date.now() - lastReport >= 1000) {
          lastReport = Date.now();
          ctx.onEvent({ type: "progress", phase: "wait-healthy", message: `${healthy} of ${expected} targets healthy (${targets.map((t) => `${t.name}: ${t.state}`).join(", ")})` });
        }
        if (Date.now() > deadline) {
          const diagnoses = diagnose();
          for (const d of diagnoses) ctx.onEvent({ type: "diagnosis", diagnosis: d });
          throw new LifecycleError(
            "ERR_TARGETS_UNHEALTHY",
            `${healthy} of ${expected} targets healthy after ${Math.round(deadlineMs / 1000)} s${diagnoses.length ? `:\n${diagnoses.map((d) => `  - ${d.message}`).join("\n")}` : ""}`,
          );
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async killInstance(id) {
      const i = find(id);
      i.process?.signal("SIGKILL");
      await i.process?.exited;
    },
    hangInstance(id) {
      find(id).process?.signal("SIGSTOP");
    },
    resumeInstance(id) {
      find(id).process?.signal("SIGCONT");
    },
    async restartInstance(id) {
      const i = find(id);
      if (i.process?.running()) throw new LifecycleError("ERR_USAGE", `instance ${id} is still running`);
      await i.process?.dispose();
      i.process = undefined;
      // Same instance, same address: its user data runs again.
      await launch({ name: i.name, groups: i.endpoint.groups, userData: i.userData }, i);
    },
    dispose,
    [Symbol.asyncDispose]: dispose,
  };
  return env;
}
