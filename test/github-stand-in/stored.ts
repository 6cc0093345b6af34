/**
 * What the GitHub STAND-IN keeps: the requests it received and the repository's objects as GitHub
 * stores them (the fields the tests set or read; the response shapes add GitHub's other fields).
 */
import type { IncomingHttpHeaders } from "node:http";

/** One request as the stand-in received it. */
export interface RecordedRequest {
  readonly method: string;
  /** Path without the query string, e.g. `/repos/octo/app/issues/12/comments`. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly authorization: string | undefined;
  /** Every header as Node received it (names lower-case), e.g. `accept`, `x-github-api-version`. */
  readonly headers: IncomingHttpHeaders;
  /** Parsed JSON body, when there was one. */
  readonly body: unknown;
}

/** How the stand-in treats the token, to cover both kinds of GitHub token. */
export interface TokenBehaviour {
  /** The account the token acts as. */
  readonly login: string;
  /** Installation tokens (the GITHUB_TOKEN) get 403 from GET /user; PATs get 200. */
  readonly kind: "installation" | "pat";
  /** When false, GraphQL answers with an error (as for some fine-grained PATs). */
  readonly graphql: boolean;
}

/** A comment as GitHub stores it. */
export interface StoredComment {
  id: number;
  issue: number;
  body: string;
  login: string;
  createdAt: string;
  updatedAt: string;
}

/** A deployment as GitHub stores it. */
export interface StoredDeployment {
  id: number;
  sha: string;
  ref: string;
  task: string;
  environment: string;
  description: string | null;
  transient: boolean;
  production: boolean;
  autoMerge: boolean;
  requiredContexts: unknown;
  login: string;
  createdAt: string;
  /** Oldest first. */
  statuses: StoredDeploymentStatus[];
}

/** A deployment status as GitHub stores it. */
export interface StoredDeploymentStatus {
  id: number;
  state: string;
  description: string;
  environmentUrl: string;
  logUrl: string;
  login: string;
  createdAt: string;
}

/** A pull request as the stand-in knows it (GET /repos/{owner}/{repo}/pulls/{n}). */
export interface StoredPull {
  state: "open" | "closed";
  merged: boolean;
}

/** A workflow run as the stand-in knows it (GET /repos/{owner}/{repo}/actions/runs/{run_id}). */
export interface StoredRun {
  /** GitHub's run statuses: `queued`, `in_progress`, `completed`, `waiting`, `requested`, `pending`. */
  status: "queued" | "in_progress" | "completed" | "waiting" | "requested" | "pending";
  /** Set once the run has completed (`success`, `failure`, `cancelled`, ...); null before. */
  conclusion: string | null;
}

/** The next IDs the stand-in hands out, in GitHub's ranges for each kind of object. */
export interface NextIds {
  comment: number;
  deployment: number;
  status: number;
}

/** Everything a route reads and changes: the one repository the stand-in serves and its objects. */
export interface StandInState {
  /** The stand-in's own base URL, for the `url` fields of its answers (set once it listens). */
  base: string;
  /** `owner/name` of the one repository; requests naming another answer 404. */
  readonly repository: string;
  /** The account the accepted token acts as. */
  readonly account: TokenBehaviour;
  readonly comments: StoredComment[];
  readonly deployments: StoredDeployment[];
  readonly pulls: Record<number, StoredPull>;
  readonly runs: Record<number, StoredRun>;
  readonly ids: NextIds;
}

/** GitHub's numeric ID of the stand-in's one repository (its pagination links name it so). */
export const REPOSITORY_ID = 100200300;

/** A timestamp as GitHub writes them: whole seconds, UTC. */
export function gitHubNow(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
}
