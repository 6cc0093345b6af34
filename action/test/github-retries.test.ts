/**
 * The action's GitHub client (octokit-github.ts over github/retrying-octokit.ts: octokit's retry and
 * throttling plugins, and our budget) against the STAND-IN of GitHub's REST API (test/github-stand-in/)
 * over real HTTP, in process: 5xx, dropped connections and secondary rate limits are retried; 4xx
 * are not; a 403 names the permission; the budget ends a dead API. Waits are scaled down through
 * the policy (a 1 ms backoff unit), never real seconds.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { retireDeployments } from "../src/deployments.js";
import type { GitHubPort } from "../src/github-port.js";
import { DEFAULT_GITHUB_CALL_POLICY, GitHubBudgetError, spedUpPolicy, type GitHubCallPolicy } from "../src/github/retrying-octokit.js";
import { octokitGitHub } from "../src/octokit-github.js";
import { startGitHubStandIn, type GitHubStandIn } from "../../test/github-stand-in/github-stand-in.js";

const TOKEN = "ghs_faketoken0123456789abcdefghijklmnopq";
const REPO = "octo-org/webshop";
const COMMENTS_12 = /^\/repos\/octo-org\/webshop\/issues\/12\/comments$/;

interface Ctx {
  gh?: GitHubStandIn;
  warnings: string[];
}
const test = suite<Ctx>("GitHub client: retries, throttling, budget, permissions", { warnings: [] });
test.after.each(async (ctx) => {
  await ctx.gh?.close();
  ctx.gh = undefined;
  ctx.warnings = [];
});

async function client(ctx: Ctx, policy: GitHubCallPolicy = spedUpPolicy(1000)): Promise<[GitHubStandIn, GitHubPort]> {
  const gh = await startGitHubStandIn({ token: TOKEN, repository: REPO });
  ctx.gh = gh;
  return [gh, octokitGitHub(TOKEN, REPO, (m) => ctx.warnings.push(m), policy, gh.url)];
}

const posts = (gh: GitHubStandIn, path: RegExp) => gh.requests.filter((r) => r.method === "POST" && path.test(r.path));

async function failure(call: () => Promise<unknown>): Promise<Error> {
  try {
    await call();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected the call to fail");
}

test("a 500, then a 502, then success: the comment is created on the third attempt", async (ctx) => {
  const [gh, github] = await client(ctx);
  gh.failNext("POST", COMMENTS_12, 1, 500);
  gh.failNext("POST", COMMENTS_12, 1, 502, "Bad Gateway");
  const c = await github.createComment(12, "hello");
  assert.is(c.body, "hello");
  assert.is(posts(gh, COMMENTS_12).length, 3);
  assert.is(gh.comments.length, 1, "created once");
});

test("a dropped connection (network error) is retried", async (ctx) => {
  const [gh, github] = await client(ctx);
  gh.failNext("GET", COMMENTS_12, 2, 0);
  const seen: string[] = [];
  for await (const c of github.listComments(12)) seen.push(c.body);
  assert.equal(seen, []);
  assert.is(gh.requests.filter((r) => r.method === "GET").length, 3);
});

test("a persistent 500: four attempts (three retries), then an error with the status and the call", async (ctx) => {
  const [gh, github] = await client(ctx);
  gh.failNext("POST", COMMENTS_12, 100, 500);
  const e = await failure(() => github.createComment(12, "hello"));
  assert.is(posts(gh, COMMENTS_12).length, 1 + DEFAULT_GITHUB_CALL_POLICY.retries);
  assert.match(e.message, "Server Error (HTTP 500 from POST /repos/octo-org/webshop/issues/12/comments), still failing after the retries");
});

test("a 403 on comments names pull-requests: write and is not retried", async (ctx) => {
  const [gh, github] = await client(ctx);
  gh.forbid("comments");
  const e = await failure(() => github.createComment(12, "hello"));
  assert.is(posts(gh, COMMENTS_12).length, 1, "a missing permission is not retried");
  assert.match(e.message, "Resource not accessible by integration (HTTP 403");
  assert.match(e.message, "grant `pull-requests: write` under `permissions:`");
});

test("a 403 on deployments names deployments: write", async (ctx) => {
  const [gh, github] = await client(ctx);
  gh.forbid("deployments");
  const e = await failure(() => github.createDeployment({ ref: "4f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39", environment: "pr-12", description: "x" }));
  assert.match(e.message, "(HTTP 403 from POST /repos/octo-org/webshop/deployments)");
  assert.match(e.message, "grant `deployments: write`");
  assert.is(gh.deployments.length, 0);
});

test("a secondary rate limit (403 with Retry-After) is waited out by the throttling plugin and said in the log", async (ctx) => {
  const [gh, github] = await client(ctx);
  gh.failNext("POST", COMMENTS_12, 1, 403, "You have exceeded a secondary rate limit and have been temporarily blocked from content creation. Please retry your request again later.", { "retry-after": "30" });
  await github.createComment(12, "hello");
  assert.is(posts(gh, COMMENTS_12).length, 2);
  assert.ok(ctx.warnings.some((w) => w.includes("secondary rate limit") && w.includes("retrying after 30 s")), ctx.warnings.join("\n"));
});

test("a secondary rate limit that does not lift: given up after the allowed retries, not named a permission problem", async (ctx) => {
  const [gh, github] = await client(ctx);
  gh.failNext("POST", COMMENTS_12, 100, 403, "You have exceeded a secondary rate limit.", { "retry-after": "1" });
  const e = await failure(() => github.createComment(12, "hello"));
  assert.is(posts(gh, COMMENTS_12).length, 1 + DEFAULT_GITHUB_CALL_POLICY.rateLimitRetries);
  assert.match(e.message, "secondary rate limit");
  assert.not.match(e.message, "permissions");
});

test("the budget ends a dead API: retries stop when it is spent, and later calls are refused without a request", async (ctx) => {
  // Many retries with 20, 80, 180, 320 ms... waits: the 400 ms budget runs out long before the retries do.
  const policy: GitHubCallPolicy = { ...spedUpPolicy(50), retries: 50, budgetMs: 400 };
  const [gh, github] = await client(ctx, policy);
  gh.failNext("POST", COMMENTS_12, 1000, 503, "Service Unavailable");
  const e = await failure(() => github.createComment(12, "hello"));
  assert.instance(e, GitHubBudgetError);
  assert.match(e.message, "within the 400 ms the action allows for all its GitHub calls");
  const attempts = posts(gh, COMMENTS_12).length;
  assert.ok(attempts >= 1 && attempts < 51, `stopped by the budget, not by the retry count (${attempts} attempts)`);
  const before = gh.requests.length;
  const again = await failure(() => github.createComment(12, "hello"));
  assert.instance(again, GitHubBudgetError);
  assert.is(gh.requests.length, before, "no request once the budget is spent");
});

test("retiring a PR's deployments: only those not already inactive get an inactive status", async (ctx) => {
  const [gh, github] = await client(ctx);
  const ref = "4f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39";
  const old = await github.createDeployment({ ref, environment: "pr-12", description: "old" });
  await github.createDeploymentStatus(old, { state: "inactive", logUrl: "https://x", description: "gone" });
  const live = await github.createDeployment({ ref, environment: "pr-12", description: "live" });
  await github.createDeploymentStatus(live, { state: "success", logUrl: "https://x", description: "up", environmentUrl: "https://pr-12.example.test" });
  const other = await github.createDeployment({ ref, environment: "pr-13", description: "other PR" });
  const info: string[] = [];
  await retireDeployments({ github, prNumber: 12, runUrl: "https://run", warn: (m) => ctx.warnings.push(m), info: (m) => info.push(m) }, "destroyed");
  const states = (id: number) => gh.deployments.find((d) => d.id === id)!.statuses.map((s) => s.state);
  assert.equal(states(old), ["inactive"], "an inactive deployment is left alone");
  assert.equal(states(live), ["success", "inactive"]);
  assert.equal(states(other), [], "another PR's environment is not touched");
  assert.equal(ctx.warnings, []);
  assert.ok(info.some((m) => m.includes("pr-12 marked inactive: 1")));
});

test.run();
