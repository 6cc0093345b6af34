/**
 * Why a target stays unhealthy, in plain words, the way a course student needs it: the course
 * FAQ's failures, recognised from what the engine knows (the probe's result, the security-group
 * verdicts, the process's state and its last log lines, the user data's port).
 */
import type { Diagnosis } from "../events.js";
import type { HealthCheckSpec } from "../stack/stack.js";
import type { TargetView } from "./alb/load-balancer.js";
import type { HopVerdict } from "./security-groups.js";

/** What the engine knows about the instance behind a target. */
export interface InstanceFacts {
  readonly id: string;
  readonly name: string;
  /** The port the app listens on (user data). */
  readonly appPort: number;
  /** The port the target group registers the instance on. */
  readonly targetPort: number;
  /** How the process ended, when it has; with its last log lines. */
  readonly exit?: { readonly description: string; readonly lastLines: readonly string[] };
  /** The verdict on server -> database, when the server uses the database. */
  readonly databaseHop?: HopVerdict;
}

/** The diagnosis of one target that is not healthy, or undefined when nothing is known yet. */
export function diagnoseTarget(target: TargetView, instance: InstanceFacts, hc: HealthCheckSpec): Diagnosis | undefined {
  const who = `${instance.name} (${instance.id})`;
  const hcPort = hc.port === "traffic-port" ? instance.targetPort : hc.port;
  if (instance.exit) {
    const lines = instance.exit.lastLines.length ? `; its last log lines:\n${instance.exit.lastLines.map((l) => `      ${l}`).join("\n")}` : "; it wrote nothing";
    return { target: instance.id, kind: "process-exited", message: `${who}: the seed server process exited (${instance.exit.description})${lines}` };
  }
  if (!target.healthCheckHop.allowed) {
    return { target: instance.id, kind: "security-group", message: `${who}: the load balancer cannot reach it: ${target.healthCheckHop.message}` };
  }
  const probe = target.lastProbe;
  if (!probe || probe.ok) return undefined;
  if (probe.kind === "refused") {
    const mismatch = hcPort !== instance.appPort;
    return {
      target: instance.id,
      kind: "port-mismatch",
      message: mismatch
        ? `${who}: the target group sends ${hc.port === "traffic-port" ? "traffic and health checks" : "health checks"} to port ${hcPort}, but the app listens on port ${instance.appPort} (PORT in the user data); make the target group's port and the app's port the same`
        : `${who}: nothing listens on port ${hcPort}, the port the health check uses`,
    };
  }
  if (probe.kind === "status" && probe.status === 404) {
    return {
      target: instance.id,
      kind: "path-not-found",
      message: `${who}: the health check asks for GET ${hc.path} and the app answers 404: no such path (the seed server's health path is /status); fix the target group's health_check.path`,
    };
  }
  if (probe.kind === "status" && instance.databaseHop && !instance.databaseHop.allowed) {
    return {
      target: instance.id,
      kind: "security-group",
      message: `${who}: the health check gets ${probe.status} because the server cannot reach its database: ${instance.databaseHop.message}`,
    };
  }
  if (probe.kind === "status") {
    return { target: instance.id, kind: probe.status === 503 ? "database-unreachable" : "status-mismatch", message: `${who}: ${probe.reason}` };
  }
  if (probe.kind === "blocked") return { target: instance.id, kind: "security-group", message: `${who}: ${probe.reason}` };
  return { target: instance.id, kind: "timeout", message: `${who}: ${probe.reason}; the process is alive but does not answer (hung or overloaded)` };
}
