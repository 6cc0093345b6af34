/**
 * Physical names for security groups.
 */
import { physicalName } from "./naming.js";

/** AWS limit on security group names. */
export const SECURITY_GROUP_NAME_MAX_LENGTH = 255;

/** The provider's limit on a security group's `name_prefix` (it appends a 26-character unique suffix). */
export const SECURITY_GROUP_NAME_PREFIX_MAX_LENGTH = 100;

/**
 * `<prefix>-<suffix>` within the 255-character limit. AWS rejects group names starting with
 * `sg-` (they look like group IDs), so such a name gets an error that says so instead of a
 * failure at apply time.
 */
export function securityGroupName(prefix: string, suffix: string): string {
  return notLikeAnId(physicalName(prefix, suffix, SECURITY_GROUP_NAME_MAX_LENGTH));
}

/**
 * `<prefix>-<suffix>-`, the `name_prefix` of a security group: Terraform appends a unique suffix, so
 * a replacement group (created before the old one is deleted) never collides with
 * the group it replaces. Same `sg-` rule as {@link securityGroupName}.
 */
export function securityGroupNamePrefix(prefix: string, suffix: string): string {
  return `${notLikeAnId(physicalName(prefix, suffix, SECURITY_GROUP_NAME_PREFIX_MAX_LENGTH - 1))}-`;
}

function notLikeAnId(name: string): string {
  if (name.startsWith("sg-")) {
    throw new Error(`security group name ${JSON.stringify(name)} may not start with "sg-" (AWS reserves it for group IDs); choose a namePrefix other than "sg"`);
  }
  return name;
}
