/**
 * The running record on its own, with real processes (a `sleep` in its own process group stands
 * for a leftover seed server): a stale record is reaped by the next claim, a live one refuses it,
 * a damaged one is a clear error, and reaping removes only folders that are ours.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmdirSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LifecycleError } from "../errors.js";
import { killAll, stillRunningAfter } from "../test-support/process-tree.js";
import { processStartTime } from "./process-identity.js";
import { claimRunningRecord, readRunningRecord, reapRunningRecord, recordFile, type RunningRecordData } from "./running-record.js";

const test = suite("running record");
const project = join(tmpdir(), "a-project-that-is-not-there");
const pids: number[] = [];
test.after(() => killAll(pids));

function deadOwnerRecord(stack: string, processes: RunningRecordData["processes"], folders: string[]): string {
  const file = recordFile(project, stack, "up");
  mkdirSync(join(file, ".."), { recursive: true });
  const record: RunningRecordData = { version: 1, stack, command: "up", owner: { pid: spawnSync("true").pid, startTime: "1" }, startedAt: "2026-12-02T10:00:00.000Z", urls: [], processes, folders };
  writeFileSync(file, JSON.stringify(record));
  return file;
}

test("a claim over a killed run's record reaps it first (its process group, its folder), then records this process", async () => {
  const leftover = spawn("sleep", ["300"], { detached: true, stdio: "ignore" });
  pids.push(leftover.pid!);
  const folder = mkdtempSync(join(tmpdir(), "seedstack-local-db-"));
  deadOwnerRecord("stale", [{ pid: leftover.pid!, startTime: processStartTime(leftover.pid!)!, role: "seed server i-0stale" }], [folder]);
  const reaped: string[] = [];
  const record = claimRunningRecord(project, "stale", "up", (old, r) => reaped.push(`${old.owner.pid}: ${r.killed.map((p) => p.role).join()} ${r.folders.length}`));
  try {
    assert.is(reaped.length, 1);
    assert.match(reaped[0]!, /: seed server i-0stale 1$/);
    assert.equal(await stillRunningAfter([leftover.pid!], 5_000), []);
    assert.is(existsSync(folder), false);
    const mine = readRunningRecord(record.file)!;
    assert.is(mine.owner.pid, process.pid);
    assert.equal(mine.processes, []);
  } finally {
    assert.is(record.release(), true, "an empty record is removed");
  }
  assert.is(existsSync(record.file), false);
});

test("a claim while the owner lives is refused with its details; release keeps a record that still holds something", () => {
  const first = claimRunningRecord(project, "busy", "up");
  first.url("https://127.0.0.1:4443");
  try {
    const err = (() => {
      try {
        claimRunningRecord(project, "busy", "up");
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    assert.instance(err, LifecycleError);
    assert.is((err as LifecycleError).code, "ERR_ALREADY_UP");
    assert.match((err as Error).message, new RegExp(`stack busy is already up: \`seedstack up\` \\(pid ${process.pid}, started [^)]+\\) at https://127\\.0\\.0\\.1:4443`));
    const forget = first.process(process.pid, "a process that could not be stopped");
    assert.is(first.release(), false, "kept for `seedstack down`");
    forget();
  } finally {
    rmSync(first.file, { force: true });
  }
});

test("the console's URL (a secret: its token) is recorded in a file only its owner may read, also when a leftover temp file was wider", () => {
  const file = recordFile(project, "secret", "up");
  mkdirSync(join(file, ".."), { recursive: true });
  // A temp file from an earlier process with the same pid, readable by all: the rewrite must not inherit its mode.
  writeFileSync(`${file}.${process.pid}.tmp`, "{}", { mode: 0o644 });
  const record = claimRunningRecord(project, "secret", "up");
  try {
    assert.is(statSync(file).mode & 0o777, 0o600);
    record.console("http://127.0.0.1:4321/?token=abc");
    assert.is(statSync(file).mode & 0o777, 0o600);
    assert.is(readRunningRecord(file)?.console, "http://127.0.0.1:4321/?token=abc");
  } finally {
    assert.is(record.release(), true);
  }
  assert.is(existsSync(file), false);
});

test("the records' folder is made this user's own: one open to others is closed; a symlink or another user's folder is refused, naming it", () => {
  const saved = process.env.TMPDIR;
  const tmp = mkdtempSync(join(tmpdir(), "seedstack-record-dir-"));
  process.env.TMPDIR = tmp;
  const dir = join(tmp, "seedstack-local");
  try {
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    const record = claimRunningRecord(project, "own", "up");
    assert.is(statSync(dir).mode & 0o777, 0o700, "closed to others");
    record.release();
    rmSync(dir, { recursive: true, force: true });
    const elsewhere = mkdtempSync(join(tmpdir(), "seedstack-planted-"));
    symlinkSync(elsewhere, dir);
    assert.throws(() => claimRunningRecord(project, "own", "up"), (e: Error) => e instanceof LifecycleError && e.message.includes(`${dir} is where seedstack keeps its running records`) && e.message.includes("not a folder"));
    rmSync(dir);
    rmSync(elsewhere, { recursive: true });
    if (process.getuid?.() === 0) {
      // As root the test can make it another user's (nobody).
      mkdirSync(dir, { mode: 0o700 });
      chownSync(dir, 65534, 65534);
      assert.throws(() => claimRunningRecord(project, "own", "up"), (e: Error) => e instanceof LifecycleError && e.message.includes("a folder of uid 65534, not yours"));
    }
  } finally {
    process.env.TMPDIR = saved;
    if (saved === undefined) delete process.env.TMPDIR;
    rmSync(tmp, { recursive: true, force: true });
  }
});

test("a damaged record is a clear error naming the file; reaping never removes a folder that is not ours", () => {
  const file = recordFile(project, "damaged", "up");
  mkdirSync(join(file, ".."), { recursive: true });
  writeFileSync(file, "{ not json");
  try {
    assert.throws(() => readRunningRecord(file), (e: unknown) => e instanceof LifecycleError && e.code === "ERR_RECORD_UNREADABLE" && e.message.includes(file));
  } finally {
    rmSync(file, { force: true });
  }
  const notOurs = mkdtempSync(join(tmpdir(), "precious-"));
  try {
    const result = reapRunningRecord({ version: 1, stack: "x", command: "up", owner: { pid: 1, startTime: "1" }, startedAt: "", urls: [], processes: [], folders: [notOurs] });
    assert.equal(result.folders, []);
    assert.is(existsSync(notOurs), true);
  } finally {
    rmSync(notOurs, { recursive: true, force: true });
    try {
      rmdirSync(join(file, "..")); // only when no other record is in it
    } catch {
      // not empty, or gone
    }
  }
});

test.run();
