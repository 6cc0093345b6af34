/**
 * Which resources of a synthesized stack Terraform replaces create-before-destroy, and which of
 * those carry a fixed name (so AWS would refuse the replacement while the original still exists).
 *
 * Terraform creates the replacement first for a resource with `create_before_destroy` and for
 * every resource it depends on, directly or not: the setting propagates to dependencies
 * (https://developer.hashicorp.com/terraform/language/meta-arguments/lifecycle#create_before_destroy).
 * Dependencies are the references in a resource's arguments and its `depends_on`.
 */
import type { SynthJson } from "./synth-json.js";

/** The attribute holding each resource type's account- or region-unique name. */
export const UNIQUE_NAME_ATTRIBUTE: Readonly<Record<string, string>> = {
  aws_lb: "name",
  aws_lb_target_group: "name",
  aws_security_group: "name",
  aws_iam_role: "name",
  aws_iam_instance_profile: "name",
  aws_iam_role_policy: "name",
  aws_db_instance: "identifier",
  aws_db_subnet_group: "name",
  aws_db_parameter_group: "name",
  aws_s3_bucket: "bucket",
  aws_launch_template: "name",
  aws_autoscaling_group: "name",
};

/** `type.name` addresses of the resources `value` refers to (not data sources). */
function referencedAddresses(value: unknown, known: ReadonlySet<string>, found: Set<string>): void {
  if (typeof value === "string") {
    for (const [, address] of value.matchAll(/(?<![\w.])([a-z][a-z0-9_]*\.[A-Za-z0-9_-]+)/g)) {
      if (known.has(address!)) found.add(address!);
    }
  } else if (Array.isArray(value)) {
    for (const item of value) referencedAddresses(item, known, found);
  } else if (value !== null && typeof value === "object") {
    for (const item of Object.values(value)) referencedAddresses(item, known, found);
  }
}

/** Addresses of every resource Terraform replaces create-before-destroy, explicitly or by propagation. */
export function createBeforeDestroyClosure(stack: SynthJson): Set<string> {
  const resources = new Map<string, Record<string, unknown>>();
  for (const [type, byName] of Object.entries(stack.resource ?? {})) {
    for (const [name, attrs] of Object.entries(byName)) resources.set(`${type}.${name}`, attrs);
  }
  const known = new Set(resources.keys());
  const closure = new Set<string>();
  const pending = [...resources].filter(([, attrs]) => (attrs.lifecycle as { create_before_destroy?: boolean } | undefined)?.create_before_destroy === true).map(([a]) => a);
  while (pending.length > 0) {
    const address = pending.pop()!;
    if (closure.has(address)) continue;
    closure.add(address);
    const dependencies = new Set<string>();
    referencedAddresses(resources.get(address), known, dependencies);
    for (const dependency of dependencies) if (!closure.has(dependency)) pending.push(dependency);
  }
  return closure;
}

/** `address: name` for each create-before-destroy resource whose unique name is fixed (a literal). */
export function fixedNamesReplacedFirst(stack: SynthJson): string[] {
  const fixed: string[] = [];
  for (const address of createBeforeDestroyClosure(stack)) {
    const [type, name] = address.split(".") as [string, string];
    const attribute = UNIQUE_NAME_ATTRIBUTE[type];
    const value = attribute === undefined ? undefined : stack.resource?.[type]?.[name]?.[attribute];
    if (typeof value === "string") fixed.push(`${address}: ${value}`);
  }
  return fixed.sort();
}
