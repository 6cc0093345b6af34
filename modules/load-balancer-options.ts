/**
 * Defaults and synth-time validation for LoadBalancer options (kept apart from the construct so
 * the rules and their limits read as one list).
 *
 * Every check throws an Error that says what was given and what is allowed.
 */
import { Token } from "cdktf";
import { parseIpv4Cidr } from "./cidr.js";

/** The TLS policy used when none is given: TLS 1.3 and 1.2 only, forward-secret ciphers. */
export const DEFAULT_TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/**
 * TLS 1.3 policies whose minimum protocol is TLS 1.2 or 1.3: the default and newer ones
 * (`-Res-`, `-Ext1-`, `-Ext2-`, `-FIPS-`, `-PQ-` variants, TLS13-1-3-*). TLS13-1-0 / TLS13-1-1
 * policies are refused: they still accept TLS 1.0 / 1.1.
 */
export const MODERN_TLS_POLICY_PATTERN = /^ELBSecurityPolicy-TLS13-1-[23]-[A-Za-z0-9-]+$/;

/** AWS's limit on ALB and target group names. */
export const LB_NAME_MAX_LENGTH = 32;

/** Health check tuning; AWS's ranges for an ALB target group are enforced at synth time. */
export interface HealthCheckOptions {
  /**
   * Seconds between checks of each target (AWS allows 5-300).
   * @default 5 seconds, the fastest AWS allows
   */
  readonly intervalSeconds?: number;
  /**
   * Seconds without a response after which a check fails (2-120, and less than the interval).
   * @default 4 seconds
   */
  readonly timeoutSeconds?: number;
  /**
   * Consecutive successes before an unhealthy target gets traffic again (2-10).
   * @default 2 checks
   */
  readonly healthyThreshold?: number;
  /**
   * Consecutive failures before a target stops getting traffic (2-10).
   * @default 2 checks
   */
  readonly unhealthyThreshold?: number;
}

/** Health check settings with every default applied. */
export type ResolvedHealthCheck = Required<HealthCheckOptions>;

/** Sticky sessions with the load balancer's own cookie (AWSALB). */
export interface StickinessOptions {
  /** How long a client stays on the same target, in seconds (1 to 604800, i.e. 7 days). */
  readonly duration: number;
}

/** Apply defaults to health check options and check them against AWS's ranges. */
export function resolveHealthCheck(options: HealthCheckOptions = {}): ResolvedHealthCheck {
  const resolved: ResolvedHealthCheck = {
    intervalSeconds: options.intervalSeconds ?? 5,
    timeoutSeconds: options.timeoutSeconds ?? 4,
    healthyThreshold: options.healthyThreshold ?? 2,
    unhealthyThreshold: options.unhealthyThreshold ?? 2,
  };
  requireWholeNumberIn("healthCheck.intervalSeconds", resolved.intervalSeconds, 5, 300);
  requireWholeNumberIn("healthCheck.timeoutSeconds", resolved.timeoutSeconds, 2, 120);
  requireWholeNumberIn("healthCheck.healthyThreshold", resolved.healthyThreshold, 2, 10);
  requireWholeNumberIn("healthCheck.unhealthyThreshold", resolved.unhealthyThreshold, 2, 10);
  if (resolved.timeoutSeconds >= resolved.intervalSeconds) {
    throw new Error(
      `LoadBalancer healthCheck.timeoutSeconds must be less than intervalSeconds; got timeout ${resolved.timeoutSeconds} with interval ${resolved.intervalSeconds}`,
    );
  }
  return resolved;
}

/** Check the deregistration delay (seconds a draining target keeps its in-flight requests). */
export function validateDeregistrationDelay(seconds: number): number {
  requireWholeNumberIn("deregistrationDelay", seconds, 0, 3600);
  return seconds;
}

/** Check the sticky-session duration. */
export function validateStickiness(stickiness: StickinessOptions): StickinessOptions {
  requireWholeNumberIn("stickiness.duration", stickiness.duration, 1, 604800);
  return stickiness;
}

/** Check the idle timeout (seconds a connection may sit idle before the ALB closes it). */
export function validateIdleTimeout(seconds: number): number {
  requireWholeNumberIn("idleTimeout", seconds, 1, 4000);
  return seconds;
}

/** Check that `policy` is a modern TLS 1.3 policy (see {@link MODERN_TLS_POLICY_PATTERN}). */
export function validateTlsPolicy(policy: string): string {
  if (!MODERN_TLS_POLICY_PATTERN.test(policy)) {
    throw new Error(
      `LoadBalancer sslPolicy must be a TLS 1.3 policy with TLS 1.2 or 1.3 as its minimum, such as ` +
        `${JSON.stringify(DEFAULT_TLS_POLICY)} or "ELBSecurityPolicy-TLS13-1-3-2021-06"; got ${JSON.stringify(policy)}`,
    );
  }
  return policy;
}

/**
 * Check an explicit ALB or target group name: 1-32 characters, letters, digits and hyphens, not
 * starting or ending with a hyphen, not starting with "internal-" (AWS's rules).
 */
export function validateLbName(what: string, name: string): string {
  if (name.length > LB_NAME_MAX_LENGTH) {
    throw new Error(`${what} ${JSON.stringify(name)} is ${name.length} characters; AWS allows ${LB_NAME_MAX_LENGTH}`);
  }
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/.test(name) || name.startsWith("internal-")) {
    throw new Error(
      `${what} ${JSON.stringify(name)} is not allowed: use letters, digits and hyphens, not starting or ending with a hyphen or starting with "internal-"`,
    );
  }
  return name;
}

/** Check the client CIDRs and split them into IPv4 and IPv6 lists. */
export function splitAllowedCidrs(cidrs: readonly string[]): { ipv4: string[]; ipv6: string[] } {
  if (cidrs.length === 0) {
    throw new Error("LoadBalancer allowedCidrs must name at least one CIDR block (e.g. \"0.0.0.0/0\"); got []");
  }
  const ipv4: string[] = [];
  const ipv6: string[] = [];
  for (const cidr of cidrs) {
    if (Token.isUnresolved(cidr)) {
      ipv4.push(cidr);
    } else if (cidr.includes(":")) {
      if (!/^[0-9a-fA-F:]+\/(\d{1,3})$/.test(cidr) || Number(cidr.split("/")[1]) > 128) {
        throw new Error(`LoadBalancer allowedCidrs: expected an IPv4 or IPv6 CIDR block such as "203.0.113.0/24" or "::/0"; got ${JSON.stringify(cidr)}`);
      }
      ipv6.push(cidr);
    } else {
      parseIpv4Cidr(cidr, "LoadBalancer allowedCidrs");
      ipv4.push(cidr);
    }
  }
  const duplicate = cidrs.find((c, i) => cidrs.indexOf(c) !== i);
  if (duplicate !== undefined) {
    throw new Error(`LoadBalancer allowedCidrs lists ${JSON.stringify(duplicate)} more than once; AWS rejects duplicate rules`);
  }
  return { ipv4, ipv6 };
}

function requireWholeNumberIn(what: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`LoadBalancer ${what} must be a whole number from ${min} to ${max}; got ${value}`);
  }
}
