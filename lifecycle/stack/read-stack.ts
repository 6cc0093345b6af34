/**
 * Read a synthesized stack, `cdktf.out/stacks/<name>/cdk.tf.json`, once, at the edge: every
 * problem is collected and reported in one ERR_STACK_INVALID message, and everything after this
 * works on the typed `Stack`. The JSON is the contract: nothing of modules/ or stacks/ is imported,
 * so a stack another repo built with our constructs (or by hand) reads the same way.
 *
 * Unknown keys and resource types are kept out of the way, not rejected; shapes the local engine
 * cannot run (two load balancers, a network load balancer) are ERR_STACK_UNSUPPORTED.
 */
import { displayName } from "./display-name.js";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { LifecycleError } from "../errors.js";
import { Problems, blockAt, booleanAt, integerAt, objectAt, stringAt, stringListAt } from "./problems.js";
import { readListenerCertificate } from "./read-certificate.js";
import { readSecurityGroups } from "./read-security-groups.js";
import { isExpression, parseReference } from "./references.js";
import { resourcesOfType, type ResourceSection } from "./resources-of-type.js";
import type {
  Address,
  DatabaseSpec,
  HealthCheckSpec,
  InstanceSpec,
  ListenerSpec,
  LoadBalancerSpec,
  ServerGroup,
  Stack,
  TargetGroupSpec,
  UserDataFacts,
} from "./stack.js";
import { readUserData } from "./user-data.js";
import { scalingOf } from "./read-scaling-policy.js";

/** Where cdktf writes a stack: `<outdir>/stacks/<name>/cdk.tf.json`. */
export function stackFile(outdir: string, name: string): string {
  return join(outdir, "stacks", name, "cdk.tf.json");
}

/** The stacks synthesized into `outdir`. */
export function listStacks(outdir: string): string[] {
  const dir = join(outdir, "stacks");
  return existsSync(dir) ? readdirSync(dir).filter((n) => existsSync(stackFile(outdir, n))).sort() : [];
}

/** Read and validate the stack `name` from `outdir`. */
export function readStack(outdir: string, name: string): Stack {
  const file = stackFile(outdir, name);
  if (!existsSync(file)) {
    const known = listStacks(outdir);
    throw new LifecycleError(
      "ERR_STACK_NOT_FOUND",
      `no synthesized stack "${name}" in ${outdir}: ${known.length ? `found ${known.join(", ")}` : "nothing synthesized there yet (run synth first)"}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new LifecycleError("ERR_STACK_INVALID", `${file} is not JSON: ${(err as Error).message}`);
  }
  return parseStack(json, name, file);
}

/** Validate parsed cdk.tf.json content; exported for tests that build variants of a stack. */
export function parseStack(json: unknown, name: string, file: string): Stack {
  const problems = new Problems();
  const root = objectAt(json, "cdk.tf.json", problems) ?? {};
  const resources = (objectAt(root.resource ?? {}, "resource", problems) ?? {}) as ResourceSection;

  const vpcCidrs = new Map<Address, string>();
  for (const [address, body] of resourcesOfType(resources, "aws_vpc")) {
    if (typeof body.cidr_block === "string" && !isExpression(body.cidr_block)) vpcCidrs.set(address, body.cidr_block);
  }
  const subnetCidrs = new Map<Address, string>();
  for (const [address, body] of resourcesOfType(resources, "aws_subnet")) {
    if (typeof body.cidr_block === "string" && !isExpression(body.cidr_block)) subnetCidrs.set(address, body.cidr_block);
  }
  const cidrsOf = (refs: readonly string[]): string[] =>
    refs.map((r) => subnetCidrs.get(parseReference(r)?.address ?? "")).filter((c): c is string => c !== undefined);

  const securityGroups = readSecurityGroups(resources, vpcCidrs, problems);
  const groupRefs = (refs: readonly string[], where: string): Address[] =>
    refs.map((r) => {
      const ref = parseReference(r);
      if (!ref || !securityGroups.has(ref.address)) problems.add(where, `names ${JSON.stringify(r)}, which is not a security group of this stack`);
      return ref?.address ?? r;
    });

  const unsupported: string[] = [];
  const lbs = [...resourcesOfType(resources, "aws_lb"), ...resourcesOfType(resources, "aws_alb")];
  const tgs = [...resourcesOfType(resources, "aws_lb_target_group"), ...resourcesOfType(resources, "aws_alb_target_group")];
  if (lbs.length !== 1) (lbs.length === 0 ? problems.add("resource", "the stack has no load balancer (aws_lb)") : unsupported.push(`${lbs.length} load balancers (the local engine runs one)`));
  if (tgs.length !== 1) (tgs.length === 0 ? problems.add("resource", "the stack has no target group (aws_lb_target_group)") : unsupported.push(`${tgs.length} target groups (the local engine runs one)`));
  if (unsupported.length > 0) throw new LifecycleError("ERR_STACK_UNSUPPORTED", `stack "${name}" (${file}) has ${unsupported.join("; ")}`);
  if (problems.list.length > 0) throw invalid(name, file, problems);

  const [lbAddress, lbBody] = lbs[0]!;
  const lbType = stringAt(lbBody, "load_balancer_type", lbAddress, problems, "application");
  if (lbType !== "application") throw new LifecycleError("ERR_STACK_UNSUPPORTED", `stack "${name}": ${lbAddress} is a ${lbType} load balancer; the local engine runs application load balancers`);
  const [tgAddress, tgBody] = tgs[0]!;
  const targetGroup = readTargetGroup(tgAddress, tgBody, problems);
  const listeners = readListeners(resources, lbAddress, tgAddress, problems);
  const loadBalancer: LoadBalancerSpec = {
    address: lbAddress,
    name: displayName(lbBody, lbAddress, problems),
    securityGroups: groupRefs(stringListAt(lbBody, "security_groups", lbAddress, problems), `${lbAddress}.security_groups`),
    idleTimeoutSeconds: integerAt(lbBody, "idle_timeout", lbAddress, problems, { min: 1, max: 4000 }, 60),
    subnetCidrs: cidrsOf(stringListAt(lbBody, "subnets", lbAddress, problems)),
    listeners,
  };
  if (listeners.length === 0) problems.add(lbAddress, "has no listener (aws_lb_listener)");

  const servers = readServers(resources, tgAddress, targetGroup.port, groupRefs, cidrsOf, problems);
  const database = readDatabase(resources, groupRefs, cidrsOf, problems);
  const https = listeners.find((l) => l.protocol === "HTTPS" && l.action.type === "forward") ?? listeners.find((l) => l.protocol === "HTTPS");
  const certificate = https?.certificate;

  if (problems.list.length > 0) throw invalid(name, file, problems);
  const resourceCounts = Object.fromEntries(Object.entries(resources).map(([type, byName]) => [type, Object.keys(byName ?? {}).length]));
  return {
    name,
    file,
    servers,
    loadBalancer,
    targetGroup,
    ...(database ? { database } : {}),
    ...(certificate ? { certificate } : {}),
    securityGroups,
    ...(vpcCidrs.size === 1 ? { vpcCidr: [...vpcCidrs.values()][0]! } : {}),
    resourceCounts,
    outputs: Object.keys((root.output as Record<string, unknown> | undefined) ?? {}),
  };
}

function invalid(name: string, file: string, problems: Problems): LifecycleError {
  const n = problems.list.length;
  return new LifecycleError("ERR_STACK_INVALID", `stack "${name}" (${file}) has ${n} problem${n === 1 ? "" : "s"}:\n${problems.list.map((p) => `  - ${p}`).join("\n")}`);
}

/** The target group, with AWS's defaults for what is not written. */
function readTargetGroup(address: Address, body: Record<string, unknown>, problems: Problems): TargetGroupSpec {
  const port = integerAt(body, "port", address, problems, { min: 1, max: 65535 });
  const protocol = stringAt(body, "protocol", address, problems, "HTTP", ["HTTP"]) as "HTTP";
  const where = `${address}.health_check`;
  const hc = blockAt(body.health_check, where, problems) ?? {};
  if (booleanAt(hc, "enabled", where, problems, true) === false) problems.add(where, "is disabled; an ALB target group needs its health check (CKV_AWS_261)");
  const hcProtocol = stringAt(hc, "protocol", where, problems, "HTTP", ["HTTP", "HTTPS"]) as "HTTP" | "HTTPS";
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
  if (!/^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$/.test(healthCheck.matcher)) problems.add(`${where}.matcher`, `expected HTTP codes such as 200, 200,202 or 200-299, got ${JSON.stringify(healthCheck.matcher)}`);
  if (healthCheck.timeoutSeconds >= healthCheck.intervalSeconds) problems.add(where, `timeout (${healthCheck.timeoutSeconds} s) must be less than interval (${healthCheck.intervalSeconds} s), as AWS requires`);
  const stickiness = blockAt(body.stickiness, `${address}.stickiness`, problems);
  const sticky = stickiness && booleanAt(stickiness, "enabled", `${address}.stickiness`, problems, true);
  if (sticky) {
    const type = stringAt(stickiness, "type", `${address}.stickiness`, problems, "lb_cookie");
    if (type !== "lb_cookie") throw new LifecycleError("ERR_STACK_UNSUPPORTED", `${address}.stickiness.type is ${type}; the local engine runs lb_cookie stickiness`);
  }
  return {
    address,
    name: displayName(body, address, problems),
    port,
    protocol,
    healthCheck,
    deregistrationDelaySeconds: integerAt(body, "deregistration_delay", address, problems, { min: 0, max: 3600 }, 300),
    ...(sticky ? { stickiness: { durationSeconds: integerAt(stickiness, "cookie_duration", `${address}.stickiness`, problems, { min: 1, max: 604800 }, 86400) } } : {}),
  };
}

function readListeners(resources: ResourceSection, lbAddress: Address, tgAddress: Address, problems: Problems): ListenerSpec[] {
  const listeners: ListenerSpec[] = [];
  for (const [address, body] of [...resourcesOfType(resources, "aws_lb_listener"), ...resourcesOfType(resources, "aws_alb_listener")]) {
    if (parseReference(body.load_balancer_arn)?.address !== lbAddress) continue;
    const protocol = stringAt(body, "protocol", address, problems, "HTTP", ["HTTP", "HTTPS"]) as "HTTP" | "HTTPS";
    const port = integerAt(body, "port", address, problems, { min: 1, max: 65535 }, protocol === "HTTPS" ? 443 : 80);
    const actions = Array.isArray(body.default_action) ? body.default_action : [body.default_action];
    const action = objectAt(actions[0], `${address}.default_action`, problems) ?? {};
    const type = stringAt(action, "type", `${address}.default_action`, problems, undefined, ["forward", "redirect"]);
    let spec: ListenerSpec["action"] = { type: "forward" };
    if (type === "forward") {
      const target = parseReference(action.target_group_arn)?.address;
      if (target !== tgAddress) problems.add(`${address}.default_action`, `forwards to ${JSON.stringify(action.target_group_arn)}, not to the target group ${tgAddress}`);
    } else if (type === "redirect") {
      const r = blockAt(action.redirect, `${address}.default_action.redirect`, problems) ?? {};
      const w = `${address}.default_action.redirect`;
      spec = {
        type: "redirect",
        protocol: stringAt(r, "protocol", w, problems, "#{protocol}", ["HTTP", "HTTPS", "#{protocol}"]) as "HTTP" | "HTTPS" | "#{protocol}",
        port: stringAt(r, "port", w, problems, "#{port}"),
        statusCode: stringAt(r, "status_code", w, problems, undefined, ["HTTP_301", "HTTP_302"]) === "HTTP_302" ? 302 : 301,
      };
    }
    const sslPolicy = typeof body.ssl_policy === "string" ? body.ssl_policy : undefined;
    const certificate = protocol === "HTTPS" ? readListenerCertificate(resources, address, body, problems) : undefined;
    listeners.push({ address, port, protocol, action: spec, ...(sslPolicy ? { sslPolicy } : {}), ...(certificate ? { certificate } : {}) });
  }
  return listeners.sort((a, b) => a.port - b.port);
}

function readServers(
  resources: ResourceSection,
  tgAddress: Address,
  tgPort: number,
  groupRefs: (refs: readonly string[], where: string) => Address[],
  cidrsOf: (refs: readonly string[]) => string[],
  problems: Problems,
): ServerGroup {
  const userDataOf = (value: unknown, where: string): UserDataFacts => {
    const { facts, problems: found } = readUserData(typeof value === "string" ? value : "");
    if (typeof value !== "string") problems.add(where, "has no user_data: nothing would start the seed server");
    for (const p of found) problems.add(where, p);
    return facts;
  };

  const asgs = resourcesOfType(resources, "aws_autoscaling_group").filter(([address, body]) => {
    const viaAttachment = resourcesOfType(resources, "aws_autoscaling_attachment").some(
      ([, a]) => parseReference(a.autoscaling_group_name)?.address === address && parseReference(a.lb_target_group_arn)?.address === tgAddress,
    );
    const inline = stringListAt(body, "target_group_arns", address, problems).some((r) => parseReference(r)?.address === tgAddress);
    return viaAttachment || inline;
  });
  if (asgs.length > 1) throw new LifecycleError("ERR_STACK_UNSUPPORTED", `${asgs.length} Auto Scaling groups serve ${tgAddress}; the local engine runs one`);
  if (asgs.length === 1) {
    const [address, body] = asgs[0]!;
    const ltRef = blockAt(body.launch_template, `${address}.launch_template`, problems) ?? {};
    const ltAddress = parseReference(ltRef.id ?? ltRef.name)?.address ?? "";
    const lt = resourcesOfType(resources, "aws_launch_template").find(([a]) => a === ltAddress)?.[1];
    if (!lt) problems.add(`${address}.launch_template`, `names ${JSON.stringify(ltRef.id ?? ltRef.name)}, which is not a launch template of this stack`);
    const nic = lt ? blockAt(Array.isArray(lt.network_interfaces) ? lt.network_interfaces[0] : lt.network_interfaces, `${ltAddress}.network_interfaces`, problems) : undefined;
    const sgs = [...stringListAt(lt ?? {}, "vpc_security_group_ids", ltAddress, problems), ...stringListAt(nic ?? {}, "security_groups", ltAddress, problems)];
    const min = integerAt(body, "min_size", address, problems, { min: 0, max: 100 });
    const max = integerAt(body, "max_size", address, problems, { min: 0, max: 100 });
    const desired = integerAt(body, "desired_capacity", address, problems, { min: 0, max: 100 }, min);
    if (desired < min || desired > max) problems.add(address, `desired_capacity ${desired} is outside min_size ${min} .. max_size ${max}`);
    return {
      kind: "auto-scaling",
      address,
      name: displayName(body, address, problems),
      min,
      max,
      desired,
      healthCheckType: stringAt(body, "health_check_type", address, problems, "EC2", ["EC2", "ELB"]) as "EC2" | "ELB",
      gracePeriodSeconds: integerAt(body, "health_check_grace_period", address, problems, { min: 0, max: 7200 }, 300),
      securityGroups: groupRefs(sgs, `${ltAddress}.security_groups`),
      subnetCidrs: cidrsOf(stringListAt(body, "vpc_zone_identifier", address, problems)),
      userData: userDataOf(lt?.user_data, ltAddress),
      targetPort: tgPort,
      ...scalingOf(resources, address, body, ltAddress, problems),
    };
  }

  const instances: InstanceSpec[] = [];
  for (const [address, body] of resourcesOfType(resources, "aws_lb_target_group_attachment")) {
    if (parseReference(body.target_group_arn)?.address !== tgAddress) continue;
    const instanceAddress = parseReference(body.target_id)?.address ?? "";
    const instance = resourcesOfType(resources, "aws_instance").find(([a]) => a === instanceAddress)?.[1];
    if (!instance) {
      problems.add(`${address}.target_id`, `registers ${JSON.stringify(body.target_id)}, which is not an instance of this stack`);
      continue;
    }
    // Each attachment registers its instance on its own port (AWS probes and forwards to each one's).
    const targetPort = integerAt(body, "port", address, problems, { min: 1, max: 65535 }, tgPort);
    const tags = (instance.tags as Record<string, unknown> | undefined) ?? {};
    instances.push({
      address: instanceAddress,
      name: typeof tags.Name === "string" ? tags.Name : instanceAddress,
      securityGroups: groupRefs(stringListAt(instance, "vpc_security_group_ids", instanceAddress, problems), `${instanceAddress}.vpc_security_group_ids`),
      ...(cidrsOf([String(instance.subnet_id ?? "")])[0] ? { subnetCidr: cidrsOf([String(instance.subnet_id)])[0]! } : {}),
      userData: userDataOf(instance.user_data, instanceAddress),
      targetPort,
    });
  }
  if (instances.length === 0) problems.add(tgAddress, "no instance or Auto Scaling group is registered with the target group");
  return { kind: "instances", instances, targetPort: tgPort };
}

function readDatabase(
  resources: ResourceSection,
  groupRefs: (refs: readonly string[], where: string) => Address[],
  cidrsOf: (refs: readonly string[]) => string[],
  problems: Problems,
): DatabaseSpec | undefined {
  const dbs = resourcesOfType(resources, "aws_db_instance");
  if (dbs.length === 0) return undefined;
  if (dbs.length > 1) throw new LifecycleError("ERR_STACK_UNSUPPORTED", `${dbs.length} databases; the local engine runs one`);
  const [address, body] = dbs[0]!;
  const engine = stringAt(body, "engine", address, problems);
  if (engine !== "postgres") throw new LifecycleError("ERR_STACK_UNSUPPORTED", `${address} runs ${engine}; the local engine runs PostgreSQL`);
  const subnetGroup = parseReference(body.db_subnet_group_name)?.address;
  const group = resourcesOfType(resources, "aws_db_subnet_group").find(([a]) => a === subnetGroup)?.[1];
  return {
    address,
    engine,
    port: integerAt(body, "port", address, problems, { min: 1, max: 65535 }, 5432),
    name: stringAt(body, "db_name", address, problems, "postgres"),
    username: stringAt(body, "username", address, problems, "postgres"),
    securityGroups: groupRefs(stringListAt(body, "vpc_security_group_ids", address, problems), `${address}.vpc_security_group_ids`),
    subnetCidrs: group ? cidrsOf(stringListAt(group, "subnet_ids", subnetGroup!, problems)) : [],
  };
}
