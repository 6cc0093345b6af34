/**
 * Security groups as rules, not decoration: evaluate one hop (client -> listener, load balancer ->
 * target, server -> database) the way AWS does, and when it is denied, name the rule that is
 * missing. Groups are stateful (answers always return), so a hop needs an egress rule on the
 * sender's groups (when the sender has groups) and an ingress rule on the receiver's groups.
 * A rule matches by protocol, port range, and peer: a CIDR containing the other side's address,
 * or a group the other side belongs to. Prefix lists (S3) never match a local endpoint.
 */
import type { Address, RulePeer, SecurityGroupRule, SecurityGroupSpec } from "../stack/stack.js";

/** One side of a hop. */
export interface HopEndpoint {
  /** In words: "the load balancer", "client 127.0.0.1", "web server seedstack-classic-web-0". */
  readonly label: string;
  /** Its security groups (none for a client on the internet). */
  readonly groups: readonly Address[];
  /** Its (modelled) IPv4 address, for CIDR rules; undefined when unknown. */
  readonly address?: string;
}

/** The verdict on one hop. */
export type HopVerdict =
  | { readonly allowed: true; readonly egress?: SecurityGroupRule; readonly ingress: SecurityGroupRule }
  | { readonly allowed: false; readonly missing: "egress" | "ingress"; readonly message: string };

/** Whether `from` may open a TCP connection to `to` on `port`. */
export function evaluateHop(groups: ReadonlyMap<Address, SecurityGroupSpec>, from: HopEndpoint, to: HopEndpoint, port: number): HopVerdict {
  const egress = from.groups.length > 0 ? from.groups.flatMap((g) => groups.get(g)?.egress ?? []).find((r) => matches(r, port, to)) : undefined;
  const ingress = to.groups.flatMap((g) => groups.get(g)?.ingress ?? []).find((r) => matches(r, port, from));
  const egressMissing = from.groups.length > 0 && !egress;
  const ingressMessage = `${to.label} does not accept tcp/${port} from ${from.label}: no ingress rule in ${names(groups, to.groups)} allows it (add an aws_vpc_security_group_ingress_rule on ${names(groups, to.groups)} for tcp/${port} from ${peerWords(groups, from)})`;
  if (egressMissing) {
    // Both sides named at once when both are missing: adding one rule must not reveal the other.
    return {
      allowed: false,
      missing: "egress",
      message: `${from.label} may not send tcp/${port} to ${to.label}: no egress rule in ${names(groups, from.groups)} allows it (add an aws_vpc_security_group_egress_rule on ${names(groups, from.groups)} for tcp/${port} to ${peerWords(groups, to)})${ingress ? "" : `; and ${ingressMessage}`}`,
    };
  }
  if (!ingress) return { allowed: false, missing: "ingress", message: ingressMessage };
  return egress ? { allowed: true, egress, ingress } : { allowed: true, ingress };
}

function matches(rule: SecurityGroupRule, port: number, other: HopEndpoint): boolean {
  if (rule.protocol !== "-1" && rule.protocol !== "tcp") return false;
  if (rule.protocol === "tcp" && (port < rule.fromPort || port > rule.toPort)) return false;
  return peerMatches(rule.peer, other);
}

function peerMatches(peer: RulePeer, other: HopEndpoint): boolean {
  if (peer.kind === "group") return other.groups.includes(peer.group);
  if (peer.kind === "cidr") return other.address !== undefined && cidrContains(peer.cidr, other.address);
  return false;
}

/** Whether the IPv4 CIDR contains the address (IPv6 CIDRs contain no IPv4 address). */
export function cidrContains(cidr: string, address: string): boolean {
  const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(cidr);
  const a = toInt(address);
  if (!m || a === undefined) return false;
  const base = toInt(m[1]!);
  const bits = Number(m[2]);
  if (base === undefined || bits > 32) return false;
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return ((a & mask) >>> 0) === ((base & mask) >>> 0);
}

function toInt(address: string): number | undefined {
  const parts = address.split(".").map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

function names(groups: ReadonlyMap<Address, SecurityGroupSpec>, addresses: readonly Address[]): string {
  if (addresses.length === 0) return "(no security group)";
  return addresses.map((a) => `${groups.get(a)?.name ?? a} (${a})`).join(" / ");
}

function peerWords(groups: ReadonlyMap<Address, SecurityGroupSpec>, endpoint: HopEndpoint): string {
  if (endpoint.groups.length > 0) return `the group ${names(groups, endpoint.groups)}`;
  return endpoint.address ? `${endpoint.address}/32 or a CIDR containing it` : "its address";
}
