/**
 * The action's lifecycle: an adapter over the lifecycle's public entry for both engines. A run is
 * `runLifecycle` with the local or the terraform engine (inputs -> options), the same run
 * `seedstack run` does; the main step's cancel policy is `leave` (GitHub gives a cancelled step
 * 7.5 s before SIGTERM, far too little for a destroy: the post step, which has minutes, destroys).
 * Destroy and sweep are the terraform layer's, through the same state directory as the CLI's
 * (`<working-directory>/.seedstack`).
 *
 * A local environment never outlives its step: the lifecycle takes it down, and its exit hook kills
 * what a crash leaves, so there is nothing to destroy, sweep or record for it later.
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  candidatesFromRecords,
  destroyEnvironment,
  folderRegistry,
  githubRunStatusChecker,
  handOverToSweeper,
  listPullRequestResources,
  orphanReportLines,
  orphansOf,
  processStartTicks,
  pullRequestClosedChecker,
  sweepStateBucket,
  localEngine,
  runLifecycle,
  stackFile,
  stateDirOf,
  sweep,
  synthesize,
  terraformEngine,
  writeTerraformCliConfig,
  type DestroyResult,
  type FailureMode,
  type RunContext,
  type TerraformEnvironmentOptions,
} from "../../lifecycle/index.js";
import { SEED_SERVER_BUNDLE_RELATIVE_PATH } from "../../seed-server/bundle-path.js";
import { findPackageRoot } from "../../shared/package-root.js";
import type { EnvironmentRecord, LifecyclePort, RunOutcome, RunRequest, TeardownResult } from "./lifecycle-port.js";
import type { LifecycleSettings } from "./settings.js";
import { sweepResultOf } from "./state-bucket-sweep-result.js";
import { hostname } from "node:os";

/**
 * How long terraform gets to stop after its one interrupt before it is killed: GitHub sends SIGTERM
 * 7.5 s after the SIGINT of a cancel; 6 s lets us record a kill (so the post step may remove the
 * lock our killed run left) before that.
 */
export const ACTION_INTERRUPT_GRACE_MS = 6_000;

const BOTH_DRILLS: readonly FailureMode[] = ["process-dies", "health-fails"];

/** Where the stacks of `workingDirectory` are synthesized (cdktf's default outdir). */
const outdirOf = (workingDirectory: string) => join(workingDirectory, "cdktf.out");

/** The settings of one synthesis: the process's environment plus what the request fixes. */
export function synthEnv(request: Pick<RunRequest, "stack" | "prNumber" | "createdAt"> & { ttlHours?: number }, base: Readonly<NodeJS.ProcessEnv>): NodeJS.ProcessEnv {
  const prStack = /^pr-(\d+)$/.exec(request.stack);
  return {
    ...base,
    // The stacks app builds `pr-<n>` only when it is told n.
    ...(prStack ? { SEEDSTACK_PR_NUMBER: prStack[1] } : request.prNumber !== undefined ? { SEEDSTACK_PR_NUMBER: String(request.prNumber) } : {}),
    ...(request.createdAt !== undefined ? { SEEDSTACK_CREATED_AT: request.createdAt } : {}),
    ...(request.ttlHours !== undefined ? { SEEDSTACK_TTL_HOURS: String(request.ttlHours) } : {}),
  };
}

/** When the environment expires: its creation (the PR's) plus the TTL. */
function expiresAt(createdAt: string | undefined, ttlHours: number, now: Date): string {
  const from = createdAt !== undefined && !Number.isNaN(Date.parse(createdAt)) ? Date.parse(createdAt) : now.getTime();
  return new Date(from + ttlHours * 3_600_000).toISOString();
}

/**
 * The seed-server bundle the local engine starts: the one of the seedstack package the working
 * directory uses (its own checkout, or its `node_modules/seedstack`), else the one next to this
 * action. When none is built, the first place looked: the engine then says it is missing there.
 */
function bundleFor(workingDirectory: string): string {
  const candidates: string[] = [];
  const inPackageOf = (dir: string) => {
    try {
      candidates.push(join(findPackageRoot(dir), SEED_SERVER_BUNDLE_RELATIVE_PATH));
    } catch {
      // Not inside the seedstack package.
    }
  };
  inPackageOf(workingDirectory);
  candidates.push(join(workingDirectory, "node_modules", "seedstack", SEED_SERVER_BUNDLE_RELATIVE_PATH));
  inPackageOf(dirname(fileURLToPath(import.meta.url)));
  return candidates.find((c) => existsSync(c)) ?? candidates[0]!;
}

/** The teardown of a destroy's result. */
function teardownOf(result: DestroyResult, name: string): TeardownResult {
  return result.ok
    ? { status: "destroyed", remaining: [] }
    : { status: result.failure.reason === "cancelled" ? "incomplete" : "failed", remaining: [name], message: result.failure.message };
}

/** The real lifecycle. */
export function realLifecycle(settings: LifecycleSettings): LifecyclePort {
  const environmentName = (stack: string) => `${settings.namePrefix}-${stack}`;
  const stackJsonOf = (record: Pick<EnvironmentRecord, "workingDirectory" | "stack">) => stackFile(outdirOf(record.workingDirectory), record.stack);
  const stateOf = (workingDirectory: string) => stateDirOf(workingDirectory);
  /** TEST-ONLY: where terraform runs instead of the stack's directory. */
  const terraformDirOf = (workingDirectory: string) => (settings.terraformDir ? resolve(workingDirectory, settings.terraformDir) : undefined);

  /** The terraform layer's options for a destroy outside a run (destroy mode, post step, sweep). */
  const destroyOptions = (record: EnvironmentRecord, ctx: RunContext, stackDir?: string): TerraformEnvironmentOptions => {
    const dir = stateOf(record.workingDirectory);
    return {
      name: record.stack,
      stackDir: stackDir ?? terraformDirOf(record.workingDirectory) ?? dirname(stackJsonOf(record)),
      recordDir: dir.recordDir,
      cliConfigFile: writeTerraformCliConfig(dir, settings.childEnv),
      // Never killed: a destroy outside a run (the post step's, bounded by its budget; destroy
      // mode; the sweep) is interrupted once and then left to finish what is in flight, save the
      // state and release the lock itself. A killed terraform would leave the S3 lock behind.
      interruptGraceMs: Number.POSITIVE_INFINITY,
      onEvent: (event) => {
        if (event.type === "command-started") ctx.onEvent({ type: "progress", phase: "down", message: `terraform ${event.args.join(" ")}` });
        else if (event.type === "output-line" && event.line.trim() !== "") ctx.onEvent({ type: "progress", phase: "down", message: `  ${event.line}` });
        else if (event.type === "failed") ctx.onEvent({ type: "progress", phase: "down", message: `${event.failure.reason}: ${event.failure.message}` });
      },
    };
  };

  return {
    async runEnvironment(request, ctx): Promise<RunOutcome> {
      const dir = stateOf(request.workingDirectory);
      const engine =
        request.engine === "local"
          ? localEngine({ speedup: settings.speedup, bundle: bundleFor(request.workingDirectory) })
          : terraformEngine({
              ...(settings.terraformDir ? { stackDir: terraformDirOf(request.workingDirectory)! } : {}),
              recordDir: dir.recordDir,
              cliConfigFile: writeTerraformCliConfig(dir, settings.childEnv),
              terraform: {
                interruptGraceMs: ACTION_INTERRUPT_GRACE_MS,
                lockTimeoutSeconds: request.lockTimeoutSeconds,
                ...(request.extraArgs.length > 0 ? { planExtraArgs: request.extraArgs } : {}),
                ...(request.prNumber !== undefined ? { prNumber: request.prNumber } : {}),
                expiresAt: expiresAt(request.createdAt, request.ttlHours, new Date()),
              },
            });
      const report = await runLifecycle(
        {
          projectDir: request.workingDirectory,
          outdir: outdirOf(request.workingDirectory),
          stack: request.stack,
          synth: !settings.useSynthesized,
          synthEnv: synthEnv(request, settings.childEnv),
          engine,
          smoke: true,
          drills: request.drill ? BOTH_DRILLS : [],
          // `deploy` keeps a terraform environment that passed; a failed one is not left standing.
          // A local one cannot outlive the step.
          keep: request.mode === "deploy" && request.engine === "terraform",
          keepFailed: false,
          onCancel: "leave",
        },
        ctx,
      );
      const left = report.teardown?.status === "left" || report.teardown?.status === "failed";
      const record: EnvironmentRecord = {
        engine: request.engine,
        stack: request.stack,
        workingDirectory: request.workingDirectory,
        ...(request.prNumber !== undefined ? { prNumber: request.prNumber } : {}),
        ...(request.createdAt !== undefined ? { createdAt: request.createdAt } : {}),
      };
      const stackJson = stackJsonOf(request);
      return {
        report,
        environment: environmentName(request.stack),
        ...(left && request.engine === "terraform" ? { leftover: record } : {}),
        ...(existsSync(stackJson) ? { stackJsonPath: stackJson } : {}),
        finishedAt: new Date().toISOString(),
      };
    },

    async destroyEnvironment(record, ctx) {
      const name = environmentName(record.stack);
      if (record.engine === "local") {
        ctx.onEvent({ type: "progress", phase: "down", message: `${record.stack}: a local environment lives only inside the step that started it; nothing outlives it` });
        return { status: "destroyed", remaining: [] };
      }
      try {
        // The post step of the same job finds the synthesized stack; a later job (PR closed) synthesizes it again.
        if (!existsSync(stackJsonOf(record)) && !settings.useSynthesized) {
          await synthesize({ projectDir: record.workingDirectory, outdir: outdirOf(record.workingDirectory), env: synthEnv(record, settings.childEnv), signal: ctx.signal });
        }
        ctx.onEvent({ type: "phase", phase: "down", status: "start" });
        const teardown = teardownOf(await destroyEnvironment(destroyOptions(record, ctx), ctx.signal), name);
        ctx.onEvent({ type: "phase", phase: "down", status: teardown.status === "destroyed" ? "done" : "failed", ...(teardown.message ? { detail: teardown.message } : {}) });
        return teardown;
      } catch (error) {
        return { status: "failed", remaining: [name], message: (error as Error).message };
      }
    },

    async sweep(request, ctx) {
      // A local environment never outlives its step: there is nothing to sweep.
      if (request.engine === "local") return { swept: [] };
      if (settings.stateBucket) return sweepTheStateBucket(settings.stateBucket, request, ctx);
      const recordDir = stateOf(request.workingDirectory).recordDir;
      const { records, problems } = await folderRegistry(recordDir).list();
      for (const p of problems) ctx.onEvent({ type: "progress", phase: "down", message: `unreadable environment record: ${p}` });
      const byName = new Map(records.map((r) => [r.name, r]));
      const report = await sweep({
        candidates: candidatesFromRecords(records, recordDir),
        now: request.now,
        dryRun: false,
        destroy: (c) => {
          const r = byName.get(c.name)!;
          return destroyEnvironment(destroyOptions({ engine: "terraform", stack: r.name, workingDirectory: request.workingDirectory }, ctx, r.stackDir), ctx.signal);
        },
      });
      return {
        swept: report.decisions.map((d) => {
          const result = report.destroyed.find((x) => x.name === d.candidate.name)?.result;
          const action = !d.destroy ? "kept" : result?.ok ? "destroyed" : "failed";
          const message = result && !result.ok ? result.failure.message : d.why;
          return { environment: environmentName(d.candidate.name), ...(d.candidate.expiresAt ? { expiresAt: d.candidate.expiresAt } : {}), action, message } as const;
        }),
      };
    },

    async recordForSweeper(record, reason) {
      if (record.engine === "local") return; // nothing of it outlives its step
      // The runner's disk is thrown away after the job: with a state bucket, the hand-over note
      // beside the state is what the next sweep (on another runner) finds.
      const prNumber = record.prNumber ?? Number(/^pr-(\d+)$/.exec(record.stack)?.[1]);
      if (settings.stateBucket && Number.isInteger(prNumber) && prNumber > 0) {
        const key = await handOverToSweeper(settings.stateBucket, prNumber, reason);
        return `s3://${settings.stateBucket.bucket}/${key}`;
      }
      const registry = folderRegistry(stateOf(record.workingDirectory).recordDir);
      // The engine already keeps a `needs-destroy` record for what it may have left; write one only when it has none.
      if ((await registry.read(record.stack)) !== undefined) return;
      const at = new Date().toISOString();
      await registry.write({
        version: 1,
        name: record.stack,
        stackDir: terraformDirOf(record.workingDirectory) ?? dirname(stackJsonOf(record)),
        status: "needs-destroy",
        reason,
        ...(record.prNumber !== undefined ? { prNumber: record.prNumber } : {}),
        createdAt: at,
        updatedAt: at,
      });
      return undefined;
    },
  };

  /**
   * The sweep over the state bucket (what a fresh runner can find): every `pr-<n>` state listed,
   * GitHub asked, each chosen one synthesized as the stacks app does and destroyed through its
   * state; then the resources tagged for pull requests that no state knows about, listed.
   */
  async function sweepTheStateBucket(where: NonNullable<LifecycleSettings["stateBucket"]>, request: Parameters<LifecyclePort["sweep"]>[0], ctx: RunContext) {
    const say = (message: string) => ctx.onEvent({ type: "progress", phase: "down", message });
    const github = request.github;
    const sweepDir = join(stateOf(request.workingDirectory).root, "sweep");
    const report = await sweepStateBucket({
      where,
      ttlHours: request.ttlHours ?? 24,
      now: request.now,
      dryRun: false,
      signal: ctx.signal,
      ...(github
        ? {
            isPullRequestClosed: pullRequestClosedChecker({ token: github.token, repo: github.repository }),
            lockProbes: { host: hostname(), startTicks: processStartTicks, githubRunStatus: githubRunStatusChecker({ token: github.token }) },
          }
        : {}),
      environmentFor: async (state) => {
        const record: EnvironmentRecord = { engine: "terraform", stack: state.stackName, workingDirectory: request.workingDirectory, prNumber: state.prNumber };
        // TEST-ONLY (useSynthesized): each pr-<n> already in cdktf.out, as destroy mode uses it.
        if (settings.useSynthesized) {
          say(`destroying ${state.stackName} through its state, from the stack already in cdktf.out`);
          return destroyOptions(record, ctx, dirname(stackJsonOf(record)));
        }
        say(`synthesizing ${state.stackName} to destroy it through its state`);
        const outdir = join(sweepDir, state.stackName);
        await synthesize({ projectDir: request.workingDirectory, outdir, env: synthEnv({ stack: state.stackName }, settings.childEnv), signal: ctx.signal });
        return destroyOptions(record, ctx, join(outdir, "stacks", state.stackName));
      },
    });
    let orphans: string[];
    try {
      const region = where.region;
      orphans = orphanReportLines(orphansOf(await listPullRequestResources(region ? { region } : {}), new Set(report.decisions.map((d) => d.state.prNumber))));
    } catch (error) {
      orphans = [`could not list the resources tagged for pull requests (tag:GetResources): ${(error as Error).message}`];
    }
    return sweepResultOf(report, environmentName, orphans);
  }
}
