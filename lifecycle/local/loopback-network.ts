/**
 * Addresses for one local environment. Every instance gets its own loopback address
 * (127.a.b.10, 127.a.b.11, ...: Linux routes all of 127.0.0.0/8 to this machine), so each seed
 * server listens on the very port its user data names, as on its own EC2 instance, and a target
 * group that points at another port finds nothing there. The `a.b` pair is random per
 * environment, so two environments (parallel tests) do not collide.
 *
 * Security groups are evaluated against modelled VPC addresses (the stack's own subnet CIDRs):
 * a rule that allows the VPC's CIDR must match the load balancer as it would in AWS.
 */
import { randomInt } from "node:crypto";

/** Loopback addresses for one environment's instances. */
export interface LoopbackNetwork {
  /** The n-th instance's address (n from 0). */
  instanceAddress(n: number): string;
}

/** A fresh random 127.a.b.0/24 (never 127.0.0.0/24, where other servers usually listen). */
export function allocateLoopbackNetwork(): LoopbackNetwork {
  const a = randomInt(1, 255);
  const b = randomInt(0, 256);
  return { instanceAddress: (n) => `127.${a}.${b}.${10 + (n % 240)}` };
}

/** The `host`-th address of an IPv4 CIDR (`10.0.128.0/24`, 10 -> `10.0.128.10`); undefined when not IPv4. */
export function addressInCidr(cidr: string | undefined, host: number): string | undefined {
  const m = cidr ? /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr) : null;
  if (!m) return undefined;
  const base = ((Number(m[1]) << 24) | (Number(m[2]) << 16) | (Number(m[3]) << 8) | Number(m[4])) >>> 0;
  const n = (base + host) >>> 0;
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}
