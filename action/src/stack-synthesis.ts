/**
 * Synthesis for the action, shared by both engines: the SEEDSTACK_* settings a run request implies
 * (the PR number for a `pr-<n>` stack, the PR's own creation time, the TTL), where the stack is
 * written, and the environment's name. Synthesis itself is the lifecycle's (`lifecycle/stack/synth.ts`).
 */
import { join } from "node:path";
import { TEST_USE_SYNTHESIZED_ENV } from "./constants.js";
import type { EnvironmentRecord, RunRequest } from "./lifecycle-port.js";
import type { RunContext as CoreContext } from "../../lifecycle/events.js";
import { stackFile } from "../../lifecycle/stack/read-stack.js";
import { synthesize } from "../../lifecycle/stack/synth.js";

/** Where the stacks of `workingDirectory` are synthesized (cdktf's default outdir). */
export function outdirOf(workingDirectory: string): string {
  return join(workingDirectory, "cdktf.out");
}

/** The synthesized stack's JSON file. */
export function stackJsonOf(workingDirectory: string, stack: string): string {
  return stackFile(outdirOf(workingDirectory), stack);
}

/** The environment's name as its resources are named: `<SEEDSTACK_NAME_PREFIX or seedstack>-<stack>`. */
export function environmentName(stack: string, env: NodeJS.ProcessEnv): string {
  return `${env.SEEDSTACK_NAME_PREFIX || "seedstack"}-${stack}`;
}

/** The settings of one synthesis: this process's environment plus what the request fixes. */
export function synthEnv(request: Pick<RunRequest, "stack" | "prNumber" | "createdAt"> & { ttlHours?: number }, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const prStack = /^pr-(\d+)$/.exec(request.stack);
  return {
    ...env,
    // The stacks app builds `pr-<n>` only when it is told n.
    ...(prStack ? { SEEDSTACK_PR_NUMBER: prStack[1] } : request.prNumber !== undefined ? { SEEDSTACK_PR_NUMBER: String(request.prNumber) } : {}),
    ...(request.createdAt !== undefined ? { SEEDSTACK_CREATED_AT: request.createdAt } : {}),
    ...(request.ttlHours !== undefined ? { SEEDSTACK_TTL_HOURS: String(request.ttlHours) } : {}),
  };
}

/** Whether the TEST-ONLY seam says to use the stack already synthesized. */
export function useSynthesized(env: NodeJS.ProcessEnv): boolean {
  return env[TEST_USE_SYNTHESIZED_ENV] === "1";
}

/**
 * Synthesize the working directory's stacks for `request` (a destroy synthesizes the same stack
 * from its record), unless the test seam says to use what is there. Throws the lifecycle's
 * ERR_SYNTH_FAILED with the app's own words.
 */
export async function synthesizeFor(
  request: Pick<EnvironmentRecord, "stack" | "workingDirectory" | "prNumber" | "createdAt"> & { ttlHours?: number },
  env: NodeJS.ProcessEnv,
  ctx: CoreContext,
): Promise<void> {
  if (useSynthesized(env)) return;
  await synthesize({ projectDir: request.workingDirectory, outdir: outdirOf(request.workingDirectory), env: synthEnv(request, env), signal: ctx.signal });
}
