/**
 * The terraform engine: one environment brought up and torn down with the terraform CLI in its
 * synthesized stack directory (`cdktf.out/stacks/<name>`), never through `cdktf deploy`.
 *
 * deploy:  init -> plan -detailed-exitcode -out=<file> -> show -json <file> (summary)
 *          -> apply <file> (exactly what was shown) -> output -json
 * destroy: init -> show -json (state) -> destroy -auto-approve, skipped when the state is empty;
 *          a missing or empty state counts as destroyed, so destroying twice succeeds; a destroy
 *          stopped by a failing data-source lookup runs once more with -refresh=false.
 *
 * Clean-up never depends on luck: an environment record is written (through the record registry,
 * record-registry.ts) before the first apply and removed only after a successful destroy; a cancel
 * forwards one interrupt (run-terraform.ts). The sequence around them (destroy after a failed
 * apply, a failed check or a cancellation) is the lifecycle's (run-lifecycle.ts with the terraform
 * engine, terraform-engine.ts).
 */
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { applyArgs, destroyArgs, forceUnlockArgs, initArgs, outputArgs, planArgs, showPlanArgs, showStateArgs } from "./args.js";
import type { TerraformEngineEvent } from "./deploy-events.js";
import { recordPath, type EnvironmentRecord, type EnvironmentStatus, type KilledRunRecord } from "./environment-record.js";
import { failureOf, stepFailure, type EngineFailure, type EngineStep } from "./failure.js";
import { decodeOutputs, decodePlan, decodeStateResourceAddresses, redactedOutputs, type Outputs, type PlanSummary } from "./json.js";
import { checkRetryPolicy, DEFAULT_RETRY_POLICY, transientFailure, withRetries, type RetryPolicy, type TerraformCommand, type WithRetriesOptions } from "./retry.js";
import { DEFAULT_INTERRUPT_GRACE_MS, runTerraform, type TerraformRun, type TerraformSuccess } from "./run-terraform.js";
import { localStateProblem } from "./local-state-guard.js";
import { lookupFailureIn } from "./lookup-failure.js";
import { isOwnStaleLock, lockHolderName } from "./state-lock.js";
import { holderNoteFor } from "./lock-holder.js";
import { lockHolderTargetOf, type LockHolderTarget } from "./lock-holder-target.js";
import { removeHolderNote, writeHolderNote } from "./state-objects.js";
import { folderRegistry, type RecordRegistry } from "./record-registry.js";
import { readStackSettings, STACK_FILE_NAME, type StackSettings } from "../stack/read-stack-settings.js";

/** Default lock wait: 5 minutes, longer than any of our own applies holds the lock between steps. */
export const DEFAULT_LOCK_TIMEOUT_SECONDS = 300;

/** One environment and how to run terraform for it. */
export interface TerraformEnvironmentOptions {
  /** The environment (stack) name: `classic`, `autoscaled`, `pr-12`. Names its record file. */
  readonly name: string;
  /** The synthesized stack directory terraform runs in (holds `cdk.tf.json`). */
  readonly stackDir: string;
  /** Where environment records are kept (see environment-record.ts). */
  readonly recordDir: string;
  /** The registry the records are written to, read from and removed from. @default folderRegistry(recordDir) */
  readonly records?: RecordRegistry;
  /** The CLI configuration file for terraform (TF_CLI_CONFIG_FILE), e.g. one pointing at a provider mirror. @default terraform's own lookup */
  readonly cliConfigFile?: string;
  /** Further environment for terraform (TF_DATA_DIR, TF_VAR_*, AWS_PROFILE). @default none */
  readonly env?: Readonly<Record<string, string>>;
  /** The terraform binary. @default "terraform" on PATH */
  readonly binary?: string;
  /** `-backend-config` settings for init. @default none: the synthesized backend block as it is */
  readonly backendConfig?: Readonly<Record<string, string>>;
  /** How long to wait for a state lock someone else holds. @default DEFAULT_LOCK_TIMEOUT_SECONDS (5 minutes) */
  readonly lockTimeoutSeconds?: number;
  /** Retries on transient errors. @default DEFAULT_RETRY_POLICY (3 attempts, 5 s then 10 s apart) */
  readonly retry?: RetryPolicy;
  /** Wait after the one interrupt before terraform is killed. @default DEFAULT_INTERRUPT_GRACE_MS (2 minutes) */
  readonly interruptGraceMs?: number;
  /** Extra plan arguments (`-var=...`); fixed flags are refused. @default none */
  readonly planExtraArgs?: readonly string[];
  /** The pull request the environment belongs to, recorded for the sweeper. @default none */
  readonly prNumber?: number;
  /** The stack's ExpiresAt tag (ISO 8601), recorded for the sweeper. @default none */
  readonly expiresAt?: string;
  /**
   * The state bucket this environment's S3 backend keeps its state in, and its pull request:
   * before each terraform run that takes the state lock (plan, apply, destroy) a holder note naming
   * that run is written beside the state (lock-holder.ts), and removed once terraform has exited
   * on its own (and so released the lock). A terraform killed keeps its note, so the sweeper can
   * tell its lock's holder is dead and clear the lock.
   * `false`: no note.
   * @default read from the synthesized stack's backend (lock-holder-target.ts): its S3 backend when the key is `<prefix>/pr-<n>/terraform.tfstate`; else no note
   */
  readonly lockHolderNote?: LockHolderTarget | false;
  /** Progress and results. @default nothing is reported */
  readonly onEvent?: (event: TerraformEngineEvent) => void;
  /** The clock for records. @default the system clock */
  readonly now?: () => Date;
}

/** Deploy's outcome. */
export type DeployResult =
  | {
      readonly ok: true;
      readonly plan: PlanSummary;
      /** The plan exited 2: something was applied. False for "no changes" (exit 0, no apply). */
      readonly applied: boolean;
      readonly outputs: Outputs;
    }
  | {
      readonly ok: false;
      readonly failure: EngineFailure;
      /** The last plan read, when there was one. */
      readonly plan?: PlanSummary;
      /** Apply began, so resources may exist: the environment needs a destroy. */
      readonly applyStarted: boolean;
    };

/** Destroy's outcome. */
export type DestroyResult =
  | { readonly ok: true; /** The state held nothing: nothing was destroyed now. */ readonly alreadyGone: boolean }
  | { readonly ok: false; readonly failure: EngineFailure };

const neverAborted = new AbortController().signal;

/** Options that cannot work, every problem named; thrown before anything runs. */
export class TerraformEnvironmentOptionsError extends Error {
  override readonly name = "TerraformEnvironmentOptionsError";
}

/** Check every option that could otherwise fail half-way (after init, or at the record write). */
export function checkEnvironmentOptions(options: TerraformEnvironmentOptions): void {
  const problems: string[] = [];
  const attempt = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      problems.push((error as Error).message);
    }
  };
  attempt(() => recordPath(options.recordDir, options.name));
  attempt(() => destroyArgs({ lockTimeoutSeconds: options.lockTimeoutSeconds ?? DEFAULT_LOCK_TIMEOUT_SECONDS }));
  attempt(() => planArgs({ planFile: "check", lockTimeoutSeconds: 0, ...(options.planExtraArgs ? { extraArgs: options.planExtraArgs } : {}) }));
  attempt(() => initArgs(options.backendConfig ? { backendConfig: options.backendConfig } : {}));
  if (options.retry) attempt(() => checkRetryPolicy(options.retry!));
  if (typeof options.stackDir !== "string" || options.stackDir === "") problems.push("stackDir must be the synthesized stack's directory");
  if (options.prNumber !== undefined && !(Number.isInteger(options.prNumber) && options.prNumber > 0)) problems.push(`prNumber must be a positive integer; got ${options.prNumber}`);
  if (options.expiresAt !== undefined && Number.isNaN(Date.parse(options.expiresAt))) problems.push(`expiresAt must be an ISO 8601 date; got "${options.expiresAt}"`);
  if (problems.length > 0) throw new TerraformEnvironmentOptionsError(`terraform environment "${options.name}": ${problems.join("; ")}`);
}

/** The steps shared by deploy and destroy, bound to one environment and one signal. */
class TerraformSession {
  private readonly lockTimeoutSeconds: number;
  readonly records: RecordRegistry;

  constructor(
    private readonly options: TerraformEnvironmentOptions,
    private readonly signal: AbortSignal,
  ) {
    checkEnvironmentOptions(options);
    this.lockTimeoutSeconds = options.lockTimeoutSeconds ?? DEFAULT_LOCK_TIMEOUT_SECONDS;
    this.records = options.records ?? folderRegistry(options.recordDir);
  }

  /** This environment's record; an unreadable one is undefined (it is replaced by a good one). */
  async readRecord(): Promise<EnvironmentRecord | undefined> {
    return this.records.read(this.options.name).catch(() => undefined);
  }

  /**
   * Whether a record says this environment may exist. A record that cannot be read (corrupt, or
   * its registry failing for a moment) may: a failed destroy must not go unrecorded for that.
   */
  async mayBeRecorded(): Promise<boolean> {
    return this.records.read(this.options.name).then((record) => record !== undefined, () => true);
  }

  /** Remove this environment's record: nothing is left of it. */
  async removeRecord(): Promise<void> {
    await this.records.remove(this.options.name);
    this.emit({ type: "record", path: this.options.recordDir, status: "destroyed" });
  }

  private settings: { readonly value: StackSettings | undefined } | undefined;

  /** The stack's provider and backend, read once (undefined when cdk.tf.json is unreadable: terraform reports that itself). */
  stackSettings(): StackSettings | undefined {
    this.settings ??= { value: readStackSettings(this.options.stackDir) };
    return this.settings.value;
  }

  /** Where the holder note goes: the option, else the stack's backend. */
  lockHolderNote(): LockHolderTarget | undefined {
    if (this.options.lockHolderNote !== undefined) return this.options.lockHolderNote || undefined;
    const settings = this.stackSettings();
    return settings ? lockHolderTargetOf(settings) : undefined;
  }

  emit(event: TerraformEngineEvent): void {
    this.options.onEvent?.(event);
  }

  now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /** Whether the stack directory holds a synthesized stack that may run here; a failure naming the problem otherwise. */
  checkStackDir(step: "init"): EngineFailure | undefined {
    if (!existsSync(join(this.options.stackDir, STACK_FILE_NAME))) {
      return stepFailure(step, `no synthesized stack at ${this.options.stackDir} (${STACK_FILE_NAME} is missing); run the synth first`);
    }
    const settings = this.stackSettings();
    const localState = settings && localStateProblem(settings, this.options.name);
    return localState ? stepFailure(step, localState) : undefined;
  }

  /** One terraform run, reported as events. */
  async once(command: TerraformCommand | "force-unlock", args: string[], attempt: number, successExitCodes?: number[]): Promise<TerraformRun> {
    this.emit({ type: "command-started", command, args, attempt });
    const streamed = command !== "show" && command !== "output"; // JSON, not progress
    const note = this.lockHolderNote();
    const takesLock = command === "plan" || command === "apply" || command === "destroy";
    let writing: Promise<void> | undefined;
    const run = await runTerraform({
      args,
      cwd: this.options.stackDir,
      ...(this.options.binary ? { binary: this.options.binary } : {}),
      env: { ...this.options.env, ...(this.options.cliConfigFile ? { TF_CLI_CONFIG_FILE: this.options.cliConfigFile } : {}) },
      signal: this.signal,
      interruptGraceMs: this.options.interruptGraceMs ?? DEFAULT_INTERRUPT_GRACE_MS,
      ...(successExitCodes ? { successExitCodes } : {}),
      ...(streamed ? { onLine: (line, stream) => this.emit({ type: "output-line", command, stream, line }) } : {}),
      ...(note && takesLock
        ? {
            onSpawn: (pid: number) => {
              writing = writeHolderNote(note.where, note.prNumber, JSON.stringify(holderNoteFor(pid, lockHolderName()))).catch((error: Error) =>
                this.emit({ type: "output-line", command, stream: "stderr", line: `seedstack: could not write the lock-holder note: ${error.message}` }),
              );
            },
          }
        : {}),
    });
    await writing;
    // Exited on its own (also after our one interrupt): terraform released the lock, so the note
    // names no holder any more. Killed: the lock may be left, and the note is what clears it.
    if (note && takesLock && run.reason !== "spawn" && run.exitCode !== null) {
      await removeHolderNote(note.where, note.prNumber).catch((error: Error) =>
        this.emit({ type: "output-line", command, stream: "stderr", line: `seedstack: could not remove the lock-holder note: ${error.message}` }),
      );
    }
    return run;
  }

  /** A run retried on transient errors. */
  retried(command: TerraformCommand, args: string[], successExitCodes?: number[]): Promise<TerraformRun> {
    return withRetries(
      (attempt) => this.once(command, args, attempt, successExitCodes),
      (run) => transientFailure(run, command),
      this.retryOptions(command),
    );
  }

  retryOptions(command: TerraformCommand): WithRetriesOptions {
    return {
      policy: this.options.retry ?? DEFAULT_RETRY_POLICY,
      signal: this.signal,
      onRetry: (notice) => this.emit({ type: "retrying", command, notice }),
    };
  }

  init(): Promise<TerraformRun> {
    return this.retried("init", initArgs(this.options.backendConfig ? { backendConfig: this.options.backendConfig } : {}));
  }

  plan(planFile: string, attempt: number): Promise<TerraformRun> {
    return this.once("plan", planArgs({ planFile, lockTimeoutSeconds: this.lockTimeoutSeconds, ...(this.options.planExtraArgs ? { extraArgs: this.options.planExtraArgs } : {}) }), attempt, [0, 2]);
  }

  apply(planFile: string, attempt: number): Promise<TerraformRun> {
    return this.once("apply", applyArgs({ planFile, lockTimeoutSeconds: this.lockTimeoutSeconds }), attempt);
  }

  /** A destroy, retried on transient errors; `refresh: false` plans it from the state alone. */
  destroy(refresh = true): Promise<TerraformRun> {
    return this.retried("destroy", destroyArgs({ lockTimeoutSeconds: this.lockTimeoutSeconds, refresh }));
  }

  /** Write the record with `status`, keeping what an earlier record knew. */
  async record(status: EnvironmentStatus, extra: Partial<Pick<EnvironmentRecord, "reason" | "killedRun">> = {}): Promise<void> {
    const { name, stackDir, prNumber, expiresAt } = this.options;
    const previous = await this.readRecord();
    const at = this.now().toISOString();
    const record: EnvironmentRecord = {
      version: 1,
      name,
      stackDir,
      status,
      ...(extra.reason ? { reason: extra.reason } : {}),
      ...(prNumber !== undefined ? { prNumber } : previous?.prNumber !== undefined ? { prNumber: previous.prNumber } : {}),
      ...(expiresAt ? { expiresAt } : previous?.expiresAt ? { expiresAt: previous.expiresAt } : {}),
      ...(extra.killedRun ? { killedRun: extra.killedRun } : previous?.killedRun ? { killedRun: previous.killedRun } : {}),
      createdAt: previous?.createdAt ?? at,
      updatedAt: at,
    };
    this.emit({ type: "record", path: await this.records.write(record), status });
  }

  /**
   * The failure of `run` at `step`. During a destroy, init and state failures are `destroy-failed`;
   * after an abort, a failure of the last attempt is `cancelled`. See `report` for the record.
   */
  async fail(step: EngineStep, run: Exclude<TerraformRun, TerraformSuccess>, startedAt: Date, where: { destroying: boolean; mayHaveResources: boolean }): Promise<EngineFailure> {
    let failure = failureOf(step, run, this.options.binary);
    if (where.destroying && (failure.reason === "plan-failed" || failure.reason === "apply-failed")) failure = { ...failure, reason: "destroy-failed" };
    const killedRun: KilledRunRecord | undefined =
      failure.interruption === "killed" ? { who: lockHolderName(), startedAt: startedAt.toISOString(), killedAt: this.now().toISOString() } : undefined;
    return this.report(failure, where.mayHaveResources, killedRun);
  }

  /**
   * Report `failure` and keep the record true: an environment that may have resources is
   * `needs-destroy`; a terraform we killed is remembered (its lock may be left behind, and only
   * such a lock is ours to force-unlock) without changing the status of an environment this run
   * did not touch.
   */
  async report(failure: EngineFailure, mayHaveResources: boolean, killedRun?: KilledRunRecord): Promise<EngineFailure> {
    if (this.signal.aborted && failure.reason !== "cancelled") {
      failure = { ...failure, reason: "cancelled", message: `cancelled; the last attempt had failed: ${failure.message}` };
    }
    const previous = await this.readRecord();
    if (mayHaveResources) await this.record("needs-destroy", { reason: failure.message, ...(killedRun ? { killedRun } : {}) });
    else if (killedRun && previous) await this.record(previous.status, { ...(previous.reason ? { reason: previous.reason } : {}), killedRun });
    this.emit({ type: "failed", failure });
    return failure;
  }
}

/** A plan file name of our own in the stack directory; removed after apply (it may hold secrets). */
function newPlanFile(): string {
  return `seedstack-${process.pid}-${Date.now()}.tfplan`;
}

/** The outcome of one plan-and-apply attempt, for the retry loop. */
type Attempt =
  | { readonly kind: "done"; readonly plan: PlanSummary; readonly applied: boolean }
  | { readonly kind: "failed"; readonly step: "plan" | "show" | "apply"; readonly run?: TerraformRun; readonly failure?: EngineFailure; readonly plan?: PlanSummary };

/**
 * Bring the environment to its synthesized configuration: init, plan, show, apply of the saved
 * plan, outputs. A transient error in plan or apply re-plans (a saved plan is stale once apply
 * has changed the state) and applies the new plan, within the retry policy.
 */
export async function deployEnvironment(options: TerraformEnvironmentOptions, signal: AbortSignal = neverAborted): Promise<DeployResult> {
  const session = new TerraformSession(options, signal);
  const missing = session.checkStackDir("init");
  if (missing) {
    session.emit({ type: "failed", failure: missing });
    return { ok: false, failure: missing, applyStarted: false };
  }

  let startedAt = session.now();
  const init = await session.init();
  if (init.reason !== "ok") return { ok: false, failure: await session.fail("init", init, startedAt, { destroying: false, mayHaveResources: false }), applyStarted: false };

  let applyStarted = false;
  const attempt = async (n: number): Promise<Attempt> => {
    const planFile = newPlanFile();
    const planPath = join(options.stackDir, planFile);
    try {
      startedAt = session.now();
      const plan = await session.plan(planFile, n);
      if (plan.reason !== "ok") return { kind: "failed", step: "plan", run: plan };
      const show = await session.once("show", showPlanArgs(planFile), n);
      if (show.reason !== "ok") return { kind: "failed", step: "show", run: show };
      let summary: PlanSummary;
      try {
        summary = decodePlan(show.stdout);
      } catch (error) {
        return { kind: "failed", step: "show", failure: stepFailure("show", (error as Error).message) };
      }
      const exitCode = plan.exitCode === 2 ? 2 : 0;
      session.emit({ type: "planned", summary, planFile: planPath, exitCode });
      if (exitCode === 0) return { kind: "done", plan: summary, applied: false };

      applyStarted = true;
      await session.record("applying");
      startedAt = session.now();
      const apply = await session.apply(planFile, n);
      if (apply.reason !== "ok") return { kind: "failed", step: "apply", run: apply, plan: summary };
      session.emit({ type: "applied", planFile: planPath });
      return { kind: "done", plan: summary, applied: true };
    } finally {
      rmSync(planPath, { force: true });
    }
  };
  const outcome = await withRetries(
    attempt,
    (a) => (a.kind === "failed" && a.run ? transientFailure(a.run, a.step === "show" ? "show" : a.step) : undefined),
    session.retryOptions("apply"),
  );

  if (outcome.kind === "failed") {
    const where = { destroying: false, mayHaveResources: applyStarted };
    const failure = outcome.run
      ? await session.fail(outcome.step, outcome.run as Exclude<TerraformRun, TerraformSuccess>, startedAt, where)
      : await session.report(outcome.failure!, applyStarted);
    return { ok: false, failure, ...(outcome.plan ? { plan: outcome.plan } : {}), applyStarted };
  }

  startedAt = session.now();
  const output = await session.retried("output", outputArgs());
  if (output.reason !== "ok") {
    const failure = await session.fail("output", output, startedAt, { destroying: false, mayHaveResources: applyStarted });
    return { ok: false, failure, plan: outcome.plan, applyStarted };
  }
  let outputs: Outputs;
  try {
    outputs = decodeOutputs(output.stdout);
  } catch (error) {
    const failure = await session.report(stepFailure("output", (error as Error).message), applyStarted);
    return { ok: false, failure, plan: outcome.plan, applyStarted };
  }
  session.emit({ type: "outputs", outputs: redactedOutputs(outputs) });
  await session.record("up");
  return { ok: true, plan: outcome.plan, applied: outcome.applied, outputs };
}

/**
 * Destroy the environment through its own state. A missing or empty state counts as destroyed
 * (so a second destroy succeeds). The record is removed only when nothing is left.
 * @throws TerraformEnvironmentOptionsError for unusable options, before anything runs
 */
export async function destroyEnvironment(options: TerraformEnvironmentOptions, signal: AbortSignal = neverAborted): Promise<DestroyResult> {
  const session = new TerraformSession(options, signal);
  const missing = session.checkStackDir("init");
  if (missing) {
    const failure = stepFailure("init", missing.message, "destroy-failed");
    session.emit({ type: "failed", failure });
    return { ok: false, failure };
  }
  // A recorded environment whose destroy failed still needs one; an unrecorded one that failed
  // before its state was read is left unrecorded (nothing says it exists).
  const failed = async (step: EngineStep, run: Exclude<TerraformRun, TerraformSuccess>, startedAt: Date): Promise<DestroyResult> => ({
    ok: false,
    failure: await session.fail(step, run, startedAt, { destroying: true, mayHaveResources: await session.mayBeRecorded() }),
  });

  let startedAt = session.now();
  const init = await session.init();
  if (init.reason !== "ok") return failed("init", init, startedAt);
  const state = await session.retried("show", showStateArgs());
  if (state.reason !== "ok") return failed("state", state, startedAt);
  let resources: string[];
  try {
    resources = decodeStateResourceAddresses(state.stdout);
  } catch (error) {
    return { ok: false, failure: await session.report(stepFailure("state", (error as Error).message, "destroy-failed"), false) };
  }
  if (resources.length === 0) {
    await session.removeRecord();
    session.emit({ type: "destroyed", alreadyGone: true });
    return { ok: true, alreadyGone: true };
  }

  await session.record("destroying");
  startedAt = session.now();
  let destroy = await session.destroy();
  if (destroy.reason !== "ok") {
    // A lock this process left behind when it had to kill terraform is ours to remove; no other.
    const failure = failureOf("destroy", destroy, options.binary);
    const killedRun = (await session.readRecord())?.killedRun;
    if (failure.lock && killedRun && isOwnStaleLock(failure.lock, { who: killedRun.who, startedAt: new Date(killedRun.startedAt), killedAt: new Date(killedRun.killedAt) })) {
      const unlock = await session.once("force-unlock", forceUnlockArgs(failure.lock.id), 1);
      if (unlock.reason !== "ok") return failed("force-unlock", unlock, startedAt);
      session.emit({ type: "own-lock-removed", lockId: failure.lock.id });
      destroy = await session.destroy();
    }
  }
  // The refresh before a destroy reads every data source. When the shared VPC this stack was
  // placed in changed under it (its owner deleted an endpoint or re-tagged the subnets, or the
  // sweeper runs with other SEEDSTACK_VPC_* values), a lookup that finds nothing, or element() of
  // an empty list, stops the destroy before it removes anything (lookup-failure.ts). The state
  // holds every ID a delete needs, so a destroy from the state alone removes the environment.
  // Refresh stays the first try, not dropped always: it also takes resources deleted out of band
  // off the state before any delete is called. The AWS provider's deletes mostly treat NotFound
  // as already gone, but not every one is known to, so -refresh=false is used only when the
  // refresh itself is what fails.
  const lookupError = destroy.reason === "exit" ? lookupFailureIn(destroy.stderr) : undefined;
  if (lookupError !== undefined && !signal.aborted) {
    session.emit({ type: "destroy-without-refresh", lookupError });
    startedAt = session.now();
    destroy = await session.destroy(false);
  }
  if (destroy.reason !== "ok") return failed("destroy", destroy, startedAt);
  await session.removeRecord();
  session.emit({ type: "destroyed", alreadyGone: false });
  return { ok: true, alreadyGone: false };
}
