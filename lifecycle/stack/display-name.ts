/**
 * The name a person knows a resource by. Our modules let terraform generate the physical names of
 * resources it may replace (a `name_prefix`, so a create-before-destroy replacement cannot
 * collide), and keep the readable name in the `Name` tag; stacks from elsewhere may set `name`.
 */
import { stringAt, type Problems } from "./problems.js";

/** `name`, else the `Name` tag, else `name_prefix`, else the terraform address. */
export function displayName(body: Record<string, unknown>, address: string, problems: Problems): string {
  if (body.name !== undefined) return stringAt(body, "name", address, problems, address);
  const tags = body.tags;
  if (tags !== null && typeof tags === "object" && typeof (tags as Record<string, unknown>).Name === "string") {
    return (tags as Record<string, string>).Name;
  }
  return stringAt(body, "name_prefix", address, problems, address);
}
