/**
 * How a user names an existing VPC and its subnets for `ExistingNetwork`: by ID, or by tags, as
 * the options of AWS CDK's `Vpc.fromLookup` (`vpcId`, `tags`) and `selectSubnets` do. Checked at
 * synth time for what can be checked without AWS: the shapes of IDs and tags.
 */

/** A VPC by its ID, or by tags that match exactly one VPC. */
export type VpcSelection = { readonly id: string } | { readonly tags: Readonly<Record<string, string>> };

/** Subnets by their IDs, or by tags (within the VPC). */
export type SubnetSelection = { readonly ids: readonly string[] } | { readonly tags: Readonly<Record<string, string>> };

/** Tags our own `Network` puts on its public subnets: the default selection, so a seedstack-built VPC can be shared as it is. */
export const DEFAULT_PUBLIC_SUBNET_TAGS: Readonly<Record<string, string>> = { Tier: "public" };
/** Tags our own `Network` puts on its private subnets (see {@link DEFAULT_PUBLIC_SUBNET_TAGS}). */
export const DEFAULT_PRIVATE_SUBNET_TAGS: Readonly<Record<string, string>> = { Tier: "private" };

/** Most availability zones a tag selection spreads over (AWS regions have at most six). */
export const MAX_SELECTED_ZONES = 6;

/** `vpc-` and 8 or 17 hex digits, as EC2 issues them. */
export const VPC_ID = /^vpc-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
/** `subnet-` and 8 or 17 hex digits. */
export const SUBNET_ID = /^subnet-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
/** A tag key as EC2 allows it: 1-128 characters of the tag alphabet. */
export const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
/** A tag value: up to 256 characters of the tag alphabet (empty allowed). */
export const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;

/** Check a VPC selection; returns it, or throws naming `where`, the value and what is allowed. */
export function validateVpcSelection(selection: VpcSelection, where: string): VpcSelection {
  if ("id" in selection && "tags" in selection) throw new Error(`${where}: give either id or tags, not both`);
  if ("id" in selection) {
    if (!VPC_ID.test(selection.id)) throw new Error(`${where}: ${JSON.stringify(selection.id)} is not a VPC ID like vpc-0123456789abcdef0`);
    return selection;
  }
  validateTags(selection.tags, where);
  return selection;
}

/** Check a subnet selection; returns it, or throws naming `where`, the value and what is allowed. */
export function validateSubnetSelection(selection: SubnetSelection, where: string): SubnetSelection {
  if ("ids" in selection && "tags" in selection) throw new Error(`${where}: give either ids or tags, not both`);
  if ("ids" in selection) {
    const ids = [...selection.ids];
    const bad = ids.filter((id) => !SUBNET_ID.test(id));
    if (bad.length > 0) throw new Error(`${where}: ${bad.map((id) => JSON.stringify(id)).join(", ")} ${bad.length === 1 ? "is not a subnet ID" : "are not subnet IDs"} like subnet-0123456789abcdef0`);
    const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
    if (duplicate !== undefined) throw new Error(`${where}: ${duplicate} is given twice`);
    if (ids.length < 2) {
      throw new Error(`${where}: needs at least 2 subnets in different availability zones (a load balancer and a database span two); got ${ids.length}${ids.length ? `: ${ids[0]}` : ""}`);
    }
    return selection;
  }
  validateTags(selection.tags, where);
  return selection;
}

function validateTags(tags: Readonly<Record<string, string>>, where: string): void {
  const entries = Object.entries(tags);
  if (entries.length === 0) throw new Error(`${where}: tags must name at least one tag (an empty filter would match everything)`);
  for (const [key, value] of entries) {
    if (!TAG_KEY.test(key)) throw new Error(`${where}: tag key ${JSON.stringify(key)} is not 1-128 letters, digits, spaces or _.:/=+-@`);
    if (!TAG_VALUE.test(value)) throw new Error(`${where}: tag ${key}'s value ${JSON.stringify(value)} is not 0-256 letters, digits, spaces or _.:/=+-@`);
  }
}
