/**
 * Every EC2 instance and Auto Scaling group of the stack, each once, whether a target group has it
 * or not. `serverGroups` (read-servers.ts) is what serves traffic; this is what runs, and costs:
 * an instance no target group has (a bastion, a worker) is billed all the same.
 */
import { displayName } from "./display-name.js";
import { blockAt, integerAt, Problems } from "./problems.js";
import { parseReference } from "./references.js";
import { resourcesOfType, type ResourceSection } from "./resources-of-type.js";
import type { Address, AutoScalingGroupSpec, Ec2InstanceSpec, ServerGroup } from "./stack.js";

/** Every `aws_instance` and `aws_autoscaling_group`, in file order, with the target groups `serverGroups` has them in. */
export function readCompute(
  resources: ResourceSection,
  serverGroups: readonly ServerGroup[],
  problems: Problems,
): { instances: Ec2InstanceSpec[]; autoScalingGroups: AutoScalingGroupSpec[] } {
  const targetGroupsOf = new Map<Address, Address[]>();
  const attachedGroups = new Map<Address, Extract<ServerGroup, { kind: "auto-scaling" }>>();
  for (const g of serverGroups) {
    const members = g.kind === "instances" ? g.instances.map((i) => i.address) : [g.address];
    if (g.kind === "auto-scaling") attachedGroups.set(g.address, g);
    for (const m of members) {
      const known = targetGroupsOf.get(m) ?? [];
      // An instance attached twice to one target group (on two ports) is in it once.
      if (g.targetGroup !== undefined && !known.includes(g.targetGroup)) targetGroupsOf.set(m, [...known, g.targetGroup]);
    }
  }

  const instances = resourcesOfType(resources, "aws_instance").map(([address, body]): Ec2InstanceSpec => {
    const tags = (body.tags as Record<string, unknown> | undefined) ?? {};
    return {
      address,
      name: typeof tags.Name === "string" ? tags.Name : address,
      instanceType: instanceTypeOfInstance(resources, address, body, problems),
      targetGroups: targetGroupsOf.get(address) ?? [],
    };
  });

  const autoScalingGroups = resourcesOfType(resources, "aws_autoscaling_group").map(([address, body]): AutoScalingGroupSpec => {
    const targetGroups = targetGroupsOf.get(address) ?? [];
    const attached = attachedGroups.get(address);
    // For the cost, the launch template's type or "unknown" (unpriced, said), never the local engine's t3.micro guess.
    const ignored = new Problems();
    const instanceType = instanceTypeOfInstance(resources, address, body, ignored);
    // A group that serves a target group was read (and its problems named) by read-servers.ts.
    if (attached) return { address, name: attached.name, instanceType, min: attached.min, max: attached.max, desired: attached.desired, targetGroups };
    // One no target group has only feeds the cost: read leniently (a size given by a variable, or
    // above what the local engine runs, must not make the whole stack unreadable); what cannot be
    // read counts as its floor.
    const sizeAt = (key: string, floor: number) => {
      const n = integerAt(body, key, address, ignored, { min: 0, max: Number.MAX_SAFE_INTEGER }, floor);
      return Number.isNaN(n) ? floor : n;
    };
    const min = sizeAt("min_size", 0);
    return { address, name: displayName(body, address, ignored), instanceType, min, max: sizeAt("max_size", min), desired: sizeAt("desired_capacity", min), targetGroups };
  });
  return { instances, autoScalingGroups };
}

/** Its own `instance_type`, else its launch template's, else "unknown"; an expression is kept as written (the cost names it unpriced). */
function instanceTypeOfInstance(resources: ResourceSection, address: Address, body: Record<string, unknown>, problems: Problems): string {
  if (typeof body.instance_type === "string" && body.instance_type !== "") return body.instance_type;
  const launchTemplate = blockAt(body.launch_template, `${address}.launch_template`, problems);
  const ltAddress = parseReference(launchTemplate?.id ?? launchTemplate?.name)?.address;
  const lt = ltAddress === undefined ? undefined : resourcesOfType(resources, "aws_launch_template").find(([a]) => a === ltAddress)?.[1];
  return typeof lt?.instance_type === "string" && lt.instance_type !== "" ? lt.instance_type : "unknown";
}
