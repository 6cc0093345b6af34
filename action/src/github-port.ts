/**
 * What the action needs from GitHub's REST API: the token's own login, and a pull request's issue
 * comments (list, create, update). `octokit-github.ts` implements it over @actions/github; the tests
 * run that implementation against a local stand-in of the API (test/fake-github.ts).
 */

/** One issue comment, reduced to what the action reads. */
export interface IssueComment {
  readonly id: number;
  readonly body: string;
  /** Login of the account that wrote it, e.g. `github-actions[bot]`. */
  readonly author: string;
  readonly htmlUrl: string;
}

export interface GitHubPort {
  /** The login of the account the token acts as. */
  tokenLogin(): Promise<string>;
  /** Every comment of issue/PR `issueNumber`, oldest first, all pages. */
  listComments(issueNumber: number): AsyncIterable<IssueComment>;
  createComment(issueNumber: number, body: string): Promise<IssueComment>;
  updateComment(commentId: number, body: string): Promise<IssueComment>;
}
