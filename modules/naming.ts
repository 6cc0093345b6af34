/**
 * Physical names for AWS resources.
 *
 * Every named resource is `<prefix>-<suffix>`, so two environments (two pull requests) with
 * different prefixes never collide. AWS limits differ per resource (ALB and target group 32,
 * RDS identifier 63, S3 bucket 63, IAM role 64); when a name would be too long it is shortened
 * and a short hash of the full name is appended, so it stays unique and stable.
 *
 * Resources that Terraform may have to replace while their replacement already exists get a
 * `name_prefix` instead of a fixed name, and Terraform appends a unique suffix. Terraform creates a
 * replacement before destroying the original for every resource with `create_before_destroy`
 * and for everything such a resource depends on (it propagates the setting to dependencies), so a
 * fixed name there makes AWS refuse the replacement (`DuplicateTargetGroupName`,
 * `EntityAlreadyExists`, `InvalidGroup.Duplicate`, `DuplicateLoadBalancerName`,
 * `DBInstanceAlreadyExists`). That covers the target group, the instances' IAM role, profile and
 * policies, the security groups, the load balancer (its self-signed certificate is
 * create-before-destroy) and the database with its subnet and parameter groups. The readable
 * `<prefix>-<suffix>` stays in each resource's Name tag.
 */
import { createHash } from "node:crypto";

/** The prefix used when a construct is given none. */
export const DEFAULT_NAME_PREFIX = "seedstack";

/** Longest prefix we accept: leaves room for a suffix within the 32-character ALB limit. */
export const MAX_NAME_PREFIX_LENGTH = 20;

const PREFIX_PATTERN = /^[a-z][a-z0-9-]*[a-z0-9]$|^[a-z]$/;

/**
 * Check a name prefix; throws an Error that says what was given and what is allowed.
 * Allowed: 1 to 20 characters, lowercase letters, digits and hyphens, starting with a letter and
 * not ending with a hyphen (the strictest common rule: S3 buckets, ALBs and RDS identifiers).
 */
export function validateNamePrefix(prefix: string, where: string): void {
  if (prefix.length === 0 || prefix.length > MAX_NAME_PREFIX_LENGTH || !PREFIX_PATTERN.test(prefix) || prefix.includes("--")) {
    throw new Error(
      `${where}: namePrefix must be 1-${MAX_NAME_PREFIX_LENGTH} characters of lowercase letters, digits and ` +
        `single hyphens, starting with a letter and not ending with a hyphen; got ${JSON.stringify(prefix)}`,
    );
  }
}

/**
 * `<prefix>-<suffix>`, shortened to `maxLength` with a 6-character hash of the full name when
 * needed. Deterministic: the same inputs always give the same name.
 */
export function physicalName(prefix: string, suffix: string, maxLength: number): string {
  const full = `${prefix}-${suffix}`;
  if (full.length <= maxLength) return full;
  const hash = createHash("sha256").update(full).digest("hex").slice(0, 6);
  const keep = maxLength - hash.length - 1;
  return `${full.slice(0, keep).replace(/-+$/, "")}-${hash}`;
}

/** AWS's limit on a load balancer's or target group's `name_prefix` (the provider appends 26 characters). */
export const LB_NAME_PREFIX_MAX_LENGTH = 6;

/**
 * The `name_prefix` of a load balancer or target group: the first characters of `prefix` and a
 * hyphen, 6 characters at most (`seedstack-classic` -> `seeds-`, `pr-12` -> `pr-12-`). Terraform
 * appends a unique 26-character suffix, so the name is unique; the Name tag carries the full prefix.
 */
export function lbNamePrefix(prefix: string): string {
  return `${prefix.slice(0, LB_NAME_PREFIX_MAX_LENGTH - 1).replace(/-+$/, "")}-`;
}

/** A start of a name that AWS refuses for one kind of resource. */
export interface ReservedNameStart {
  /** The refused start, e.g. `"internal-"`. */
  readonly start: string;
  /** The kind of resource whose names may not start with it. */
  readonly kind: string;
}

/**
 * Starts of names AWS refuses. Every generated name begins with `<namePrefix>-`, so a prefix that
 * produces one of these makes a name AWS rejects at apply time; the constructs refuse it at synth.
 * - `internal-`: load balancer names (ELB uses it for internal load balancers' DNS names).
 * - `sthree-`, `amzn-s3-demo-`, `xn--`: S3 bucket names (S3's bucket naming rules).
 * - `sg-`: security group names (they would look like group IDs).
 */
export const RESERVED_NAME_STARTS: readonly ReservedNameStart[] = [
  { start: "internal-", kind: "load balancer" },
  { start: "sthree-", kind: "S3 bucket" },
  { start: "amzn-s3-demo-", kind: "S3 bucket" },
  { start: "xn--", kind: "S3 bucket" },
  { start: "sg-", kind: "security group" },
];

/**
 * Why AWS would refuse `name` for a resource of `kind` because of how it starts (or, without
 * `kind`, for any of the kinds seedstack names), or undefined when it would not.
 */
export function reservedStartProblem(name: string, kind?: string): string | undefined {
  const hit = RESERVED_NAME_STARTS.find((r) => (kind === undefined || r.kind === kind) && name.startsWith(r.start));
  return hit && `AWS does not allow ${hit.kind} names that start with ${JSON.stringify(hit.start)}`;
}

/**
 * Check a name generated from a prefix the way an explicit name is checked: throws an Error that
 * names the construct, the prefix, the generated name and the rule, e.g. `LoadBalancer: namePrefix
 * "internal" gives the load balancer name "internal-alb"; AWS does not allow load balancer names
 * that start with "internal-"; choose another namePrefix`.
 */
export function validateGeneratedName(where: string, prefix: string, kind: string, name: string): string {
  const problem = reservedStartProblem(name, kind);
  if (problem !== undefined) {
    throw new Error(`${where}: namePrefix ${JSON.stringify(prefix)} gives the ${kind} name ${JSON.stringify(name)}; ${problem}; choose another namePrefix`);
  }
  return name;
}
