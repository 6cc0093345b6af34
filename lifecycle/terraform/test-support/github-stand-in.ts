/**
 * GITHUB STAND-IN: a loopback HTTP server answering GET /repos/{owner}/{repo}/pulls/{n} in GitHub's
 * REST response shape (found through GITHUB_API_URL, as on Actions runners and GitHub Enterprise
 * Server). Unknown numbers get GitHub's 404 body; a wrong token its 401.
 */
import { createServer, type IncomingHttpHeaders } from "node:http";

/** A pull request as the stand-in knows it. */
export interface StandInPull {
  state: "open" | "closed";
  merged: boolean;
}

/** The running stand-in. */
export interface GitHubStandIn {
  readonly url: string;
  /** Every request, in order. */
  readonly asked: Array<{ path: string; headers: IncomingHttpHeaders }>;
  /** Change a pull request's state between requests. */
  readonly pulls: Record<number, StandInPull>;
  close(): Promise<void>;
}

/** Start the stand-in for `owner/repo`, accepting `token`. */
export async function startGitHubStandIn(repo: string, token: string, pulls: Record<number, StandInPull>): Promise<GitHubStandIn> {
  const asked: Array<{ path: string; headers: IncomingHttpHeaders }> = [];
  const server = createServer((req, res) => {
    asked.push({ path: req.url ?? "", headers: req.headers });
    const json = (status: number, body: unknown) => res.writeHead(status, { "content-type": "application/json; charset=utf-8" }).end(JSON.stringify(body));
    if (req.headers.authorization !== `Bearer ${token}`) return void json(401, { message: "Bad credentials", documentation_url: "https://docs.github.com/rest", status: "401" });
    const m = /^\/repos\/([^/]+\/[^/]+)\/pulls\/(\d+)$/.exec(req.url ?? "");
    const pull = m && m[1] === repo ? pulls[Number(m[2])] : undefined;
    if (!m || !pull) return void json(404, { message: "Not Found", documentation_url: "https://docs.github.com/rest/pulls/pulls#get-a-pull-request", status: "404" });
    const n = Number(m[2]);
    return void json(200, { url: `https://api.github.com/repos/${repo}/pulls/${n}`, id: 1000 + n, number: n, state: pull.state, locked: false, title: `PR ${n}`, merged: pull.merged, draft: false, head: { ref: `feature-${n}` }, base: { ref: "main" } });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    asked,
    pulls,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
