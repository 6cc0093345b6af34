/**
 * Issue comments in the GitHub STAND-IN (docs.github.com/rest/issues/comments): list (paginated,
 * its Link header naming the repository by ID, as GitHub's does), create, and update, which GitHub
 * refuses for another account's comment. Bodies over GitHub's 65,536 characters are refused.
 */
import { paged } from "./pagination.js";
import { gitHubError, reply, validationFailed, type Reply } from "./reply.js";
import { OWNER_REPO, type StandInRequest } from "./route.js";
import { gitHubNow, REPOSITORY_ID, type StandInState, type StoredComment } from "./stored.js";
import { userJson } from "./user-shape.js";

const LIST_OR_CREATE = new RegExp(`^/repos/(${OWNER_REPO})/issues/(\\d+)/comments$`);
/** GitHub's pagination links name the repository by its numeric ID. */
const LIST_BY_ID = /^\/repositories\/(\d+)\/issues\/(\d+)\/comments$/;
const UPDATE = new RegExp(`^/repos/(${OWNER_REPO})/issues/comments/(\\d+)$`);
/** GitHub's limit on a comment body. */
const MAX_BODY = 65_536;

function commentJson(base: string, repo: string, c: StoredComment): Record<string, unknown> {
  return {
    url: `${base}/repos/${repo}/issues/comments/${c.id}`,
    html_url: `https://github.com/${repo}/pull/${c.issue}#issuecomment-${c.id}`,
    issue_url: `${base}/repos/${repo}/issues/${c.issue}`,
    id: c.id,
    node_id: `IC_kwDO${c.id}`,
    user: userJson(c.login, c.login === "github-actions[bot]" ? undefined : 1000 + c.login.length),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    author_association: c.login.endsWith("[bot]") ? "NONE" : "MEMBER",
    body: c.body,
    reactions: { url: `${base}/repos/${repo}/issues/comments/${c.id}/reactions`, total_count: 0, "+1": 0, "-1": 0, laugh: 0, hooray: 0, confused: 0, heart: 0, rocket: 0, eyes: 0 },
    performed_via_github_app: null,
  };
}

const tooLong = (doc: string): Reply => validationFailed(doc, "IssueComment", "body", `body is too long (maximum is ${MAX_BODY} characters)`);

/** Answers the issue-comment endpoints; undefined for any other request. */
export function commentsRoute(request: StandInRequest, state: StandInState): Reply | undefined {
  const { method, url, body } = request;
  const byId = LIST_BY_ID.exec(url.pathname);
  const byName = LIST_OR_CREATE.exec(url.pathname);
  const list = byId && Number(byId[1]) === REPOSITORY_ID ? { repo: state.repository, issue: Number(byId[2]) } : byName ? { repo: byName[1]!, issue: Number(byName[2]) } : undefined;
  if (list && method === "GET") {
    const all = state.comments.filter((c) => c.issue === list.issue).map((c) => commentJson(state.base, list.repo, c));
    const [page, headers] = paged(url, all, `/repositories/${REPOSITORY_ID}/issues/${list.issue}/comments`);
    return reply(200, page, headers);
  }
  if (list && method === "POST") {
    const text = (body as { body?: unknown } | undefined)?.body;
    if (typeof text !== "string") return gitHubError(422, "Invalid request.\n\n\"body\" wasn't supplied.", "issues/comments#create-an-issue-comment");
    if (text.length > MAX_BODY) return tooLong("issues/comments#create-an-issue-comment");
    const now = gitHubNow();
    const c: StoredComment = { id: state.ids.comment++, issue: list.issue, body: text, login: state.account.login, createdAt: now, updatedAt: now };
    state.comments.push(c);
    return reply(201, commentJson(state.base, list.repo, c), { location: `${state.base}/repos/${list.repo}/issues/comments/${c.id}` });
  }
  const update = UPDATE.exec(url.pathname);
  if (update && method === "PATCH") {
    const repo = update[1]!;
    const c = state.comments.find((x) => x.id === Number(update[2]));
    if (!c) return gitHubError(404, "Not Found", "issues/comments#update-an-issue-comment");
    if (c.login !== state.account.login) return gitHubError(403, "Resource not accessible by integration", "issues/comments#update-an-issue-comment");
    const text = (body as { body?: unknown } | undefined)?.body;
    if (typeof text !== "string" || text.length > MAX_BODY) return tooLong("issues/comments#update-an-issue-comment");
    c.body = text;
    c.updatedAt = gitHubNow();
    return reply(200, commentJson(state.base, repo, c));
  }
  return undefined;
}
