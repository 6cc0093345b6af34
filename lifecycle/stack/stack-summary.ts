/**
 * A plan-like summary of what a stack contains, in the words the course uses: what the local
 * engine will start, and the settings that decide how it behaves.
 */
import type { InstanceSpec, Stack } from "./stack.js";

/** One line of the summary: a label and what the stack says. */
export interface SummaryLine {
  readonly label: string;
  readonly value: string;
}

/** The summary lines of a stack. */
export function summarizeStack(stack: Stack): SummaryLine[] {
  const s = stack.servers;
  const hc = stack.targetGroup.healthCheck;
  const resources = Object.values(stack.resourceCounts).reduce((a, b) => a + b, 0);
  const more = stack.loadBalancers.length > 1 || stack.targetGroups.length > 1;
  return [
    { label: "resources", value: `${resources} (${Object.keys(stack.resourceCounts).length} types)` },
    ...(more
      ? [{ label: "load balancers", value: `${stack.loadBalancers.map((lb) => `${lb.name} (${lb.type ?? "application"})`).join(", ")}; target groups ${stack.targetGroups.map((t) => t.name).join(", ")}; the first is summarized below` }]
      : []),
    {
      label: "servers",
      value:
        s.kind === "instances"
          ? `${s.instances.length} EC2 instances (${s.instances.map((i) => i.name).join(", ")}), app on port ${s.instances[0]?.userData.port}, ${s.instances[0]?.userData.store} store${registeredPorts(s.instances, stack.targetGroup.port)}`
          : `Auto Scaling group ${s.name}: min ${s.min} / desired ${s.desired} / max ${s.max}, ${s.healthCheckType} health checks, grace ${s.gracePeriodSeconds} s, app on port ${s.userData.port}, ${s.userData.store} store`,
    },
    { label: "listeners", value: stack.loadBalancer.listeners.map((l) => `${l.protocol}:${l.port} ${l.action.type === "forward" ? "-> targets" : `-> ${l.action.statusCode} ${l.action.protocol}:${l.action.port}`}`).join(", ") },
    { label: "target group", value: `port ${stack.targetGroup.port}, deregistration delay ${stack.targetGroup.deregistrationDelaySeconds} s${stack.targetGroup.stickiness ? `, sticky (AWSALB, ${stack.targetGroup.stickiness.durationSeconds} s)` : ", not sticky"}` },
    {
      label: "health check",
      value: `${hc.protocol} GET ${hc.path} on ${hc.port === "traffic-port" ? "the traffic port" : `port ${hc.port}`} every ${hc.intervalSeconds} s, timeout ${hc.timeoutSeconds} s, healthy after ${hc.healthyThreshold}, unhealthy after ${hc.unhealthyThreshold}, matcher ${hc.matcher}`,
    },
    { label: "security groups", value: [...stack.securityGroups.values()].map((g) => `${g.name} (${g.ingress.length} in / ${g.egress.length} out)`).join(", ") },
    { label: "database", value: stack.database ? `${stack.database.engine === "postgres" ? "PostgreSQL" : stack.database.engine} "${stack.database.name}" on ${stack.database.port} (user ${stack.database.username})` : "none (each server keeps its seed in memory)" },
    { label: "certificate", value: stack.certificate ? `${stack.certificate.keyAlgorithm}${stack.certificate.ecdsaCurve ? ` ${stack.certificate.ecdsaCurve}` : ""}, CN "${stack.certificate.commonName}", ${stack.certificate.validityHours} h` : "none (plain HTTP)" },
  ];
}

/** Where attachments register instances, when that is not simply the target group's port. */
function registeredPorts(instances: readonly InstanceSpec[], targetGroupPort: number): string {
  if (instances.every((i) => i.targetPort === targetGroupPort)) return "";
  return `, registered on ${instances.map((i) => `${i.name}:${i.targetPort}`).join(", ")}`;
}
