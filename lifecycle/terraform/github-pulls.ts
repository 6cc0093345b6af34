/**
 * "Is pull request n closed?" through GitHub's REST API: GET /repos/{owner}/{repo}/pulls/{n},
 * whose `state` is "open" or "closed" (a merged pull request is closed). The base URL comes from
 * GITHUB_API_URL (set on GitHub Actions runners, and on GitHub Enterprise Server), else
 * https://api.github.com.
 */

/** Where and how to ask. */
export interface GitHubPullsOptions {
  readonly token: string;
  /** `owner/name`. */
  readonly repo: string;
  /** @default process.env.GITHUB_API_URL, else https://api.github.com */
  readonly apiUrl?: string;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

/** The sweep's `isPullRequestClosed` over GitHub's REST API; throws naming the status and GitHub's message. */
export function pullRequestClosedChecker(options: GitHubPullsOptions): (prNumber: number) => Promise<boolean> {
  const base = (options.apiUrl ?? process.env.GITHUB_API_URL ?? "https://api.github.com").replace(/\/+$/, "");
  const doFetch = options.fetch ?? fetch;
  return async (prNumber) => {
    const response = await doFetch(`${base}/repos/${options.repo}/pulls/${prNumber}`, {
      headers: {
        accept: "application/vnd.github+json",
        authorization: `Bearer ${options.token}`,
        "x-github-api-version": "2022-11-28",
        "user-agent": "seedstack-sweep",
      },
      signal: AbortSignal.timeout(30_000),
    });
    const body = (await response.json().catch(() => undefined)) as { state?: unknown; message?: unknown } | undefined;
    if (!response.ok) {
      throw new Error(`GET /repos/${options.repo}/pulls/${prNumber}: HTTP ${response.status}${typeof body?.message === "string" ? `: ${body.message}` : ""}`);
    }
    if (body?.state !== "open" && body?.state !== "closed") {
      throw new Error(`GET /repos/${options.repo}/pulls/${prNumber}: the answer has no state "open" or "closed"`);
    }
    return body.state === "closed";
  };
}
