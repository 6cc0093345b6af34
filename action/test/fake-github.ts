/**
 * STAND-IN for GitHub's REST API (and the one GraphQL query the action makes), on a loopback port:
 * the issue-comment endpoints, the deployment and deployment-status endpoints, GET /user and
 * `query { viewer { login } }`, and for the sweeper "get a pull request" and "get a workflow run",
 * answering with the shapes, status codes, pagination Link headers and error bodies GitHub's API
 * documents (docs.github.com/rest/issues/comments, docs.github.com/rest/deployments/deployments,
 * docs.github.com/rest/deployments/statuses, docs.github.com/rest/pulls/pulls#get-a-pull-request,
 * docs.github.com/rest/actions/workflow-runs#get-a-workflow-run). It
 * records every request so tests can assert exactly what the action sent, and can be told to
 * fail: the next requests to an endpoint with a status (a 500, a secondary rate limit), or every
 * write of an area with GitHub's 403 for a token that lacks the permission. Point the action at it
 * with GITHUB_API_URL.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One request as the stand-in received it. */
export interface RecordedRequest {
  readonly method: string;
  /** Path without the query string, e.g. `/repos/octo/app/issues/12/comments`. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly authorization: string | undefined;
  /** Parsed JSON body, when there was one. */
  readonly body: unknown;
}

/** A comment as GitHub stores it (the subset of fields we keep; responses add the rest). */
export interface StoredComment {
  id: number;
  issue: number;
  body: string;
  login: string;
  createdAt: string;
  updatedAt: string;
}

/** How the stand-in treats the token, to cover both kinds of GitHub token. */
export interface TokenBehaviour {
  /** The account the token acts as. */
  readonly login: string;
  /** Installation tokens (the GITHUB_TOKEN) get 403 from GET /user; PATs get 200. */
  readonly kind: "installation" | "pat";
  /** When false, GraphQL answers with an error (as for some fine-grained PATs). */
  readonly graphql: boolean;
}

/** A deployment as GitHub stores it. */
export interface StoredDeployment {
  id: number;
  sha: string;
  ref: string;
  task: string;
  environment: string;
  description: string | null;
  transient: boolean;
  production: boolean;
  autoMerge: boolean;
  requiredContexts: unknown;
  login: string;
  createdAt: string;
  /** Oldest first. */
  statuses: StoredDeploymentStatus[];
}

/** A deployment status as GitHub stores it. */
export interface StoredDeploymentStatus {
  id: number;
  state: string;
  description: string;
  environmentUrl: string;
  logUrl: string;
  login: string;
  createdAt: string;
}

/** An injected failure: the next `times` requests matching `method` and `path` get this answer. */
export interface InjectedFailure {
  readonly method: string;
  readonly path: RegExp;
  times: number;
  readonly status: number;
  readonly message: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A pull request as the stand-in knows it (GET /repos/{owner}/{repo}/pulls/{n}). */
export interface StoredPull {
  state: "open" | "closed";
  merged: boolean;
}

/** A workflow run as the stand-in knows it (GET /repos/{owner}/{repo}/actions/runs/{run_id}). */
export interface StoredRun {
  /** GitHub's run statuses: `queued`, `in_progress`, `completed`, `waiting`, `requested`, `pending`. */
  status: "queued" | "in_progress" | "completed" | "waiting" | "requested" | "pending";
  /** Set once the run has completed (`success`, `failure`, `cancelled`, ...); null before. */
  conclusion: string | null;
}

/** The areas whose writes can be refused as for a token without the permission. */
export type ForbiddenArea = "comments" | "deployments";

export interface FakeGitHub {
  /** Base URL for GITHUB_API_URL, e.g. `http://127.0.0.1:43123`. */
  readonly url: string;
  readonly requests: RecordedRequest[];
  readonly comments: StoredComment[];
  readonly deployments: StoredDeployment[];
  /** The repository's pull requests by number; a number not here answers 404. Change between requests. */
  readonly pulls: Record<number, StoredPull>;
  /** The repository's workflow runs by ID; an ID not here answers 404. Change between requests. */
  readonly runs: Record<number, StoredRun>;
  /**
   * The next `times` requests `method path` answer `status` (a 500 by default) with GitHub's error
   * body; status 0 drops the connection instead (a network error).
   */
  failNext(method: string, path: RegExp, times: number, status?: number, message?: string, headers?: Record<string, string>): void;
  /** Every write in `area` answers 403 "Resource not accessible by integration", as for a GITHUB_TOKEN without the permission. */
  forbid(area: ForbiddenArea): void;
  /** Adds a comment as if `login` had written it; returns it. */
  seedComment(issue: number, login: string, body: string): StoredComment;
  close(): Promise<void>;
}

const OWNER_REPO = "[^/]+/[^/]+";
const LIST_OR_CREATE = new RegExp(`^/repos/(${OWNER_REPO})/issues/(\\d+)/comments$`);
/** GitHub's pagination links name the repository by its numeric ID. */
const LIST_BY_ID = /^\/repositories\/(\d+)\/issues\/(\d+)\/comments$/;
/** The numeric ID of the stand-in's one repository. */
const REPOSITORY_ID = 100200300;
const UPDATE = new RegExp(`^/repos/(${OWNER_REPO})/issues/comments/(\\d+)$`);
const DEPLOYMENTS = new RegExp(`^/repos/(${OWNER_REPO})/deployments$`);
const DEPLOYMENT_STATUSES = new RegExp(`^/repos/(${OWNER_REPO})/deployments/(\\d+)/statuses$`);
const PULL = new RegExp(`^/repos/(${OWNER_REPO})/pulls/(\\d+)$`);
const RUN = new RegExp(`^/repos/(${OWNER_REPO})/actions/runs/(\\d+)$`);
/** The states "Create a deployment status" accepts. */
const DEPLOYMENT_STATES = ["error", "failure", "inactive", "in_progress", "queued", "pending", "success"];
/** GitHub's limit on a comment body. */
const MAX_BODY = 65_536;

function userJson(login: string, id: number): Record<string, unknown> {
  const bot = login.endsWith("[bot]");
  return {
    login,
    id,
    node_id: `MDQ6VXNlcj${id}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: "",
    url: `https://api.github.com/users/${encodeURIComponent(login)}`,
    html_url: bot ? `https://github.com/apps/${login.replace("[bot]", "")}` : `https://github.com/${login}`,
    type: bot ? "Bot" : "User",
    site_admin: false,
  };
}

/** Starts the stand-in for repository `repository` (owner/name), accepting only `token`. */
export async function startFakeGitHub(token: string, behaviour: TokenBehaviour, repository = "octo-org/webshop"): Promise<FakeGitHub> {
  const requests: RecordedRequest[] = [];
  const comments: StoredComment[] = [];
  const deployments: StoredDeployment[] = [];
  const pulls: Record<number, StoredPull> = {};
  const runs: Record<number, StoredRun> = {};
  const failures: InjectedFailure[] = [];
  const forbidden = new Set<ForbiddenArea>();
  let nextId = 1_500_000_000;
  let nextDeploymentId = 1_800_000_000;
  let nextStatusId = 4_500_000_000;
  let base = "";

  const commentJson = (repo: string, c: StoredComment): Record<string, unknown> => ({
    url: `${base}/repos/${repo}/issues/comments/${c.id}`,
    html_url: `https://github.com/${repo}/pull/${c.issue}#issuecomment-${c.id}`,
    issue_url: `${base}/repos/${repo}/issues/${c.issue}`,
    id: c.id,
    node_id: `IC_kwDO${c.id}`,
    user: userJson(c.login, c.login === "github-actions[bot]" ? 41898282 : 1000 + c.login.length),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    author_association: c.login.endsWith("[bot]") ? "NONE" : "MEMBER",
    body: c.body,
    reactions: { url: `${base}/repos/${repo}/issues/comments/${c.id}/reactions`, total_count: 0, "+1": 0, "-1": 0, laugh: 0, hooray: 0, confused: 0, heart: 0, rocket: 0, eyes: 0 },
    performed_via_github_app: null,
  });

  const deploymentJson = (repo: string, d: StoredDeployment): Record<string, unknown> => ({
    url: `${base}/repos/${repo}/deployments/${d.id}`,
    id: d.id,
    node_id: `DE_kwDO${d.id}`,
    sha: d.sha,
    ref: d.ref,
    task: d.task,
    payload: {},
    original_environment: d.environment,
    environment: d.environment,
    description: d.description,
    creator: userJson(d.login, d.login === "github-actions[bot]" ? 41898282 : 583231),
    created_at: d.createdAt,
    updated_at: d.statuses.at(-1)?.createdAt ?? d.createdAt,
    statuses_url: `${base}/repos/${repo}/deployments/${d.id}/statuses`,
    repository_url: `${base}/repos/${repo}`,
    transient_environment: d.transient,
    production_environment: d.production,
    performed_via_github_app: null,
  });
  const statusJson = (repo: string, d: StoredDeployment, st: StoredDeploymentStatus): Record<string, unknown> => ({
    url: `${base}/repos/${repo}/deployments/${d.id}/statuses/${st.id}`,
    id: st.id,
    node_id: `DES_kwDO${st.id}`,
    state: st.state,
    creator: userJson(st.login, st.login === "github-actions[bot]" ? 41898282 : 583231),
    description: st.description,
    environment: d.environment,
    target_url: st.logUrl,
    created_at: st.createdAt,
    updated_at: st.createdAt,
    deployment_url: `${base}/repos/${repo}/deployments/${d.id}`,
    repository_url: `${base}/repos/${repo}`,
    environment_url: st.environmentUrl,
    log_url: st.logUrl,
    performed_via_github_app: null,
  });
  const pullJson = (n: number, p: StoredPull): Record<string, unknown> => {
    const at = "2026-11-28T09:15:00Z";
    const closedAt = p.state === "closed" ? "2026-12-01T16:40:00Z" : null;
    const ref = (label: string, refName: string, sha: string) => ({ label, ref: refName, sha, user: userJson(label.split(":")[0]!, 583231), repo: { id: REPOSITORY_ID, full_name: repository, fork: false } });
    return {
      url: `${base}/repos/${repository}/pulls/${n}`,
      id: 2_100_000_000 + n,
      node_id: `PR_kwDO${n}`,
      html_url: `https://github.com/${repository}/pull/${n}`,
      number: n,
      state: p.state,
      locked: false,
      title: `Pull request ${n}`,
      user: userJson("mona", 583231),
      body: null,
      created_at: at,
      updated_at: closedAt ?? at,
      closed_at: closedAt,
      merged_at: p.merged ? closedAt : null,
      merge_commit_sha: p.merged ? "5c8e1f2a3b4d5e6f708192a3b4c5d6e7f8091a2b" : null,
      draft: false,
      head: ref("mona:feature", `feature-${n}`, "4f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39"),
      base: ref(`${repository.split("/")[0]}:main`, "main", "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567"),
      author_association: "MEMBER",
      merged: p.merged,
      mergeable: p.state === "open" ? true : null,
      merged_by: p.merged ? userJson("mona", 583231) : null,
      comments: 0,
      commits: 1,
      additions: 10,
      deletions: 2,
      changed_files: 1,
    };
  };
  const runJson = (id: number, r: StoredRun): Record<string, unknown> => ({
    id,
    name: "pr-environment",
    node_id: `WFR_kwLO${id}`,
    head_branch: "seed-history",
    head_sha: "4f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39",
    path: ".github/workflows/pr-environment.yml",
    display_title: "Add the seed history page",
    run_number: 412,
    event: "pull_request",
    status: r.status,
    conclusion: r.status === "completed" ? r.conclusion : null,
    workflow_id: 161335,
    check_suite_id: 414944374,
    url: `${base}/repos/${repository}/actions/runs/${id}`,
    html_url: `https://github.com/${repository}/actions/runs/${id}`,
    pull_requests: [],
    created_at: "2026-12-01T16:20:00Z",
    updated_at: r.status === "completed" ? "2026-12-01T16:31:07Z" : "2026-12-01T16:20:05Z",
    actor: userJson("mona", 583231),
    run_attempt: 1,
    run_started_at: "2026-12-01T16:20:00Z",
    triggering_actor: userJson("mona", 583231),
    jobs_url: `${base}/repos/${repository}/actions/runs/${id}/jobs`,
    logs_url: `${base}/repos/${repository}/actions/runs/${id}/logs`,
    check_suite_url: `${base}/repos/${repository}/check-suites/414944374`,
    artifacts_url: `${base}/repos/${repository}/actions/runs/${id}/artifacts`,
    cancel_url: `${base}/repos/${repository}/actions/runs/${id}/cancel`,
    rerun_url: `${base}/repos/${repository}/actions/runs/${id}/rerun`,
    previous_attempt_url: null,
    workflow_url: `${base}/repos/${repository}/actions/workflows/161335`,
    repository: { id: REPOSITORY_ID, full_name: repository, fork: false },
    head_repository: { id: REPOSITORY_ID, full_name: repository, fork: false },
  });
  /** One page of `all` with GitHub's Link header (`path` is the list's own path). */
  const paged = (url: URL, all: unknown[]): [unknown[], Record<string, string>] => {
    const perPage = Math.min(100, Number(url.searchParams.get("per_page") ?? 30));
    const page = Math.max(1, Number(url.searchParams.get("page") ?? 1));
    const last = Math.max(1, Math.ceil(all.length / perPage));
    const link = (p: number, rel: string): string => {
      const u = new URL(url.pathname, base);
      for (const [k, v] of url.searchParams) if (k !== "page") u.searchParams.set(k, v);
      u.searchParams.set("page", String(p));
      return `<${u}>; rel="${rel}"`;
    };
    const links = [page > 1 ? link(page - 1, "prev") : "", page < last ? link(page + 1, "next") : "", page < last ? link(last, "last") : "", page > 1 ? link(1, "first") : ""].filter(Boolean);
    return [all.slice((page - 1) * perPage, page * perPage), links.length ? { link: links.join(", ") } : {}];
  };
  const now = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, "Z");

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    res.writeHead(status, {
      "content-type": "application/json; charset=utf-8",
      "x-github-media-type": "github.v3; format=json",
      "x-ratelimit-limit": "5000",
      "x-ratelimit-remaining": "4999",
      "x-ratelimit-resource": "core",
      ...headers,
    });
    res.end(JSON.stringify(body));
  };
  const error = (res: ServerResponse, status: number, message: string, doc: string, extra: Record<string, unknown> = {}): void =>
    send(res, status, { message, ...extra, documentation_url: `https://docs.github.com/rest/${doc}`, status: String(status) });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", base);
    let body: unknown;
    try {
      body = raw === "" ? undefined : JSON.parse(raw);
    } catch {
      return error(res, 400, "Problems parsing JSON", "overview/resources-in-the-rest-api");
    }
    requests.push({ method: req.method ?? "", path: url.pathname, query: Object.fromEntries(url.searchParams), authorization: req.headers.authorization, body });

    const auth = req.headers.authorization ?? "";
    if (auth !== `token ${token}` && auth !== `Bearer ${token}` && auth !== `bearer ${token}`) {
      return error(res, 401, "Bad credentials", "overview/authenticating-to-the-rest-api");
    }

    const failure = failures.find((f) => f.times > 0 && f.method === req.method && f.path.test(url.pathname));
    if (failure) {
      failure.times--;
      // Status 0: the connection drops without an answer, as a network failure does.
      if (failure.status === 0) return void req.socket.destroy();
      return send(res, failure.status, { message: failure.message, documentation_url: "https://docs.github.com/rest", status: String(failure.status) }, failure.headers ? { ...failure.headers } : {});
    }
    const write = req.method !== "GET" && req.method !== "HEAD";
    const area: ForbiddenArea | undefined = /\/issues\/(\d+\/)?comments/.test(url.pathname) ? "comments" : /\/deployments(\/|$)/.test(url.pathname) ? "deployments" : undefined;
    if (write && area !== undefined && forbidden.has(area)) {
      return error(res, 403, "Resource not accessible by integration", area === "comments" ? "issues/comments#create-an-issue-comment" : "deployments/deployments#create-a-deployment");
    }

    const deploymentsPath = DEPLOYMENTS.exec(url.pathname);
    if (deploymentsPath && req.method === "POST") {
      const repo = deploymentsPath[1]!;
      const b = (body ?? {}) as Record<string, unknown>;
      if (typeof b.ref !== "string" || b.ref === "") return error(res, 422, 'Invalid request.\n\n"ref" wasn\'t supplied.', "deployments/deployments#create-a-deployment");
      const environment = typeof b.environment === "string" ? b.environment : "production";
      const d: StoredDeployment = {
        id: nextDeploymentId++,
        // The stand-in takes any 40-hex ref as the commit itself; a branch name resolves to a fixed commit.
        sha: /^[0-9a-f]{40}$/.test(b.ref) ? b.ref : "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567",
        ref: b.ref,
        task: typeof b.task === "string" ? b.task : "deploy",
        environment,
        description: typeof b.description === "string" ? b.description : null,
        transient: b.transient_environment === true,
        production: typeof b.production_environment === "boolean" ? b.production_environment : environment === "production",
        autoMerge: b.auto_merge !== false,
        requiredContexts: b.required_contexts,
        login: behaviour.login,
        createdAt: now(),
        statuses: [],
      };
      deployments.push(d);
      return send(res, 201, deploymentJson(repo, d), { location: `${base}/repos/${repo}/deployments/${d.id}` });
    }
    if (deploymentsPath && req.method === "GET") {
      const repo = deploymentsPath[1]!;
      const env = url.searchParams.get("environment");
      const all = deployments.filter((d) => env === null || d.environment === env).reverse().map((d) => deploymentJson(repo, d));
      const [page, headers] = paged(url, all);
      return send(res, 200, page, headers);
    }
    const statusesPath = DEPLOYMENT_STATUSES.exec(url.pathname);
    if (statusesPath) {
      const repo = statusesPath[1]!;
      const d = deployments.find((x) => x.id === Number(statusesPath[2]));
      if (!d) return error(res, 404, "Not Found", "deployments/statuses#create-a-deployment-status");
      if (req.method === "GET") {
        const [page, headers] = paged(url, [...d.statuses].reverse().map((st) => statusJson(repo, d, st)));
        return send(res, 200, page, headers);
      }
      if (req.method === "POST") {
        const b = (body ?? {}) as Record<string, unknown>;
        if (typeof b.state !== "string" || !DEPLOYMENT_STATES.includes(b.state)) {
          return error(res, 422, "Validation Failed", "deployments/statuses#create-a-deployment-status", {
            errors: [{ resource: "DeploymentStatus", code: "custom", field: "state", message: `state is not included in the list` }],
          });
        }
        if (typeof b.description === "string" && b.description.length > 140) {
          return error(res, 422, "Validation Failed", "deployments/statuses#create-a-deployment-status", {
            errors: [{ resource: "DeploymentStatus", code: "custom", field: "description", message: "description is too long (maximum is 140 characters)" }],
          });
        }
        const logUrl = typeof b.log_url === "string" ? b.log_url : typeof b.target_url === "string" ? b.target_url : "";
        const st: StoredDeploymentStatus = {
          id: nextStatusId++,
          state: b.state,
          description: typeof b.description === "string" ? b.description : "",
          environmentUrl: typeof b.environment_url === "string" ? b.environment_url : "",
          logUrl,
          login: behaviour.login,
          createdAt: now(),
        };
        d.statuses.push(st);
        // auto_inactive (default true): prior non-transient, non-production deployments of the same
        // environment that had a success get an inactive status.
        if (b.state === "success" && b.auto_inactive !== false) {
          for (const other of deployments) {
            if (other === d || other.environment !== d.environment || other.transient || other.production) continue;
            if (other.statuses.some((x) => x.state === "success") && other.statuses.at(-1)?.state !== "inactive") {
              other.statuses.push({ ...st, id: nextStatusId++, state: "inactive", environmentUrl: "", description: "" });
            }
          }
        }
        return send(res, 201, statusJson(repo, d, st), { location: `${base}/repos/${repo}/deployments/${d.id}/statuses/${st.id}` });
      }
    }

    const pullPath = PULL.exec(url.pathname);
    if (pullPath && req.method === "GET") {
      const n = Number(pullPath[2]);
      const pull = pullPath[1] === repository ? pulls[n] : undefined;
      if (!pull) return error(res, 404, "Not Found", "pulls/pulls#get-a-pull-request");
      return send(res, 200, pullJson(n, pull));
    }
    const runPath = RUN.exec(url.pathname);
    if (runPath && req.method === "GET") {
      const id = Number(runPath[2]);
      const run = runPath[1] === repository ? runs[id] : undefined;
      if (!run) return error(res, 404, "Not Found", "actions/workflow-runs#get-a-workflow-run");
      return send(res, 200, runJson(id, run));
    }

    if (req.method === "POST" && url.pathname === "/graphql") {
      if (!behaviour.graphql) return send(res, 200, { errors: [{ type: "FORBIDDEN", message: "Resource not accessible by personal access token" }] });
      return send(res, 200, { data: { viewer: { login: behaviour.login } } });
    }
    if (req.method === "GET" && url.pathname === "/user") {
      if (behaviour.kind === "installation") return error(res, 403, "Resource not accessible by integration", "users/users#get-the-authenticated-user");
      return send(res, 200, { ...userJson(behaviour.login, 583231), name: behaviour.login, public_repos: 3 });
    }

    const byId = LIST_BY_ID.exec(url.pathname);
    const byName = LIST_OR_CREATE.exec(url.pathname);
    const list: readonly [string, string, string] | undefined =
      byId && Number(byId[1]) === REPOSITORY_ID ? [byId[0], repository, byId[2]!] : byName ? [byName[0], byName[1]!, byName[2]!] : undefined;
    if (list && req.method === "GET") {
      const [, repo, issue] = list;
      const perPage = Math.min(100, Number(url.searchParams.get("per_page") ?? 30));
      const page = Math.max(1, Number(url.searchParams.get("page") ?? 1));
      const all = comments.filter((c) => c.issue === Number(issue));
      const slice = all.slice((page - 1) * perPage, page * perPage);
      const last = Math.max(1, Math.ceil(all.length / perPage));
      const link = (p: number, rel: string): string => `<${base}/repositories/${REPOSITORY_ID}/issues/${issue}/comments?per_page=${perPage}&page=${p}>; rel="${rel}"`;
      const links = [page > 1 ? link(page - 1, "prev") : "", page < last ? link(page + 1, "next") : "", page < last ? link(last, "last") : "", page > 1 ? link(1, "first") : ""].filter(Boolean);
      return send(res, 200, slice.map((c) => commentJson(repo, c)), links.length ? { link: links.join(", ") } : {});
    }
    if (list && req.method === "POST") {
      const [, repo, issue] = list;
      const text = (body as { body?: unknown } | undefined)?.body;
      if (typeof text !== "string") return error(res, 422, "Invalid request.\n\n\"body\" wasn't supplied.", "issues/comments#create-an-issue-comment");
      if (text.length > MAX_BODY) {
        return error(res, 422, "Validation Failed", "issues/comments#create-an-issue-comment", {
          errors: [{ resource: "IssueComment", code: "custom", field: "body", message: `body is too long (maximum is ${MAX_BODY} characters)` }],
        });
      }
      const now = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
      const c: StoredComment = { id: nextId++, issue: Number(issue), body: text, login: behaviour.login, createdAt: now, updatedAt: now };
      comments.push(c);
      return send(res, 201, commentJson(repo, c), { location: `${base}/repos/${repo}/issues/comments/${c.id}` });
    }
    const update = UPDATE.exec(url.pathname);
    if (update && req.method === "PATCH") {
      const [, repo, id] = update as unknown as [string, string, string];
      const c = comments.find((x) => x.id === Number(id));
      if (!c) return error(res, 404, "Not Found", "issues/comments#update-an-issue-comment");
      if (c.login !== behaviour.login) return error(res, 403, "Resource not accessible by integration", "issues/comments#update-an-issue-comment");
      const text = (body as { body?: unknown } | undefined)?.body;
      if (typeof text !== "string" || text.length > MAX_BODY) {
        return error(res, 422, "Validation Failed", "issues/comments#update-an-issue-comment", {
          errors: [{ resource: "IssueComment", code: "custom", field: "body", message: `body is too long (maximum is ${MAX_BODY} characters)` }],
        });
      }
      c.body = text;
      c.updatedAt = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
      return send(res, 200, commentJson(repo, c));
    }
    return error(res, 404, "Not Found", "overview/resources-in-the-rest-api");
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => error(res, 500, `stand-in failure: ${(e as Error).message}`, ""));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: base,
    requests,
    comments,
    deployments,
    pulls,
    runs,
    failNext(method, path, times, status = 500, message = "Server Error", headers) {
      failures.push({ method, path, times, status, message, ...(headers ? { headers } : {}) });
    },
    forbid(area) {
      forbidden.add(area);
    },
    seedComment(issue, login, body) {
      const at = "2026-11-30T09:00:00Z";
      const c = { id: nextId++, issue, body, login, createdAt: at, updatedAt: at };
      comments.push(c);
      return c;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
