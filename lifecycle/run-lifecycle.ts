/**
 * The lifecycle on one stack, as data: synth -> summary -> up -> wait healthy -> smoke -> drill ->
 * down, each phase reported as events and recorded in the RunReport (with the plan, the outputs and
 * the teardown). It never prints and never exits; the CLI and the Action render what it emits.
 * Cancellation (Ctrl-C) aborts the current phase; then `down` runs, unless the cancel policy is
 * `leave` and the engine's environments outlive the process (the Action's main step, whose post
 * step destroys: GitHub gives a cancelled step seconds, the post step minutes).
 */
import { StartFailedError, type Environment, type EnvironmentEngine } from "./environment.js";
import { LifecycleError } from "./errors.js";
import type { Diagnosis, Phase, RunContext } from "./events.js";
import { failureReasonOf } from "./failure-reason.js";
import type { LocalEngineOptions } from "./local/local-environment.js";
import { localEngine } from "./local/local-engine.js";
import { runFailoverDrill, type DrillResult, type FailureMode } from "./probes/failover-drill.js";
import { runSmokeTest, type SmokeResult, type SmokeTarget } from "./probes/smoke-test.js";
import type { PhaseRecord, RunReport, Teardown } from "./report/run-report.js";
import { readStack } from "./stack/read-stack.js";
import type { Stack } from "./stack/stack.js";
import { summarizeStack, type SummaryLine } from "./stack/stack-summary.js";
import { synthesize } from "./stack/synth.js";
import type { PlanSummary } from "./terraform/json.js";

/** What to run. */
export interface LifecycleOptions {
  readonly projectDir: string;
  /** Where stacks are synthesized (cdktf.out). */
  readonly outdir: string;
  readonly stack: string;
  /** Synthesize first (otherwise read what `outdir` holds). */
  readonly synth: boolean;
  /** Settings of the local engine (used when `engine` is not given). @default the local engine's defaults */
  readonly local?: LocalEngineOptions;
  /** The engine that brings the stack up. @default the local engine with `local` */
  readonly engine?: EnvironmentEngine;
  readonly smoke: boolean;
  readonly drills: readonly FailureMode[];
  /**
   * Do not take the environment down: a local one stays up after the checks until cancelled; a
   * persistent one (terraform) is left up, also after a failure. `onUp` is told where.
   */
  readonly keep: boolean;
  /** With `keep`, a persistent environment whose run failed is left up too (to look at). @default true; false takes it down */
  readonly keepFailed?: boolean;
  /**
   * What a cancellation does to a persistent environment (terraform): `destroy` it in this run (the
   * CLI), or `leave` it for whoever runs next (the Action's post step; the report says `left`).
   * A local environment is always taken down: its processes cannot outlive this one.
   * @default "destroy"
   */
  readonly onCancel?: "destroy" | "leave";  /** Called once the environment is healthy (e.g. to write a state file); its result runs at `down`. */
  readonly onUp?: (env: Environment) => Promise<() => void>;
  /** Environment of the synthesis (SEEDSTACK_* settings). */
  readonly synthEnv?: NodeJS.ProcessEnv;
  /** Deadline for the targets to become healthy; default from the health-check settings. */
  readonly healthyDeadlineMs?: number;
  /** How long the smoke test retries a failing check. @default the smoke test's own (30 s) */
  readonly smokeDeadlineMs?: number;
}

/** What the smoke test should expect of an environment. */
export function smokeTargetOf(env: Environment): SmokeTarget {
  return {
    baseUrl: env.url,
    ...(env.redirectFromUrl ? { redirectFromUrl: env.redirectFromUrl } : {}),
    ...(env.redirectSkipped ? { redirectSkipped: env.redirectSkipped } : {}),
    ...(env.certificatePem ? { certificatePem: env.certificatePem } : {}),
    ...(env.connectTo ? { connectTo: env.connectTo } : {}),
    expectedTargets: env.expectedTargets,
    sharedStore: env.stack.database !== undefined,
    stickiness: env.stack.targetGroup.stickiness !== undefined,
  };
}

/** Run the lifecycle; resolves with the report (ok or not), never rejects. */
export async function runLifecycle(options: LifecycleOptions, ctx: RunContext): Promise<RunReport> {
  const started = Date.now();
  const phases: PhaseRecord[] = [];
  let diagnoses: Diagnosis[] = [];
  let summary: SummaryLine[] = [];
  let plan: PlanSummary | undefined;
  let resourcesMayExist = false;
  let teardown: Teardown | undefined;
  let failedPhase: Phase | undefined;
  let smoke: SmokeResult | undefined;
  const drills: DrillResult[] = [];
  let error: LifecycleError | undefined;
  let env: Environment | undefined;
  let leftover: (() => Promise<void>) | undefined;
  let url: string | undefined;
  const engine = options.engine ?? localEngine(options.local);
  // The plan and "resources may exist" are recorded on their way to the caller.
  const caller = ctx;
  ctx = {
    signal: caller.signal,
    onEvent: (e) => {
      if (e.type === "plan") plan = e.plan;
      if (e.type === "resources-may-exist") resourcesMayExist = true;
      caller.onEvent(e);
    },
  };

  const phase = async <T>(name: Phase, work: () => Promise<T>, judge?: (value: T) => string | undefined): Promise<T> => {
    const t0 = Date.now();
    ctx.onEvent({ type: "phase", phase: name, status: "start" });
    try {
      const value = await work();
      const failure = judge?.(value);
      phases.push({ phase: name, ok: failure === undefined, ms: Date.now() - t0, ...(failure ? { detail: failure } : {}) });
      ctx.onEvent({ type: "phase", phase: name, status: failure ? "failed" : "done", ...(failure ? { detail: failure } : {}) });
      return value;
    } catch (err) {
      const e = err instanceof LifecycleError ? err : new LifecycleError(ctx.signal.aborted ? "ERR_CANCELLED" : "ERR_SPAWN", (err as Error)?.message ?? String(err), { cause: err });
      const code = ctx.signal.aborted ? "ERR_CANCELLED" : e.code;
      failedPhase ??= name;
      phases.push({ phase: name, ok: false, ms: Date.now() - t0, detail: code === "ERR_CANCELLED" ? "cancelled" : e.message.split("\n")[0]! });
      ctx.onEvent({ type: "phase", phase: name, status: "failed", detail: e.message });
      throw code === e.code ? e : new LifecycleError("ERR_CANCELLED", "cancelled", { cause: e });
    }
  };

  let cleanupUp: (() => void) | undefined;
  try {
    if (options.synth) await phase("synth", () => synthesize({ projectDir: options.projectDir, outdir: options.outdir, ...(options.synthEnv ? { env: options.synthEnv } : {}), signal: ctx.signal }));
    const stack: Stack = await phase("summary", async () => {
      const read = readStack(options.outdir, options.stack);
      engine.check?.(read);
      summary = summarizeStack(read);
      ctx.onEvent({ type: "summary", stack: read.name, lines: summary });
      return read;
    });
    env = await phase("up", () => engine.start(stack, ctx)).catch((err: unknown) => {
      // A failed apply still gets its destroy (also when a cancellation re-wrapped the error).
      const failed = err instanceof StartFailedError ? err : (err as Error | undefined)?.cause instanceof StartFailedError ? ((err as Error).cause as StartFailedError) : undefined;
      leftover = failed?.dispose;
      throw err;
    });
    url = env.url;
    const up = env;
    await phase("wait-healthy", async () => {
      try {
        await up.waitHealthy(options.healthyDeadlineMs !== undefined ? { deadlineMs: options.healthyDeadlineMs } : {});
      } catch (err) {
        diagnoses = up.diagnose();
        throw err;
      }
    });
    if (options.onUp) cleanupUp = await options.onUp(env);
    if (options.smoke) {
      smoke = await phase("smoke", () => runSmokeTest(smokeTargetOf(up), ctx, options.smokeDeadlineMs !== undefined ? { deadlineMs: options.smokeDeadlineMs } : {}), (r) => (r.ok ? undefined : `${r.checks.filter((c) => !c.ok).length} check(s) failed`));
    }
    // The drill routes around one target: with a single one (an Auto Scaling group of 1) there is nothing to route to.
    const runnableDrills = options.drills.length > 0 && env.expectedTargets < 2 ? [] : options.drills.filter((m) => up.drillModes.includes(m));
    if (runnableDrills.length < options.drills.length) {
      const skipped = options.drills.filter((m) => !runnableDrills.includes(m));
      const detail =
        env.expectedTargets < 2
          ? `skipped: the stack runs ${env.expectedTargets} target; the failover drill needs two`
          : `skipped ${skipped.join(", ")} on the ${engine.name} engine${up.drillModesWhy ? `: ${up.drillModesWhy}` : ""}`;
      phases.push({ phase: "drill", ok: true, ms: 0, detail });
      ctx.onEvent({ type: "progress", phase: "drill", message: detail });
    }
    for (const mode of runnableDrills) {
      const result = await phase(
        "drill",
        async () => {
          await up.waitHealthy(); // the previous drill's target must be back
          return runFailoverDrill(
            up.drill,
            { baseUrl: up.url, ...(up.certificatePem ? { certificatePem: up.certificatePem } : {}), sharedStore: up.stack.database !== undefined, healthCheck: up.stack.targetGroup.healthCheck, speedup: up.speedup, mode },
            ctx,
          );
        },
        (r) => (r.ok ? undefined : r.problems.join("; ")),
      );
      drills.push(result);
    }
    if (smoke && !smoke.ok) error = new LifecycleError("ERR_SMOKE_FAILED", `smoke test: ${smoke.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`).join("; ")}`);
    else if (drills.some((d) => !d.ok)) error = new LifecycleError("ERR_DRILL_FAILED", `failover drill: ${drills.flatMap((d) => d.problems).join("; ")}`);
    if (options.keep && engine.persistent && !(error && options.keepFailed === false)) {
      ctx.onEvent({ type: "progress", phase: "up", message: `left up at ${env.url} (--keep); take it down with \`seedstack down --engine ${engine.name} --stack ${options.stack}\`` });
    } else if (options.keep && !ctx.signal.aborted) {
      ctx.onEvent({ type: "progress", phase: "up", message: `up at ${env.url}; press Ctrl-C to take it down` });
      await new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => resolve(), { once: true }));
    }
  } catch (err) {
    error = err instanceof LifecycleError ? err : new LifecycleError("ERR_SPAWN", String((err as Error)?.message ?? err));
  } finally {
    cleanupUp?.();
    const up = env?.dispose ?? leftover;
    // A persistent environment (terraform) kept with --keep is left up, after a failure too unless keepFailed is false.
    const kept = options.keep && engine.persistent && !(error && options.keepFailed === false);
    const leave = engine.persistent && options.onCancel === "leave" && ctx.signal.aborted;
    if (up && kept) teardown = { status: "kept" };
    else if (up && leave) {
      teardown = { status: "left", message: "cancelled: the destroy is left to whoever runs next" };
      ctx.onEvent({ type: "progress", phase: "down", message: `cancelled; ${options.stack} is left for the next step to destroy` });
    } else if (up) {
      await phase("down", up).then(
        () => (teardown = { status: "destroyed" }),
        (err: LifecycleError) => {
          teardown = { status: "failed", message: err.message };
          error ??= err;
        },
      );
    }
  }
  // A signal that landed once every other phase was done (during teardown) still cancelled the run:
  // the user asked it to stop, so it ends as cancelled (exit 130), not as passed. Not so for an
  // environment that stays up until Ctrl-C: there the signal is its normal end.
  if (!error && ctx.signal.aborted && !(options.keep && !engine.persistent)) error = new LifecycleError("ERR_CANCELLED", "cancelled");
  // Staying up until Ctrl-C is the normal end of --keep on this machine, not a failure.
  if (options.keep && !engine.persistent && error?.code === "ERR_CANCELLED" && phases.every((p) => p.ok || p.detail === "cancelled")) error = undefined;
  return {
    stack: options.stack,
    engine: engine.name,
    ok: error === undefined,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    speedup: env?.speedup ?? (engine.name === "local" ? (options.local?.speedup ?? 1) : 1),
    ...(url ? { url } : {}),
    summary,
    phases,
    diagnoses,
    ...(smoke ? { smoke } : {}),
    drills,
    ...(plan ? { plan } : {}),
    ...(env?.outputs ? { outputs: env.outputs } : {}),
    ...(teardown ? { teardown } : {}),
    resourcesMayExist,
    ...(error ? { error: errorOf(error, failedPhase) } : {}),
  };
}

function errorOf(error: LifecycleError, phase: Phase | undefined): NonNullable<RunReport["error"]> {
  const where = error.code === "ERR_SMOKE_FAILED" || error.code === "ERR_DRILL_FAILED" ? undefined : phase;
  return { code: error.code, message: error.message, ...(where ? { phase: where } : {}), reason: failureReasonOf({ code: error.code, ...(where ? { phase: where } : {}) }) };
}
