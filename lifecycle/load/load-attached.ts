/**
 * `seedstack load` beside a running `seedstack up` of the stack: it attaches to that environment
 * instead of bringing up a second one. The up is found through its running record (its owner alive,
 * with its start time: running-record.ts) which holds its console's URL and token; the load runs
 * through that console (attached-source.ts) with the same live line and the same report as a load
 * on an environment of its own. Ctrl-C stops the load, never the up.
 */
import { LifecycleError } from "../errors.js";
import type { RunContext } from "../events.js";
import { ownerAlive, readRunningRecord, recordFile, type RunningRecordData } from "../local/running-record.js";
import type { RunReport } from "../report/run-report.js";
import { attachedSource } from "./attached-source.js";
import { consoleClient } from "./console-client.js";
import { runLoad, type LoadSettings } from "./load-run.js";

/** The live `up` of `stack` in the project, when there is one; one still coming up (no console yet) is a clear error. */
export function liveUp(projectDir: string, stack: string): RunningRecordData | undefined {
  const up = readRunningRecord(recordFile(projectDir, stack, "up"));
  if (!up || !ownerAlive(up)) return undefined;
  if (!up.console) {
    throw new LifecycleError("ERR_USAGE", `\`seedstack up\` of ${stack} (pid ${up.owner.pid}) has no console yet (it is still coming up): run load again once it prints its console: line, or give --own to load an environment of its own`);
  }
  return up;
}

/** Run the load on the up's environment through its console; the report is `seedstack load`'s. */
export async function loadAttached(up: RunningRecordData & { readonly console: string }, settings: LoadSettings, print: (line: string) => void, ctx: RunContext): Promise<RunReport> {
  const started = Date.now();
  const client = consoleClient(up.console);
  const source = await attachedSource(client);
  try {
    const state = source.snapshot();
    print(`load: attached to \`seedstack up\` of ${up.stack} (pid ${up.owner.pid}) through its console ${client.origin}; the up keeps running after the load`);
    print(`load: ${settings.users !== undefined ? `${settings.users} users` : `${settings.rps} requests/s`} for ${settings.durationSeconds} s (ramp ${settings.rampSeconds ?? 0} s) against ${state.url}`);
    const load = await runLoad(source, settings, print, ctx.signal);
    const cancelled = ctx.signal.aborted;
    if (cancelled) print(`load stopped on the up's console; \`seedstack up\` of ${up.stack} keeps running (\`seedstack down --stack ${up.stack}\` takes it down)`);
    return {
      stack: up.stack,
      engine: "local",
      ok: !cancelled,
      startedAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
      speedup: state.speedup,
      url: state.url,
      summary: [],
      phases: [],
      diagnoses: [],
      drills: [],
      // The console's address only: its token is a secret, and reports get published.
      load: { ...load, attached: { pid: up.owner.pid, console: client.origin } },
      resourcesMayExist: false,
      ...(cancelled ? { error: { code: "ERR_CANCELLED", message: "the load was interrupted and stopped; the up keeps running", reason: "cancelled" } } : {}),
    };
  } finally {
    source.dispose();
  }
}
