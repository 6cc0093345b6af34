/**
 * The sweeper's decision over the state bucket, pure: state objects + what GitHub said about each
 * pull request + the TTL + now -> for each environment, destroy or keep, with the reasons.
 *
 * The TTL counts from the LAST DEPLOY, the state object's LastModified (every apply writes the
 * state), not from the pull request's creation: a PR opened a month ago and pushed to an hour ago
 * has an environment one hour old. Destroyed on evidence only: expired, the PR closed, or a
 * destroy handed over by a run that could not finish it. A PR whose state GitHub did not tell
 * (an error, no token) is never destroyed for being closed.
 */
import type { PullRequestState } from "./sweep.js";
import type { StateObject } from "./state-objects.js";

/** Why a state's environment is destroyed. */
export type StateSweepReason = "expired" | "pr-closed" | "handed-over";

/** The decision on one state object. */
export interface StateSweepDecision {
  readonly state: StateObject;
  readonly destroy: boolean;
  /** Empty when kept. */
  readonly reasons: readonly StateSweepReason[];
  /** One line for people: why destroyed, or why kept. */
  readonly why: string;
  /** LastModified + TTL. */
  readonly expiresAt: Date;
}

/**
 * Longest TTL, in hours (30 days), that the sweeper accepts, as the stacks do (stacks/config.ts
 * MAX_TTL_HOURS: an environment meant to live longer is not ephemeral; a test keeps them equal).
 * The Action refuses a longer `ttl` input with it when the inputs are read.
 */
export const MAX_SWEEP_TTL_HOURS = 720;

/** Throws a RangeError naming a TTL that is not a whole number of hours from 1 to 720. */
export function checkTtlHours(ttlHours: number): void {
  if (!Number.isInteger(ttlHours) || ttlHours < 1 || ttlHours > MAX_SWEEP_TTL_HOURS) {
    throw new RangeError(`the TTL must be a whole number of hours from 1 to ${MAX_SWEEP_TTL_HOURS}; got ${String(ttlHours)}`);
  }
}

/** Decide for each state object, in the order given. */
export function decideStateSweep(
  states: readonly StateObject[],
  pullRequests: ReadonlyMap<number, PullRequestState>,
  options: { readonly ttlHours: number; readonly now: Date },
): StateSweepDecision[] {
  checkTtlHours(options.ttlHours);
  return states.map((state) => {
    const reasons: StateSweepReason[] = [];
    const because: string[] = [];
    const keptBecause: string[] = [];
    const deployed = state.lastModified.toISOString();
    const expiresAt = new Date(state.lastModified.getTime() + options.ttlHours * 3_600_000);

    if (expiresAt.getTime() <= options.now.getTime()) {
      reasons.push("expired");
      because.push(`last deployed ${deployed}, expired at ${expiresAt.toISOString()} (TTL ${options.ttlHours} h)`);
    } else keptBecause.push(`last deployed ${deployed}, expires at ${expiresAt.toISOString()}`);

    const pr = pullRequests.get(state.prNumber) ?? "unknown";
    if (pr === "closed") {
      reasons.push("pr-closed");
      because.push(`pull request #${state.prNumber} is closed`);
    } else if (pr === "open") keptBecause.push(`pull request #${state.prNumber} is open`);
    else keptBecause.push(`the state of pull request #${state.prNumber} is unknown`);

    if (state.handover) {
      reasons.push("handed-over");
      because.push(`a destroy was handed over${state.handover.since ? ` at ${state.handover.since}` : ""}: ${state.handover.reason}`);
    }

    return reasons.length > 0
      ? { state, destroy: true, reasons, why: because.join("; "), expiresAt }
      : { state, destroy: false, reasons, why: keptBecause.join("; "), expiresAt };
  });
}
