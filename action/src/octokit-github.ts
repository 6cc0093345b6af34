/**
 * GitHubPort over @actions/github's Octokit (which honours GITHUB_API_URL, so tests can point it at
 * a local stand-in), retried and throttled by octokit's plugins (github/retrying-octokit.ts). Every
 * failure is rethrown with a message that says what to do (github/github-errors.ts).
 */
import type { DeploymentState, GitHubPort, IssueComment } from "./github-port.js";
import { gitHubError, type GitHubArea } from "./github/github-errors.js";
import { DEFAULT_GITHUB_CALL_POLICY, retryingOctokit, type GitHubCallPolicy } from "./github/retrying-octokit.js";

/** The login the workflow's GITHUB_TOKEN writes comments as. */
export const GITHUB_ACTIONS_BOT = "github-actions[bot]";

interface RawComment {
  readonly id: number;
  readonly body?: string | null;
  readonly user: { readonly login: string } | null;
  readonly html_url: string;
}

function toComment(c: RawComment): IssueComment {
  return { id: c.id, body: c.body ?? "", author: c.user?.login ?? "", htmlUrl: c.html_url };
}

/** Runs `call`, rethrowing its failure with a message for the user (see github-errors.ts). */
async function explained<T>(area: GitHubArea, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw gitHubError(error, area);
  }
}

/**
 * A GitHubPort for repository `owner/repo`, calling GitHub as `policy` says (retries, backoff, a
 * total budget). `warn` receives what the log should show: that the token's login could not be
 * asked and the GITHUB_TOKEN's is assumed, and each rate limit met. `apiUrl`: see retryingOctokit.
 */
export function octokitGitHub(token: string, repository: string, warn: (message: string) => void, policy: GitHubCallPolicy = DEFAULT_GITHUB_CALL_POLICY, apiUrl?: string): GitHubPort {
  const [owner, repo] = repository.split("/") as [string, string];
  if (!owner || !repo) throw new Error(`GITHUB_REPOSITORY is not owner/name: "${repository}"`);
  const octokit = retryingOctokit(token, policy, warn, apiUrl);
  let login: Promise<string> | undefined;

  async function askLogin(): Promise<string> {
    // As dflook/terraform-github-actions does: GraphQL `viewer` answers for user tokens and for
    // installation tokens (the GITHUB_TOKEN is one, and answers `github-actions[bot]`); REST
    // GET /user answers fine-grained PATs that GraphQL refuses, but refuses installation tokens
    // ("Resource not accessible by integration").
    try {
      const data = await octokit.graphql<{ viewer: { login: string } }>("query { viewer { login } }");
      if (data.viewer.login) return data.viewer.login;
    } catch {
      // fall through to REST
    }
    try {
      const { data } = await octokit.rest.users.getAuthenticated();
      if (data.login) return data.login;
    } catch {
      // fall through to the GITHUB_TOKEN's login
    }
    warn(`could not ask GitHub which account the token belongs to (GraphQL viewer and GET /user both refused); assuming the workflow's GITHUB_TOKEN, ${GITHUB_ACTIONS_BOT}`);
    return GITHUB_ACTIONS_BOT;
  }

  return {
    tokenLogin: () => (login ??= askLogin()),
    async *listComments(issueNumber) {
      const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, { owner, repo, issue_number: issueNumber, per_page: 100 });
      const iterator = pages[Symbol.asyncIterator]();
      for (;;) {
        const next = await explained("comments", () => iterator.next());
        if (next.done) return;
        for (const c of next.value.data as RawComment[]) yield toComment(c);
      }
    },
    createComment: (issueNumber, body) =>
      explained("comments", async () => toComment((await octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body })).data as RawComment)),
    updateComment: (commentId, body) =>
      explained("comments", async () => toComment((await octokit.rest.issues.updateComment({ owner, repo, comment_id: commentId, body })).data as RawComment)),

    createDeployment: (request) =>
      explained("deployments", async () => {
        const { status, data } = await octokit.rest.repos.createDeployment({
          owner,
          repo,
          ref: request.ref,
          environment: request.environment,
          description: request.description,
          task: "deploy",
          // A preview of the PR's own commit: never merge the default branch into it first, and
          // never wait for status checks (the run deploying it is one of them).
          auto_merge: false,
          required_contexts: [],
          transient_environment: true,
          production_environment: false,
        });
        // 202 is GitHub's answer when it merged instead of deploying (only with auto_merge).
        if (status !== 201 || !("id" in data)) throw new Error(`GitHub did not create the deployment: ${JSON.stringify(data).slice(0, 200)}`);
        return data.id;
      }),
    createDeploymentStatus: (deploymentId, s) =>
      explained("deployments", async () => {
        await octokit.rest.repos.createDeploymentStatus({
          owner,
          repo,
          deployment_id: deploymentId,
          state: s.state,
          log_url: s.logUrl,
          description: s.description.slice(0, 140),
          ...(s.environmentUrl !== undefined ? { environment_url: s.environmentUrl } : {}),
          // Transient deployments are ours to retire (GitHub's auto_inactive skips them anyway).
          auto_inactive: false,
        });
      }),
    async *listDeployments(environment) {
      const pages = octokit.paginate.iterator(octokit.rest.repos.listDeployments, { owner, repo, environment, per_page: 100 });
      const iterator = pages[Symbol.asyncIterator]();
      for (;;) {
        const next = await explained("deployments", () => iterator.next());
        if (next.done) return;
        for (const d of next.value.data) yield d.id;
      }
    },
    latestDeploymentState: (deploymentId) =>
      explained("deployments", async () => {
        // Statuses are listed newest first.
        const { data } = await octokit.rest.repos.listDeploymentStatuses({ owner, repo, deployment_id: deploymentId, per_page: 1 });
        return data[0]?.state as DeploymentState | undefined;
      }),
  };
}
