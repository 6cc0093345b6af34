/**
 * The production ports: @actions/core for inputs, outputs, state, log and verdict; @actions/github
 * for the event and the REST API; the real lifecycle (real-lifecycle.ts) over settings read once
 * from the environment (settings.ts); the system clock; the runner's SIGINT/SIGTERM as the abort
 * signal. Tests build their own ports (with their own lifecycle) instead.
 */
import * as core from "@actions/core";
import { context } from "@actions/github";
import { TEST_GITHUB_SPEEDUP_ENV, type Inputs, type Outputs, type State } from "./constants.js";
import type { GitHubPort } from "./github-port.js";
import { DEFAULT_GITHUB_CALL_POLICY, spedUpPolicy } from "./github/retrying-octokit.js";
import { fileSummary } from "./job-summary.js";
import { realLifecycle } from "./real-lifecycle.js";
import { lifecycleSettingsOf } from "./settings.js";
import { octokitGitHub } from "./octokit-github.js";
import type { MainPorts, StepPorts } from "./ports.js";
import { abortOnSignals } from "./signals.js";

function runUrl(): string {
  const server = process.env.GITHUB_SERVER_URL ?? "https://github.com";
  const repository = process.env.GITHUB_REPOSITORY ?? "";
  const id = process.env.GITHUB_RUN_ID ?? "";
  const attempt = process.env.GITHUB_RUN_ATTEMPT;
  return `${server}/${repository}/actions/runs/${id}${attempt && attempt !== "1" ? `/attempts/${attempt}` : ""}`;
}

/**
 * One GitHub client per token for the whole step, so the step's GitHub calls share one budget
 * (retrying-octokit.ts). The test seam SEEDSTACK_ACTION_TEST_GITHUB_SPEEDUP shortens its waits.
 */
function githubClients(repository: string, warn: (message: string) => void): (token: string) => GitHubPort {
  const speedup = process.env[TEST_GITHUB_SPEEDUP_ENV];
  const policy = speedup ? spedUpPolicy(Number(speedup)) : DEFAULT_GITHUB_CALL_POLICY;
  const clients = new Map<string, GitHubPort>();
  return (token) => {
    let client = clients.get(token);
    if (client === undefined) clients.set(token, (client = octokitGitHub(token, repository, warn, policy)));
    return client;
  };
}

/** Ports over the real runner. */
export function stepPorts(): StepPorts {
  const log = { info: core.info, warning: (m: string) => core.warning(m), fail: (m: string) => core.setFailed(m) };
  const repository = process.env.GITHUB_REPOSITORY ?? "";
  const { signal } = abortOnSignals((name) => core.warning(`seedstack: ${name} received, cancelling (one interrupt is forwarded to terraform)`));
  return {
    inputs: (name: Inputs) => core.getInput(name),
    run: { repository, runUrl: runUrl(), workspace: process.env.GITHUB_WORKSPACE ?? process.cwd(), sha: process.env.GITHUB_SHA ?? "" },
    github: githubClients(repository, log.warning),
    lifecycle: realLifecycle(lifecycleSettingsOf(process.env)),
    clock: () => new Date(),
    state: { save: (name: State, value: string) => core.saveState(name, value), get: (name: State) => core.getState(name) },
    outputs: { set: (name: Outputs, value: string) => core.setOutput(name, value), mask: (value: string) => core.setSecret(value) },
    summary: fileSummary(process.env.GITHUB_STEP_SUMMARY, core.info),
    log,
    signal,
  };
}

/** Ports of the main step: the step ports and the event payload. */
export function mainPorts(): MainPorts {
  return { ...stepPorts(), event: context.payload, eventName: context.eventName };
}
