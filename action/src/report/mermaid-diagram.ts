/**
 * A Mermaid flowchart of an environment, a view over the lifecycle's typed `Stack`: clients, the
 * load balancers with their listeners, the target groups, the instances or Auto Scaling groups, the
 * databases, and the security-group rules between them (dotted arrows). GitHub renders ```mermaid
 * blocks in comments and job summaries.
 */
import type { Address, Stack } from "../../../lifecycle/index.js";
import { serversOf } from "./stack-servers.js";

/** Mermaid node IDs allow letters, digits and underscores. */
function id(address: Address): string {
  return address.replace(/[^A-Za-z0-9_]/g, "_");
}

/** A label inside `["..."]`: quotes would end it, so they become Mermaid's entity. */
function label(text: string): string {
  return text.replace(/"/g, "#quot;").replace(/[<>]/g, "");
}

/** An edge label inside `|...|`: only characters Mermaid never reads as syntax. */
function edgeLabel(text: string): string {
  return text.replace(/[^A-Za-z0-9 .:/_-]/g, "");
}

const CLIENTS = "clients";

/** An ingress rule: `from` (a group, or a CIDR) may reach `to` on `port` (`8080`, `1024-2048`, `all`). */
export interface SecurityGroupEdge {
  readonly from: Address | { readonly cidr: string };
  readonly to: Address;
  readonly port: string;
}

/** The stack's ingress rules from a group or a CIDR (prefix lists and unresolved peers are not drawn). */
export function securityGroupEdges(stack: Stack): SecurityGroupEdge[] {
  return [...stack.securityGroups.values()].flatMap((group) =>
    group.ingress.flatMap((r): SecurityGroupEdge[] => {
      const port = r.protocol === "-1" ? "all" : r.fromPort === r.toPort ? String(r.fromPort) : `${r.fromPort}-${r.toPort}`;
      if (r.peer.kind === "group") return [{ from: r.peer.group, to: group.address, port }];
      return r.peer.kind === "cidr" ? [{ from: { cidr: r.peer.cidr }, to: group.address, port }] : [];
    }),
  );
}

/** The diagram's Mermaid source (without the ``` fence). */
export function mermaidDiagram(stack: Stack): string {
  const lines = ["flowchart LR", `  ${CLIENTS}(("clients"))`];
  const holders = new Map<Address, string[]>(); // security group -> node IDs that use it
  const hold = (groups: readonly Address[], node: string): void => {
    for (const g of groups) holders.set(g, [...(holders.get(g) ?? []), node]);
  };
  const { instances, groups } = serversOf(stack);

  for (const lb of stack.loadBalancers) {
    lines.push(`  subgraph ${id(lb.address)}["${lb.type === undefined || lb.type === "application" ? "ALB" : `${lb.type} LB`} ${label(lb.name)}"]`);
    for (const l of lb.listeners) {
      const redirect = l.action.type === "redirect" ? ` redirect to ${l.action.port}` : "";
      lines.push(`    ${id(l.address)}["${label(`${l.protocol} :${l.port}${redirect}`)}"]`);
    }
    lines.push("  end");
    hold(lb.securityGroups, id(lb.address));
  }
  for (const tg of stack.targetGroups) lines.push(`  ${id(tg.address)}["target group ${label(tg.name)}<br/>${label(`:${tg.port} health ${tg.healthCheck.path}`)}"]`);
  for (const i of instances) {
    lines.push(`  ${id(i.address)}["EC2 ${label(i.name)}<br/>${label(i.instanceType ?? "unknown")}"]`);
    hold(i.securityGroups, id(i.address));
  }
  for (const a of groups) {
    lines.push(`  ${id(a.address)}[["Auto Scaling ${label(a.name)}<br/>${label(`${a.instanceType ?? "unknown"} x${a.desired} (${a.min}-${a.max})`)}"]]`);
    hold(a.securityGroups, id(a.address));
  }
  for (const d of stack.databases) {
    lines.push(`  ${id(d.address)}[("RDS ${label(d.engine)} ${label(d.identifier ?? d.address)}<br/>${label(`${d.instanceClass ?? "unknown"}${d.multiAz ? " Multi-AZ" : ""}`)}")]`);
    hold(d.securityGroups, id(d.address));
  }

  for (const l of stack.loadBalancers.flatMap((lb) => lb.listeners)) {
    lines.push(`  ${CLIENTS} -->|${edgeLabel(`${l.protocol} ${l.port}`)}| ${id(l.address)}`);
    if (l.targetGroup !== undefined) lines.push(`  ${id(l.address)} -->|forward| ${id(l.targetGroup)}`);
  }
  for (const target of [...instances, ...groups]) {
    for (const tg of target.targetGroups) lines.push(`  ${id(tg)} --> ${id(target.address)}`);
  }

  const drawn = new Set<string>();
  for (const edge of securityGroupEdges(stack)) {
    const toNodes = holders.get(edge.to) ?? [];
    const fromNodes = typeof edge.from === "string" ? (holders.get(edge.from) ?? []) : [];
    for (const to of toNodes) {
      if (typeof edge.from !== "string") {
        // The internet side is already drawn through the listeners; an open CIDR on a non-LB node is worth showing.
        if (stack.loadBalancers.some((lb) => id(lb.address) === to)) continue;
        pushOnce(lines, drawn, `  ${CLIENTS} -.->|${edgeLabel(`sg ${edge.port} from ${edge.from.cidr}`)}| ${to}`);
        continue;
      }
      for (const from of fromNodes) {
        if (from !== to) pushOnce(lines, drawn, `  ${from} -.->|${edgeLabel(`sg ${edge.port}`)}| ${to}`);
      }
    }
  }
  return lines.join("\n");
}

function pushOnce(lines: string[], drawn: Set<string>, line: string): void {
  if (drawn.has(line)) return;
  drawn.add(line);
  lines.push(line);
}
