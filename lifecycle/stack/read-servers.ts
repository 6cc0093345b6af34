/**
 * The servers behind each target group (fixed instances through attachments, or Auto Scaling
 * groups) and the databases, as read-stack.ts describes them.
 */
import { displayName } from "./display-name.js";
import { blockAt, booleanAt, integerAt, stringAt, stringListAt, type Problems } from "./problems.js";
import type { Resolvers } from "./read-load-balancers.js";
import { scalingOf } from "./read-scaling-policy.js";
import { isExpression, parseReference } from "./references.js";
import { resourcesOfType, type ResourceSection } from "./resources-of-type.js";
import type { DatabaseSpec, InstanceSpec, ServerGroup, TargetGroupSpec, UserDataFacts } from "./stack.js";
import { readUserData } from "./user-data.js";

/** Every Auto Scaling group serving `tg`, then its attached instances (one group); a target group nothing serves is a problem. */
export function readServers(resources: ResourceSection, tg: TargetGroupSpec, resolve: Resolvers, problems: Problems): ServerGroup[] {
  const userDataOf = (value: unknown, where: string): UserDataFacts => {
    const { facts, problems: found } = readUserData(typeof value === "string" ? value : "");
    if (typeof value !== "string") problems.add(where, "has no user_data: nothing would start the seed server");
    for (const p of found) problems.add(where, p);
    return facts;
  };
  const served = (ref: unknown) => parseReference(ref)?.address === tg.address;
  const groups: ServerGroup[] = [];

  for (const [address, body] of resourcesOfType(resources, "aws_autoscaling_group")) {
    const viaAttachment = resourcesOfType(resources, "aws_autoscaling_attachment").some(([, a]) => parseReference(a.autoscaling_group_name)?.address === address && served(a.lb_target_group_arn));
    if (!viaAttachment && !stringListAt(body, "target_group_arns", address, problems).some(served)) continue;
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
    groups.push({
      kind: "auto-scaling",
      address,
      name: displayName(body, address, problems),
      min,
      max,
      desired,
      healthCheckType: stringAt(body, "health_check_type", address, problems, "EC2", ["EC2", "ELB"]) as "EC2" | "ELB",
      gracePeriodSeconds: integerAt(body, "health_check_grace_period", address, problems, { min: 0, max: 7200 }, 300),
      securityGroups: resolve.groupRefs(sgs, `${ltAddress}.security_groups`),
      subnetCidrs: resolve.cidrsOf(stringListAt(body, "vpc_zone_identifier", address, problems)),
      userData: userDataOf(lt?.user_data, ltAddress),
      targetPort: tg.port,
      targetGroup: tg.address,
      ...scalingOf(resources, address, body, ltAddress, problems),
    });
  }

  const instances: InstanceSpec[] = [];
  for (const [address, body] of resourcesOfType(resources, "aws_lb_target_group_attachment")) {
    if (!served(body.target_group_arn)) continue;
    const instanceAddress = parseReference(body.target_id)?.address ?? "";
    const instance = resourcesOfType(resources, "aws_instance").find(([a]) => a === instanceAddress)?.[1];
    if (!instance) {
      problems.add(`${address}.target_id`, `registers ${JSON.stringify(body.target_id)}, which is not an instance of this stack`);
      continue;
    }
    // Each attachment registers its instance on its own port (AWS probes and forwards to each one's).
    const targetPort = integerAt(body, "port", address, problems, { min: 1, max: 65535 }, tg.port);
    const tags = (instance.tags as Record<string, unknown> | undefined) ?? {};
    const subnetCidr = resolve.cidrsOf([String(instance.subnet_id ?? "")])[0];
    instances.push({
      address: instanceAddress,
      name: typeof tags.Name === "string" ? tags.Name : instanceAddress,
      securityGroups: resolve.groupRefs(stringListAt(instance, "vpc_security_group_ids", instanceAddress, problems), `${instanceAddress}.vpc_security_group_ids`),
      ...(subnetCidr ? { subnetCidr } : {}),
      userData: userDataOf(instance.user_data, instanceAddress),
      targetPort,
      instanceType: stringAt(instance, "instance_type", instanceAddress, problems, "unknown"),
    });
  }
  if (groups.length === 0 && instances.length === 0) problems.add(tg.address, "no instance or Auto Scaling group is registered with the target group");
  if (groups.length === 0 || instances.length > 0) groups.push({ kind: "instances", instances, targetPort: tg.port, targetGroup: tg.address });
  return groups;
}

/** Default ports of the engines RDS runs, for a database that does not write its own. */
const ENGINE_PORTS: Readonly<Record<string, number>> = { postgres: 5432, mysql: 3306, mariadb: 3306 };

/** Every `aws_db_instance`. */
export function readDatabases(resources: ResourceSection, resolve: Resolvers, problems: Problems): DatabaseSpec[] {
  return resourcesOfType(resources, "aws_db_instance").map(([address, body]) => {
    const engine = stringAt(body, "engine", address, problems);
    const subnetGroup = parseReference(body.db_subnet_group_name)?.address;
    const group = resourcesOfType(resources, "aws_db_subnet_group").find(([a]) => a === subnetGroup)?.[1];
    return {
      address,
      engine,
      port: integerAt(body, "port", address, problems, { min: 1, max: 65535 }, ENGINE_PORTS[engine] ?? 5432),
      name: stringAt(body, "db_name", address, problems, "postgres"),
      username: stringAt(body, "username", address, problems, "postgres"),
      securityGroups: resolve.groupRefs(stringListAt(body, "vpc_security_group_ids", address, problems), `${address}.vpc_security_group_ids`),
      subnetCidrs: group ? resolve.cidrsOf(stringListAt(group, "subnet_ids", subnetGroup!, problems)) : [],
      identifier: typeof body.identifier === "string" && !isExpression(body.identifier) ? body.identifier : displayName(body, address, problems),
      instanceClass: stringAt(body, "instance_class", address, problems, "unknown"),
      storageGb: integerAt(body, "allocated_storage", address, problems, { min: 0, max: 65536 }, 0),
      multiAz: booleanAt(body, "multi_az", address, problems, false),
    };
  });
}
