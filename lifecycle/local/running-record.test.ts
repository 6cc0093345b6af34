/**
 * The running record on its own, with real processes (a `sleep` in its own process group stands
 * for a leftover seed server): a stale record is reaped by the next claim, a live one refuses it,
 * a damaged one is a clear error, and reaping removes only folders that are ours.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmdirSync, rmSync, statSync, writeFileSync } from "node:fs";
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
