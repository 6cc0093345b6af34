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

/**
 * Every cause found for one target that is not healthy, most fundamental first (empty when nothing
 * is known yet): a process that exited, then a port the app does not listen on (known from the
 * stack, whatever the probes saw), then a security-group hop that blocks the health check, then
 * what the health check finds (probed past a blocked hop: the local engine can look behind it)
 * when none of those explains it. Naming them all at once spares the fix-one-find-the-next loop:
 * a target group moved to 8081 whose security groups still allow 8080 is told about the port
 * first, and that the rules would also need 8081 if the port stays.
 */
export function diagnoseTarget(target: TargetView, instance: InstanceFacts, hc: HealthCheckSpec): Diagnosis[] {
  const who = `${instance.name} (${instance.id})`;
  const hcPort = hc.port === "traffic-port" ? instance.targetPort : hc.port;
  const causes: Diagnosis[] = [];
  const add = (kind: Diagnosis["kind"], message: string) => causes.push({ target: instance.id, kind, message: `${who}: ${message}` });
  if (instance.exit) {
    const lines = instance.exit.lastLines.length ? `; its last log lines:\n${instance.exit.lastLines.map((l) => `      ${l}`).join("\n")}` : "; it wrote nothing";
    add("process-exited", `the seed server process exited (${instance.exit.description})${lines}`);
  }
  const mismatch = hcPort !== instance.appPort;
  if (mismatch) {
    add(
      "port-mismatch",
      `the target group sends ${hc.port === "traffic-port" ? "traffic and health checks" : "health checks"} to port ${hcPort}, but the app listens on port ${instance.appPort} (PORT in the user data); make the target group's port and the app's port the same`,
    );
  }
  if (!target.healthCheckHop.allowed) {
    add("security-group", `the load balancer cannot reach it: ${target.healthCheckHop.message}${mismatch ? ` (needed only if port ${hcPort} stays; fix the port mismatch first)` : ""}`);
  }
  if (instance.databaseHop && !instance.databaseHop.allowed) {
    add("security-group", `its health check fails because the server cannot reach its database: ${instance.databaseHop.message}`);
  }
  // What the health check finds (past a blocked hop too), unless a cause above already explains it.
  const probe = target.healthCheckHop.allowed ? target.lastProbe : target.probeBeyondBlock;
  if (!probe || probe.ok) return causes;
  const beyond = target.healthCheckHop.allowed ? "" : " (found past the security groups: the health check meets it once they allow it)";
  const databaseDenied = instance.databaseHop !== undefined && !instance.databaseHop.allowed;
  if (probe.kind === "refused") {
    if (!instance.exit && !mismatch) add("port-mismatch", `nothing listens on port ${hcPort}, the port the health check uses${beyond}`);
  } else if (probe.kind === "status" && probe.status === 404) {
    add("path-not-found", `the health check asks for GET ${hc.path} and the app answers 404: no such path (the seed server's health path is /status); fix the target group's health_check.path${beyond}`);
  } else if (probe.kind === "status") {
    if (!databaseDenied) add(probe.status === 503 ? "database-unreachable" : "status-mismatch", `${probe.reason}${beyond}`);
  } else if (probe.kind === "blocked") {
    if (causes.length === 0) add("security-group", probe.reason);
  } else if (!instance.exit && !databaseDenied) {
    add("timeout", `${probe.reason}; the process is alive but does not answer (hung or overloaded)${beyond}`);
  }
  return causes;
}
