/**
 * The GitHub STAND-IN itself: that it answers as GitHub's REST API documents (status codes, error
 * bodies, Link pagination), so the tests built on it assert against GitHub's behaviour, not the
 * stand-in's quirks. Every stand-in a test starts is closed in `finally`.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { startGitHubStandIn, type GitHubStandIn } from "./github-stand-in.js";

const test = suite("GitHub stand-in");
const TOKEN = "ghs_standintoken";

async function get(gh: GitHubStandIn, path: string, token = TOKEN): Promise<{ status: number; body: Record<string, unknown> & unknown[]; link: string | null }> {
  const response = await fetch(path.startsWith("http") ? path : `${gh.url}${path}`, { headers: { authorization: `Bearer ${token}`, accept: "application/vnd.github+json" } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> & unknown[], link: response.headers.get("link") };
}

async function withStandIn(run: (gh: GitHubStandIn) => Promise<void>, repository = "octo/seed"): Promise<void> {
  const gh = await startGitHubStandIn({ token: TOKEN, repository, pulls: { 7: { state: "closed", merged: true } } });
  try {
    await run(gh);
  } finally {
    await gh.close();
  }
}

test("a wrong token gets GitHub's 401 body, and the request is recorded with its headers", () =>
  withStandIn(async (gh) => {
    const answer = await get(gh, "/repos/octo/seed/pulls/7", "ghs_other");
    assert.is(answer.status, 401);
    assert.equal(answer.body, { message: "Bad credentials", documentation_url: "https://docs.github.com/rest/overview/authenticating-to-the-rest-api", status: "401" });
    assert.is(gh.requests.length, 1);
    assert.is(gh.requests[0]!.headers.accept, "application/vnd.github+json");
  }));

test("pull requests: a set one in GitHub's shape, changes seen at the next request; an unset number or another repository answers 404", () =>
  withStandIn(async (gh) => {
    const merged = await get(gh, "/repos/octo/seed/pulls/7");
    assert.is(merged.status, 200);
    assert.equal([merged.body.number, merged.body.state, merged.body.merged, typeof merged.body.merged_at], [7, "closed", true, "string"]);
    gh.pulls[7] = { state: "open", merged: false };
    const reopened = await get(gh, "/repos/octo/seed/pulls/7");
    assert.equal([reopened.body.state, reopened.body.merged, reopened.body.closed_at], ["open", false, null]);
    for (const path of ["/repos/octo/seed/pulls/8", "/repos/octo/other/pulls/7"]) {
      const missing = await get(gh, path);
      assert.is(missing.status, 404, path);
      assert.equal(missing.body, { message: "Not Found", documentation_url: "https://docs.github.com/rest/pulls/pulls#get-a-pull-request", status: "404" });
    }
  }));

test("workflow runs: no conclusion until completed", () =>
  withStandIn(async (gh) => {
    gh.runs[99] = { status: "in_progress", conclusion: "success" };
    assert.equal((await get(gh, "/repos/octo/seed/actions/runs/99")).body.conclusion, null);
    gh.runs[99] = { status: "completed", conclusion: "cancelled" };
    const done = await get(gh, "/repos/octo/seed/actions/runs/99");
    assert.equal([done.body.status, done.body.conclusion], ["completed", "cancelled"]);
  }));

test("comment lists page as GitHub's do: the Link header names the repository by ID, and following it reaches every comment once", () =>
  withStandIn(async (gh) => {
    for (let i = 0; i < 5; i++) gh.seedComment(12, "mona", `comment ${i}`);
    const seen: unknown[] = [];
    let next: string | undefined = "/repos/octo/seed/issues/12/comments?per_page=2";
    while (next) {
      const page = await get(gh, next);
      assert.is(page.status, 200);
      seen.push(...page.body.map((c) => (c as { body: string }).body));
      next = /<([^>]+)>; rel="next"/.exec(page.link ?? "")?.[1];
      if (next) assert.match(next, /\/repositories\/\d+\/issues\/12\/comments\?per_page=2&page=\d$/);
    }
    assert.equal(seen, ["comment 0", "comment 1", "comment 2", "comment 3", "comment 4"]);
  }));

test("failNext answers the given status that many times, then the endpoint recovers; status 0 drops the connection", () =>
  withStandIn(async (gh) => {
    gh.failNext("GET", /\/pulls\/7$/, 1, 502, "Bad Gateway");
    const failed = await get(gh, "/repos/octo/seed/pulls/7");
    assert.equal([failed.status, failed.body.message], [502, "Bad Gateway"]);
    assert.is((await get(gh, "/repos/octo/seed/pulls/7")).status, 200);
    gh.failNext("GET", /\/pulls\/7$/, 1, 0);
    const dropped = await get(gh, "/repos/octo/seed/pulls/7").then(() => "answered", (e: unknown) => e);
    assert.instance(dropped, TypeError, "fetch failed: no answer on the connection");
    assert.is((await get(gh, "/repos/octo/seed/pulls/7")).status, 200);
  }));

test("forbid: writes of the area answer GitHub's 403 for a token without the permission; reads still work", () =>
  withStandIn(async (gh) => {
    gh.forbid("comments");
    const response = await fetch(`${gh.url}/repos/octo/seed/issues/12/comments`, { method: "POST", headers: { authorization: `token ${TOKEN}` }, body: JSON.stringify({ body: "hi" }) });
    assert.is(response.status, 403);
    assert.is(((await response.json()) as { message: string }).message, "Resource not accessible by integration");
    assert.is(gh.comments.length, 0, "nothing stored");
    assert.is((await get(gh, "/repos/octo/seed/issues/12/comments")).status, 200);
  }));

test.run();
