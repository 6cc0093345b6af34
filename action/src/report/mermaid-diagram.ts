/**
 * A Mermaid flowchart of an environment, drawn from its StackFacts: clients, the load balancer with
 * its listeners, the target group, the instances or Auto Scaling group, the database, and the
 * security-group rules between them (dotted arrows). GitHub renders ```mermaid blocks in comments
 * and job summaries.
 */
import type { Address, StackFacts } from "./stack-facts.js";

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

/** The diagram's Mermaid source (without the ``` fence). */
export function mermaidDiagram(facts: StackFacts): string {
  const lines = ["flowchart LR", `  ${CLIENTS}(("clients"))`];
  const holders = new Map<Address, string[]>(); // security group -> node IDs that use it
  const hold = (groups: readonly Address[], node: string): void => {
    for (const g of groups) holders.set(g, [...(holders.get(g) ?? []), node]);
  };

  for (const lb of facts.loadBalancers) {
    lines.push(`  subgraph ${id(lb.address)}["ALB ${label(lb.label)}"]`);
    for (const l of facts.listeners.filter((x) => x.loadBalancer === lb.address)) {
      const redirect = l.redirectsTo ? ` to ${l.redirectsTo}` : "";
      lines.push(`    ${id(l.address)}["${label(`${l.protocol} :${l.port}${redirect ? ` redirect${redirect}` : ""}`)}"]`);
    }
    lines.push("  end");
    hold(lb.securityGroups, id(lb.address));
  }
  for (const tg of facts.targetGroups) {
    const detail = [tg.port !== undefined ? `:${tg.port}` : "", tg.healthPath ? `health ${tg.healthPath}` : ""].filter(Boolean).join(" ");
    lines.push(`  ${id(tg.address)}["target group ${label(tg.label)}${detail ? `<br/>${label(detail)}` : ""}"]`);
  }
  for (const i of facts.instances) {
    lines.push(`  ${id(i.address)}["EC2 ${label(i.label)}<br/>${label(i.instanceType)}"]`);
    hold(i.securityGroups, id(i.address));
  }
  for (const a of facts.autoScalingGroups) {
    lines.push(`  ${id(a.address)}[["Auto Scaling ${label(a.label)}<br/>${label(`${a.instanceType} x${a.desired} (${a.min}-${a.max})`)}"]]`);
    hold(a.securityGroups, id(a.address));
  }
  for (const d of facts.databases) {
    lines.push(`  ${id(d.address)}[("RDS ${label(d.engine)} ${label(d.label)}<br/>${label(`${d.instanceClass}${d.multiAz ? " Multi-AZ" : ""}`)}")]`);
    hold(d.securityGroups, id(d.address));
  }

  for (const l of facts.listeners) {
    if (l.loadBalancer !== undefined) lines.push(`  ${CLIENTS} -->|${edgeLabel(`${l.protocol} ${l.port}`)}| ${id(l.address)}`);
    if (l.forwardsTo !== undefined) lines.push(`  ${id(l.address)} -->|forward| ${id(l.forwardsTo)}`);
  }
  for (const target of [...facts.instances, ...facts.autoScalingGroups]) {
    for (const tg of target.targetGroups) lines.push(`  ${id(tg)} --> ${id(target.address)}`);
  }

  const drawn = new Set<string>();
  for (const edge of facts.securityGroupEdges) {
    const toNodes = holders.get(edge.to) ?? [];
    const fromNodes = typeof edge.from === "string" ? (holders.get(edge.from) ?? []) : [];
    for (const to of toNodes) {
      if (typeof edge.from !== "string") {
        // The internet side is already drawn through the listeners; an open CIDR on a non-LB node is worth showing.
        if (facts.loadBalancers.some((lb) => id(lb.address) === to)) continue;
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
