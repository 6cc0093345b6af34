/**
 * A stack's servers for the report: the reader lists them per target group (an instance or Auto
 * Scaling group serving two target groups appears under each); the diagram and the cost want each
 * once, with every target group it serves.
 */
import type { Address, InstanceSpec, ServerGroup, Stack } from "../../../lifecycle/index.js";

/** An Auto Scaling group of the stack. */
type AutoScalingGroup = Extract<ServerGroup, { kind: "auto-scaling" }>;

/** Each instance and Auto Scaling group once, with every target group it serves. */
export function serversOf(stack: Stack): { readonly instances: Array<InstanceSpec & { targetGroups: Address[] }>; readonly groups: Array<AutoScalingGroup & { targetGroups: Address[] }> } {
  const instances = new Map<Address, InstanceSpec & { targetGroups: Address[] }>();
  const groups = new Map<Address, AutoScalingGroup & { targetGroups: Address[] }>();
  for (const g of stack.serverGroups) {
    const tg = g.targetGroup ?? stack.targetGroup.address;
    if (g.kind === "auto-scaling") groups.set(g.address, { ...g, targetGroups: [...(groups.get(g.address)?.targetGroups ?? []), tg] });
    else for (const i of g.instances) instances.set(i.address, { ...i, targetGroups: [...(instances.get(i.address)?.targetGroups ?? []), tg] });
  }
  return { instances: [...instances.values()], groups: [...groups.values()] };
}

