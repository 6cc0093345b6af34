/**
 * The durable record of what a local environment runs: written before anything starts, rewritten
 * (atomically) as each process group and folder appears, removed once everything is down. It is
 * how a later `seedstack down` finds what a killed `seedstack up` left (supervisord and systemd
 * keep the same kind of record of their children), and how a second `up` of the same stack learns
 * that one is already running.
 *
 * Every process is written down with its start time (process-identity.ts): reaping kills a
 * recorded process group only while its leader is that very process, never one that merely got the
 * same pid since. Folders are removed only when they look like ours (`seedstack-…` in a temp dir),
 * so a damaged record cannot make `down` delete anything else.
 *
 * One record per `up` of a stack (exclusive: a second `up` is refused while the first one's owner
 * lives); `run`, `drill` and a `smoke` that starts its own environment keep one per process, so
 * they can run beside an `up` and still be reaped after a SIGKILL.
 */
import { createHash } from "node:crypto";
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { LifecycleError } from "../errors.js";
import { onExit } from "./exit-hook.js";
import { endedButUnreaped, identify, stillRunning, type ProcessIdentity } from "./process-identity.js";
import type { ProcessTracker } from "../../local-postgres/process-tracker.js";

/** A recorded process group (its leader). */
export interface RecordedProcess extends ProcessIdentity {
  /** What it is ("seed server i-0…", "postgres (PostgreSQL, supervised)"). */
  readonly role: string;
  /** Where it listens, when it does. */
  readonly address?: string;
}

/** What the record file holds. */
export interface RunningRecordData {
  readonly version: 1;
  readonly stack: string;
  /** The seedstack command that owns it (up, run, drill, smoke). */
  readonly command: string;
  /** The seedstack process that started everything below. */
  readonly owner: ProcessIdentity;
  readonly startedAt: string;
  /** The load balancer's listeners, as they come up. */
  readonly urls: readonly string[];
  /**
   * `up`'s console, its per-run token included (`seedstack load` drives it): a secret, which is
   * why the record is readable by its owner only (0600). Absent until the console listens.
   */
  readonly console?: string;
  readonly processes: readonly RecordedProcess[];
  readonly folders: readonly string[];
}

/** A record this process owns: the engine's tracker, plus the listeners' URLs. */
export interface RunningRecord extends ProcessTracker {
  readonly file: string;
  /** A listener's URL, once it listens. */
  url(url: string): void;
  /** The console's URL with its token, once it listens (only the owner may read the record). */
  console(url: string): void;
  /**
   * The run is over: remove the record when everything in it is gone; when something could not be
   * stopped, it stays for `seedstack down`. Returns whether it was removed.
   */
  release(): boolean;
}

/** What reaping a record found. */
export interface ReapResult {
  /** Process groups killed: their leader was still the recorded process. */
  readonly killed: readonly RecordedProcess[];
  /** Recorded pids now used by other processes (started later): left alone. */
  readonly reused: readonly RecordedProcess[];
  /** Folders removed. */
  readonly folders: readonly string[];
}

const DIR = () => join(tmpdir(), "seedstack-local");

/**
 * The records' folder, made this user's own before a record is written there: a record holds the
 * console's token, and the folder sits in a temp dir others may write to. Created 0700; one that is
 * not a folder (a symlink planted by someone) or another user's is refused; one of ours open to
 * others is closed.
 */
function ownRecordDir(): string {
  const dir = DIR();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = lstatSync(dir);
  const uid = process.getuid?.();
  if (!st.isDirectory() || (uid !== undefined && st.uid !== uid)) {
    const what = st.isDirectory() ? `a folder of uid ${st.uid}, not yours (${uid})` : "not a folder (a symbolic link?)";
    throw new LifecycleError("ERR_RECORD_UNREADABLE", `${dir} is where seedstack keeps its running records (they hold the console's token), but it is ${what}: remove it, or set TMPDIR to a folder of your own`);
  }
  if ((st.mode & 0o077) !== 0) chmodSync(dir, 0o700);
  return dir;
}

/** The records of a project's stack live here; `up`'s is `<project>-<stack>.running.json`. */
function recordPrefix(projectDir: string, stack: string): string {
  const project = createHash("sha256").update(projectDir).digest("hex").slice(0, 12);
  return `${project}-${stack}.`;
}

/** The record of `up` for `stack` (only one may be live), or of another command (one per process). */
export function recordFile(projectDir: string, stack: string, command: string, pid = process.pid): string {
  return join(DIR(), `${recordPrefix(projectDir, stack)}${command === "up" ? "" : `${command}-${pid}.`}running.json`);
}

/** Every record of `stack` in the project (an `up`'s and those of runs). */
export function recordFilesOf(projectDir: string, stack: string): string[] {
  const prefix = recordPrefix(projectDir, stack);
  let names: string[];
  try {
    names = readdirSync(DIR());
  } catch {
    return [];
  }
  return names.filter((n) => n.startsWith(prefix) && n.endsWith(".running.json") && /^[a-z]+-\d+\.$|^$/.test(n.slice(prefix.length, -"running.json".length))).map((n) => join(DIR(), n));
}

/** Read a record; undefined when there is none. A file that is not a record is a clear error. */
export function readRunningRecord(file: string): RunningRecordData | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  try {
    const data = JSON.parse(text) as RunningRecordData;
    if (data.version !== 1 || typeof data.owner?.pid !== "number" || !Array.isArray(data.processes) || !Array.isArray(data.folders)) throw new Error("not a seedstack running record (version 1)");
    return data;
  } catch (err) {
    throw new LifecycleError("ERR_RECORD_UNREADABLE", `the running record ${file} cannot be read (${(err as Error).message}); check that nothing of this stack runs, then remove the file`);
  }
}

/**
 * Whether the record's owner (the seedstack process) is still that very process. Without a start
 * time (no /proc) a live pid is taken for the owner, as `down` always did there: the owner is only
 * ever asked to stop (SIGTERM), never killed with its group, so a wrong guess costs far less.
 */
export function ownerAlive(data: RunningRecordData): boolean {
  return data.owner.startTime === undefined ? pidInUse(data.owner.pid) : stillRunning(data.owner);
}

/** The running one's details, for a refusal or a `down`. */
export function describeRecord(data: RunningRecordData): string {
  const where = data.urls.length ? ` at ${data.urls.join(", ")}` : "";
  return `\`seedstack ${data.command}\` (pid ${data.owner.pid}, started ${data.startedAt})${where}, ${data.processes.length} process group(s)`;
}

/**
 * Start a record for `command` on `stack`, before anything starts. For `up`: refused with
 * ERR_ALREADY_UP while another `up` of the stack lives; a record whose owner died is reaped first
 * (`onReaped` says what was found). The file is created exclusively, so two `up`s started at the
 * same moment cannot both win.
 */
export function claimRunningRecord(projectDir: string, stack: string, command: string, onReaped: (data: RunningRecordData, result: ReapResult) => void = () => undefined): RunningRecord {
  ownRecordDir();
  const file = recordFile(projectDir, stack, command);
  let data: RunningRecordData = { version: 1, stack, command, owner: identify(process.pid), startedAt: new Date().toISOString(), urls: [], processes: [], folders: [] };
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, JSON.stringify(data, null, 2), { mode: 0o600, flag: "wx" });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST" || attempt >= 3) throw err;
    }
    const existing = readRunningRecord(file);
    if (existing && ownerAlive(existing)) {
      throw new LifecycleError(
        "ERR_ALREADY_UP",
        `stack ${stack} is already up: ${describeRecord(existing)}. Use it (\`seedstack smoke --stack ${stack}\`), take it down first (\`seedstack down --stack ${stack}\`), or bring up another stack`,
      );
    }
    if (existing) onReaped(existing, reapRunningRecord(existing));
    rmSync(file, { force: true });
  }
  const save = () => {
    const temp = `${file}.${process.pid}.tmp`;
    // The mode applies only when the file is created: a leftover temp file must not lend it its own.
    rmSync(temp, { force: true });
    // Exclusive: a file someone put there in between (a symlink to theirs) is not written through.
    writeFileSync(temp, JSON.stringify(data, null, 2), { mode: 0o600, flag: "wx" });
    renameSync(temp, file);
  };
  let released = false;
  const update = (change: (d: RunningRecordData) => RunningRecordData) => {
    if (released) return;
    data = change(data);
    save();
  };
  // A forced exit (second Ctrl-C, an uncaught error) ends us before teardown updates the record:
  // reap what it holds, synchronously, and remove it (the exit hook runs sync calls only).
  const forgetOnExit = onExit(() => {
    if (released) return;
    released = true;
    reapRunningRecord(data);
    removeRecord(file);
  });
  return {
    file,
    process(pid, role, address) {
      const entry: RecordedProcess = { ...identify(pid), role, ...(address ? { address } : {}) };
      update((d) => ({ ...d, processes: [...d.processes, entry] }));
      return () => update((d) => ({ ...d, processes: d.processes.filter((p) => p !== entry && !(p.pid === entry.pid && p.startTime === entry.startTime)) }));
    },
    folder(dir) {
      update((d) => ({ ...d, folders: [...d.folders, dir] }));
      return () => update((d) => ({ ...d, folders: d.folders.filter((f) => f !== dir) }));
    },
    url(url) {
      update((d) => ({ ...d, urls: [...d.urls, url] }));
    },
    console(url) {
      update((d) => ({ ...d, console: url }));
    },
    release() {
      if (released) return !existsSync(file);
      forgetOnExit();
      released = true;
      if (data.processes.length > 0 || data.folders.length > 0) return false;
      removeRecord(file);
      return true;
    },
  };
}

/**
 * Kill what a record still holds and remove its folders; the record itself is not touched.
 * A process group is killed only while its leader is the recorded process (same start time); a
 * leader that is gone altogether may have left its group behind (PostgreSQL under a SIGKILLed
 * supervisor), and a group id cannot be taken by anyone else while that group has members, so
 * the group is signalled then too. A pid that now belongs to a later process is left alone.
 */
export function reapRunningRecord(data: RunningRecordData): ReapResult {
  const killed: RecordedProcess[] = [];
  const reused: RecordedProcess[] = [];
  for (const p of data.processes) {
    if (stillRunning(p)) {
      if (killGroup(p.pid)) killed.push(p);
    } else if (endedButUnreaped(p)) {
      continue; // ours, and already dead: only its exit status waits for init
    } else if (pidInUse(p.pid)) {
      reused.push(p);
    } else if (killGroup(p.pid)) {
      killed.push(p); // its leader is gone, members of its group were not
    }
  }
  const folders: string[] = [];
  for (const dir of data.folders) {
    if (!looksLikeOurs(dir) || !existsSync(dir)) continue;
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    folders.push(dir);
  }
  return { killed, reused, folders };
}

/** Whether the record still holds anything alive (its owner or a recorded process group leader). */
export function holdsLiveProcesses(data: RunningRecordData): boolean {
  return ownerAlive(data) || data.processes.some((p) => stillRunning(p));
}

/** Remove a record file (after reaping) and its folder once empty. */
export function removeRecord(file: string): void {
  rmSync(file, { force: true });
  removeDirIfEmpty(dirname(file));
}

function killGroup(pgid: number): boolean {
  try {
    process.kill(-pgid, "SIGKILL");
    return true;
  } catch {
    return false;
  }
}

function pidInUse(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Only folders the engine makes: `seedstack-…` directly in a temp directory. */
function looksLikeOurs(dir: string): boolean {
  return basename(dir).startsWith("seedstack-") && dir.length > 12 && !dir.includes("..");
}

function removeDirIfEmpty(dir: string): void {
  try {
    if (readdirSync(dir).length === 0) rmdirSync(dir);
  } catch {
    // already gone, or another record was just written into it
  }
}
