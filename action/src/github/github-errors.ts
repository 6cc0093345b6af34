/**
 * What a failed GitHub call means to the user, in one sentence: GitHub's own message, the HTTP
 * status and the call, and for a 403 the permission the workflow must grant. GitHub answers a
 * missing permission with "Resource not accessible by integration" and nothing else; the one thing
 * the user must do (add a line under `permissions:`) is ours to say.
 */
import { GitHubBudgetError } from "./retrying-octokit.js";

/** The kinds of GitHub call the action makes, each needing its own permission. */
export type GitHubArea = "comments" | "deployments";

/** The workflow permission each area needs (the GITHUB_TOKEN's `permissions:` key). */
export const PERMISSION_OF: Readonly<Record<GitHubArea, string>> = {
  comments: "pull-requests: write",
  deployments: "deployments: write",
};

interface RequestErrorLike {
  readonly status?: unknown;
  readonly message?: unknown;
  readonly request?: { readonly method?: string; readonly url?: string };
  readonly response?: { readonly data?: { readonly message?: unknown } };
}

/** Path of `url` without the host, so the message names the call and never the API host's query. */
function callOf(error: RequestErrorLike): string {
  const { method, url } = error.request ?? {};
  if (!method || !url) return "";
  let path = url;
  try {
    path = new URL(url).pathname;
  } catch {
    // already a path
  }
  return ` from ${method} ${path}`;
}

/** An Error whose message says what went wrong with a call in `area` and what to do about it. */
export function gitHubError(error: unknown, area: GitHubArea): Error {
  if (error instanceof GitHubBudgetError) return error;
  const e = (typeof error === "object" && error !== null ? error : {}) as RequestErrorLike;
  // GitHub's own message, without the documentation link octokit appends to it.
  const data = e.response?.data;
  const message = typeof data?.message === "string" && data.message !== "" ? data.message : typeof e.message === "string" && e.message !== "" ? e.message : String(error);
  const status = typeof e.status === "number" ? e.status : undefined;
  if (status === undefined) return new Error(message, { cause: error });
  const head = `${message} (HTTP ${status}${callOf(e)})`;
  if (status === 403 && !/rate limit/i.test(message)) {
    return new Error(`${head}: the token lacks a permission; grant \`${PERMISSION_OF[area]}\` under \`permissions:\` in the workflow (or to the token)`, { cause: error });
  }
  if (status === 401) return new Error(`${head}: the github-token is not valid (expired or revoked)`, { cause: error });
  if (status >= 500) return new Error(`${head}, still failing after the retries`, { cause: error });
  return new Error(head, { cause: error });
}
