/**
 * What a test may look at after killing a seedstack process: that run's own process tree (read
 * from /proc before the kill) and the pids it recorded, never the whole machine (other runs share
 * it). A zombie counts as gone: it holds no port, no file, no memory, and only waits for init
 * (a slow reaper on some machines) to collect it.
 */
import { readFileSync, readdirSync } from "node:fs";

/** Every descendant of `pid` now (children, their children, ...), from /proc. Linux only. */
export function descendantsOf(pid: number): number[] {
  const out: number[] = [];
  const walk = (p: number) => {
    let tasks: string[];
    try {
      tasks = readdirSync(`/proc/${p}/task`);
    } catch {
      return;
    }
    for (const t of tasks) {
      let children: string;
      try {
        children = readFileSync(`/proc/${p}/task/${t}/children`, "utf8");
      } catch {
        continue;
      }
      for (const c of children.split(" ").filter(Boolean).map(Number)) {
        out.push(c);
        walk(c);
      }
    }
  };
  walk(pid);
  return out;
}

/** Whether `pid` runs (exists and is not a zombie). */
export function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return !stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return false;
  }
}

/** The pids of `pids` still running after up to `deadlineMs` (empty: all gone in time). */
export async function stillRunningAfter(pids: readonly number[], deadlineMs: number): Promise<number[]> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const left = pids.filter(running);
    if (left.length === 0 || Date.now() > deadline) return left;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** What a pid runs, for a failure message. */
export function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim().slice(0, 160);
  } catch {
    return "?";
  }
}

/** SIGKILL each of `pids` that still runs (a test's own clean-up after a failed assertion). */
export function killAll(pids: readonly number[]): void {
  for (const pid of pids) {
    try {
      if (running(pid)) process.kill(pid, "SIGKILL");
    } catch {
      // gone meanwhile
    }
  }
}
