/**
 * The state lock someone else holds, read from terraform's error text.
 *
 * Terraform reports a lock it could not get within `-lock-timeout` only as text (there is no JSON
 * for it outside `-json` mode), written by `internal/command/clistate/state.go`:
 *
 *   Error: Error acquiring the state lock
 *
 *   Error message: resource temporarily unavailable
 *   Lock Info:
 *     ID:        aaafe49e-204d-f8f7-ce70-0a08a7d94009
 *     Path:      terraform.tfstate
 *     Operation: OperationTypeApply
 *     Who:       root@vm
 *     Version:   1.11.4
 *     Created:   2026-11-30 15:16:22.560553741 +0000 UTC
 *     Info:
 *
 * So it is parsed narrowly: only after that exact summary, only the indented lines of the
 * `Lock Info:` block, and only when an ID is there. "Error acquiring the state lock" without lock
 * info (a permission error on the lock table, say) is not a lock held by someone and is not parsed.
 */
import { hostname, userInfo } from "node:os";

/** A lock on the state, held by someone else. */
export interface StateLock {
  /** Terraform's lock ID; what `terraform force-unlock` takes. */
  readonly id: string;
  /** Who holds it, as terraform writes it: `user@host`. Empty when terraform left it empty. */
  readonly who: string;
  /** What the holder is doing: `OperationTypeApply`, `OperationTypePlan`, ... */
  readonly operation: string;
  /** When it was taken, as terraform printed it (Go's time format). */
  readonly created: string;
  /** `created` as a date, when it could be read. */
  readonly createdAt: Date | undefined;
  /** The state path or key the lock is on. */
  readonly path: string;
  /** The holder's terraform version. */
  readonly version: string;
  /** The backend's own error line (`resource temporarily unavailable`, `ConditionalCheckFailedException...`). */
  readonly backendMessage: string;
}

const SUMMARY = "Error acquiring the state lock";

/** Go's `time.Time.String()`: `2026-11-30 15:16:22.560553741 +0000 UTC`. */
function parseGoTime(text: string): Date | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d+))? ([+-])(\d{2})(\d{2})\b/.exec(text);
  if (!m) return undefined;
  const millis = (m[3] ?? "").slice(0, 3).padEnd(3, "0");
  const date = new Date(`${m[1]}T${m[2]}.${millis}${m[4]}${m[5]}:${m[6]}`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** The lock described in terraform's stderr, or undefined when the text is not a held-lock error. */
export function parseStateLock(stderr: string): StateLock | undefined {
  const text = stderr.replace(/\r\n/g, "\n");
  const summaryAt = text.indexOf(SUMMARY);
  if (summaryAt < 0) return undefined;
  const lines = text.slice(summaryAt).split("\n");
  const infoAt = lines.findIndex((line) => line.trim() === "Lock Info:");
  if (infoAt < 0) return undefined;

  const fields = new Map<string, string>();
  for (const line of lines.slice(infoAt + 1)) {
    const m = /^\s+(ID|Path|Operation|Who|Version|Created|Info):(.*)$/.exec(line);
    if (!m) break; // the block ends at the first line that is not one of its fields
    fields.set(m[1]!, m[2]!.trim());
  }
  const id = fields.get("ID");
  if (!id) return undefined;
  const backendLine = lines.slice(0, infoAt).find((line) => line.startsWith("Error message:"));
  const created = fields.get("Created") ?? "";
  return {
    id,
    who: fields.get("Who") ?? "",
    operation: fields.get("Operation") ?? "",
    created,
    createdAt: parseGoTime(created),
    path: fields.get("Path") ?? "",
    version: fields.get("Version") ?? "",
    backendMessage: backendLine?.slice("Error message:".length).trim() ?? "",
  };
}

/** How terraform names this machine's user in a lock's `Who`: `user@host`. */
export function lockHolderName(): string {
  return `${userInfo().username}@${hostname()}`;
}

/** A terraform run this process killed, which may have left its lock behind (remote backends). */
export interface KilledRun {
  /** `lockHolderName()` when it ran. */
  readonly who: string;
  readonly startedAt: Date;
  readonly killedAt: Date;
}

/**
 * Whether `lock` is the one `killed` left behind: same holder name, taken while that run was
 * alive. Only such a lock may be force-unlocked; any other lock belongs to someone else.
 */
export function isOwnStaleLock(lock: StateLock, killed: KilledRun): boolean {
  if (lock.who !== killed.who || lock.createdAt === undefined) return false;
  const t = lock.createdAt.getTime();
  // Terraform's clock and ours are the same machine's; allow a second for rounding.
  return t >= killed.startedAt.getTime() - 1000 && t <= killed.killedAt.getTime();
}

/** One line for people: who holds the lock, since when, doing what, and its ID. */
export function describeStateLock(lock: StateLock): string {
  const since = lock.createdAt ? lock.createdAt.toISOString() : lock.created || "an unknown time";
  return `the state is locked by ${lock.who || "someone unnamed"} since ${since} (${lock.operation || "unknown operation"}, lock ID ${lock.id})`;
}
