/**
 * THE one place the action gets its lifecycle: the real one (`lifecycle/`), by engine.
 * - engine `local`: local-lifecycle.ts, an adapter over the lifecycle core (`runLifecycle`).
 * - engine `terraform`: terraform-lifecycle.ts, which calls the terraform layer directly until the
 *   core's terraform engine lands (see its header for the switch).
 *
 * Test seam: when SEEDSTACK_ACTION_FAKE_LIFECYCLE names a scenario, the bundle runs the FAKE
 * lifecycle of testing/fake-lifecycle.ts instead, for scenarios the real lifecycle cannot produce
 * on this machine (a destroy that stops half-way, a report too long for a comment). Only the
 * action's own tests set that variable.
 */
import { FAKE_LIFECYCLE_ENV } from "./constants.js";
import type { LifecyclePort } from "./lifecycle-port.js";
import { localLifecycle } from "./local-lifecycle.js";
import { terraformLifecycle } from "./terraform-lifecycle.js";
import { fakeLifecycle } from "./testing/fake-lifecycle.js";

/** The real lifecycle: each call goes to the engine it names. */
export function realLifecycle(env: NodeJS.ProcessEnv): LifecyclePort {
  const local = localLifecycle(env);
  const terraform = terraformLifecycle(env);
  return {
    runEnvironment: (request, ctx) => (request.engine === "local" ? local : terraform).runEnvironment(request, ctx),
    destroyEnvironment: (record, ctx) => (record.engine === "local" ? local : terraform).destroyEnvironment(record, ctx),
    // A local environment never outlives its step: there is nothing to sweep or to record.
    sweep: (request, ctx) => (request.engine === "local" ? Promise.resolve({ swept: [], reportMarkdown: "" }) : terraform.sweep(request, ctx)),
    recordForSweeper: (record, reason) => (record.engine === "local" ? Promise.resolve() : terraform.recordForSweeper(record, reason)),
  };
}

/** The lifecycle for this process. */
export function createLifecycle(env: NodeJS.ProcessEnv): LifecyclePort {
  const scenario = env[FAKE_LIFECYCLE_ENV];
  if (scenario) return fakeLifecycle(scenario, env);
  return realLifecycle(env);
}
