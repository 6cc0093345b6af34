/**
 * Local state must never back an ephemeral environment. A `pr-<n>` stack synthesized without a
 * state bucket gets a local backend: on a CI runner its state dies with the runner, the close run
 * then finds an empty state and reports "destroyed" while everything keeps running (and costing).
 * So the terraform engine refuses to deploy or destroy such a stack, before terraform runs.
 *
 * Ephemeral is read from the synthesized stack itself: the AWS provider's default tags carry
 * `ExpiresAt` or `PR` (stacks/environment.ts gives them to `pr-<n>` only). The backend is local
 * when the stack's `terraform.backend` is `local` or absent (terraform's default).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The setting that gives the stacks a state bucket (stacks/config.ts). */
export const STATE_BUCKET_SETTING = "SEEDSTACK_STATE_BUCKET";

/** The backend type of a synthesized stack: `s3`, `local` (also when absent), ... */
export function backendTypeOf(stack: unknown): string {
  const backend = (stack as { terraform?: { backend?: Record<string, unknown> } })?.terraform?.backend;
  const types = backend && typeof backend === "object" ? Object.keys(backend) : [];
  return types[0] ?? "local";
}

/** The ephemeral-environment tags (`PR`, `ExpiresAt`) the stack's AWS provider puts on everything. */
export function ephemeralTagsOf(stack: unknown): string[] {
  const providers = (stack as { provider?: { aws?: Array<{ default_tags?: Array<{ tags?: Record<string, unknown> }> }> } })?.provider?.aws;
  const found = new Set<string>();
  for (const p of Array.isArray(providers) ? providers : []) {
    for (const d of p.default_tags ?? []) for (const key of ["PR", "ExpiresAt"]) if (d.tags?.[key] !== undefined) found.add(key);
  }
  return [...found];
}

/** Why `stack` (named `name`) must not be run, or undefined when it may (pure). */
export function localStateProblem(stack: unknown, name: string): string | undefined {
  const tags = ephemeralTagsOf(stack);
  if (tags.length === 0 || backendTypeOf(stack) !== "local") return undefined;
  return (
    `${name} is an ephemeral environment (its resources are tagged ${tags.join(" and ")}) but its state would be a local file, ` +
    `which is lost with this machine's disk (a CI runner's is thrown away) while the resources keep running; ` +
    `set ${STATE_BUCKET_SETTING} (and SEEDSTACK_STATE_REGION) to keep its state in S3, synthesize again, and retry`
  );
}

/** `localStateProblem` of the synthesized stack in `stackDir`; an unreadable stack is left to terraform to report. */
export function localStateProblemIn(stackDir: string, name: string): string | undefined {
  let stack: unknown;
  try {
    stack = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8"));
  } catch {
    return undefined;
  }
  return localStateProblem(stack, name);
}
