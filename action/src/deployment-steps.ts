/**
 * The deployment calls of each phase of the action's steps, one call per phase, so run-main.ts and
 * run-post.ts each hold a single line per phase (deployments.ts does the work). Deployments need a
 * pull request and a token; without either there is none, silently (a sweep without a token, a
 * `comment: off` run without one).
 */
import type { RunReport } from "../../lifecycle/index.js";
import type { StepPorts } from "./ports.js";
import { deploymentEnvironment, finishDeployment, retireDeployments, startDeployment, type DeploymentContext, type RunDeployment } from "./deployments.js";

/** What the deployment hooks read of the run's inputs. */
interface DeploymentInputs {
  readonly token: string;
  readonly prNumber?: number;
  readonly mode: string;
}


function context(ports: StepPorts, token: string, prNumber: number | undefined): DeploymentContext | undefined {
  if (token === "" || prNumber === undefined) return undefined;
  return { github: ports.github(token), prNumber, runUrl: ports.run.runUrl, warn: (m) => ports.log.warning(m), info: (m) => ports.log.info(m) };
}

/** Main step, before the lifecycle runs (`pr` and `deploy` modes): the deployment, in progress. */
export async function deploymentBeforeRun(ports: StepPorts, inputs: DeploymentInputs, headSha: string | undefined): Promise<RunDeployment | undefined> {
  const ctx = context(ports, inputs.token, inputs.prNumber);
  const ref = headSha || ports.run.sha;
  if (ctx === undefined) return undefined;
  if (!ref) {
    ports.log.warning(`no GitHub deployment: neither the event nor GITHUB_SHA names the commit deployed to ${deploymentEnvironment(ctx.prNumber)}`);
    return undefined;
  }
  return startDeployment(ctx, ref);
}

/** Main step, after the lifecycle: success with the URL, or failure; inactive when the run destroyed it. */
export async function deploymentAfterRun(ports: StepPorts, inputs: DeploymentInputs, deployment: RunDeployment | undefined, report: RunReport): Promise<void> {
  const ctx = context(ports, inputs.token, inputs.prNumber);
  if (ctx === undefined) return;
  const succeeded = report.ok;
  const destroyed = report.teardown?.status === "destroyed";
  const description = succeeded
    ? inputs.mode === "deploy"
      ? "the environment is up and passed its smoke test"
      : "applied, smoke-tested and destroyed"
    : `${report.error?.reason === "cancelled" ? "cancelled" : `failed: ${report.error?.reason ?? "see the run"}`}${destroyed ? "; destroyed" : ""}`;
  await finishDeployment(ctx, deployment, { succeeded, destroyed, description, ...(report.url !== undefined ? { url: report.url } : {}) });
}

/**
 * After a destroy that finished (mode `destroy`, the post step): every deployment of the PR's
 * environment marked inactive.
 */
export async function deploymentsAfterDestroy(ports: StepPorts, token: string, prNumber: number | undefined, destroyed: boolean): Promise<void> {
  const ctx = context(ports, token, prNumber);
  if (ctx === undefined || !destroyed) return;
  await retireDeployments(ctx, "the environment was destroyed");
}

/** The PR number of a swept environment named after a `pr-<n>` stack (`seedstack-pr-12`), if any. */
export function sweptPrNumber(environment: string): number | undefined {
  const m = /(?:^|-)pr-(\d{1,7})$/.exec(environment);
  return m ? Number(m[1]) : undefined;
}

/** After a sweep: the deployments of every environment it destroyed marked inactive. */
export async function deploymentsAfterSweep(ports: StepPorts, token: string, swept: readonly { readonly environment: string; readonly action: string }[]): Promise<void> {
  for (const s of swept) {
    if (s.action !== "destroyed") continue;
    const ctx = context(ports, token, sweptPrNumber(s.environment));
    if (ctx !== undefined) await retireDeployments(ctx, "the sweeper destroyed the environment after its TTL");
  }
}
