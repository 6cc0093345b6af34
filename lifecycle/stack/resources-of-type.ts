/**
 * The resources of one type in a synthesized stack, as [address, body] pairs, in file order.
 */
import type { Address } from "./stack.js";

/** The `resource` section of a cdk.tf.json. */
export type ResourceSection = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/** Every resource of `type`, with its address. Bodies that are not objects are skipped (reported elsewhere). */
export function resourcesOfType(resources: ResourceSection, type: string): Array<[Address, Record<string, unknown>]> {
  const byName = resources[type] ?? {};
  return Object.entries(byName)
    .filter((entry): entry is [string, Record<string, unknown>] => typeof entry[1] === "object" && entry[1] !== null)
    .map(([name, body]) => [`${type}.${name}`, body]);
}
