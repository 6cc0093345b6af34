/**
 * The failover drill's handle on a local environment: "the process dies" is SIGKILL and, to
 * recover, the instance's server started again; "the app stops answering while its process lives"
 * is SIGSTOP (the health check times out, as for a hung app) and SIGCONT.
 */
import type { DrillControl } from "../probes/failover-drill.js";
import type { LocalEnvironment } from "./local-environment.js";

/** DrillControl over a local environment. */
export function localDrillControl(env: LocalEnvironment): DrillControl {
  return {
    targets: () => env.targets().map((t) => ({ id: t.id, state: t.state })),
    fail: async (id, mode) => (mode === "process-dies" ? env.killInstance(id) : env.hangInstance(id)),
    recover: async (id, mode) => (mode === "process-dies" ? env.restartInstance(id) : env.resumeInstance(id)),
  };
}
