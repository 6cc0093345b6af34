/**
 * "Get a pull request" in the GitHub STAND-IN (docs.github.com/rest/pulls/pulls#get-a-pull-request):
 * the pull requests the test set, by number, in GitHub's full shape; any other number answers 404.
 */
import { getByNumberRoute, OWNER_REPO } from "./route.js";
import { REPOSITORY_ID, type StoredPull } from "./stored.js";
import { userJson } from "./user-shape.js";

const PULL = new RegExp(`^/repos/(${OWNER_REPO})/pulls/(\\d+)$`);
const OPENED_AT = "2026-11-28T09:15:00Z";
const CLOSED_AT = "2026-12-01T16:40:00Z";

function pullJson(base: string, repository: string, n: number, p: StoredPull): Record<string, unknown> {
  const closedAt = p.state === "closed" ? CLOSED_AT : null;
  const ref = (label: string, refName: string, sha: string) => ({ label, ref: refName, sha, user: userJson(label.split(":")[0]!), repo: { id: REPOSITORY_ID, full_name: repository, fork: false } });
  return {
    url: `${base}/repos/${repository}/pulls/${n}`,
    id: 2_100_000_000 + n,
    node_id: `PR_kwDO${n}`,
    html_url: `https://github.com/${repository}/pull/${n}`,
    number: n,
    state: p.state,
    locked: false,
    title: `Pull request ${n}`,
    user: userJson("mona"),
    body: null,
    created_at: OPENED_AT,
    updated_at: closedAt ?? OPENED_AT,
    closed_at: closedAt,
    merged_at: p.merged ? closedAt : null,
    merge_commit_sha: p.merged ? "5c8e1f2a3b4d5e6f708192a3b4c5d6e7f8091a2b" : null,
    draft: false,
    head: ref("mona:feature", `feature-${n}`, "4f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39"),
    base: ref(`${repository.split("/")[0]}:main`, "main", "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567"),
    author_association: "MEMBER",
    merged: p.merged,
    mergeable: p.state === "open" ? true : null,
    merged_by: p.merged ? userJson("mona") : null,
    comments: 0,
    commits: 1,
    additions: 10,
    deletions: 2,
    changed_files: 1,
  };
}

/** Answers GET /repos/{owner}/{repo}/pulls/{n}; undefined for any other request. */
export const pullsRoute = getByNumberRoute(PULL, (state) => state.pulls, (state, n, pull) => pullJson(state.base, state.repository, n, pull), "pulls/pulls#get-a-pull-request");
