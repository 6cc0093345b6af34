/**
 * The local engine behind the lifecycle's `EnvironmentEngine` interface: the stack's processes on
 * this machine, every drill mode (SIGKILL, SIGSTOP), gone when the run ends. It refuses what it
 * cannot emulate (local-check.ts) before anything starts.
 */
import type { Environment, EnvironmentEngine } from "../environment.js";
import { plainHttpCheckOf } from "../stack/plain-http-check.js";
import { localDrillControl } from "./drill-control.js";
import { checkLocalStack } from "./local-check.js";
import { startLocalEnvironment, type LocalEngineOptions, type LocalEnvironment } from "./local-environment.js";

/** A local environment seen through the lifecycle's interface; `local` keeps the full API. */
export interface LocalLifecycleEnvironment extends Environment {
  readonly local: LocalEnvironment;
}

/** The lifecycle's view of a started local environment. */
export function asEnvironment(env: LocalEnvironment): LocalLifecycleEnvironment {
  // The plain-HTTP listener the stack implies checking, whatever it does (a forward fails the check).
  const plain = plainHttpCheckOf(env.stack);
  const redirect = "listener" in plain ? env.listeners.find((l) => l.spec.address === plain.listener.address) : undefined;
  return {
    local: env,
    stack: env.stack,
    url: env.url,
    ...(redirect ? { redirectFromUrl: redirect.url } : "skipped" in plain ? { redirectSkipped: plain.skipped } : {}),
    ...(env.certificatePem ? { certificatePem: env.certificatePem } : {}),
    get expectedTargets() {
      return env.instances().length;
    },
    speedup: env.speedup,
    waitHealthy: (options) => env.waitHealthy(options),
    diagnose: () => env.diagnose(),
    drill: localDrillControl(env),
    drillModes: ["process-dies", "health-fails"],
    dispose: () => env.dispose(),
  };
}

/** The local engine with `options` (speed-up, bundle, client address). */
export function localEngine(options: LocalEngineOptions = {}): EnvironmentEngine {
  return { name: "local", persistent: false, check: checkLocalStack, start: async (stack, ctx) => asEnvironment(await startLocalEnvironment(stack, ctx, options)) };
}
