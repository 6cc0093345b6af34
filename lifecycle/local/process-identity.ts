/**
 * Who a process is, not just its number: a pid plus its start time (field 22 of /proc/<pid>/stat,
 * clock ticks since boot), as supervisord and systemd identify their children. A pid is reused
 * once its process is gone; the pair never is, so a later `seedstack down` can tell a leftover of
 * ours from a stranger that merely got the same pid, and never kills the stranger.
 *
 * Linux only (/proc). Elsewhere the start time is unknown and a recorded process is never killed
 * by pid alone: the lifeline (lifeline.ts) is then the only guarantee.
 */
import { readFileSync } from "node:fs";

/** A process as recorded: its pid and, where /proc tells, its start time. */
export interface ProcessIdentity {
  readonly pid: number;
  /** Field 22 of /proc/<pid>/stat (clock ticks after boot), as a string: it can exceed 2^53 in theory. */
  readonly startTime?: string;
}

/** Field 22 of /proc/<pid>/stat, or undefined when the process is gone or there is no /proc. */
export function processStartTime(pid: number): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // Field 2 (the command name) is in parentheses and may itself hold spaces or ')': split after the last one.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // fields[0] is field 3 (state), so field 22 is fields[19].
  return fields[19];
}

/** The identity of a live process (with its start time when /proc has it). */
export function identify(pid: number): ProcessIdentity {
  const startTime = processStartTime(pid);
  return { pid, ...(startTime !== undefined ? { startTime } : {}) };
}

/**
 * Whether the recorded process is still that very process: alive with the same start time.
 * Without a recorded start time (no /proc when it was recorded) the answer is false: unproven
 * identity means hands off.
 */
export function stillRunning(p: ProcessIdentity): boolean {
  if (p.startTime === undefined) return false;
  const now = processStartTime(p.pid);
  // A zombie still has its /proc entry; it holds nothing and is not ours to kill.
  return now === p.startTime && !isZombie(p.pid);
}

/**
 * Whether the recorded process has ended but its parent (init, once we were killed) has not reaped
 * it yet: a zombie with the recorded start time. It is ours and dead: neither alive nor a stranger
 * that reused the pid (init can be slow to reap on a busy machine).
 */
export function endedButUnreaped(p: ProcessIdentity): boolean {
  return p.startTime !== undefined && processStartTime(p.pid) === p.startTime && isZombie(p.pid);
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return false;
  }
}
