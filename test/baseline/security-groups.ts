/**
 * Security group rules: descriptions everywhere, no admin port open to the world, the VPC's
 * default group empty, and the chain ALB -> web servers -> database expressed as group-to-group
 * rules only.
 *
 * Rules can be written three ways in Terraform (inline blocks, aws_security_group_rule,
 * aws_vpc_security_group_ingress/egress_rule); all three are read into one shape first.
 */
import { blocks, isTrue, list, num, refersTo, resourcesOf, type Attributes, type Resource, type SynthJson } from "../synth-json.js";
import type { Violation } from "./violation.js";

/** One security-group rule, however it was written. */
interface Rule {
  /** The resource to report (the rule resource, or the group for inline rules). */
  readonly reportAs: Resource;
  /** The group the rule belongs to, when it can be resolved. */
  readonly group: Resource | undefined;
  readonly direction: "ingress" | "egress";
  /** True when every protocol (and so every port) is allowed. */
  readonly allProtocols: boolean;
  readonly fromPort: number;
  readonly toPort: number;
  /** IPv4 and IPv6 CIDR sources/destinations. */
  readonly cidrs: string[];
  /** Values naming other groups as source/destination (references), or "self". */
  readonly peers: string[];
  readonly description: unknown;
}

const WORLD = new Set(["0.0.0.0/0", "::/0"]);

/** Ports that must never be reachable from the whole internet, with the rule that names each. */
const ADMIN_PORTS: ReadonlyArray<readonly [number, string, string]> = [
  [22, "CKV_AWS_24", "SSH"],
  [3389, "CKV_AWS_25", "RDP"],
  [20, "SEEDSTACK_SG_ADMIN_PORT", "FTP data"],
  [21, "SEEDSTACK_SG_ADMIN_PORT", "FTP"],
  [23, "SEEDSTACK_SG_ADMIN_PORT", "Telnet"],
  [1433, "SEEDSTACK_SG_ADMIN_PORT", "SQL Server"],
  [1521, "SEEDSTACK_SG_ADMIN_PORT", "Oracle"],
  [2375, "SEEDSTACK_SG_ADMIN_PORT", "Docker"],
  [2376, "SEEDSTACK_SG_ADMIN_PORT", "Docker TLS"],
  [3306, "SEEDSTACK_SG_ADMIN_PORT", "MySQL"],
  [5432, "SEEDSTACK_SG_ADMIN_PORT", "PostgreSQL"],
  [5601, "SEEDSTACK_SG_ADMIN_PORT", "Kibana"],
  [5900, "SEEDSTACK_SG_ADMIN_PORT", "VNC"],
  [6379, "SEEDSTACK_SG_ADMIN_PORT", "Redis"],
  [9200, "SEEDSTACK_SG_ADMIN_PORT", "Elasticsearch"],
  [11211, "SEEDSTACK_SG_ADMIN_PORT", "Memcached"],
  [27017, "SEEDSTACK_SG_ADMIN_PORT", "MongoDB"],
];

/** Check every security group and rule in the stack. */
export function checkSecurityGroups(stack: SynthJson): Violation[] {
  const violations: Violation[] = [];
  const groups = resourcesOf(stack, "aws_security_group");
  const rules = readRules(stack, groups);

  for (const group of groups) {
    if (!isDescribed(group.attrs.description) || group.attrs.description === "Managed by Terraform") {
      violations.push({ rule: "CKV_AWS_23", resource: group.address, message: `security group description is ${JSON.stringify(group.attrs.description)}; say what the group is for` });
    } else {
      violations.push(...charsetViolations(group, "security group description", group.attrs.description, GROUP_DESCRIPTION_CHARS));
    }
  }
  for (const rule of rules) {
    if (!isDescribed(rule.description)) {
      violations.push({
        rule: "CKV_AWS_23",
        resource: rule.reportAs.address,
        message: `${rule.direction} rule ${portText(rule)} has no description`,
      });
    } else {
      violations.push(...charsetViolations(rule.reportAs, `${rule.direction} rule description`, rule.description, RULE_DESCRIPTION_CHARS));
    }
    if (rule.direction === "ingress") violations.push(...worldOpenViolations(rule));
  }

  for (const vpc of resourcesOf(stack, "aws_vpc")) {
    const defaults = resourcesOf(stack, "aws_default_security_group").filter((d) => refersTo(d.attrs.vpc_id, "aws_vpc", vpc.name));
    if (defaults.length === 0) {
      violations.push({ rule: "CKV2_AWS_12", resource: vpc.address, message: "VPC has no aws_default_security_group stripping the default group's rules" });
    }
    for (const d of defaults) {
      if (blocks(d.attrs.ingress).length > 0 || blocks(d.attrs.egress).length > 0) {
        violations.push({ rule: "CKV2_AWS_12", resource: d.address, message: "the VPC's default security group has rules; it must have none" });
      }
    }
  }

  violations.push(...checkTierChain(stack, groups, rules));
  return violations;
}

/**
 * Web servers accept only the load balancer's group, on a target group's port; the database
 * accepts only the web servers' groups. No CIDR sources in either tier.
 */
function checkTierChain(stack: SynthJson, groups: Resource[], rules: Rule[]): Violation[] {
  const attachedTo = (types: string[], ...attributes: string[]) =>
    groups.filter((g) =>
      resourcesOf(stack, ...types).some((r) =>
        attributes.some((a) => refersTo(a === "network_interfaces" ? blocks(r.attrs[a]).flatMap((n) => list(n.security_groups)) : r.attrs[a], g.type, g.name)),
      ),
    );
  const lbGroups = attachedTo(["aws_lb", "aws_alb"], "security_groups");
  const serverGroups = attachedTo(["aws_instance", "aws_launch_template"], "vpc_security_group_ids", "network_interfaces");
  const dbGroups = attachedTo(["aws_db_instance"], "vpc_security_group_ids");
  const appPorts = new Set(resourcesOf(stack, "aws_lb_target_group", "aws_alb_target_group").map((tg) => num(tg.attrs.port)));
  const violations: Violation[] = [];

  const check = (tier: Resource[], allowedPeers: Resource[], ruleId: string, what: string, portOk: (r: Rule) => boolean) => {
    for (const rule of rules.filter((r) => r.direction === "ingress" && r.group && tier.includes(r.group))) {
      const fromAllowed = rule.cidrs.length === 0 && rule.peers.length > 0 && rule.peers.every((p) => allowedPeers.some((g) => refersTo(p, g.type, g.name)));
      if (!fromAllowed || !portOk(rule)) {
        violations.push({
          rule: ruleId,
          resource: rule.reportAs.address,
          message: `${what}: ingress ${portText(rule)} from ${[...rule.cidrs, ...rule.peers].join(", ") || "nothing named"} is not allowed`,
        });
      }
    }
  };
  check(serverGroups, lbGroups, "SEEDSTACK_SERVER_INGRESS", "web servers accept only the load balancer's group on the app port", (r) =>
    !r.allProtocols && r.fromPort === r.toPort && appPorts.has(r.fromPort));
  check(dbGroups, serverGroups, "SEEDSTACK_DB_INGRESS", "the database accepts only the web servers' group", (r) => !r.allProtocols);
  return violations;
}

function worldOpenViolations(rule: Rule): Violation[] {
  const world = rule.cidrs.filter((c) => WORLD.has(c));
  if (world.length === 0) return [];
  const from = world.join(" and ");
  if (rule.allProtocols || (rule.fromPort <= 0 && rule.toPort >= 65535)) {
    return [{ rule: "CKV_AWS_277", resource: rule.reportAs.address, message: `every port is open to ${from}` }];
  }
  const violations: Violation[] = ADMIN_PORTS.filter(([port]) => port >= rule.fromPort && port <= rule.toPort).map(([port, id, name]) => ({
    rule: id,
    resource: rule.reportAs.address,
    message: `${name} port ${port} is open to ${from}`,
  }));
  if (80 >= rule.fromPort && 80 <= rule.toPort) {
    violations.push({ rule: "CKV_AWS_260", resource: rule.reportAs.address, message: `HTTP port 80 is open to ${from}` });
  }
  return violations;
}

function readRules(stack: SynthJson, groups: Resource[]): Rule[] {
  const groupOf = (value: unknown) => groups.find((g) => refersTo(value, g.type, g.name));
  const rules: Rule[] = [];

  for (const group of groups) {
    for (const direction of ["ingress", "egress"] as const) {
      for (const b of blocks(group.attrs[direction])) rules.push(classicRule(group, group, direction, b, "security_groups"));
    }
  }
  for (const r of resourcesOf(stack, "aws_security_group_rule")) {
    const direction = r.attrs.type === "egress" ? "egress" : "ingress";
    rules.push(classicRule(r, groupOf(r.attrs.security_group_id), direction, r.attrs, "source_security_group_id"));
  }
  for (const type of ["aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"] as const) {
    for (const r of resourcesOf(stack, type)) {
      const all = String(r.attrs.ip_protocol) === "-1" || r.attrs.ip_protocol === "all";
      rules.push({
        reportAs: r,
        group: groupOf(r.attrs.security_group_id),
        direction: type.includes("ingress") ? "ingress" : "egress",
        allProtocols: all,
        fromPort: all ? 0 : num(r.attrs.from_port),
        toPort: all ? 65535 : num(r.attrs.to_port),
        cidrs: [r.attrs.cidr_ipv4, r.attrs.cidr_ipv6].filter((c): c is string => typeof c === "string"),
        peers: [r.attrs.referenced_security_group_id, r.attrs.prefix_list_id].filter((p): p is string => typeof p === "string"),
        description: r.attrs.description,
      });
    }
  }
  return rules;
}

/** A rule in the aws_security_group / aws_security_group_rule shape. */
function classicRule(reportAs: Resource, group: Resource | undefined, direction: "ingress" | "egress", b: Attributes, peerAttribute: string): Rule {
  const all = String(b.protocol) === "-1" || b.protocol === "all";
  return {
    reportAs,
    group,
    direction,
    allProtocols: all,
    fromPort: all ? 0 : num(b.from_port),
    toPort: all ? 65535 : num(b.to_port),
    cidrs: [...list(b.cidr_blocks), ...list(b.ipv6_cidr_blocks)].map(String),
    peers: [...list(b[peerAttribute]), ...list(b.prefix_list_ids), ...(isTrue(b.self) ? ["self"] : [])].map(String),
    description: b.description,
  };
}

/**
 * Characters EC2 accepts in descriptions (EC2 API reference: CreateSecurityGroup GroupDescription;
 * IpRange / UserIdGroupPair Description, which also lacks "&"). Anything else fails at apply time.
 */
const GROUP_DESCRIPTION_CHARS = /^[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]*$/;
const RULE_DESCRIPTION_CHARS = /^[A-Za-z0-9 ._\-:/()#,@[\]+=;{}!$*]*$/;

function charsetViolations(resource: Resource, what: string, description: unknown, allowed: RegExp): Violation[] {
  // Terraform interpolations are resolved at apply time; check the literal text around them.
  const literal = String(description).replace(/\$\{[^}]*\}/g, "");
  if (String(description).length <= 255 && allowed.test(literal)) return [];
  const bad = [...new Set([...literal].filter((ch) => !allowed.test(ch)))].join("");
  return [
    {
      rule: "SEEDSTACK_SG_DESCRIPTION_CHARS",
      resource: resource.address,
      message: `${what} ${JSON.stringify(description)} ${bad ? `uses ${JSON.stringify(bad)}, which` : "is over 255 characters, which"} EC2 rejects at apply time (allowed: up to 255 of a-z A-Z 0-9 space ._-:/()#,@[]+=;{}!$*)`,
    },
  ];
}

function isDescribed(description: unknown): boolean {
  return typeof description === "string" && description.trim() !== "";
}

function portText(rule: Rule): string {
  if (rule.allProtocols) return "(all traffic)";
  return rule.fromPort === rule.toPort ? `port ${rule.fromPort}` : `ports ${rule.fromPort}-${rule.toPort}`;
}
