/**
 * `seedstack sweep`: destroy environments whose TTL has passed (the stacks' ExpiresAt tag, also
 * kept in the environment record) or whose pull request is closed. The choice is a pure function
 * of the candidates, the time and the pull requests' states, so it is tested exhaustively; the
 * sweep itself asks GitHub (through a function it is given), then destroys each chosen environment
 * through its own state. Dry run by default: it reports what it would destroy and why.
 */
import type { DestroyResult } from "./deploy.js";
import type { EnvironmentRecord } from "./environment-record.js";

/** An environment the sweeper may destroy. */
export interface SweepCandidate {
  /** The environment (stack) name. */
  readonly name: string;
  /** Its ExpiresAt (ISO 8601). Absent for long-lived stacks, which are never swept for age. */
  readonly expiresAt?: string;
  /** Its pull request. Absent for long-lived stacks. */
  readonly prNumber?: number;
  /** Where it was found, for the report (a record file, a stack directory). */
  readonly source: string;
}

/** What GitHub says about a pull request; `unknown` when it could not be asked (no token, an error). */
export type PullRequestState = "open" | "closed" | "unknown";

/** Why an environment is destroyed. */
export type SweepReason = "expired" | "pr-closed";

/** The sweeper's decision on one candidate. */
export interface SweepDecision {
  readonly candidate: SweepCandidate;
  readonly destroy: boolean;
  /** Empty when kept. */
  readonly reasons: readonly SweepReason[];
  /** One line for people: why destroyed, or why kept. */
  readonly why: string;
}

/**
 * Decide for each candidate, in the order given. Expired means ExpiresAt is at or before `now`.
 * An unreadable ExpiresAt or an unknown pull request state never leads to a destroy: the sweeper
 * destroys only on evidence.
 */
export function chooseForSweep(
  candidates: readonly SweepCandidate[],
  now: Date,
  pullRequests: ReadonlyMap<number, PullRequestState>,
): SweepDecision[] {
  return candidates.map((candidate) => {
    const reasons: SweepReason[] = [];
    const because: string[] = [];
    const keptBecause: string[] = [];

    if (candidate.expiresAt !== undefined) {
      const expires = Date.parse(candidate.expiresAt);
      if (Number.isNaN(expires)) keptBecause.push(`ExpiresAt "${candidate.expiresAt}" is not a date`);
      else if (expires <= now.getTime()) {
        reasons.push("expired");
        because.push(`expired at ${new Date(expires).toISOString()}`);
      } else keptBecause.push(`expires at ${new Date(expires).toISOString()}`);
    }

    if (candidate.prNumber !== undefined) {
      const state = pullRequests.get(candidate.prNumber) ?? "unknown";
      if (state === "closed") {
        reasons.push("pr-closed");
        because.push(`pull request #${candidate.prNumber} is closed`);
      } else if (state === "open") keptBecause.push(`pull request #${candidate.prNumber} is open`);
      else keptBecause.push(`the state of pull request #${candidate.prNumber} is unknown`);
    }

    if (candidate.expiresAt === undefined && candidate.prNumber === undefined) {
      keptBecause.push("no ExpiresAt and no pull request: a long-lived environment, never swept");
    }
    return reasons.length > 0
      ? { candidate, destroy: true, reasons, why: because.join("; ") }
      : { candidate, destroy: false, reasons, why: keptBecause.join("; ") };
  });
}

/** Candidates from environment records. */
export function candidatesFromRecords(records: readonly EnvironmentRecord[], recordDir: string): SweepCandidate[] {
  return records.map((r) => ({
    name: r.name,
    ...(r.expiresAt !== undefined ? { expiresAt: r.expiresAt } : {}),
    ...(r.prNumber !== undefined ? { prNumber: r.prNumber } : {}),
    source: `record in ${recordDir}`,
  }));
}

/** A candidate from a stack's default tags as the stack reader gives them (`Stack.defaultTags`): ExpiresAt and PR; a stack without them is long-lived. */
export function candidateFromTags(name: string, tags: Readonly<Record<string, unknown>>, source: string): SweepCandidate {
  const expiresAt = typeof tags?.ExpiresAt === "string" ? tags.ExpiresAt : undefined;
  const pr = typeof tags?.PR === "string" && /^[1-9]\d*$/.test(tags.PR) ? Number(tags.PR) : undefined;
  return { name, ...(expiresAt !== undefined ? { expiresAt } : {}), ...(pr !== undefined ? { prNumber: pr } : {}), source };
}

/** What the sweep needs. */
export interface SweepOptions {
  readonly candidates: readonly SweepCandidate[];
  /** @default the current time */
  readonly now?: Date;
  /** Answers "is pull request n closed?" (the GitHub API). @default not asked: every PR's state is unknown */
  readonly isPullRequestClosed?: (prNumber: number) => Promise<boolean>;
  /** Only report. @default true */
  readonly dryRun?: boolean;
  /** Destroys one environment through its own state (destroyEnvironment with its options). */
  readonly destroy: (candidate: SweepCandidate) => Promise<DestroyResult>;
}

/** What the sweep decided and did. */
export interface SweepReport {
  readonly dryRun: boolean;
  readonly decisions: readonly SweepDecision[];
  /** Destroy results, in decision order; empty in a dry run. */
  readonly destroyed: readonly { readonly name: string; readonly result: DestroyResult }[];
  /** Pull requests whose state could not be read, with the error. */
  readonly problems: readonly string[];
}

/** Ask about each pull request once, decide, and (unless dry) destroy the chosen, one by one. */
export async function sweep(options: SweepOptions): Promise<SweepReport> {
  const dryRun = options.dryRun ?? true;
  const pullRequests = new Map<number, PullRequestState>();
  const problems: string[] = [];
  const prNumbers = [...new Set(options.candidates.flatMap((c) => (c.prNumber !== undefined ? [c.prNumber] : [])))];
  for (const pr of prNumbers) {
    if (!options.isPullRequestClosed) break;
    try {
      pullRequests.set(pr, (await options.isPullRequestClosed(pr)) ? "closed" : "open");
    } catch (error) {
      pullRequests.set(pr, "unknown");
      problems.push(`pull request #${pr}: ${(error as Error).message}`);
    }
  }
  const decisions = chooseForSweep(options.candidates, options.now ?? new Date(), pullRequests);
  const destroyed: { name: string; result: DestroyResult }[] = [];
  if (!dryRun) {
    // One at a time, and on past a failure: every chosen environment gets its destroy.
    for (const decision of decisions.filter((d) => d.destroy)) {
      destroyed.push({ name: decision.candidate.name, result: await options.destroy(decision.candidate) });
    }
  }
  return { dryRun, decisions, destroyed, problems };
}
