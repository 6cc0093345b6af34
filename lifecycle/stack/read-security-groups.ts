/**
 * Security groups and their rules, from the three ways terraform can write them: the standalone
 * `aws_vpc_security_group_ingress_rule` / `_egress_rule` resources (what our modules synthesize),
 * the older `aws_security_group_rule`, and inline `ingress` / `egress` blocks. A group created by
 * terraform has no egress rule unless one is written (terraform removes AWS's default allow-all),
 * so an empty egress list here means "nothing leaves", as in AWS.
 */
import { displayName } from "./display-name.js";
import { Problems, integerAt, objectAt, stringAt, stringListAt } from "./problems.js";
import { parseReference, isExpression } from "./references.js";
import { resourcesOfType, type ResourceSection } from "./resources-of-type.js";
import type { Address, RulePeer, SecurityGroupRule, SecurityGroupSpec } from "./stack.js";

const PORT = { min: -1, max: 65535 };

/** Every security group with its rules; `vpcCidr` resolves rules that name the VPC's CIDR block. */
export function readSecurityGroups(resources: ResourceSection, vpcCidrs: ReadonlyMap<Address, string>, problems: Problems): Map<Address, SecurityGroupSpec> {
  const groups = new Map<Address, { name: string; ingress: SecurityGroupRule[]; egress: SecurityGroupRule[] }>();
  for (const [address, body] of resourcesOfType(resources, "aws_security_group")) {
    const name = displayName(body, address, problems);
    const group = { name, ingress: [] as SecurityGroupRule[], egress: [] as SecurityGroupRule[] };
    groups.set(address, group);
    for (const direction of ["ingress", "egress"] as const) {
      const blocks = body[direction];
      if (blocks === undefined) continue;
      (Array.isArray(blocks) ? blocks : [blocks]).forEach((raw, i) => {
        const where = `${address}.${direction}[${i}]`;
        const block = objectAt(raw, where, problems);
        if (!block) return;
        const peers: RulePeer[] = [
          ...stringListAt(block, "cidr_blocks", where, problems).map((c) => cidrPeer(c, vpcCidrs)),
          ...stringListAt(block, "security_groups", where, problems).map((g) => groupPeer(g, where, problems)),
          ...(block.self === true ? [{ kind: "group", group: address } as const] : []),
        ];
        for (const peer of peers) group[direction].push(rule(`${address}.${direction}[${i}]`, direction, address, block, peer, where, problems));
      });
    }
  }

  const attach = (r: SecurityGroupRule, where: string) => {
    const group = groups.get(r.group);
    if (!group) problems.add(where, `belongs to ${r.group}, which is not a security group of this stack`);
    else group[r.direction].push(r);
  };
  for (const direction of ["ingress", "egress"] as const) {
    for (const [address, body] of resourcesOfType(resources, `aws_vpc_security_group_${direction}_rule`)) {
      const group = parseReference(body.security_group_id)?.address ?? "";
      const peer: RulePeer =
        body.referenced_security_group_id !== undefined
          ? groupPeer(String(body.referenced_security_group_id), address, problems)
          : body.cidr_ipv4 !== undefined
            ? cidrPeer(String(body.cidr_ipv4), vpcCidrs)
            : body.prefix_list_id !== undefined
              ? { kind: "prefix-list", expression: String(body.prefix_list_id) }
              : { kind: "unresolved", expression: String(body.cidr_ipv6 ?? "nothing") };
      attach(rule(address, direction, group, body, peer, address, problems), address);
    }
  }
  for (const [address, body] of resourcesOfType(resources, "aws_security_group_rule")) {
    const direction = stringAt(body, "type", address, problems, undefined, ["ingress", "egress"]) as "ingress" | "egress";
    const group = parseReference(body.security_group_id)?.address ?? "";
    const peers: RulePeer[] = [
      ...stringListAt(body, "cidr_blocks", address, problems).map((c) => cidrPeer(c, vpcCidrs)),
      ...(body.source_security_group_id !== undefined ? [groupPeer(String(body.source_security_group_id), address, problems)] : []),
      ...(body.self === true ? [{ kind: "group", group } as const] : []),
    ];
    for (const peer of peers) attach(rule(address, direction, group, body, peer, address, problems), address);
  }

  return new Map([...groups].map(([address, g]) => [address, { address, ...g }]));
}

function rule(address: string, direction: "ingress" | "egress", group: Address, body: Record<string, unknown>, peer: RulePeer, where: string, problems: Problems): SecurityGroupRule {
  const protocol = String(body.ip_protocol ?? body.protocol ?? "").toLowerCase();
  const all = protocol === "-1" || protocol === "all";
  if (!protocol) problems.add(where, "has no protocol (ip_protocol)");
  return {
    address,
    direction,
    group,
    protocol: all ? "-1" : protocol === "6" ? "tcp" : protocol,
    fromPort: all ? 0 : integerAt(body, "from_port", where, problems, PORT, 0),
    toPort: all ? 65535 : integerAt(body, "to_port", where, problems, PORT, 65535),
    peer,
    ...(typeof body.description === "string" ? { description: body.description } : {}),
  };
}

function cidrPeer(value: string, vpcCidrs: ReadonlyMap<Address, string>): RulePeer {
  if (!isExpression(value)) return { kind: "cidr", cidr: value };
  const ref = parseReference(value);
  const vpc = ref && ref.attribute === "cidr_block" ? vpcCidrs.get(ref.address) : undefined;
  return vpc ? { kind: "cidr", cidr: vpc } : { kind: "unresolved", expression: value };
}

function groupPeer(value: string, where: string, problems: Problems): RulePeer {
  const ref = parseReference(value);
  if (!ref || ref.type !== "aws_security_group") {
    problems.add(where, `names a security group we cannot follow: ${JSON.stringify(value)}`);
    return { kind: "unresolved", expression: value };
  }
  return { kind: "group", group: ref.address };
}
