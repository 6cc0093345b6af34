/**
 * The local engine: a synthesized stack realized on this machine. From the typed `Stack` it starts
 * what AWS would run, one emulated service at a time from the registry below: PostgreSQL when the
 * stack has a database, the load balancer with the stack's listeners, health check, stickiness,
 * deregistration delay and security groups, and the web servers (one seed-server process per
 * instance, or per the Auto Scaling group's desired capacity). The result is a disposable
 * environment the lifecycle (and the drill) works with.
 *
 * Teardown follows Miniflare's lesson: reverse order of start (so processes are killed first),
 * keep going when a step fails, throw the first error last.
 */
import { existsSync } from "node:fs";
import { seedServerBundlePath } from "../../seed-server/bundle-path.js";
import { LifecycleError, throwIfCancelled } from "../errors.js";
import type { Diagnosis, RunContext } from "../events.js";
import type { Stack } from "../stack/stack.js";
import type { RequestObserver, RunningListener, TargetView } from "./alb/load-balancer.js";
import type { GroupView } from "./scaling-group.js";
import { databaseService } from "./database-service.js";
import { diagnoseTarget } from "./diagnose.js";
import type { EmulatedService, Wiring } from "./emulated-service.js";
import { loadBalancerService } from "./load-balancer-service.js";
import { checkLocalStack } from "./local-check.js";
import { NO_TRACKING, type ProcessTracker } from "../../local-postgres/process-tracker.js";
import type { InstanceView } from "./fleet.js";
import { webServersService } from "./web-servers.js";

export type { InstanceView } from "./fleet.js";

/** The emulated services, in start order. */
export const SERVICES: readonly EmulatedService[] = [databaseService, loadBalancerService, webServersService];

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
  /** Servers write no per-request log lines (benchmarks). @default false */
  readonly quietServers?: boolean;
  /** Told of every process and folder as it starts: the CLI's running record (running-record.ts). @default nothing recorded */
  readonly track?: ProcessTracker;
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
  /** The Auto Scaling group, its scaling and activity history (stacks with a group). */
  autoScaling(): GroupView | undefined;
  /** The load balancer's per-request observer (the console's charts); returns the unsubscriber. */
  observeRequests(observer: RequestObserver): () => void;
  dispose(): Promise<void>;
}

/** Bring the stack up on this machine. */
export async function startLocalEnvironment(stack: Stack, ctx: RunContext, options: LocalEngineOptions = {}): Promise<LocalEnvironment> {
  checkLocalStack(stack); // also for callers that start it without the lifecycle (the console, tests)
  const speedup = options.speedup ?? 1;
  const bundle = options.bundle ?? seedServerBundlePath();
  if (!existsSync(bundle)) throw new LifecycleError("ERR_BUNDLE_MISSING", `the seed-server bundle is missing at ${bundle}: run \`npm run build:bundle\` (npm ci does it)`);
  const scaleMs = (seconds: number) => Math.max(1, Math.round((seconds * 1000) / speedup));
  const wiring: Wiring = {
    stack,
    ctx,
    settings: { bundle, speedup, quietServers: options.quietServers ?? false, track: options.track ?? NO_TRACKING, ...(options.clientAddress ? { clientAddress: options.clientAddress } : {}) },
    scaleMs,
  };

  const started: AsyncDisposable[] = [];
  let disposed = false;
  const dispose = async (): Promise<void> => {
    if (disposed) return;
    disposed = true;
    const errors: unknown[] = [];
    for (const service of started.reverse()) await Promise.resolve(service[Symbol.asyncDispose]()).catch((e: unknown) => errors.push(e));
    if (errors.length > 0) throw errors[0];
  };
  try {
    for (const service of SERVICES) {
      throwIfCancelled(ctx.signal);
      started.push(await service.start(wiring));
    }
  } catch (err) {
    await dispose().catch(() => undefined);
    throw err;
  }

  const { alb, certificatePem } = wiring.loadBalancer!;
  const fleet = wiring.fleet!;
  const diagnose = (): Diagnosis[] =>
    alb
      .targets()
      .filter((t) => t.state !== "healthy" && t.state !== "draining")
      .flatMap((t) => {
        const facts = fleet.facts(t.id);
        return facts ? diagnoseTarget(t, facts, stack.targetGroup.healthCheck) : [];
      });
  const https = alb.listeners.find((l) => l.spec.protocol === "HTTPS" && l.spec.action.type === "forward");
  const primary = https ?? alb.listeners.find((l) => l.spec.action.type === "forward") ?? alb.listeners[0]!;

  return {
    stack,
    url: primary.url,
    listeners: alb.listeners,
    ...(certificatePem && https ? { certificatePem } : {}),
    speedup,
    instances: () => fleet.instances(),
    targets: () => alb.targets(),
    diagnose,
    async waitHealthy(opts = {}) {
      const hc = stack.targetGroup.healthCheck;
      const deadlineMs = opts.deadlineMs ?? scaleMs((hc.healthyThreshold + hc.unhealthyThreshold) * hc.intervalSeconds * 2) + 10_000;
      const deadline = Date.now() + deadlineMs;
      let lastReport = 0;
      for (;;) {
        throwIfCancelled(ctx.signal);
        const targets = alb.targets().filter((t) => t.state !== "draining");
        const healthy = targets.filter((t) => t.state === "healthy").length;
        if (healthy >= fleet.expected) return;
        if (Date.now() - lastReport >= 1000) {
          lastReport = Date.now();
          ctx.onEvent({ type: "progress", phase: "wait-healthy", message: `${healthy} of ${fleet.expected} targets healthy (${targets.map((t) => `${t.name}: ${t.state}`).join(", ")})` });
        }
        if (Date.now() > deadline) {
          const diagnoses = diagnose();
          for (const d of diagnoses) ctx.onEvent({ type: "diagnosis", diagnosis: d });
          throw new LifecycleError(
            "ERR_TARGETS_UNHEALTHY",
            `${healthy} of ${fleet.expected} targets healthy after ${Math.round(deadlineMs / 1000)} s${diagnoses.length ? `:\n${diagnoses.map((d) => `  - ${d.message}`).join("\n")}` : ""}`,
          );
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    killInstance: (id) => fleet.kill(id),
    hangInstance: (id) => fleet.hang(id),
    resumeInstance: (id) => fleet.resume(id),
    restartInstance: (id) => fleet.restart(id),
    autoScaling: () => fleet.group?.(),
    observeRequests: (observer) => alb.observe(observer),
    dispose,
    [Symbol.asyncDispose]: dispose,
  };
}
