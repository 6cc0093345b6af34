/**
 * Read a synthesized stack, `cdktf.out/stacks/<name>/cdk.tf.json`, once, at the edge: every
 * problem is collected and reported in one ERR_STACK_INVALID message, and everything after this
 * works on the typed `Stack` (the lifecycle, both engines, the Action's diagram and cost). The JSON
 * is the contract: nothing of modules/ or stacks/ is imported, so a stack another repo built with
 * our constructs (or by hand) reads the same way.
 *
 * Unknown keys and resource types are kept out of the way, not rejected. Every load balancer,
 * target group and database is described; what an engine cannot run (the local engine: two load
 * balancers, a network load balancer, MySQL) is refused by that engine's `check`.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { LifecycleError } from "../errors.js";
import { Problems, objectAt, stringListAt } from "./problems.js";
import { readLoadBalancer, readTargetGroup, type Resolvers } from "./read-load-balancers.js";
import { readCompute } from "./read-compute.js";
import { readDatabases, readServers } from "./read-servers.js";
import { STACK_FILE_NAME, stackSettingsOf } from "./read-stack-settings.js";
import { readSecurityGroups } from "./read-security-groups.js";
import { isExpression, parseReference } from "./references.js";
import { resourcesOfType, type ResourceSection } from "./resources-of-type.js";
import type { Stack, VpcEndpointSpec } from "./stack.js";

/** Where cdktf writes a stack: `<outdir>/stacks/<name>/cdk.tf.json`. */
export function stackFile(outdir: string, name: string): string {
  return join(outdir, "stacks", name, STACK_FILE_NAME);
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
  return readStackFile(file, name);
}

/** Read and validate the stack in `file` (a `cdk.tf.json`), named after its directory unless `name` is given. */
export function readStackFile(file: string, name = basename(dirname(file))): Stack {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") throw new LifecycleError("ERR_STACK_NOT_FOUND", `no synthesized stack at ${file}`);
    throw new LifecycleError("ERR_STACK_INVALID", `${file} is not JSON: ${(err as Error).message}`);
  }
  return parseStack(json, name, file);
}

/** Validate parsed cdk.tf.json content; exported for tests that build variants of a stack. */
export function parseStack(json: unknown, name: string, file: string): Stack {
  const problems = new Problems();
  const root = objectAt(json, "cdk.tf.json", problems) ?? {};
  const resources = (objectAt(root.resource ?? {}, "resource", problems) ?? {}) as ResourceSection;

  const literalCidrs = (type: string) =>
    new Map(resourcesOfType(resources, type).flatMap(([address, body]) => (typeof body.cidr_block === "string" && !isExpression(body.cidr_block) ? [[address, body.cidr_block] as const] : [])));
  const vpcCidrs = literalCidrs("aws_vpc");
  const subnetCidrs = literalCidrs("aws_subnet");
  const securityGroups = readSecurityGroups(resources, vpcCidrs, problems);
  const resolve: Resolvers = {
    cidrsOf: (refs) => refs.map((r) => subnetCidrs.get(parseReference(r)?.address ?? "")).filter((c): c is string => c !== undefined),
    groupRefs: (refs, where) =>
      refs.map((r) => {
        const ref = parseReference(r);
        if (!ref || !securityGroups.has(ref.address)) problems.add(where, `names ${JSON.stringify(r)}, which is not a security group of this stack`);
        return ref?.address ?? r;
      }),
  };

  const lbs = [...resourcesOfType(resources, "aws_lb"), ...resourcesOfType(resources, "aws_alb")];
  const tgs = [...resourcesOfType(resources, "aws_lb_target_group"), ...resourcesOfType(resources, "aws_alb_target_group")];
  if (lbs.length === 0) problems.add("resource", "the stack has no load balancer (aws_lb)");
  if (tgs.length === 0) problems.add("resource", "the stack has no target group (aws_lb_target_group)");
  if (problems.list.length > 0) throw invalid(name, file, problems);

  const targetGroups = tgs.map(([address, body]) => readTargetGroup(address, body, problems));
  const loadBalancers = lbs.map((lb) => readLoadBalancer(resources, lb, new Set(targetGroups.map((t) => t.address)), resolve, problems));
  const serverGroups = targetGroups.flatMap((tg) => readServers(resources, tg, resolve, problems));
  const { instances, autoScalingGroups } = readCompute(resources, serverGroups, problems);
  const databases = readDatabases(resources, resolve, problems);
  // The one the local engine runs and a one-LB stack's only one: the first load balancer, its first forward's target group.
  const loadBalancer = loadBalancers[0]!;
  const primary = loadBalancer.listeners.find((l) => l.targetGroup !== undefined)?.targetGroup ?? targetGroups[0]!.address;
  const targetGroup = targetGroups.find((t) => t.address === primary)!;
  const servers = serverGroups.find((g) => g.targetGroup === primary)!;
  const listeners = loadBalancer.listeners;
  const https = listeners.find((l) => l.protocol === "HTTPS" && l.action.type === "forward") ?? listeners.find((l) => l.protocol === "HTTPS");
  const certificate = https?.certificate;
  const vpcEndpoints = resourcesOfType(resources, "aws_vpc_endpoint").map(
    ([address, body]): VpcEndpointSpec => ({ address, type: typeof body.vpc_endpoint_type === "string" ? (body.vpc_endpoint_type as VpcEndpointSpec["type"]) : "Gateway", subnetCount: stringListAt(body, "subnet_ids", address, problems).length }),
  );
  const settings = stackSettingsOf(root);

  if (problems.list.length > 0) throw invalid(name, file, problems);
  const resourceCounts = Object.fromEntries(Object.entries(resources).map(([type, byName]) => [type, Object.keys(byName ?? {}).length]));
  return {
    name,
    file,
    ...settings,
    loadBalancers,
    targetGroups,
    serverGroups,
    loadBalancer,
    targetGroup,
    servers,
    instances,
    autoScalingGroups,
    databases,
    ...(databases[0] ? { database: databases[0] } : {}),
    vpcEndpoints,
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
