/**
 * An instance's CPU utilization as CloudWatch's `CPUUtilization` reports it, measured from the
 * operating system: the process's CPU time (user + system, fields 14 and 15 of /proc/<pid>/stat,
 * in clock ticks) over the wall time since the last sample, divided by the instance type's vCPUs.
 * A t3.micro has 2 vCPUs, so one busy Node.js thread reads about 50%.
 */
import { readFileSync } from "node:fs";

/** Linux's USER_HZ: /proc reports CPU time in these ticks on every architecture Node runs on. */
const TICKS_PER_SECOND = 100;

/** The process's CPU time so far, in seconds; undefined when it is gone (or not on Linux). */
export function processCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may contain spaces and parentheses: count fields after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) / TICKS_PER_SECOND : undefined;
  } catch {
    return undefined;
  }
}

/** Samples processes' CPU utilization; each call to `sample` covers the time since the previous one. */
export class CpuMeter {
  private readonly last = new Map<number, { cpu: number; at: number }>();

  constructor(private readonly vcpus: number) {}

  /** Percent (0-100) of the instance's vCPUs used since the last sample of `pid`; undefined on the first sample or when it is gone. */
  sample(pid: number, now = performance.now()): number | undefined {
    const cpu = processCpuSeconds(pid);
    if (cpu === undefined) {
      this.last.delete(pid);
      return undefined;
    }
    const before = this.last.get(pid);
    this.last.set(pid, { cpu, at: now });
    if (!before || now <= before.at) return undefined;
    return Math.min(100, Math.max(0, ((cpu - before.cpu) / ((now - before.at) / 1000) / this.vcpus) * 100));
  }

  /** Forget processes not in `pids`. */
  retain(pids: ReadonlySet<number>): void {
    for (const pid of this.last.keys()) if (!pids.has(pid)) this.last.delete(pid);
  }
}
