/**
 * The environment in the pull request's deployment box ("View deployment"), as Vercel, Netlify and
 * pullpreview put it: one GitHub deployment per run to the GitHub environment `pr-<n>`, transient
 * (GitHub shows it as destroyed once inactive), its status following the run (in_progress, then
 * success with the environment's URL, or failure), and every deployment of `pr-<n>` marked
 * inactive once the environment is destroyed (PR closed, label removed, post step, sweeper).
 *
 * A deployment is a courtesy to reviewers, never the verdict: every function here returns instead
 * of throwing, and says in a warning what went wrong (a 403 names `deployments: write`).
 */
import type { DeploymentState, GitHubPort } from "./github-port.js";

/** The GitHub environment of pull request `prNumber`'s seedstack environment. */
export function deploymentEnvironment(prNumber: number): string {
  return `pr-${prNumber}`;
}

/** What the functions here need from the step. */
export interface DeploymentContext {
  readonly github: GitHubPort;
  readonly prNumber: number;
  /** The run's log: every status links to it. */
  readonly runUrl: string;
  readonly warn: (message: string) => void;
  readonly info: (message: string) => void;
}

/** The deployment of one run, created when the run starts. */
export interface RunDeployment {
  readonly id: number;
  readonly environment: string;
}

/** How a run ended, as the deployment shows it. */
export interface RunEnding {
  readonly succeeded: boolean;
  /** The environment's URL when it is up. */
  readonly url?: string;
  /** Whether the environment no longer exists (a `pr`-mode run that destroyed it). */
  readonly destroyed: boolean;
  /** One line for the status, e.g. "smoke test failed". */
  readonly description: string;
}

function problem(ctx: DeploymentContext, what: string, error: unknown): void {
  ctx.warn(`the GitHub deployment could not be ${what}: ${(error as Error).message}`);
}

/**
 * Creates the run's deployment of commit `ref` and sets it in progress; undefined (with a warning)
 * when GitHub refuses.
 */
export async function startDeployment(ctx: DeploymentContext, ref: string): Promise<RunDeployment | undefined> {
  const environment = deploymentEnvironment(ctx.prNumber);
  let id: number;
  try {
    id = await ctx.github.createDeployment({ ref, environment, description: `seedstack environment of pull request #${ctx.prNumber}` });
  } catch (error) {
    problem(ctx, "created", error);
    return undefined;
  }
  try {
    await ctx.github.createDeploymentStatus(id, { state: "in_progress", logUrl: ctx.runUrl, description: "building and testing the environment" });
  } catch (error) {
    problem(ctx, "set in progress", error);
  }
  ctx.info(`GitHub deployment ${id} to ${environment} created`);
  return { id, environment };
}

/** Sets the run's deployment to success (with the URL) or failure; inactive when the environment is gone. */
export async function finishDeployment(ctx: DeploymentContext, deployment: RunDeployment | undefined, ending: RunEnding): Promise<void> {
  if (deployment === undefined) return;
  const state: DeploymentState = ending.succeeded ? "success" : "failure";
  try {
    await ctx.github.createDeploymentStatus(deployment.id, {
      state,
      logUrl: ctx.runUrl,
      description: ending.description,
      ...(ending.url !== undefined && !ending.destroyed ? { environmentUrl: ending.url } : {}),
    });
    if (ending.destroyed) await ctx.github.createDeploymentStatus(deployment.id, { state: "inactive", logUrl: ctx.runUrl, description: "the environment was destroyed at the end of the run" });
  } catch (error) {
    problem(ctx, `set to ${state}`, error);
  }
}

/**
 * Marks every deployment of the PR's environment inactive that is not already: the environment is
 * destroyed. (GitHub's own auto_inactive never touches transient deployments.)
 */
export async function retireDeployments(ctx: DeploymentContext, why: string): Promise<void> {
  const environment = deploymentEnvironment(ctx.prNumber);
  let retired = 0;
  try {
    for await (const id of ctx.github.listDeployments(environment)) {
      if ((await ctx.github.latestDeploymentState(id)) === "inactive") continue;
      await ctx.github.createDeploymentStatus(id, { state: "inactive", logUrl: ctx.runUrl, description: why });
      retired++;
    }
  } catch (error) {
    problem(ctx, "marked inactive", error);
    return;
  }
  if (retired > 0) ctx.info(`GitHub deployments of ${environment} marked inactive: ${retired}`);
}
