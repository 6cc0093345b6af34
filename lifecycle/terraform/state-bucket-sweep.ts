/**
 * The sweep over the state bucket: list every pull-request state (state-objects.ts), ask GitHub
 * about each pull request once, decide (state-sweep-decision.ts), and destroy each chosen
 * environment through its own state, carrying on past a failure. Dry run by default.
 *
 * After a destroy that left nothing, the emptied state object is deleted, so the environment is
 * not found again. A destroy that failed after it had begun is handed over (a note beside the
 * state), so the next sweep tries again whatever the TTL says; a state locked by someone else is
 * only reported (the holder may be a live deploy).
 */
import { hostname } from "node:os";
import { destroyEnvironment, type DestroyResult, type TerraformEnvironmentOptions } from "./deploy.js";
import { stepFailure } from "./failure.js";
import { holderVerdict, lockFromLockFile, parseHolderNote, processStartTicks, type HolderProbes } from "./lock-holder.js";
import { handOverToSweeper, listStateObjects, readLockFile, removeEmptiedState, removeLockFile, type StateBucket, type StateObject } from "./state-objects.js";
import { describeStateLock } from "./state-lock.js";
import { decideStateSweep, type StateSweepDecision } from "./state-sweep-decision.js";
import type { PullRequestState } from "./sweep.js";

/** What the sweep needs. */
export interface StateBucketSweepOptions {
  readonly where: StateBucket;
  /** Hours an environment lives after its last deploy (SEEDSTACK_TTL_HOURS). */
  readonly ttlHours: number;
  /** @default the current time */
  readonly now?: Date;
  /** Answers "is pull request n closed?" (github-pulls.ts). @default not asked: every PR's state is unknown */
  readonly isPullRequestClosed?: (prNumber: number) => Promise<boolean>;
  /** Only report. @default true */
  readonly dryRun?: boolean;
  /**
   * The engine options to destroy `state`'s environment with: its stack synthesized (`pr-<n>`, as
   * the stacks app does, with the same state bucket), in a directory of its own.
   */
  readonly environmentFor: (state: StateObject) => Promise<TerraformEnvironmentOptions>;
  /**
   * How to tell a lock's holder is dead (lock-holder.ts): only a lock whose holder is known dead is
   * cleared before the destroy; a live or unknown holder's lock keeps the environment for the next sweep.
   * @default this machine's host name and /proc; GitHub is not asked
   */
  readonly lockProbes?: HolderProbes;
  /** Stops the destroys (one interrupt to terraform each). @default never aborted */
  readonly signal?: AbortSignal;
}

/** One destroy the sweep ran. */
export interface StateBucketDestroy {
  readonly name: string;
  readonly result: DestroyResult;
  /** The emptied state object was deleted. */
  readonly stateRemoved: boolean;
  /** The key of the hand-over note written after a failure. */
  readonly handedOver?: string;
  /** A lock whose holder was known dead, cleared before the destroy, and why. */
  readonly clearedLock?: string;
  /** Not destroyed because its lock's holder was seen running (lock-holder.ts `running`). */
  readonly lockHolderRunning?: boolean;
}

/** What the sweep decided and did. */
export interface StateBucketSweepReport {
  readonly dryRun: boolean;
  readonly decisions: readonly StateSweepDecision[];
  readonly destroyed: readonly StateBucketDestroy[];
  /** Questions GitHub did not answer, and clean-up steps that failed. */
  readonly problems: readonly string[];
  /** Keys under the PR prefix that are not states (lock files, strays). */
  readonly ignored: readonly string[];
}

async function askGitHub(prNumbers: readonly number[], isClosed: StateBucketSweepOptions["isPullRequestClosed"], problems: string[]): Promise<Map<number, PullRequestState>> {
  const states = new Map<number, PullRequestState>();
  if (!isClosed) return states;
  for (const pr of prNumbers) {
    try {
      states.set(pr, (await isClosed(pr)) ? "closed" : "open");
    } catch (error) {
      states.set(pr, "unknown");
      problems.push(`pull request #${pr}: ${(error as Error).message}`);
    }
  }
  return states;
}

/** List, ask, decide and (unless dry) destroy. */
export async function sweepStateBucket(options: StateBucketSweepOptions): Promise<StateBucketSweepReport> {
  const dryRun = options.dryRun ?? true;
  const problems: string[] = [];
  const { states, ignored } = await listStateObjects(options.where);
  const pullRequests = await askGitHub([...new Set(states.map((s) => s.prNumber))], options.isPullRequestClosed, problems);
  const decisions = decideStateSweep(states, pullRequests, { ttlHours: options.ttlHours, now: options.now ?? new Date() });
  const destroyed: StateBucketDestroy[] = [];
  if (dryRun) return { dryRun, decisions, destroyed, problems, ignored };

  const probes = options.lockProbes ?? { host: hostname(), startTicks: processStartTicks };
  for (const { state } of decisions.filter((d) => d.destroy)) {
    let result: DestroyResult;
    let clearedLock: string | undefined;
    try {
      // A lock left by a run known dead is cleared; any other lock keeps the environment (no 5-minute wait).
      const { lockText, noteText } = await readLockFile(options.where, state.prNumber);
      const lock = lockText === undefined ? undefined : lockFromLockFile(lockText);
      if (lock) {
        const verdict = await holderVerdict(lock, noteText === undefined ? undefined : parseHolderNote(noteText), probes);
        if (!verdict.dead) {
          destroyed.push({ name: state.stackName, result: { ok: false, failure: { ...stepFailure("destroy", `not destroyed now: ${describeStateLock(lock)}, and its holder is not known dead (${verdict.why})`, "state-locked"), lock } }, stateRemoved: false, lockHolderRunning: verdict.running });
          continue;
        }
        if (await removeLockFile(options.where, state.prNumber, lock.id)) clearedLock = `${describeStateLock(lock)}: ${verdict.why}`;
      }
      result = await destroyEnvironment(await options.environmentFor(state), options.signal);
    } catch (error) {
      result = { ok: false, failure: stepFailure("init", `could not prepare ${state.stackName} for its destroy: ${(error as Error).message}`, "destroy-failed") };
    }
    let stateRemoved = false;
    let handedOver: string | undefined;
    try {
      if (result.ok) stateRemoved = await removeEmptiedState(options.where, state.prNumber);
      else if (result.failure.reason !== "state-locked") handedOver = await handOverToSweeper(options.where, state.prNumber, `${result.failure.reason}: ${result.failure.message}`, options.now);
    } catch (error) {
      problems.push(`${state.stackName}: ${result.ok ? "could not delete its emptied state" : "could not write its hand-over note"}: ${(error as Error).message}`);
    }
    destroyed.push({ name: state.stackName, result, stateRemoved, ...(handedOver ? { handedOver } : {}), ...(clearedLock ? { clearedLock } : {}) });
  }
  return { dryRun, decisions, destroyed, problems, ignored };
}

/**
 * The destroy that makes the sweep fail: the first one that failed, except a state whose lock's
 * holder was seen running (usually a close run destroying it right now): that one is kept and
 * reported, the next sweep looks again, and the scheduled sweeper does not turn red. A lock whose
 * holder nothing can tell about (no note, GitHub silent, a holder outside Actions) does not clear
 * itself, so it stays a failure: someone must look. The Action's sweep result
 * (action/src/state-bucket-sweep-result.ts) follows the same rule.
 */
export function sweepFailureOf(report: StateBucketSweepReport): StateBucketDestroy | undefined {
  return report.destroyed.find((d) => !d.result.ok && !d.lockHolderRunning);
}

/** The report as lines for people (the CLI, the job log). */
export function stateBucketSweepLines(report: StateBucketSweepReport): string[] {
  const lines: string[] = [];
  for (const p of report.problems) lines.push(`problem: ${p}`);
  for (const d of report.decisions) {
    lines.push(`${d.destroy ? (report.dryRun ? "would destroy" : "destroy") : "keep"} ${d.state.stackName} (${d.state.key}): ${d.why}`);
  }
  for (const d of report.destroyed) {
    if (d.clearedLock) lines.push(`cleared the lock of ${d.name}: ${d.clearedLock}`);
    if (d.result.ok) lines.push(`destroyed ${d.name}${d.result.alreadyGone ? " (its state was already empty)" : ""}${d.stateRemoved ? "; its state object is deleted" : ""}`);
    else lines.push(`could not destroy ${d.name}: ${d.result.failure.reason}: ${d.result.failure.message}${d.handedOver ? `; kept, and handed over to the next sweep (${d.handedOver})` : "; kept"}`);
  }
  if (report.dryRun && report.decisions.some((d) => d.destroy)) lines.push("dry run: nothing was destroyed; run with --apply to destroy");
  return lines;
}
