/**
 * GitHubPort over @actions/github's Octokit (which honours GITHUB_API_URL, so tests can point it at
 * a local stand-in).
 */
import { getOctokit } from "@actions/github";
import type { GitHubPort, IssueComment } from "./github-port.js";

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

/**
 * A GitHubPort for repository `owner/repo`. `warn` receives the one warning this can give: that
 * the token's login could not be asked and the GITHUB_TOKEN's is assumed.
 */
export function octokitGitHub(token: string, repository: string, warn: (message: string) => void): GitHubPort {
  const [owner, repo] = repository.split("/") as [string, string];
  if (!owner || !repo) throw new Error(`GITHUB_REPOSITORY is not owner/name: "${repository}"`);
  const octokit = getOctokit(token);
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
      for await (const page of pages) for (const c of page.data as RawComment[]) yield toComment(c);
    },
    async createComment(issueNumber, body) {
      const { data } = await octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body });
      return toComment(data as RawComment);
    },
    async updateComment(commentId, body) {
      const { data } = await octokit.rest.issues.updateComment({ owner, repo, comment_id: commentId, body });
      return toComment(data as RawComment);
    },
  };
}
