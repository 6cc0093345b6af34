/**
 * ENGINE TERRAFORM, WIRED DIRECTLY TO THE TERRAFORM LAYER: the one place to switch.
 *
 * The lifecycle core (`lifecycle/run-lifecycle.ts`) now runs the terraform engine too
 * (`lifecycle/terraform/lifecycle-engine.ts`, used by `seedstack --engine terraform`), but this
 * adapter was written against the terraform layer before that landed and still sequences it here:
 * deployEnvironment / destroyEnvironment, environment-record.ts, sweep.ts, and the smoke test on
 * the `url` output.
 * The one piece of that engine used here is its wait for healthy targets (terraform-target-health.ts).
 * SWITCH (left for later): replace `runEnvironment` below with runLifecycle and terraformEngine, once
 * the core can leave the destroy of a cancelled run to the post step; then a
 * call to it (as local-lifecycle.ts does) and delete the sequencing here; destroy and sweep
 * follow the same way. Nothing else in the action changes: it talks to the LifecyclePort only.
 *
 * The sequence differs from `engine.ts`'s own `runEnvironment` in one point on purpose: after a
 * cancellation the main step does NOT destroy. GitHub gives a cancelled step 7.5 s before SIGTERM
 * and 10 s before it kills the process tree, far too little for a destroy, so the main step saves
 * what must be destroyed and the post step (which has minutes) destroys it.
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { RunContext as CoreContext } from "../../lifecycle/events.js";
import { runSmokeTest, type SmokeTarget } from "../../lifecycle/probes/smoke-test.js";
import { readStack } from "../../lifecycle/stack/read-stack.js";
import { writeCliConfig } from "../../lifecycle/terraform/cli-config.js";
import { checkEnvironmentOptions, deployEnvironment, destroyEnvironment, type TerraformEnvironmentOptions } from "../../lifecycle/terraform/deploy.js";
import type { TerraformEngineEvent } from "../../lifecycle/terraform/deploy-events.js";
import { listRecords, readRecord, writeRecord } from "../../lifecycle/terraform/environment-record.js";
import type { EngineFailure } from "../../lifecycle/terraform/failure.js";
import type { Outputs, PlanSummary as TfPlan } from "../../lifecycle/terraform/json.js";
import { findProviderMirror } from "../../lifecycle/terraform/provider-mirror.js";
import { candidatesFromRecords, sweep } from "../../lifecycle/terraform/sweep.js";
import type { EnvironmentRecord, EnvironmentResult, LifecyclePort, OutputValue, PlanSummary, RunContext, RunRequest, SmokeResult, TeardownResult } from "./lifecycle-port.js";
import { portSmoke } from "./local-lifecycle.js";
import { environmentName, outdirOf, stackJsonOf, synthesizeFor } from "./stack-synthesis.js";
import { terraformReportMarkdown, type PhaseLine } from "./terraform-report.js";
import { waitForTargets } from "./terraform-target-health.js";

/**
 * How long terraform gets to stop after its one interrupt before it is killed: GitHub sends SIGTERM
 * 7.5 s after the SIGINT of a cancel; 6 s lets us record a kill (so the post step may remove the
 * lock our killed run left) before that.
 */
export const ACTION_INTERRUPT_GRACE_MS = 6_000;

/** Where environment records are kept: the post step (same job) finds them there. */
export function recordDirOf(workingDirectory: string): string {
  return join(workingDirectory, ".seedstack", "environments");
}

/** Our own terraform CLI configuration: the local provider mirror when there is one, else the registry. */
function cliConfigFile(env: NodeJS.ProcessEnv): string {
  const dir = join(env.RUNNER_TEMP || tmpdir(), "seedstack-terraform");
  mkdirSync(dir, { recursive: true });
  const { mirror } = findProviderMirror({ env });
  return writeCliConfig(join(dir, "terraform.tfrc"), mirror ? { mirror } : {});
}

function expiresAt(createdAt: string | undefined, ttlHours: number, now: Date): string {
  const from = createdAt !== undefined && !Number.isNaN(Date.parse(createdAt)) ? Date.parse(createdAt) : now.getTime();
  return new Date(from + ttlHours * 3_600_000).toISOString();
}

function portPlan(plan: TfPlan): PlanSummary {
  const actions = new Set(["create", "update", "delete", "replace"]);
  return {
    hasChanges: plan.hasChanges,
    toAdd: plan.counts.create + plan.counts.replace,
    toChange: plan.counts.update,
    toDestroy: plan.counts.delete + plan.counts.replace,
    changes: plan.changes.filter((c) => actions.has(c.action)).map((c) => ({ address: c.address, action: c.action as "create" | "update" | "delete" | "replace" })),
  };
}

function portOutputs(outputs: Outputs): Record<string, OutputValue> {
  return Object.fromEntries(Object.entries(outputs).map(([name, o]) => [name, { value: o.value, sensitive: o.sensitive }]));
}

/**
 * What the smoke test expects, from the `url` (and a public `certificate_pem`) output and, when the
 * synthesized stack is one of ours, its topology (targets, shared database, stickiness).
 */
function smokeTarget(outputs: Outputs, workingDirectory: string, stack: string, log: (m: string) => void): SmokeTarget | string {
  const url = outputs.url?.value;
  if (typeof url !== "string" || !/^https?:\/\//.test(url)) return "the stack has no `url` output holding an http(s) URL to smoke-test";
  const pem = outputs.certificate_pem && !outputs.certificate_pem.sensitive && typeof outputs.certificate_pem.value === "string" ? outputs.certificate_pem.value : undefined;
  let facts = { expectedTargets: 1, sharedStore: false, stickiness: false, redirect: false };
  try {
    const s = readStack(outdirOf(workingDirectory), stack);
    facts = {
      expectedTargets: s.servers.kind === "instances" ? s.servers.instances.length : s.servers.desired,
      sharedStore: s.database !== undefined,
      stickiness: s.targetGroup.stickiness !== undefined,
      redirect: s.loadBalancer.listeners.some((l) => l.protocol === "HTTP" && l.action.type === "redirect"),
    };
  } catch (error) {
    log(`the synthesized stack's topology could not be read (${(error as Error).message.split("\n")[0]}); smoke-testing one target without a shared store`);
  }
  return {
    baseUrl: url,
    ...(pem ? { certificatePem: pem } : {}),
    ...(facts.redirect && url.startsWith("https://") ? { redirectFromUrl: `http://${new URL(url).hostname}` } : {}),
    expectedTargets: facts.expectedTargets,
    sharedStore: facts.sharedStore,
    stickiness: facts.stickiness,
  };
}

function readJsonOrUndefined(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return undefined; // no region then: the SDK's own chain (AWS_REGION, profile) decides
  }
}

/** The port over the terraform layer. */
export function terraformLifecycle(env: NodeJS.ProcessEnv): LifecyclePort {
  const now = () => new Date().toISOString();

  /** Engine options for one environment; `onEvent` gets the engine's events. */
  const optionsFor = (
    target: { stack: string; workingDirectory: string; prNumber?: number; expiresAt?: string; lockTimeoutSeconds?: number; extraArgs?: readonly string[] },
    onEvent: (e: TerraformEngineEvent) => void,
  ): TerraformEnvironmentOptions => ({
    name: target.stack,
    stackDir: dirname(stackJsonOf(target.workingDirectory, target.stack)),
    recordDir: recordDirOf(target.workingDirectory),
    cliConfigFile: cliConfigFile(env),
    interruptGraceMs: ACTION_INTERRUPT_GRACE_MS,
    ...(target.lockTimeoutSeconds !== undefined ? { lockTimeoutSeconds: target.lockTimeoutSeconds } : {}),
    ...(target.extraArgs && target.extraArgs.length > 0 ? { planExtraArgs: target.extraArgs } : {}),
    ...(target.prNumber !== undefined ? { prNumber: target.prNumber } : {}),
    ...(target.expiresAt !== undefined ? { expiresAt: target.expiresAt } : {}),
    onEvent,
  });

  /** Logs the engine's events and tracks phases for the report. */
  const tracker = (ctx: RunContext, onApplying: () => void) => {
    const phases: PhaseLine[] = [];
    let current: { phase: string; t0: number } | undefined;
    const start = (phase: string) => {
      if (current?.phase === phase) return;
      current = { phase, t0: Date.now() };
      ctx.onEvent({ kind: "phase", phase, state: "started", at: now() });
    };
    const end = (ok: boolean, detail?: string) => {
      if (!current) return;
      phases.push({ phase: current.phase, ok, ms: Date.now() - current.t0, ...(detail ? { detail } : {}) });
      ctx.onEvent({ kind: "phase", phase: current.phase, state: ok ? "succeeded" : "failed", at: now(), ...(detail ? { message: detail } : {}) });
      current = undefined;
    };
    const onEvent = (e: TerraformEngineEvent): void => {
      switch (e.type) {
        case "command-started":
          if (e.command === "init" && current === undefined) start(phases.some((p) => p.phase === "plan") ? "destroy" : "plan");
          if (e.command === "destroy") start("destroy");
          ctx.onEvent({ kind: "log", level: "info", message: `terraform ${e.args.join(" ")}${e.attempt > 1 ? ` (attempt ${e.attempt})` : ""}`, at: now() });
          break;
        case "output-line":
          ctx.onEvent({ kind: "log", level: "info", message: `[${e.command}] ${e.line}`, at: now() });
          break;
        case "retrying":
          ctx.onEvent({ kind: "log", level: "warning", message: `terraform ${e.command}: transient error, retrying in ${e.notice.delayMs} ms`, at: now() });
          break;
        case "planned":
          end(true, `${e.summary.changes.length} change(s)`);
          break;
        case "record":
          if (e.status === "applying") {
            onApplying();
            start("apply");
          }
          break;
        case "applied":
          end(true);
          break;
        case "own-lock-removed":
          ctx.onEvent({ kind: "log", level: "warning", message: `removed the state lock ${e.lockId} our own killed terraform left`, at: now() });
          break;
        case "destroyed":
          end(true, e.alreadyGone ? "nothing was left" : undefined);
          break;
        case "failed":
          end(false, e.failure.message);
          break;
        default:
          break;
      }
    };
    return { phases, onEvent, start, end };
  };

  const teardownOf = (result: Awaited<ReturnType<typeof destroyEnvironment>>, name: string): TeardownResult =>
    result.ok
      ? { status: "destroyed", remaining: [] }
      : { status: result.failure.reason === "cancelled" ? "incomplete" : "failed", remaining: [name], message: result.failure.message };

  return {
    async runEnvironment(request: RunRequest, ctx: RunContext): Promise<EnvironmentResult> {
      const startedAt = now();
      const environment = environmentName(request.stack, env);
      const record: EnvironmentRecord = {
        engine: "terraform",
        stack: request.stack,
        environment,
        workingDirectory: request.workingDirectory,
        ...(request.prNumber !== undefined ? { prNumber: request.prNumber } : {}),
        ...(request.createdAt !== undefined ? { createdAt: request.createdAt } : {}),
      };
      const saveRecord = () => ctx.onEvent({ kind: "resources-may-exist", record, at: now() });
      const t = tracker(ctx, saveRecord);
      if (request.drill) {
        ctx.onEvent({ kind: "log", level: "warning", message: "drill: not run on engine terraform by the action yet (seedstack run --engine terraform --drill process-dies runs it); the smoke test still runs", at: now() });
      }
      const core: CoreContext = { signal: ctx.signal, onEvent: () => undefined };
      const stackJson = stackJsonOf(request.workingDirectory, request.stack);
      const finish = (partial: Omit<EnvironmentResult, "environment" | "outputs" | "reportMarkdown" | "startedAt" | "finishedAt"> & { outputs?: EnvironmentResult["outputs"] }, failure?: EngineFailure): EnvironmentResult => ({
        environment,
        outputs: {},
        ...partial,
        reportMarkdown: terraformReportMarkdown(request.stack, partial.status === "succeeded", startedAt, t.phases, failure?.stderrTail),
        ...(existsSync(stackJson) ? { stackJsonPath: stackJson } : {}),
        startedAt,
        finishedAt: now(),
      });

      // Options the engine refuses (a fixed flag such as -lock in terraform-args) fail before anything runs.
      let options: TerraformEnvironmentOptions;
      try {
        options = optionsFor({ ...request, expiresAt: expiresAt(request.createdAt, request.ttlHours, new Date()) }, t.onEvent);
        checkEnvironmentOptions(options);
      } catch (error) {
        return finish({ status: "failed", failureReason: "plan-failed", failureMessage: (error as Error).message });
      }

      t.start("synth");
      try {
        await synthesizeFor({ ...request, ttlHours: request.ttlHours }, env, core);
        t.end(true);
      } catch (error) {
        const message = (error as Error).message;
        t.end(false, message.split("\n")[0]);
        const cancelled = ctx.signal.aborted;
        return finish({ status: cancelled ? "cancelled" : "failed", failureReason: cancelled ? "cancelled" : "plan-failed", failureMessage: message });
      }

      const deploy = await deployEnvironment(options, ctx.signal);
      const mayExist = deploy.ok || deploy.applyStarted;
      if (mayExist) saveRecord();
      let failure: EngineFailure | undefined = deploy.ok ? undefined : deploy.failure;
      const outputs = deploy.ok ? portOutputs(deploy.outputs) : {};
      const url = typeof outputs.url?.value === "string" ? outputs.url.value : undefined;

      let smoke: SmokeResult | undefined;
      let smokeProblem: string | undefined;
      if (deploy.ok && !ctx.signal.aborted) {
        const target = smokeTarget(deploy.outputs, request.workingDirectory, request.stack, (m) => ctx.onEvent({ kind: "log", level: "warning", message: m, at: now() }));
        t.start("wait-healthy");
        const wait = await waitForTargets(deploy.outputs, {
          expectedTargets: typeof target === "string" ? 1 : target.expectedTargets,
          stackJson: readJsonOrUndefined(stackJson),
          ctx: {
            signal: ctx.signal,
            onEvent: (e) => {
              if (e.type === "progress") ctx.onEvent({ kind: "log", level: "info", message: e.message, at: now() });
            },
          },
        });
        t.end(wait.status !== "failed", wait.status === "skipped" ? wait.why : wait.status === "failed" ? wait.message.split("\n")[0] : undefined);
        t.start("smoke");
        if (wait.status === "failed") smokeProblem = `the targets did not become healthy, so nothing was smoke-tested: ${wait.message}`;
        else if (typeof target === "string") smokeProblem = target;
        else {
          try {
            const coreSmoke = await runSmokeTest(target, {
              signal: ctx.signal,
              onEvent: (e) => {
                if (e.type === "check") ctx.onEvent({ kind: "log", level: e.ok ? "info" : "warning", message: `${e.ok ? "✓" : "✗"} ${e.name}: ${e.detail}`, at: now() });
              },
            });
            smoke = portSmoke(coreSmoke);
            if (!coreSmoke.ok) smokeProblem = coreSmoke.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`).join("; ");
          } catch (error) {
            smokeProblem = (error as Error).message;
          }
        }
        t.end(smokeProblem === undefined, smokeProblem);
        if (smokeProblem !== undefined && !ctx.signal.aborted) failure = { reason: "smoke-failed", step: "smoke", message: `smoke test: ${smokeProblem}` };
      }
      if (ctx.signal.aborted && (failure === undefined || failure.reason !== "cancelled")) {
        failure = { reason: "cancelled", step: failure?.step ?? "smoke", message: failure ? `cancelled; before that: ${failure.message}` : "cancelled once the environment was up" };
      }

      // Cancelled: leave the destroy to the post step (see the header). Otherwise a `pr` run always
      // tears down, and a failed `deploy` does not leave a broken environment standing.
      let teardown: TeardownResult | undefined;
      let leftover: EnvironmentRecord | undefined;
      if (mayExist && failure?.reason === "cancelled") leftover = record;
      else if (mayExist && (request.mode === "pr" || failure !== undefined)) {
        const destroyed = await destroyEnvironment(options, ctx.signal);
        teardown = teardownOf(destroyed, environment);
        if (!destroyed.ok) {
          leftover = record;
          failure ??= destroyed.failure;
        }
      }
      return finish(
        {
          status: failure === undefined ? "succeeded" : failure.reason === "cancelled" ? "cancelled" : "failed",
          ...(failure ? { failureReason: failure.reason, failureMessage: failure.message } : {}),
          ...(url ? { url } : {}),
          ...(deploy.plan ? { plan: portPlan(deploy.plan) } : {}),
          ...(smoke ? { smoke } : {}),
          outputs,
          ...(leftover ? { leftover } : {}),
          ...(teardown ? { teardown } : {}),
        },
        failure,
      );
    },

    async destroyEnvironment(record, ctx) {
      const name = record.environment ?? environmentName(record.stack, env);
      const t = tracker(ctx, () => undefined);
      try {
        // The post step of the same job finds the synthesized stack; a later job (PR closed) synthesizes it again.
        if (!existsSync(stackJsonOf(record.workingDirectory, record.stack))) await synthesizeFor(record, env, { signal: ctx.signal, onEvent: () => undefined });
        t.start("destroy");
        return teardownOf(await destroyEnvironment(optionsFor(record, t.onEvent), ctx.signal), name);
      } catch (error) {
        return { status: "failed", remaining: [name], message: (error as Error).message };
      }
    },

    async sweep(request, ctx) {
      const recordDir = recordDirOf(request.workingDirectory);
      const { records, problems } = listRecords(recordDir);
      for (const p of problems) ctx.onEvent({ kind: "log", level: "warning", message: `unreadable environment record: ${p}`, at: now() });
      const byName = new Map(records.map((r) => [r.name, r]));
      const report = await sweep({
        candidates: candidatesFromRecords(records, recordDir),
        now: request.now,
        dryRun: false,
        destroy: (c) => {
          const r = byName.get(c.name)!;
          const t = tracker(ctx, () => undefined);
          return destroyEnvironment({ ...optionsFor({ stack: r.name, workingDirectory: request.workingDirectory }, t.onEvent), stackDir: r.stackDir }, ctx.signal);
        },
      });
      return {
        swept: report.decisions.map((d) => {
          const result = report.destroyed.find((x) => x.name === d.candidate.name)?.result;
          const action = !d.destroy ? "kept" : result?.ok ? "destroyed" : "failed";
          const message = result && !result.ok ? result.failure.message : d.why;
          return { environment: environmentName(d.candidate.name, env), ...(d.candidate.expiresAt ? { expiresAt: d.candidate.expiresAt } : {}), action, message } as const;
        }),
        reportMarkdown: "",
      };
    },

    async recordForSweeper(record, reason) {
      const recordDir = recordDirOf(record.workingDirectory);
      // The engine already keeps a `needs-destroy` record for what it may have left; write one only when it has none.
      if (readRecord(recordDir, record.stack) !== undefined) return;
      const at = now();
      writeRecord(recordDir, {
        version: 1,
        name: record.stack,
        stackDir: dirname(stackJsonOf(record.workingDirectory, record.stack)),
        status: "needs-destroy",
        reason,
        ...(record.prNumber !== undefined ? { prNumber: record.prNumber } : {}),
        createdAt: at,
        updatedAt: at,
      });
    },
  };
}
