/**
 * Local state must never back an ephemeral environment. A `pr-<n>` stack synthesized without a
 * state bucket gets a local backend: on a CI runner its state dies with the runner, the close run
 * then finds an empty state and reports "destroyed" while everything keeps running (and costing).
 * So the terraform engine refuses to deploy or destroy such a stack, before terraform runs.
 *
 * A view over the stack as the stack reader gives it: ephemeral means the AWS provider's default
 * tags carry `ExpiresAt` or `PR` (stacks/environment.ts gives them to `pr-<n>` only); the backend
 * is local when the stack's `terraform.backend` is `local` or absent (terraform's default).
 */
import type { Stack } from "../stack/stack.js";

/** The setting that gives the stacks a state bucket (stacks/config.ts). */
export const STATE_BUCKET_SETTING = "SEEDSTACK_STATE_BUCKET";

/** Why `stack` (named `name`) must not be run, or undefined when it may (pure). */
export function localStateProblem(stack: Pick<Stack, "defaultTags" | "backend">, name: string): string | undefined {
  const tags = ["PR", "ExpiresAt"].filter((key) => stack.defaultTags[key] !== undefined);
  if (tags.length === 0 || stack.backend.type !== "local") return undefined;
  return (
    `${name} is an ephemeral environment (its resources are tagged ${tags.join(" and ")}) but its state would be a local file, ` +
    `which is lost with this machine's disk (a CI runner's is thrown away) while the resources keep running; ` +
    `set ${STATE_BUCKET_SETTING} (and SEEDSTACK_STATE_REGION) to keep its state in S3, synthesize again, and retry`
  );
}
