/**
 * A state lock whose holder is known DEAD may be cleared; any other lock is someone's and stays.
 *
 * Terraform's S3 lock file (`<key>.tflock`) says only `Who` (`user@host`, from the OS), `Created`,
 * `Operation` and an empty `Info` (the CLI offers no way to fill it), so it cannot name our run by
 * itself. A HOLDER NOTE beside the state (`<namePrefix>/pr-<n>/lock-holder.json`) does, written
 * before each terraform run that takes the lock: the host, the terraform pid with its start time
 * (field 22 of /proc/<pid>/stat, so a reused pid is never taken for ours, as supervisord and
 * systemd tell), and on GitHub Actions the run (repository, run id, attempt).
 *
 * Dead means, for a lock whose `Who` is the note's and that was taken while the note's run lived:
 * - on the note's own host: that pid with that start time is no longer running (the post step of
 *   the same job; a laptop); or
 * - elsewhere (the sweeper): GitHub says the note's workflow run is `completed`; a finished run's
 *   runner VM is gone, and its terraform with it.
 * Anything less certain (no note, another holder, a run still in progress, GitHub not answering)
 * keeps the lock.
 */
import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import type { StateLock } from "./state-lock.js";

/** Who ran the terraform that (maybe) holds the lock. */
export interface HolderNote {
  readonly version: 1;
  /** What terraform writes as the lock's `Who`: `user@host`. */
  readonly who: string;
  /** `os.hostname()` where terraform ran. */
  readonly host: string;
  /** terraform's pid (its process group: run-terraform.ts starts it as a group leader). */
  readonly pid: number;
  /** Its start time in clock ticks since boot (/proc/<pid>/stat field 22); absent off Linux. */
  readonly pidStartTicks?: number;
  /** The GitHub Actions run, when terraform ran in one. */
  readonly githubRun?: { readonly repository: string; readonly runId: number; readonly runAttempt: number };
  /** ISO 8601: just before terraform started. */
  readonly startedAt: string;
}

/** A process's start time in clock ticks since boot, or undefined when it is not running (or not Linux). */
export function processStartTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) is in parentheses and may hold spaces: count fields after its ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[22 - 3]);
    return Number.isFinite(ticks) ? ticks : undefined;
  } catch {
    return undefined;
  }
}

/** The note for a terraform just started as `pid`, from this process's environment. */
export function holderNoteFor(pid: number, who: string, env: NodeJS.ProcessEnv = process.env, now: Date = new Date()): HolderNote {
  const runId = Number(env.GITHUB_RUN_ID);
  const ticks = processStartTicks(pid);
  return {
    version: 1,
    who,
    host: hostname(),
    pid,
    ...(ticks !== undefined ? { pidStartTicks: ticks } : {}),
    ...(env.GITHUB_ACTIONS === "true" && env.GITHUB_REPOSITORY && Number.isInteger(runId) && runId > 0
      ? { githubRun: { repository: env.GITHUB_REPOSITORY, runId, runAttempt: Number(env.GITHUB_RUN_ATTEMPT) || 1 } }
      : {}),
    startedAt: now.toISOString(),
  };
}

/** Read a note; undefined when it is not one (never trusted half-way). */
export function parseHolderNote(text: string): HolderNote | undefined {
  try {
    const v = JSON.parse(text) as Partial<HolderNote>;
    const ok = v.version === 1 && typeof v.who === "string" && typeof v.host === "string" && Number.isInteger(v.pid) && typeof v.startedAt === "string" && !Number.isNaN(Date.parse(v.startedAt));
    return ok ? (v as HolderNote) : undefined;
  } catch {
    return undefined;
  }
}

/** What the verdict may ask. */
export interface HolderProbes {
  /** This machine's `os.hostname()`. */
  readonly host: string;
  /** `processStartTicks`. */
  readonly startTicks: (pid: number) => number | undefined;
  /** The status of a GitHub workflow run (`completed`, `in_progress`, ...); absent when GitHub cannot be asked. */
  readonly githubRunStatus?: (repository: string, runId: number) => Promise<string>;
}

/** Whether the lock's holder is known dead, or seen running, and why (one line for people). */
export interface HolderVerdict {
  readonly dead: boolean;
  /**
   * The probes saw the holder running (its process on this machine, or a GitHub run that is not
   * completed). False when nothing can tell: no note, another holder than the note names, GitHub
   * not answering, a holder outside Actions; such a lock does not clear itself.
   */
  readonly running: boolean;
  readonly why: string;
}

/** Decide whether `lock`'s holder is known dead from `note` and the probes. */
export async function holderVerdict(lock: StateLock, note: HolderNote | undefined, probes: HolderProbes): Promise<HolderVerdict> {
  const unknown = (why: string): HolderVerdict => ({ dead: false, running: false, why });
  const running = (why: string): HolderVerdict => ({ dead: false, running: true, why });
  if (!note) return unknown("no holder note names the run that took the lock");
  if (lock.who !== note.who) return unknown(`the lock is held by ${lock.who || "someone unnamed"}, not by the run the note names (${note.who})`);
  if (!lock.createdAt || lock.createdAt.getTime() < Date.parse(note.startedAt) - 1000) return unknown(`the lock was taken before the run the note names started (${note.startedAt})`);
  if (note.host === probes.host) {
    const ticks = probes.startTicks(note.pid);
    if (ticks !== undefined && (note.pidStartTicks === undefined || ticks === note.pidStartTicks)) return running(`terraform (pid ${note.pid}) is still running on this machine`);
    return { dead: true, running: false, why: `terraform (pid ${note.pid}, started ${note.startedAt}) on this machine is no longer running` };
  }
  if (note.githubRun && probes.githubRunStatus) {
    const { repository, runId, runAttempt } = note.githubRun;
    try {
      const status = await probes.githubRunStatus(repository, runId);
      if (status === "completed") return { dead: true, running: false, why: `GitHub run ${runId} (attempt ${runAttempt}) of ${repository}, which took the lock, has finished` };
      return running(`GitHub run ${runId} of ${repository} is ${status}`);
    } catch (error) {
      return unknown(`GitHub did not say whether run ${runId} has finished: ${(error as Error).message}`);
    }
  }
  return unknown(`the holder ran on ${note.host}${note.githubRun ? "" : ", outside GitHub Actions"}; nothing here can tell whether it is still running`);
}

/**
 * The `githubRunStatus` probe over GitHub's REST API: GET /repos/{owner}/{repo}/actions/runs/{id},
 * whose `status` is `completed` once the run has finished (the workflow needs `actions: read`).
 */
export function githubRunStatusChecker(options: { readonly token: string; readonly apiUrl?: string; readonly fetch?: typeof fetch }): (repository: string, runId: number) => Promise<string> {
  const base = (options.apiUrl ?? process.env.GITHUB_API_URL ?? "https://api.github.com").replace(/\/+$/, "");
  const doFetch = options.fetch ?? fetch;
  return async (repository, runId) => {
    const response = await doFetch(`${base}/repos/${repository}/actions/runs/${runId}`, {
      headers: { accept: "application/vnd.github+json", authorization: `Bearer ${options.token}`, "x-github-api-version": "2022-11-28", "user-agent": "seedstack-sweep" },
      signal: AbortSignal.timeout(30_000),
    });
    const body = (await response.json().catch(() => undefined)) as { status?: unknown; message?: unknown } | undefined;
    if (!response.ok) throw new Error(`GET /repos/${repository}/actions/runs/${runId}: HTTP ${response.status}${typeof body?.message === "string" ? `: ${body.message}` : ""}`);
    if (typeof body?.status !== "string") throw new Error(`GET /repos/${repository}/actions/runs/${runId}: the answer has no status`);
    return body.status;
  };
}

/** Terraform's S3 lock file (JSON: ID, Operation, Info, Who, Version, Created RFC 3339, Path) as a StateLock; undefined when unreadable. */
export function lockFromLockFile(text: string): StateLock | undefined {
  try {
    const v = JSON.parse(text) as Record<string, unknown>;
    const s = (k: string) => (typeof v[k] === "string" ? (v[k] as string) : "");
    if (!s("ID")) return undefined;
    const created = new Date(s("Created"));
    return { id: s("ID"), who: s("Who"), operation: s("Operation"), created: s("Created"), createdAt: Number.isNaN(created.getTime()) ? undefined : created, path: s("Path"), version: s("Version"), backendMessage: "" };
  } catch {
    return undefined;
  }
}
