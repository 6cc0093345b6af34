/**
 * What the action needs from GitHub's REST API: the token's own login, a pull request's issue
 * comments (list, create, update), and the deployments of its environment (create, set status,
 * list). `octokit-github.ts` implements it over @actions/github; the tests
 * run that implementation against a local stand-in of the API (test/github-stand-in/ at the repository root).
 */

/** One issue comment, reduced to what the action reads. */
export interface IssueComment {
  readonly id: number;
  readonly body: string;
  /** Login of the account that wrote it, e.g. `github-actions[bot]`. */
  readonly author: string;
  readonly htmlUrl: string;
}

export interface GitHubPort extends GitHubDeployments {
  /** The login of the account the token acts as. */
  tokenLogin(): Promise<string>;
  /** Every comment of issue/PR `issueNumber`, oldest first, all pages. */
  listComments(issueNumber: number): AsyncIterable<IssueComment>;
  createComment(issueNumber: number, body: string): Promise<IssueComment>;
  updateComment(commentId: number, body: string): Promise<IssueComment>;
}

/** The states a deployment status can take (GitHub's REST API, "Create a deployment status"). */
export type DeploymentState = "error" | "failure" | "inactive" | "in_progress" | "queued" | "pending" | "success";

/** A deployment to create: always transient, never auto-merged, no required status checks. */
export interface DeploymentRequest {
  /** The commit deployed. */
  readonly ref: string;
  /** The GitHub environment, e.g. `pr-12`. */
  readonly environment: string;
  readonly description: string;
}

/** A deployment status to add. */
export interface DeploymentStatusRequest {
  readonly state: DeploymentState;
  /** The environment's URL: GitHub's "View deployment" button. */
  readonly environmentUrl?: string;
  /** The run's log. */
  readonly logUrl: string;
  /** At most 140 characters (GitHub's limit). */
  readonly description: string;
}

/** What GitHub's deployments API does for the action. */
export interface GitHubDeployments {
  /** Creates a deployment; returns its ID. */
  createDeployment(request: DeploymentRequest): Promise<number>;
  createDeploymentStatus(deploymentId: number, status: DeploymentStatusRequest): Promise<void>;
  /** IDs of the deployments to `environment`, newest first, all pages. */
  listDeployments(environment: string): AsyncIterable<number>;
  /** The state of the deployment's latest status, or undefined when it has none. */
  latestDeploymentState(deploymentId: number): Promise<DeploymentState | undefined>;
}
