import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { listRecords, readRecord, recordPath, removeRecord, writeRecord, type EnvironmentRecord } from "./environment-record.js";
import { failureOf } from "./failure.js";

const record: EnvironmentRecord = {
  version: 1,
  name: "pr-12",
  stackDir: "/repo/cdktf.out/stacks/pr-12",
  status: "needs-destroy",
  reason: "cancelled during apply",
  prNumber: 12,
  expiresAt: "2026-12-01T00:00:00Z",
  createdAt: "2026-11-30T10:00:00.000Z",
  updatedAt: "2026-11-30T10:05:00.000Z",
};

function withDir(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), "seedstack-records-"));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("a record is written as <name>.json, read back equal, and removed; no temporary file is left", () => {
  withDir((dir) => {
    const path = writeRecord(join(dir, "records"), record);
    assert.is(path, join(dir, "records", "pr-12.json"));
    assert.equal(JSON.parse(readFileSync(path, "utf8")), record);
    assert.equal(readRecord(join(dir, "records"), "pr-12"), record);
    assert.equal(readdirSync(join(dir, "records")), ["pr-12.json"]);
    removeRecord(join(dir, "records"), "pr-12");
    removeRecord(join(dir, "records"), "pr-12"); // twice: no error
    assert.is(readRecord(join(dir, "records"), "pr-12"), undefined);
  });
});

test("names that are not file names are refused", () => {
  for (const name of ["../etc/passwd", "a/b", "", "-x", "a..b"]) {
    assert.throws(() => recordPath("/tmp", name), /environment name must be letters, digits/, name);
  }
});

test("listing reads every good record and names every bad file with all its problems", () => {
  withDir((dir) => {
    writeRecord(dir, record);
    writeRecord(dir, { ...record, name: "pr-13", status: "up" });
    writeFileSync(join(dir, "broken.json"), "{not json");
    writeFileSync(join(dir, "wrong.json"), JSON.stringify({ ...record, version: 2, status: "gone", prNumber: -1 }));
    writeFileSync(join(dir, "notes.txt"), "ignored");
    const { records, problems } = listRecords(dir);
    assert.equal(records.map((r) => r.name), ["pr-12", "pr-13"]);
    assert.is(problems.length, 2);
    assert.match(problems[0]!, /broken\.json: not JSON/);
    assert.match(problems[1]!, /wrong\.json: version must be 1; got 2; status must be one of applying, up, needs-destroy, destroying; got "gone"; prNumber must be a positive integer; got -1/);
  });
  assert.equal(listRecords("/nonexistent/seedstack-records"), { records: [], problems: [] });
});

test("failure messages: a spawn failure names the binary, a kill says state may be incomplete", () => {
  const spawn = failureOf("apply", { reason: "spawn", cause: new Error("spawn /opt/tf ENOENT") }, "/opt/tf");
  assert.equal(spawn, { reason: "apply-failed", step: "apply", message: "could not start /opt/tf for apply: spawn /opt/tf ENOENT" });
  const killed = failureOf("destroy", { reason: "cancelled", interruption: "killed", exitCode: null, stdout: "", stderr: "" });
  assert.is(killed.reason, "cancelled");
  assert.match(killed.message, /cancelled during destroy: .* was killed; its state may be incomplete or still locked/);
  const boxed = failureOf("plan", { reason: "exit", exitCode: 1, signal: null, stdout: "", stderr: "╷\n│ Error: Invalid reference\n│\n╵\n" });
  assert.equal({ reason: boxed.reason, message: boxed.message }, { reason: "plan-failed", message: "terraform plan failed (exit 1): Error: Invalid reference" });
});

test.run();
