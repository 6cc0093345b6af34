/**
 * Deployments and their statuses in the GitHub STAND-IN (docs.github.com/rest/deployments/deployments,
 * docs.github.com/rest/deployments/statuses): create and list (newest first, paginated), with
 * GitHub's validation and its `auto_inactive` rule for earlier deployments of an environment.
 */
import { paged } from "./pagination.js";
import { gitHubError, reply, validationFailed, type Reply } from "./reply.js";
import { OWNER_REPO, type StandInRequest } from "./route.js";
import { gitHubNow, type StandInState, type StoredDeployment, type StoredDeploymentStatus } from "./stored.js";
import { userJson } from "./user-shape.js";

const DEPLOYMENTS = new RegExp(`^/repos/(${OWNER_REPO})/deployments$`);
const DEPLOYMENT_STATUSES = new RegExp(`^/repos/(${OWNER_REPO})/deployments/(\\d+)/statuses$`);
/** The states "Create a deployment status" accepts. */
const DEPLOYMENT_STATES = ["error", "failure", "inactive", "in_progress", "queued", "pending", "success"];
/** The commit the stand-in resolves every branch name to. */
const BRANCH_HEAD = "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567";
const CREATE_DOC = "deployments/deployments#create-a-deployment";
const STATUS_DOC = "deployments/statuses#create-a-deployment-status";

function deploymentJson(base: string, repo: string, d: StoredDeployment): Record<string, unknown> {
  return {
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
    creator: userJson(d.login),
    created_at: d.createdAt,
    updated_at: d.statuses.at(-1)?.createdAt ?? d.createdAt,
    statuses_url: `${base}/repos/${repo}/deployments/${d.id}/statuses`,
    repository_url: `${base}/repos/${repo}`,
    transient_environment: d.transient,
    production_environment: d.production,
    performed_via_github_app: null,
  };
}

function statusJson(base: string, repo: string, d: StoredDeployment, st: StoredDeploymentStatus): Record<string, unknown> {
  return {
    url: `${base}/repos/${repo}/deployments/${d.id}/statuses/${st.id}`,
    id: st.id,
    node_id: `DES_kwDO${st.id}`,
    state: st.state,
    creator: userJson(st.login),
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
  };
}

function createDeployment(state: StandInState, repo: string, b: Record<string, unknown>): Reply {
  if (typeof b.ref !== "string" || b.ref === "") return gitHubError(422, 'Invalid request.\n\n"ref" wasn\'t supplied.', CREATE_DOC);
  const environment = typeof b.environment === "string" ? b.environment : "production";
  const d: StoredDeployment = {
    id: state.ids.deployment++,
    // The stand-in takes any 40-hex ref as the commit itself; a branch name resolves to a fixed commit.
    sha: /^[0-9a-f]{40}$/.test(b.ref) ? b.ref : BRANCH_HEAD,
    ref: b.ref,
    task: typeof b.task === "string" ? b.task : "deploy",
    environment,
    description: typeof b.description === "string" ? b.description : null,
    transient: b.transient_environment === true,
    production: typeof b.production_environment === "boolean" ? b.production_environment : environment === "production",
    autoMerge: b.auto_merge !== false,
    requiredContexts: b.required_contexts,
    login: state.account.login,
    createdAt: gitHubNow(),
    statuses: [],
  };
  state.deployments.push(d);
  return reply(201, deploymentJson(state.base, repo, d), { location: `${state.base}/repos/${repo}/deployments/${d.id}` });
}

function createStatus(state: StandInState, repo: string, d: StoredDeployment, b: Record<string, unknown>): Reply {
  if (typeof b.state !== "string" || !DEPLOYMENT_STATES.includes(b.state)) return validationFailed(STATUS_DOC, "DeploymentStatus", "state", "state is not included in the list");
  if (typeof b.description === "string" && b.description.length > 140) {
    return validationFailed(STATUS_DOC, "DeploymentStatus", "description", "description is too long (maximum is 140 characters)");
  }
  const st: StoredDeploymentStatus = {
    id: state.ids.status++,
    state: b.state,
    description: typeof b.description === "string" ? b.description : "",
    environmentUrl: typeof b.environment_url === "string" ? b.environment_url : "",
    logUrl: typeof b.log_url === "string" ? b.log_url : typeof b.target_url === "string" ? b.target_url : "",
    login: state.account.login,
    createdAt: gitHubNow(),
  };
  d.statuses.push(st);
  // auto_inactive (default true): prior non-transient, non-production deployments of the same
  // environment that had a success get an inactive status.
  if (b.state === "success" && b.auto_inactive !== false) {
    for (const other of state.deployments) {
      if (other === d || other.environment !== d.environment || other.transient || other.production) continue;
      if (other.statuses.some((x) => x.state === "success") && other.statuses.at(-1)?.state !== "inactive") {
        other.statuses.push({ ...st, id: state.ids.status++, state: "inactive", environmentUrl: "", description: "" });
      }
    }
  }
  return reply(201, statusJson(state.base, repo, d, st), { location: `${state.base}/repos/${repo}/deployments/${d.id}/statuses/${st.id}` });
}

/** Answers the deployment and deployment-status endpoints; undefined for any other request. */
export function deploymentsRoute(request: StandInRequest, state: StandInState): Reply | undefined {
  const { method, url } = request;
  const b = (request.body ?? {}) as Record<string, unknown>;
  const deployments = DEPLOYMENTS.exec(url.pathname);
  if (deployments && method === "POST") return createDeployment(state, deployments[1]!, b);
  if (deployments && method === "GET") {
    const env = url.searchParams.get("environment");
    const all = state.deployments.filter((d) => env === null || d.environment === env).reverse().map((d) => deploymentJson(state.base, deployments[1]!, d));
    const [page, headers] = paged(url, all);
    return reply(200, page, headers);
  }
  const statuses = DEPLOYMENT_STATUSES.exec(url.pathname);
  if (!statuses || (method !== "GET" && method !== "POST")) return undefined;
  const repo = statuses[1]!;
  const d = state.deployments.find((x) => x.id === Number(statuses[2]));
  if (!d) return gitHubError(404, "Not Found", STATUS_DOC);
  if (method === "POST") return createStatus(state, repo, d, b);
  const [page, headers] = paged(url, [...d.statuses].reverse().map((st) => statusJson(state.base, repo, d, st)));
  return reply(200, page, headers);
}
