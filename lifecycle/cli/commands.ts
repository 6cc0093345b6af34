/**
 * Every command, declared in one place (wrangler's createCommand): a name, what it does, and a
 * thin handler that calls the core with its collaborators and returns the report (or an exit code).
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import type { RunContext } from "../events.js";
import { join } from "node:path";
import { LifecycleError } from "../errors.js";
import { runSmokeTest } from "../probes/smoke-test.js";
import type { RunReport } from "../report/run-report.js";
import { runLifecycle, smokeTargetOf, type LifecycleOptions } from "../run-lifecycle.js";
import { destroyEnvironment } from "../terraform/deploy.js";
import { lifecycleErrorOf } from "../terraform/terraform-engine.js";
import { readUpState, stateFile, writeUpState } from "./state-file.js";
import type { CommandDefinition, CommandDeps } from "./command.js";
import { sweepCommand } from "./sweep-command.js";
import { cliTerraformEngine, environmentOptions, recordsOf, terraformDirOf } from "./terraform-setup.js";
import type { ProcessTracker } from "../../local-postgres/process-tracker.js";
import type { RunningRecord } from "../local/running-record.js";
import { downLocal, withRunningRecord } from "./local-record.js";
import { withConsole } from "../console/console-on-up.js";
import { loadCommand } from "../load/load-command.js";

/**
 * The lifecycle for `command`; on the local engine with a running record (local-record.ts) from
 * before synth to after down. `overrides` may be made from the record (undefined: terraform).
 */
const lifecycle = (deps: CommandDeps, overrides: Partial<LifecycleOptions> | ((record?: RunningRecord) => Partial<LifecycleOptions>), command = "run"): Promise<RunReport> => {
  const of = (record?: RunningRecord) => (typeof overrides === "function" ? overrides(record) : overrides);
  const run = (ctx: RunContext, track?: RunningRecord) => runLifecycleWith(deps, of(track), ctx, track);
  return deps.options.engine === "terraform" ? run(deps.ctx) : withRunningRecord({ projectDir: deps.projectDir, stack: deps.options.stack, ctx: deps.ctx, render: deps.render }, command, run);
};

const runLifecycleWith = (deps: CommandDeps, overrides: Partial<LifecycleOptions>, ctx: RunContext, track: ProcessTracker | undefined): Promise<RunReport> =>
  runLifecycle(
    {
      projectDir: deps.projectDir,
      outdir: deps.options.outdir ?? join(deps.projectDir, "cdktf.out"),
      stack: deps.options.stack,
      synth: !deps.options.skipSynth,
      local: { speedup: deps.options.speedup, ...(deps.options.clientIp ? { clientAddress: deps.options.clientIp } : {}), ...(track ? { track } : {}) },
      smoke: true,
      drills: deps.options.drills,
      keep: deps.options.keep,
      ...(deps.options.engine === "terraform" ? { engine: cliTerraformEngine(deps.projectDir, deps.options, deps.cleanupSignal) } : {}),
      ...(deps.options.smokeDeadlineMs !== undefined ? { smokeDeadlineMs: deps.options.smokeDeadlineMs } : {}),
      ...(deps.options.healthyDeadlineMs !== undefined ? { healthyDeadlineMs: deps.options.healthyDeadlineMs } : {}),
      ...overrides,
    },
    ctx,
  );

/** The commands, in --help order. */
export const COMMANDS: readonly CommandDefinition[] = [
  {
    name: "run",
    summary: "synth, summary, up, wait healthy, smoke test, failover drill, down (npm start)",
    handler: (deps) => lifecycle(deps, deps.options.keep ? { onUp: withConsole(deps.ctx, deps.render.line) } : {}),
  },
  {
    name: "up",
    summary: "synth and bring the stack up; locally it stays up (printing its URL) until Ctrl-C or `seedstack down`; with --engine terraform it is left up on AWS",
    handler: (deps) =>
      deps.options.engine === "terraform" ? lifecycle(deps, { smoke: false, drills: [], keep: true }) : lifecycle(deps, (record) => ({
        smoke: false,
        drills: [],
        keep: true,
        onUp: withConsole(deps.ctx, deps.render.line, async (env) => {
          const file = stateFile(deps.projectDir, deps.options.stack);
          const removeState = writeUpState(file, { pid: process.pid, stack: deps.options.stack, smoke: smokeTargetOf(env) });
          if (!env.certificatePem) return removeState;
          // The certificate to pin, for curl and friends (never -k).
          const pem = file.replace(/\.json$/, ".pem");
          writeFileSync(pem, env.certificatePem);
          deps.ctx.onEvent({ type: "progress", phase: "up", message: `try: curl --cacert ${pem} ${env.url}/` });
          return () => {
            rmSync(pem, { force: true });
            removeState();
          };
        // `seedstack load` finds the console (and its token) in the record, readable by its owner only.
        }, (url) => record?.console(url)),
      }), "up"),
  },
  {
    name: "smoke",
    summary: "smoke-test --url, else the environment `seedstack up` keeps, else a fresh one (up, smoke, down)",
    async handler(deps) {
      const o = deps.options;
      if (!o.url && o.engine === "terraform") {
        // An environment `up` left on AWS is smoke-tested and left up (its plan has no changes); otherwise up, smoke, destroy.
        const kept = (await recordsOf(deps.projectDir, o).registry.read(o.stack))?.status === "up";
        return lifecycle(deps, { drills: [], keep: kept });
      }
      const up = o.url ? undefined : readUpState(stateFile(deps.projectDir, o.stack));
      if (!o.url && !up) return lifecycle(deps, { drills: [], keep: false }, "smoke");
      const target = o.url
        ? { baseUrl: o.url, ...(o.cacert ? { certificatePem: readFileSync(o.cacert, "utf8") } : {}), expectedTargets: o.targets, sharedStore: false, stickiness: false }
        : up!.smoke;
      const started = Date.now();
      deps.ctx.onEvent({ type: "phase", phase: "smoke", status: "start" });
      const smoke = await runSmokeTest(target, deps.ctx);
      deps.ctx.onEvent({ type: "phase", phase: "smoke", status: smoke.ok ? "done" : "failed" });
      return {
        stack: o.stack,
        engine: "local",
        ok: smoke.ok,
        startedAt: new Date(started).toISOString(),
        durationMs: Date.now() - started,
        speedup: 1,
        url: target.baseUrl,
        summary: [],
        phases: [{ phase: "smoke", ok: smoke.ok, ms: smoke.durationMs }],
        diagnoses: [],
        smoke,
        drills: [],
        resourcesMayExist: false,
        ...(smoke.ok ? {} : { error: { code: "ERR_SMOKE_FAILED", message: `${smoke.checks.filter((c) => !c.ok).length} check(s) failed`, phase: "smoke", reason: "smoke-failed" } }),
      };
    },
  },
  {
    name: "drill",
    summary: "bring the stack up, run the failover drill (--drill both|process-dies|health-fails), take it down",
    handler: (deps) => {
      if (deps.options.url) throw new LifecycleError("ERR_USAGE", "drill takes targets down, so it needs an environment it controls; --url is for smoke");
      return lifecycle(deps, { smoke: false, drills: deps.options.drills.length ? deps.options.drills : ["process-dies", "health-fails"] }, "drill");
    },
  },
  {
    name: "down",
    summary: "take down the environment `seedstack up` keeps for --stack (--engine terraform: destroy it through its state)",
    async handler(deps) {
      if (deps.options.engine === "terraform") {
        const outdir = deps.options.outdir ?? join(deps.projectDir, "cdktf.out");
        const options = { ...environmentOptions(deps.projectDir, deps.options, deps.options.stack, terraformDirOf(deps.options, outdir)), onEvent: terraformLines(deps) };
        const result = await destroyEnvironment(options, deps.cleanupSignal);
        if (!result.ok) throw lifecycleErrorOf(result.failure);
        deps.render.line(result.alreadyGone ? `nothing to destroy for ${deps.options.stack}: its state is empty` : `destroyed ${deps.options.stack}`);
        return 0;
      }
      // A live `up` is asked to stop; what a killed one left is reaped from its running record.
      return downLocal({ projectDir: deps.projectDir, stack: deps.options.stack, render: deps.render });
    },
  },
  sweepCommand,
  loadCommand,
];

/** terraform's progress as plain lines (commands without the lifecycle's events). */
function terraformLines(deps: CommandDeps): (e: import("../terraform/deploy-events.js").TerraformEngineEvent) => void {
  return (e) => {
    if (e.type === "command-started") deps.render.line(`terraform ${e.args.join(" ")}`);
    else if (e.type === "output-line" && e.line.trim() !== "") deps.render.line(`  ${e.line}`);
    else if (e.type === "failed") deps.render.line(`${e.failure.reason}: ${e.failure.message}`);
  };
}
