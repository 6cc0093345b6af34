/**
 * Physical names for AWS resources.
 *
 * Every named resource is `<prefix>-<suffix>`, so two environments (two pull requests) with
 * different prefixes never collide. AWS limits differ per resource (ALB and target group 32,
 * RDS identifier 63, S3 bucket 63, IAM role 64); when a name would be too long it is shortened
 * and a short hash of the full name is appended, so it stays unique and stable.
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
