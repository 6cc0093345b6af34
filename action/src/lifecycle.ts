/**
 * THE one place the action gets its lifecycle. Swap the implementation here when `lifecycle/`
 * (the local engine, the terraform engine, the `seedstack` CLI) is merged: everything else in the
 * action talks to the LifecyclePort only.
 *
 * Test seam: when SEEDSTACK_ACTION_FAKE_LIFECYCLE names a scenario, the bundle runs the FAKE
 * lifecycle of testing/fake-lifecycle.ts instead. Only the action's own tests set that variable.
 */
import { FAKE_LIFECYCLE_ENV } from "./constants.js";
import type { LifecyclePort } from "./lifecycle-port.js";
import { fakeLifecycle } from "./testing/fake-lifecycle.js";

/** Thrown by every call while no lifecycle is wired in. */
export class LifecycleNotWiredError extends Error {
  constructor() {
    super(
      "this build of the seedstack action has no lifecycle wired in: action/src/lifecycle.ts must return the lifecycle/ implementation " +
        "(branch github-action was built before lifecycle/ was merged)",
    );
    this.name = "LifecycleNotWiredError";
  }
}

function notWired(): LifecyclePort {
  const fail = async (): Promise<never> => {
    throw new LifecycleNotWiredError();
  };
  return { runEnvironment: fail, destroyEnvironment: fail, sweep: fail, recordForSweeper: fail };
}

/** The lifecycle for this process. */
export function createLifecycle(env: NodeJS.ProcessEnv): LifecyclePort {
  const scenario = env[FAKE_LIFECYCLE_ENV];
  if (scenario) return fakeLifecycle(scenario, env);
  return notWired();
}
