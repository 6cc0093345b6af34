/**
 * "Get a workflow run" in the GitHub STAND-IN (docs.github.com/rest/actions/workflow-runs#get-a-workflow-run):
 * the runs the test set, by ID, in GitHub's shape (conclusion only once completed); any other ID answers 404.
 */
import { getByNumberRoute, OWNER_REPO } from "./route.js";
import { REPOSITORY_ID, type StoredRun } from "./stored.js";
import { userJson } from "./user-shape.js";

const RUN = new RegExp(`^/repos/(${OWNER_REPO})/actions/runs/(\\d+)$`);
const WORKFLOW_ID = 161335;
const CHECK_SUITE_ID = 414944374;

function runJson(base: string, repository: string, id: number, r: StoredRun): Record<string, unknown> {
  const runUrl = `${base}/repos/${repository}/actions/runs/${id}`;
  const repo = { id: REPOSITORY_ID, full_name: repository, fork: false };
  return {
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
    workflow_id: WORKFLOW_ID,
    check_suite_id: CHECK_SUITE_ID,
    url: runUrl,
    html_url: `https://github.com/${repository}/actions/runs/${id}`,
    pull_requests: [],
    created_at: "2026-12-01T16:20:00Z",
    updated_at: r.status === "completed" ? "2026-12-01T16:31:07Z" : "2026-12-01T16:20:05Z",
    actor: userJson("mona"),
    run_attempt: 1,
    run_started_at: "2026-12-01T16:20:00Z",
    triggering_actor: userJson("mona"),
    jobs_url: `${runUrl}/jobs`,
    logs_url: `${runUrl}/logs`,
    check_suite_url: `${base}/repos/${repository}/check-suites/${CHECK_SUITE_ID}`,
    artifacts_url: `${runUrl}/artifacts`,
    cancel_url: `${runUrl}/cancel`,
    rerun_url: `${runUrl}/rerun`,
    previous_attempt_url: null,
    workflow_url: `${base}/repos/${repository}/actions/workflows/${WORKFLOW_ID}`,
    repository: repo,
    head_repository: repo,
  };
}

/** Answers GET /repos/{owner}/{repo}/actions/runs/{run_id}; undefined for any other request. */
export const workflowRunsRoute = getByNumberRoute(RUN, (state) => state.runs, (state, id, run) => runJson(state.base, state.repository, id, run), "actions/workflow-runs#get-a-workflow-run");
