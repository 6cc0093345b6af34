/**
 * Physical names for security groups.
 */
import { physicalName } from "./naming.js";

/** AWS limit on security group names. */
export const SECURITY_GROUP_NAME_MAX_LENGTH = 255;

/**
 * `<prefix>-<suffix>` within the 255-character limit. AWS rejects group names starting with
 * `sg-` (they look like group IDs), so such a name gets an error that says so instead of a
 * failure at apply time.
 */
export function securityGroupName(prefix: string, suffix: string): string {
  const name = physicalName(prefix, suffix, SECURITY_GROUP_NAME_MAX_LENGTH);
  if (name.startsWith("sg-")) {
    throw new Error(`security group name ${JSON.stringify(name)} may not start with "sg-" (AWS reserves it for group IDs); choose a namePrefix other than "sg"`);
  }
  return name;
}
