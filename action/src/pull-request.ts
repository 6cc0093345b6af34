/**
 * The facts of the triggering pull request, read from the event payload GitHub writes to
 * GITHUB_EVENT_PATH (`pull_request` and `pull_request_target` events). Only what the action needs.
 */

/** The pull request the run belongs to. */
export interface PullRequestInfo {
  readonly number: number;
  /** The PR's own creation time, ISO 8601 to the second: the environment's CreatedAt tag. */
  readonly createdAt: string;
  /** `opened`, `synchronize`, `reopened`, `closed`, ... */
  readonly action: string;
  /** `owner/name` of the repository the PR's branch lives in (null when that fork was deleted). */
  readonly headRepo: string | null;
  /** `owner/name` of the repository the PR targets. */
  readonly baseRepo: string;
  /** The head commit, for the report. */
  readonly headSha: string;
  /** Names of the labels the PR carries (`pull_request.labels[].name`). */
  readonly labels: readonly string[];
  /** On a `labeled`/`unlabeled` event, the label added or removed (`label.name`). */
  readonly eventLabel?: string;
}

/** Whether the PR comes from another repository: its code must not run with our cloud credentials. */
export function isFork(pr: PullRequestInfo): boolean {
  return pr.headRepo !== pr.baseRepo;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** Drops milliseconds: tags carry seconds (`2025-01-31T12:00:00Z`), as stacks/config.ts expects. */
function isoSeconds(raw: string): string | undefined {
  const time = Date.parse(raw);
  if (Number.isNaN(time)) return undefined;
  return new Date(time).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * The pull request of `payload`, or undefined when the event is not about a pull request.
 * Throws with the missing field's name when the payload claims a pull request but lacks a field.
 */
export function pullRequestFromEvent(payload: unknown): PullRequestInfo | undefined {
  const pr = asRecord(asRecord(payload)?.pull_request);
  if (pr === undefined) return undefined;
  const number = pr.number;
  if (typeof number !== "number" || !Number.isInteger(number) || number < 1) {
    throw new Error(`the event's pull_request.number is not a pull-request number: ${JSON.stringify(number)}`);
  }
  const createdAt = typeof pr.created_at === "string" ? isoSeconds(pr.created_at) : undefined;
  if (createdAt === undefined) {
    throw new Error(`the event's pull_request.created_at is not a time: ${JSON.stringify(pr.created_at)}`);
  }
  const base = asRecord(asRecord(pr.base)?.repo);
  const baseRepo = base?.full_name;
  if (typeof baseRepo !== "string") throw new Error("the event's pull_request.base.repo.full_name is missing");
  const head = asRecord(pr.head);
  const headRepoName = asRecord(head?.repo)?.full_name;
  const action = asRecord(payload)?.action;
  const labels = Array.isArray(pr.labels) ? pr.labels.map((l) => asRecord(l)?.name).filter((n): n is string => typeof n === "string") : [];
  const eventLabel = asRecord(asRecord(payload)?.label)?.name;
  return {
    number,
    createdAt,
    action: typeof action === "string" ? action : "",
    headRepo: typeof headRepoName === "string" ? headRepoName : null,
    baseRepo,
    headSha: typeof head?.sha === "string" ? head.sha : "",
    labels,
    ...(typeof eventLabel === "string" ? { eventLabel } : {}),
  };
}
