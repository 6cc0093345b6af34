/**
 * What every test of the bundled action shares: the action built once into a temp folder, the
 * GitHub API stand-ins and jobs of each test stopped after it, and the constants of the pull
 * request the tests play.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { suite, type Test } from "uvu";
import { buildAction } from "../build-action.js";
import { ACTIONS_TOKEN_ACCOUNT, startGitHubStandIn, type GitHubStandIn, type TokenBehaviour } from "../../test/github-stand-in/github-stand-in.js";
import { stopAll, type Job } from "./run-action.js";

/** The token every job passes (the stand-in accepts only this one). */
export const TOKEN = "ghs_faketoken0123456789abcdefghijklmnopq";
/** The hidden marker of pr-12's comment, as the action must write it. */
export const MARKER_12 = '<!-- seedstack:env {"stack":"pr-12","pr":12} -->';
/** pull_request.created_at of the tests' event. */
export const PR_CREATED = "2026-11-28T09:15:00Z";

/** The context every bundled-action suite keeps. */
export interface ActionSuiteContext {
  /** The folder the action was built into for this suite. */
  dist: string;
  jobs: Job[];
  gh: GitHubStandIn[];
}

/** The test entry points over the FAKE lifecycle (fake-entry/): the action's code, the fake passed in as its port. */
const FAKE_ENTRIES = { main: fileURLToPath(new URL("./fake-entry/main.ts", import.meta.url)), post: fileURLToPath(new URL("./fake-entry/post.ts", import.meta.url)) };

/**
 * A suite whose `before` builds the action (its real entry points, or with `lifecycle` "fake" the
 * test entries that pass the FAKE lifecycle in as a port) and whose `after.each` stops every job and stand-in the
 * test started (after `extraCleanup`, for what a suite starts besides).
 */
export function bundledActionSuite<C extends ActionSuiteContext>(
  name: string,
  extra: Omit<C, keyof ActionSuiteContext>,
  extraCleanup?: (ctx: C) => void,
  lifecycle: "real" | "fake" = "real",
): Test<C> {
  const test = suite<C>(name, { dist: "", jobs: [], gh: [], ...extra } as unknown as C);
  test.before(async (ctx) => {
    ctx.dist = mkdtempSync(join(tmpdir(), "seedstack-action-dist-"));
    await buildAction(ctx.dist, lifecycle === "fake" ? FAKE_ENTRIES : undefined);
  });
  test.after.each(async (ctx) => {
    stopAll();
    extraCleanup?.(ctx);
    for (const j of ctx.jobs) j.cleanup();
    await Promise.all(ctx.gh.map((g) => g.close()));
    ctx.jobs = [];
    ctx.gh = [];
  });
  test.after((ctx) => rmSync(ctx.dist, { recursive: true, force: true }));
  return test;
}

/** Start a GitHub API stand-in for this test (stopped after it). */
export async function github(ctx: ActionSuiteContext, behaviour: TokenBehaviour = ACTIONS_TOKEN_ACCOUNT): Promise<GitHubStandIn> {
  const gh = await startGitHubStandIn({ token: TOKEN, account: behaviour });
  ctx.gh.push(gh);
  return gh;
}
