/**
 * STAND-IN for GitHub's REST API (and the one GraphQL query the action makes), on a loopback port,
 * for every test that talks to GitHub: the Action's and the lifecycle's sweeper. DESIGN.md allows a
 * stand-in here, as no test may reach GitHub; it answers with the shapes, status codes, pagination
 * Link headers and error bodies GitHub's API documents, for:
 * - issue comments: list, create, update (comments.ts, docs.github.com/rest/issues/comments);
 * - deployments and deployment statuses (deployments.ts, docs.github.com/rest/deployments);
 * - GET /user and `query { viewer { login } }` (identity.ts);
 * - "get a pull request" (pulls.ts) and "get a workflow run" (workflow-runs.ts), which the
 *   sweeper and the lock-holder check ask.
 * It records every request so tests can assert exactly what was sent, and can be told to fail:
 * the next requests to an endpoint with a status (a 500, a secondary rate limit, a dropped
 * connection), or every write of an area with GitHub's 403 for a token that lacks the permission.
 * Point the code under test at it with GITHUB_API_URL (as on Actions runners and GitHub Enterprise
 * Server) or its own base-URL option.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { commentsRoute } from "./comments.js";
import { deploymentsRoute } from "./deployments.js";
import { identityRoute } from "./identity.js";
import { pullsRoute } from "./pulls.js";
import { gitHubError, GITHUB_HEADERS, reply, type Reply } from "./reply.js";
import type { Route } from "./route.js";
import type { RecordedRequest, StandInState, StoredComment, StoredDeployment, StoredPull, StoredRun, TokenBehaviour } from "./stored.js";
import { workflowRunsRoute } from "./workflow-runs.js";

export type { RecordedRequest, StoredComment, StoredDeployment, StoredDeploymentStatus, StoredPull, StoredRun, TokenBehaviour } from "./stored.js";

/** The areas whose writes can be refused as for a token without the permission. */
export type ForbiddenArea = "comments" | "deployments";

/** What the stand-in serves. */
export interface GitHubStandInOptions {
  /** The one token it accepts (as `token …` or `Bearer …`); any other answers 401 "Bad credentials". */
  readonly token: string;
  /** The account the token acts as. @default the GITHUB_TOKEN: `github-actions[bot]`, an installation token, GraphQL allowed */
  readonly account?: TokenBehaviour;
  /** `owner/name` of the one repository it serves; pulls and runs of another answer 404. @default "octo-org/webshop" */
  readonly repository?: string;
  /** The repository's pull requests by number at the start. @default none */
  readonly pulls?: Readonly<Record<number, StoredPull>>;
  /** The repository's workflow runs by ID at the start. @default none */
  readonly runs?: Readonly<Record<number, StoredRun>>;
}

/** The running stand-in. */
export interface GitHubStandIn {
  /** Base URL for GITHUB_API_URL, e.g. `http://127.0.0.1:43123`. */
  readonly url: string;
  /** Every request, in order, also the refused ones. */
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
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

/** The account of the GITHUB_TOKEN an Actions job gets. */
export const ACTIONS_TOKEN_ACCOUNT: TokenBehaviour = { login: "github-actions[bot]", kind: "installation", graphql: true };

/** An injected failure: the next `times` requests matching `method` and `path` get this answer. */
interface InjectedFailure {
  readonly method: string;
  readonly path: RegExp;
  times: number;
  readonly status: number;
  readonly message: string;
  readonly headers?: Readonly<Record<string, string>>;
}

const ROUTES: readonly Route[] = [deploymentsRoute, pullsRoute, workflowRunsRoute, identityRoute, commentsRoute];

/** The area a path's writes belong to, for `forbid`. */
function areaOf(path: string): ForbiddenArea | undefined {
  if (/\/issues\/(\d+\/)?comments/.test(path)) return "comments";
  if (/\/deployments(\/|$)/.test(path)) return "deployments";
  return undefined;
}

/** Starts the stand-in on a free loopback port. */
export async function startGitHubStandIn(options: GitHubStandInOptions): Promise<GitHubStandIn> {
  const { token } = options;
  const requests: RecordedRequest[] = [];
  const failures: InjectedFailure[] = [];
  const forbidden = new Set<ForbiddenArea>();
  const state: StandInState = {
    base: "",
    repository: options.repository ?? "octo-org/webshop",
    account: options.account ?? ACTIONS_TOKEN_ACCOUNT,
    comments: [],
    deployments: [],
    pulls: { ...options.pulls },
    runs: { ...options.runs },
    // GitHub's ID ranges for each kind today, so IDs look like the real ones in logs.
    ids: { comment: 1_500_000_000, deployment: 1_800_000_000, status: 4_500_000_000 },
  };

  /** The answer to one request, or "drop" for an injected network error. */
  async function answer(req: IncomingMessage): Promise<Reply | "drop"> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", state.base);
    const method = req.method ?? "";
    let body: unknown;
    try {
      body = raw === "" ? undefined : JSON.parse(raw);
    } catch {
      return gitHubError(400, "Problems parsing JSON", "overview/resources-in-the-rest-api");
    }
    requests.push({ method, path: url.pathname, query: Object.fromEntries(url.searchParams), authorization: req.headers.authorization, headers: req.headers, body });

    const auth = req.headers.authorization ?? "";
    if (auth !== `token ${token}` && auth !== `Bearer ${token}` && auth !== `bearer ${token}`) {
      return gitHubError(401, "Bad credentials", "overview/authenticating-to-the-rest-api");
    }
    const failure = failures.find((f) => f.times > 0 && f.method === method && f.path.test(url.pathname));
    if (failure) {
      failure.times--;
      if (failure.status === 0) return "drop";
      return reply(failure.status, { message: failure.message, documentation_url: "https://docs.github.com/rest", status: String(failure.status) }, failure.headers ? { ...failure.headers } : undefined);
    }
    const area = areaOf(url.pathname);
    if (method !== "GET" && method !== "HEAD" && area !== undefined && forbidden.has(area)) {
      return gitHubError(403, "Resource not accessible by integration", area === "comments" ? "issues/comments#create-an-issue-comment" : "deployments/deployments#create-a-deployment");
    }
    for (const route of ROUTES) {
      const answered = route({ method, url, body }, state);
      if (answered) return answered;
    }
    return gitHubError(404, "Not Found", "overview/resources-in-the-rest-api");
  }

  const send = (res: ServerResponse, r: Reply): void => {
    res.writeHead(r.status, { ...GITHUB_HEADERS, ...r.headers });
    res.end(JSON.stringify(r.body));
  };
  const server: Server = createServer((req, res) => {
    answer(req).then(
      // "drop": the connection ends without an answer, as a network failure does.
      (r) => (r === "drop" ? void req.socket.destroy() : send(res, r)),
      (e: unknown) => send(res, gitHubError(500, `stand-in failure: ${(e as Error).message}`, "")),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: state.base,
    requests,
    comments: state.comments,
    deployments: state.deployments,
    pulls: state.pulls,
    runs: state.runs,
    failNext(method, path, times, status = 500, message = "Server Error", headers) {
      failures.push({ method, path, times, status, message, ...(headers ? { headers } : {}) });
    },
    forbid(area) {
      forbidden.add(area);
    },
    seedComment(issue, login, body) {
      const at = "2026-11-30T09:00:00Z";
      const c: StoredComment = { id: state.ids.comment++, issue, body, login, createdAt: at, updatedAt: at };
      state.comments.push(c);
      return c;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
