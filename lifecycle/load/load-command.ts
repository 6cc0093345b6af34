/**
 * `seedstack load [--stack S] [--users N | --rps N] [--duration D] [--ramp R] [--json F]`: bring the
 * stack up locally, run a load test through its load balancer with a line per second, wait for an
 * Auto Scaling group to scale back in, take it down. The report is `run`'s, with a `load` section.
 */
import { join } from "node:path";
import { LifecycleError } from "../errors.js";
import type { LocalLifecycleEnvironment } from "../local/local-engine.js";
import { runLifecycle } from "../run-lifecycle.js";
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
    let load: LoadReport | undefined;
    const report = await runLifecycle(
      {
        projectDir: deps.projectDir,
        outdir: o.outdir ?? join(deps.projectDir, "cdktf.out"),
        stack: o.stack,
        synth: !o.skipSynth,
        local: { speedup: o.speedup, quietServers: true, ...(o.clientIp ? { clientAddress: o.clientIp } : {}) },
        smoke: false,
        drills: [],
        keep: false,
        ...(o.healthyDeadlineMs !== undefined ? { healthyDeadlineMs: o.healthyDeadlineMs } : {}),
        onUp: async (env) => {
          const local = (env as LocalLifecycleEnvironment).local;
          deps.render.line(`load: ${settings.users !== undefined ? `${settings.users} users` : `${settings.rps} requests/s`} for ${settings.durationSeconds} s (ramp ${settings.rampSeconds} s) against ${env.url}`);
          load = await runLoad(local, settings, (l) => deps.render.line(l), deps.ctx.signal);
          return () => undefined;
        },
      },
      deps.ctx,
    );
    const s = load?.scaling;
    if (s) {
      deps.render.line(`scaling: desired ${s.desiredAtStart} -> peak ${s.desiredPeak} -> ${s.desiredAtEnd} (min ${s.min}, max ${s.max}); ${s.policy}`);
      for (const a of s.activities) deps.render.line(`  ${(a.atMs / 1000).toFixed(1).padStart(6)} s  ${a.description}  (AWS's rules: not before ${(a.earliestMs / 1000).toFixed(1)} s: ${a.rule}) ${a.withinRules ? "as the rules imply" : "EARLIER than the rules allow"}`);
    }
    return load ? { ...report, load } : report;
  },
};
