/**
 * `seedstack load [--stack S] [--users N | --rps N] [--duration D] [--ramp R] [--target-cpu N] [--json F] [--own]`:
 * run a load test through the stack's load balancer with a line per second, wait for an Auto
 * Scaling group to scale back in, and report. When a `seedstack up` of the stack runs, the load
 * attaches to it through its console (load-attached.ts) and leaves it running; otherwise (or with
 * --own) it brings the stack up locally, loads it and takes it down. The report is `run`'s, with a
 * `load` section. `--target-cpu` is the stack's SEEDSTACK_TARGET_CPU, passed to the synthesis: the
 * local engine reads the target from the synthesized stack, as AWS would get it.
 */
import { join } from "node:path";
import { LifecycleError } from "../errors.js";
import type { LocalLifecycleEnvironment } from "../local/local-engine.js";
import { runLifecycle } from "../run-lifecycle.js";
import { withRunningRecord } from "../cli/local-record.js";
import type { CliOptions } from "../cli/options.js";
import type { Renderer } from "../cli/render.js";
import type { RunContext } from "../events.js";
import type { RunReport } from "../report/run-report.js";
import type { LoadReport } from "./load-run.js";
import { localSource, runLoad, type LoadSettings } from "./load-run.js";
import { liveUp, loadAttached } from "./load-attached.js";

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
  summary: "load the stack like locust (--users N | --rps N, --duration, --ramp) with a line per second and report the scaling it caused: attached to a running `up` through its console (it stays up), else (or --own) up, load, down",
  async handler(deps) {
    const o = deps.options;
    if (o.engine !== "local") throw new LifecycleError("ERR_USAGE", "load runs against a local environment only (loopback); --engine terraform is not supported");
    if (o.url) throw new LifecycleError("ERR_USAGE", "load brings up its own local environment; --url is for smoke");
    const settings = o.load ?? { users: 10, durationSeconds: 60, rampSeconds: 0 };
    const up = o.own ? undefined : liveUp(deps.projectDir, o.stack);
    if (up) {
      const ownOnly = [o.targetCpu !== undefined && "--target-cpu", o.skipSynth && "--skip-synth", o.outdir !== undefined && "--outdir", o.clientIp !== undefined && "--client-ip", o.speedup !== 1 && "--speedup"].filter(Boolean);
      if (ownOnly.length) throw new LifecycleError("ERR_USAGE", `\`seedstack up\` of ${o.stack} runs (pid ${up.owner.pid}), so load attaches to it, and ${ownOnly.join(", ")} would change nothing there (its stack and clock are the up's): drop ${ownOnly.length > 1 ? "them" : "it"}, or give --own to load an environment of its own`);
    }
    const report = up ? await loadAttached({ ...up, console: up.console! }, settings, (l) => deps.render.line(l), deps.ctx) : await loadOwn(deps, settings);
    const s = report.load?.scaling;
    if (s) {
      deps.render.line(`scaling: desired ${s.desiredAtStart} -> peak ${s.desiredPeak} -> ${s.desiredAtEnd} (min ${s.min}, max ${s.max}); ${s.policy}`);
      for (const a of s.activities) deps.render.line(`  ${(a.atMs / 1000).toFixed(1).padStart(6)} s  ${a.description}  (AWS's rules: ${a.rule}) ${a.withinRules ? "as the rules imply" : a.earliestMs === null ? "NOT what the rules imply" : "EARLIER than the rules allow"}`);
    }
    return report;
  },
};

/** Today's load: an environment of its own (with a running record, as `run` and `up` keep), up, load, down. */
async function loadOwn(deps: LoadDeps, settings: LoadSettings): Promise<RunReport> {
  const o = deps.options;
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
        load = await runLoad(localSource(local), settings, (l) => deps.render.line(l), ctx.signal);
        return () => undefined;
      },
    },
    ctx,
  ));
  return load ? { ...report, load } : report;
}
