/**
 * The Octokit every GitHub call of the action goes through: @actions/github's client with octokit's
 * own `@octokit/plugin-retry` (5xx and network errors, with backoff; never 4xx other than 429) and
 * `@octokit/plugin-throttling` (primary and secondary rate limits, and the spacing GitHub advises
 * between writes), wired as actions/github-script wires plugin-retry (`getOctokit(token, options,
 * ...plugins)`, without overriding @actions/github's `request` defaults, which carry the proxy
 * settings). On top, one thing of ours: a total budget for all calls of the client, waits
 * included, so that a GitHub outage cannot hold the job.
 */
import { getOctokit } from "@actions/github";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { GITHUB_BUDGET_MS } from "../constants.js";

/** How hard the client tries. */
export interface GitHubCallPolicy {
  /** Retries after the first attempt, for 5xx and network errors. @default 3 */
  readonly retries: number;
  /**
   * The unit of every wait: plugin-retry waits (n + 1)² units before retry n (1, 4, 9 s), the
   * throttling plugin waits GitHub's Retry-After seconds times the unit. @default 1000 (ms)
   */
  readonly backoffUnitMs: number;
  /** Retries of one call after a rate limit (primary or secondary). @default 2 */
  readonly rateLimitRetries: number;
  /** Total time all calls of this client may take, waits included. @default GITHUB_BUDGET_MS (45 s) */
  readonly budgetMs: number;
  /**
   * Whether writes keep the spacing GitHub advises against secondary rate limits (octokit's
   * throttling groups: 1 s between writes, 3 s between writes that notify). @default true
   */
  readonly spaceWrites: boolean;
}

/** The production policy. */
export const DEFAULT_GITHUB_CALL_POLICY: GitHubCallPolicy = { retries: 3, backoffUnitMs: 1000, rateLimitRetries: 2, budgetMs: GITHUB_BUDGET_MS, spaceWrites: true };

/**
 * The policy with every wait divided by `speedup` and no write spacing: the TEST-ONLY seam
 * (SEEDSTACK_ACTION_TEST_GITHUB_SPEEDUP). The budget is kept: it is a bound, not a wait.
 */
export function spedUpPolicy(speedup: number, base: GitHubCallPolicy = DEFAULT_GITHUB_CALL_POLICY): GitHubCallPolicy {
  if (!(speedup >= 1)) throw new Error(`the GitHub speedup must be a number >= 1, got ${speedup}`);
  return { ...base, backoffUnitMs: base.backoffUnitMs / speedup, spaceWrites: false };
}

/** Thrown when a call is refused because the client's budget is spent. */
export class GitHubBudgetError extends Error {
  constructor(budgetMs: number, what: string) {
    const budget = budgetMs >= 1000 ? `${Math.round(budgetMs / 1000)} s` : `${budgetMs} ms`;
    super(`GitHub did not answer ${what} within the ${budget} the action allows for all its GitHub calls (retries included); giving up`);
    this.name = "GitHubBudgetError";
  }
}

/**
 * A throttling group that does not space calls (the plugin's groups are Bottleneck groups; the
 * plugin only calls `key(id).schedule(options, fn, ...args)` on them).
 */
const UNSPACED_GROUP = { key: () => ({ schedule: (_options: unknown, fn: (...a: unknown[]) => unknown, ...args: unknown[]) => Promise.resolve(fn(...args)) }) };

/**
 * An Octokit for `token` that retries and throttles as `policy` says. `warn` receives what a
 * maintainer should see in the log: each rate limit met and whether it is waited out. `apiUrl`
 * is the REST API's root. @default @actions/github's: GITHUB_API_URL as the process started
 */
export function retryingOctokit(token: string, policy: GitHubCallPolicy, warn: (message: string) => void, apiUrl?: string) {
  let spentMs = 0;
  const remainingMs = (): number => policy.budgetMs - spentMs;

  const onLimit = (kind: string) => (retryAfterSeconds: number, options: { method: string; url: string }, _octokit: unknown, retryCount: number): boolean => {
    const waitMs = retryAfterSeconds * policy.backoffUnitMs;
    const retrying = retryCount < policy.rateLimitRetries && waitMs < remainingMs();
    warn(`GitHub ${kind} rate limit on ${options.method} ${options.url}: ${retrying ? `retrying after ${retryAfterSeconds} s` : "not waiting any longer"}`);
    return retrying;
  };

  const octokit = getOctokit(
    token,
    {
      ...(apiUrl !== undefined ? { baseUrl: apiUrl } : {}),
      retry: { retries: policy.retries, retryAfterBaseValue: policy.backoffUnitMs },
      throttle: {
        onRateLimit: onLimit("primary"),
        onSecondaryRateLimit: onLimit("secondary"),
        retryAfterBaseValue: policy.backoffUnitMs,
        ...(policy.spaceWrites ? {} : ({ write: UNSPACED_GROUP, notifications: UNSPACED_GROUP, search: UNSPACED_GROUP } as object)),
      },
    },
    retry,
    throttling,
  );

  // Registered after the plugins, so it wraps them: one call here spans all its retries and waits.
  octokit.hook.wrap("request", async (request, options) => {
    const what = `${options.method} ${options.url}`;
    const left = remainingMs();
    if (left <= 0) throw new GitHubBudgetError(policy.budgetMs, what);
    const started = Date.now();
    const budget = AbortSignal.timeout(left);
    const signals = [budget, ...(options.request?.signal ? [options.request.signal as AbortSignal] : [])];
    const call = Promise.resolve(request({ ...options, request: { ...options.request, signal: AbortSignal.any(signals) } }));
    call.catch(() => undefined); // answered below, or abandoned once the budget is spent
    let onSpent = (): void => undefined;
    const spent = new Promise<never>((_, reject) => {
      onSpent = () => reject(new GitHubBudgetError(policy.budgetMs, what));
      budget.addEventListener("abort", onSpent, { once: true });
    });
    spent.catch(() => undefined); // the timer may fire after the call has answered
    try {
      return await Promise.race([call, spent]);
    } finally {
      budget.removeEventListener("abort", onSpent);
      spentMs += Date.now() - started;
    }
  });
  return octokit;
}
