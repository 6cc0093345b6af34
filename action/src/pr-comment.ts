/**
 * One comment per environment (stack + pull request), updated in place on every run.
 *
 * The comment is found by a hidden marker on its first line that carries its keys as JSON
 * (`<!-- seedstack:env {"stack":"pr-12","pr":12} -->`), and only among comments the token's own
 * account wrote: anyone can paste the marker into a comment, but nobody else can make us edit theirs
 * (the approach of dflook/terraform-github-actions, github_pr_comment/comment.py).
 */
import { COMMENT_LIMIT_CHARS } from "./constants.js";
import type { GitHubPort, IssueComment } from "./github-port.js";
import { fitLimit, truncationNotice } from "./report/fit-limit.js";

/** The keys that identify an environment's comment. */
export interface CommentKey {
  readonly stack: string;
  readonly pr: number;
}

const MARKER = /^<!-- seedstack:env (\{.*?\}) -->/;

/** The marker line for `key`. Keys are serialized in a fixed order so markers compare as text too. */
export function marker(key: CommentKey): string {
  return `<!-- seedstack:env ${JSON.stringify({ stack: key.stack, pr: key.pr })} -->`;
}

/** The keys in `body`'s marker, or undefined when it has none (or a malformed one). */
export function parseMarker(body: string): CommentKey | undefined {
  const m = MARKER.exec(body);
  if (!m) return undefined;
  try {
    const data = JSON.parse(m[1]!) as Record<string, unknown>;
    if (typeof data.stack === "string" && typeof data.pr === "number") return { stack: data.stack, pr: data.pr };
  } catch {
    // not ours after all
  }
  return undefined;
}

/** The environment's existing comment: written by the token's account, with a marker for `key`. */
export async function findComment(github: GitHubPort, key: CommentKey): Promise<IssueComment | undefined> {
  const login = await github.tokenLogin();
  for await (const c of github.listComments(key.pr)) {
    if (c.author !== login) continue;
    const found = parseMarker(c.body);
    if (found && found.stack === key.stack && found.pr === key.pr) return c;
  }
  return undefined;
}

/**
 * Writes the environment's comment: `render` gets the existing body (without its marker) or
 * undefined, and returns the new Markdown. The result is cut to GitHub's limit with a link to
 * `runUrl`. Returns the comment and whether it was created or updated.
 */
export async function upsertComment(
  github: GitHubPort,
  key: CommentKey,
  render: (existing: string | undefined) => string,
  runUrl: string,
): Promise<{ comment: IssueComment; created: boolean; truncated: boolean }> {
  const existing = await findComment(github, key);
  const head = `${marker(key)}\n`;
  const previous = existing?.body.slice(existing.body.indexOf("\n") + 1);
  const notice = truncationNotice("GitHub's 65,536-character limit for a comment", `The whole report is in the [job summary of this run](${runUrl}).`);
  const fitted = fitLimit(render(previous), COMMENT_LIMIT_CHARS - head.length, "chars", notice);
  const body = head + fitted.text;
  if (existing) return { comment: await github.updateComment(existing.id, body), created: false, truncated: fitted.truncated };
  return { comment: await github.createComment(key.pr, body), created: true, truncated: fitted.truncated };
}
