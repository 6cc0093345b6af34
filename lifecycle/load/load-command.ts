/**
 * `seedstack load [--stack S] [--users N | --rps N] [--duration D] [--ramp R] [--target-cpu N] [--json F]`:
 * bring the stack up locally, run a load test through its load balancer with a line per second,
 * wait for an Auto Scaling group to scale back in, take it down. The report is `run`'s, with a
 * `load` section. `--target-cpu` is the stack's SEEDSTACK_TARGET_CPU, passed to the synthesis: the
 * local engine reads the target from the synthesized stack, as AWS would get it.
 *
 * It always brings up an environment of its own (with a running record, as `run` and `up` do): it
 * cannot attach to one `seedstack up` keeps, whose processes belong to the `up` process; that one's
 * console has the same load test.
 */
import { join } from "node:path";
import { LifecycleError } from "../errors.js";
import type { LocalLifecycleEnvironment } from "../local/local-engine.js";
import { runLifecycle } from "../run-lifecycle.js";
import { withRunningRecord } from "../cli/local-record.js";
import { readUpState, stateFile } from "../cli/state-file.js";
import type { CliOptions } from "../cli/options.js";
import type { Renderer } from "../cli/render.js";
import type { RunContext } from "../events.js";
import type { RunReport } from "../report/run-report.js";
import type { LoadReport } from "./load-run.js";
import { runLoad } from "./load-run.js";

/** What the handler uses of the CLI's CommandDeps (declared here, so commands.ts is imported by nobody it imports). */
interface LoadDeps {
  readonly projectDir: string;
  readonly options: CliOptions;
  readonly ctx: RunContext;
  readonly render: Renderer;
}

/** The `load` command, registered in commands.ts. */
export const loadCommand: { readonly name: string; readonly summary: string; handler(deps: LoadDeps): Promise<RunReport> } = {
  name: "load",
  summary: "bring the stack up locally, load it like locust (--users N | --rps N, --duration, --ramp) with a line per second, report the scaling it caused, take it down",
  async handler(deps) {
    const o = deps.options;
    if (o.engine !== "local") throw new LifecycleError("ERR_USAGE", "load runs against a local environment only (loopback); --engine terraform is not supported");
    if (o.url) throw new LifecycleError("ERR_USAGE", "load brings up its own local environment; --url is for smoke");
    const settings = o.load ?? { users: 10, durationSeconds: 60, rampSeconds: 0 };
    if (readUpState(stateFile(deps.projectDir, o.stack))) {
      deps.render.line(`note: \`seedstack up\` keeps ${o.stack} running; load cannot attach to it and brings up an environment of its own. To load that one, use the Load test on its console (the \`console:\` URL up printed).`);
    }
    let load: LoadReport | undefined;
    const report = await withRunningRecord({ projectDir: deps.projectDir, stack: o.stack, ctx: deps.ctx, render: deps.render }, "load", (ctx, track) => runLifecycle(
      {
        projectDir: deps.projectDir,
        outdir: o.outdir ?? join(deps.projectDir, "cdktf.out"),
        stack: o.stack,
        synth: !o.skipSynth,
        ...(o.targetCpu !== undefined ? { synthEnv: { ...process.env, SEEDSTACK_TARGET_CPU: String(o.targetCpu) } } : {}),
        local: { speedup: o.speedup, quietServers: true, track, ...(o.clientIp ? { clientAddress: o.clientIp } : {}) },
        smoke: false,
        drills: [],
        keep: false,
        ...(o.healthyDeadlineMs !== undefined ? { healthyDeadlineMs: o.healthyDeadlineMs } : {}),
        onUp: async (env) => {
          const local = (env as LocalLifecycleEnvironment).local;
          deps.render.line(`load: ${settings.users !== undefined ? `${settings.users} users` : `${settings.rps} requests/s`} for ${settings.durationSeconds} s (ramp ${settings.rampSeconds} s) against ${env.url}`);
          load = await runLoad(local, settings, (l) => deps.render.line(l), ctx.signal);
          return () => undefined;
        },
      },
      ctx,
    ));
    const s = load?.scaling;
    if (s) {
      deps.render.line(`scaling: desired ${s.desiredAtStart} -> peak ${s.desiredPeak} -> ${s.desiredAtEnd} (min ${s.min}, max ${s.max}); ${s.policy}`);
      for (const a of s.activities) deps.render.line(`  ${(a.atMs / 1000).toFixed(1).padStart(6)} s  ${a.description}  (AWS's rules: ${a.rule}) ${a.withinRules ? "as the rules imply" : a.earliestMs === null ? "NOT what the rules imply" : "EARLIER than the rules allow"}`);
    }
    return load ? { ...report, load } : report;
  },
};
