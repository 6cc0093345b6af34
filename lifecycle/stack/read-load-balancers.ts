/**
 * The stack's load balancers, their listeners and its target groups, with AWS's defaults for what
 * is not written. Every one is described, whatever its type; which of them an engine can run is
 * the engine's to say.
 */
import { displayName } from "./display-name.js";
import { blockAt, booleanAt, integerAt, objectAt, stringAt, stringListAt, type Problems } from "./problems.js";
import { readListenerCertificate } from "./read-certificate.js";
import { isExpression, parseReference } from "./references.js";
import { resourcesOfType, type ResourceSection } from "./resources-of-type.js";
import type { Address, HealthCheckSpec, ListenerSpec, LoadBalancerSpec, TargetGroupSpec, TrafficProtocol } from "./stack.js";

const PROTOCOLS: readonly TrafficProtocol[] = ["HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP"];

/** How read-stack.ts resolves references to security groups and subnets (each problem named). */
export interface Resolvers {
  /** The security groups `refs` name (a reference to anything else is a problem at `where`). */
  readonly groupRefs: (refs: readonly string[], where: string) => Address[];
  /** The literal CIDRs of the subnets `refs` name (others are left out: they cannot be modelled). */
  readonly cidrsOf: (refs: readonly string[]) => string[];
}

/** One `aws_lb`/`aws_alb` with its listeners; each forward must reach a target group of the stack. */
export function readLoadBalancer(resources: ResourceSection, [address, body]: [Address, Record<string, unknown>], targetGroups: ReadonlySet<Address>, resolve: Resolvers, problems: Problems): LoadBalancerSpec {
  const type = stringAt(body, "load_balancer_type", address, problems, "application", ["application", "network", "gateway"]) as "application" | "network" | "gateway";
  const listeners = readListeners(resources, address, targetGroups, problems);
  if (listeners.length === 0) problems.add(address, "has no listener (aws_lb_listener)");
  return {
    address,
    name: displayName(body, address, problems),
    ...(type !== "application" ? { type } : {}),
    securityGroups: resolve.groupRefs(stringListAt(body, "security_groups", address, problems), `${address}.security_groups`),
    idleTimeoutSeconds: integerAt(body, "idle_timeout", address, problems, { min: 1, max: 4000 }, 60),
    ...subnetsOf(body, address, resolve, problems),
    listeners,
  };
}

/**
 * The load balancer's subnets: a literal list (references or IDs) or `subnet_mapping` blocks are
 * counted; a whole expression (`${data.aws_subnets.public.ids}`, a list known only when planned)
 * is "unknown" rather than a problem: terraform accepts it.
 */
function subnetsOf(body: Record<string, unknown>, address: Address, resolve: Resolvers, problems: Problems): Pick<LoadBalancerSpec, "subnetCidrs" | "subnetCount"> {
  if (typeof body.subnets === "string" && isExpression(body.subnets)) return { subnetCidrs: [], subnetCount: "unknown" };
  const subnets = stringListAt(body, "subnets", address, problems);
  const mappings = body.subnet_mapping === undefined ? [] : Array.isArray(body.subnet_mapping) ? body.subnet_mapping : [body.subnet_mapping];
  const mapped = mappings.flatMap((m, i) => {
    const block = objectAt(m, `${address}.subnet_mapping[${i}]`, problems);
    return block ? [stringAt(block, "subnet_id", `${address}.subnet_mapping[${i}]`, problems)] : [];
  });
  const ids = [...subnets, ...mapped];
  return { subnetCidrs: resolve.cidrsOf(ids), subnetCount: ids.length };
}

/** A target group, with AWS's defaults for what is not written. */
export function readTargetGroup(address: Address, body: Record<string, unknown>, problems: Problems): TargetGroupSpec {
  const port = integerAt(body, "port", address, problems, { min: 1, max: 65535 });
  const protocol = stringAt(body, "protocol", address, problems, "HTTP", PROTOCOLS) as TrafficProtocol;
  const where = `${address}.health_check`;
  const hc = blockAt(body.health_check, where, problems) ?? {};
  if (booleanAt(hc, "enabled", where, problems, true) === false) problems.add(where, "is disabled; an ALB target group needs its health check (CKV_AWS_261)");
  const hcProtocol = stringAt(hc, "protocol", where, problems, "HTTP", ["HTTP", "HTTPS", "TCP"]) as HealthCheckSpec["protocol"];
  const portText = stringAt(hc, "port", where, problems, "traffic-port");
  const hcPort = portText === "traffic-port" ? "traffic-port" : integerAt(hc, "port", where, problems, { min: 1, max: 65535 });
  const healthCheck: HealthCheckSpec = {
    path: stringAt(hc, "path", where, problems, "/"),
    port: hcPort,
    protocol: hcProtocol,
    intervalSeconds: integerAt(hc, "interval", where, problems, { min: 5, max: 300 }, 30),
    timeoutSeconds: integerAt(hc, "timeout", where, problems, { min: 2, max: 120 }, 5),
    healthyThreshold: integerAt(hc, "healthy_threshold", where, problems, { min: 2, max: 10 }, 5),
    unhealthyThreshold: integerAt(hc, "unhealthy_threshold", where, problems, { min: 2, max: 10 }, 2),
    matcher: stringAt(hc, "matcher", where, problems, "200"),
  };
  if (hcProtocol !== "TCP" && !/^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$/.test(healthCheck.matcher)) problems.add(`${where}.matcher`, `expected HTTP codes such as 200, 200,202 or 200-299, got ${JSON.stringify(healthCheck.matcher)}`);
  if (healthCheck.timeoutSeconds >= healthCheck.intervalSeconds) problems.add(where, `timeout (${healthCheck.timeoutSeconds} s) must be less than interval (${healthCheck.intervalSeconds} s), as AWS requires`);
  const stickiness = blockAt(body.stickiness, `${address}.stickiness`, problems);
  const sticky = stickiness && booleanAt(stickiness, "enabled", `${address}.stickiness`, problems, true);
  const stickyType = sticky ? stringAt(stickiness, "type", `${address}.stickiness`, problems, "lb_cookie") : "lb_cookie";
  return {
    address,
    name: displayName(body, address, problems),
    port,
    protocol,
    healthCheck,
    deregistrationDelaySeconds: integerAt(body, "deregistration_delay", address, problems, { min: 0, max: 3600 }, 300),
    ...(sticky
      ? { stickiness: { durationSeconds: integerAt(stickiness, "cookie_duration", `${address}.stickiness`, problems, { min: 1, max: 604800 }, 86400), ...(stickyType !== "lb_cookie" ? { type: stickyType } : {}) } }
      : {}),
  };
}

function readListeners(resources: ResourceSection, lbAddress: Address, targetGroups: ReadonlySet<Address>, problems: Problems): ListenerSpec[] {
  const listeners: ListenerSpec[] = [];
  for (const [address, body] of [...resourcesOfType(resources, "aws_lb_listener"), ...resourcesOfType(resources, "aws_alb_listener")]) {
    if (parseReference(body.load_balancer_arn)?.address !== lbAddress) continue;
    const protocol = stringAt(body, "protocol", address, problems, "HTTP", PROTOCOLS) as TrafficProtocol;
    const port = integerAt(body, "port", address, problems, { min: 1, max: 65535 }, protocol === "HTTPS" ? 443 : 80);
    const actions = Array.isArray(body.default_action) ? body.default_action : [body.default_action];
    const action = objectAt(actions[0], `${address}.default_action`, problems) ?? {};
    const type = stringAt(action, "type", `${address}.default_action`, problems, undefined, ["forward", "redirect"]);
    let spec: ListenerSpec["action"] = { type: "forward" };
    let targetGroup: Address | undefined;
    if (type === "forward") {
      targetGroup = parseReference(action.target_group_arn)?.address;
      if (targetGroup === undefined || !targetGroups.has(targetGroup)) problems.add(`${address}.default_action`, `forwards to ${JSON.stringify(action.target_group_arn)}, which is not a target group of this stack`);
    } else if (type === "redirect") {
      const w = `${address}.default_action.redirect`;
      const r = blockAt(action.redirect, w, problems) ?? {};
      spec = {
        type: "redirect",
        protocol: stringAt(r, "protocol", w, problems, "#{protocol}", ["HTTP", "HTTPS", "#{protocol}"]) as "HTTP" | "HTTPS" | "#{protocol}",
        port: stringAt(r, "port", w, problems, "#{port}"),
        statusCode: stringAt(r, "status_code", w, problems, undefined, ["HTTP_301", "HTTP_302"]) === "HTTP_302" ? 302 : 301,
      };
    }
    const sslPolicy = typeof body.ssl_policy === "string" ? body.ssl_policy : undefined;
    const certificate = protocol === "HTTPS" ? readListenerCertificate(resources, address, body, problems) : undefined;
    listeners.push({ address, port, protocol, action: spec, ...(targetGroup ? { targetGroup } : {}), ...(sslPolicy ? { sslPolicy } : {}), ...(certificate ? { certificate } : {}) });
  }
  return listeners.sort((a, b) => a.port - b.port);
}
