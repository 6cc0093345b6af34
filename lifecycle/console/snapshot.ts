/**
 * What the console page draws, as one JSON document sent about once a second: the resource map
 * (listeners -> rules -> target group -> targets, the security groups on each hop, the database),
 * the Targets tab (state, AWS reason code and description, the engine's diagnosis), each target's
 * last minutes of requests, the Auto Scaling group, the drill and the load test.
 */
import type { LocalEnvironment } from "../local/local-environment.js";
import type { GroupView } from "../local/scaling-group.js";
import type { HopVerdict } from "../local/security-groups.js";
import type { DrillResult } from "../probes/failover-drill.js";
import type { LoadResult, LoadSecond } from "../load/load-generator.js";
import type { SecondStats } from "../load/per-second.js";
import type { Address, Stack } from "../stack/stack.js";
import { targetReason, type TargetReason } from "./reason-codes.js";

/** One row of the Targets tab. */
export interface TargetRow {
  readonly id: string;
  readonly name: string;
  readonly address: string;
  readonly port: number;
  readonly state: "initial" | "healthy" | "unhealthy" | "draining" | "unused";
  readonly reason?: TargetReason;
  /** The engine's plain-words diagnosis, when it has one. */
  readonly diagnosis?: string;
  /** What the last health check saw. */
  readonly lastCheck?: string;
  readonly pid?: number;
  readonly running: boolean;
  /** Hung (SIGSTOP) by a control. */
  readonly hung: boolean;
  /** Auto Scaling lifecycle state, for group members. */
  readonly lifecycle?: string;
  /** CPU utilization of the instance's vCPUs, percent. */
  readonly cpu?: number;
}

/** A hop of the resource map and its security-group verdict. */
export interface HopRow {
  readonly from: string;
  readonly to: string;
  readonly port: number;
  readonly allowed: boolean;
  /** The rule that allows it, or what is missing. */
  readonly detail: string;
}

/** The document. */
export interface ConsoleSnapshot {
  readonly now: number;
  readonly stack: string;
  readonly speedup: number;
  readonly url: string;
  readonly map: {
    readonly loadBalancer: { readonly name: string; readonly securityGroups: readonly string[] };
    readonly listeners: ReadonlyArray<{ readonly protocol: string; readonly port: number; readonly url: string; readonly rule: string }>;
    readonly targetGroup: { readonly name: string; readonly port: number; readonly healthCheck: string; readonly stickiness?: string; readonly deregistrationDelaySeconds: number };
    readonly database?: { readonly engine: string; readonly port: number; readonly securityGroups: readonly string[] };
    readonly hops: readonly HopRow[];
  };
  readonly targets: readonly TargetRow[];
  readonly charts: Readonly<Record<string, readonly SecondStats[]>>;
  /** The Auto Scaling group, its members (id, pid, launch time, lifecycle state) included. */
  readonly group?: GroupView;
  readonly drill: { readonly running: boolean; readonly mode?: string; readonly log: readonly string[]; readonly result?: DrillResult; readonly error?: string };
  /** The load test: the last one started (startedAt names it), its seconds, its result once over. */
  readonly load: { readonly running: boolean; readonly startedAt?: string; readonly users: number; readonly seconds: readonly LoadSecond[]; readonly result?: LoadResult };
}

const verdictDetail = (v: HopVerdict, groupName: (a: Address) => string): string =>
  v.allowed ? `allowed by ${groupName(v.ingress.group)} ingress ${v.ingress.fromPort}-${v.ingress.toPort}` : v.message;

/** The resource map of a stack, with the verdicts the running load balancer holds. */
export function resourceMap(stack: Stack, env: LocalEnvironment): ConsoleSnapshot["map"] {
  const groupName = (a: Address) => stack.securityGroups.get(a)?.name ?? a;
  const hc = stack.targetGroup.healthCheck;
  const hops: HopRow[] = [];
  for (const t of env.targets()) {
    hops.push({ from: "load balancer", to: t.name, port: stack.servers.targetPort, allowed: t.hop.allowed, detail: verdictDetail(t.hop, groupName) });
  }
  return {
    loadBalancer: { name: stack.loadBalancer.name, securityGroups: stack.loadBalancer.securityGroups.map(groupName) },
    listeners: env.listeners.map((l) => ({
      protocol: l.spec.protocol,
      port: l.spec.port,
      url: l.url,
      rule:
        l.spec.action.type === "forward"
          ? `default: forward to ${stack.targetGroup.name}`
          : `default: redirect to ${l.spec.action.protocol === "#{protocol}" ? "same protocol" : l.spec.action.protocol}:${l.spec.action.port} (HTTP ${l.spec.action.statusCode})`,
    })),
    targetGroup: {
      name: stack.targetGroup.name,
      port: stack.targetGroup.port,
      healthCheck: `GET ${hc.path} on ${hc.port === "traffic-port" ? "the traffic port" : `port ${hc.port}`}, matcher ${hc.matcher}, every ${hc.intervalSeconds} s, timeout ${hc.timeoutSeconds} s, healthy ${hc.healthyThreshold} / unhealthy ${hc.unhealthyThreshold}`,
      deregistrationDelaySeconds: stack.targetGroup.deregistrationDelaySeconds,
      ...(stack.targetGroup.stickiness ? { stickiness: `load balancer cookie, ${stack.targetGroup.stickiness.durationSeconds} s` } : {}),
    },
    ...(stack.database ? { database: { engine: stack.database.engine, port: stack.database.port, securityGroups: stack.database.securityGroups.map(groupName) } } : {}),
    hops,
  };
}

/** The Targets tab's rows. */
export function targetRows(env: LocalEnvironment, hung: ReadonlySet<string>, cpu: Readonly<Record<string, number>>): TargetRow[] {
  const instances = new Map(env.instances().map((i) => [i.id, i]));
  const diagnoses = new Map(env.diagnose().map((d) => [d.target, d.message]));
  const group = env.autoScaling();
  const lifecycle = new Map(group?.members.map((m) => [m.id, m.lifecycle]) ?? []);
  const rows: TargetRow[] = env.targets().map((t) => {
    const i = instances.get(t.id);
    const reason = targetReason(t);
    const probe = t.lastProbe;
    return {
      id: t.id,
      name: t.name,
      address: i?.host ?? "",
      port: env.stack.servers.targetPort,
      state: t.state,
      ...(reason ? { reason } : {}),
      ...(diagnoses.has(t.id) ? { diagnosis: diagnoses.get(t.id)! } : {}),
      ...(probe ? { lastCheck: probe.ok ? `answered ${probe.status}` : probe.reason } : {}),
      ...(i?.pid !== undefined ? { pid: i.pid } : {}),
      running: i?.running ?? false,
      hung: hung.has(t.id),
      ...(lifecycle.has(t.id) ? { lifecycle: lifecycle.get(t.id)! } : {}),
      ...(cpu[t.id] !== undefined ? { cpu: Math.round(cpu[t.id]! * 10) / 10 } : {}),
    };
  });
  return rows;
}
