/**
 * How `seedstack load` decides to attach, and its clear errors, without an environment: an `up`'s
 * running record written as `up` writes it (its owner this test process, or one that has ended),
 * and a console client pointed at nothing or at something that is not a console.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LifecycleError } from "../errors.js";
import { identify } from "../local/process-identity.js";
import { recordFile, removeRecord, type RunningRecordData } from "../local/running-record.js";
import { consoleClient } from "./console-client.js";
import { liveUp } from "./load-attached.js";

const test = suite("load attached");
const project = join(tmpdir(), "a-project-that-is-not-there-load");
const files: string[] = [];
test.after(() => {
  for (const f of files) removeRecord(f);
});

function upRecord(stack: string, owner: RunningRecordData["owner"], console?: string): void {
  const file = recordFile(project, stack, "up");
  mkdirSync(join(file, ".."), { recursive: true });
  const record: RunningRecordData = { version: 1, stack, command: "up", owner, startedAt: new Date().toISOString(), urls: [], ...(console ? { console } : {}), processes: [], folders: [] };
  writeFileSync(file, JSON.stringify(record), { mode: 0o600 });
  files.push(file);
}

async function failure(p: Promise<unknown> | (() => unknown)): Promise<LifecycleError> {
  try {
    await (typeof p === "function" ? p() : p);
  } catch (err) {
    assert.instance(err, LifecycleError);
    return err as LifecycleError;
  }
  throw new Error("it did not fail");
}

test("attaches only to an up whose owner lives; one without a console yet is a clear error that names --own", async () => {
  assert.is(liveUp(project, "none"), undefined, "no record: an environment of its own");
  upRecord("ended", { pid: spawnSync("true").pid!, startTime: "1" }, "http://127.0.0.1:1/?token=x");
  assert.is(liveUp(project, "ended"), undefined, "its owner has ended: nothing to attach to");
  upRecord("live", identify(process.pid), "http://127.0.0.1:1/?token=x");
  assert.is(liveUp(project, "live")?.console, "http://127.0.0.1:1/?token=x");
  upRecord("starting", identify(process.pid));
  const e = await failure(() => liveUp(project, "starting"));
  assert.is(e.code, "ERR_USAGE");
  assert.match(e.message, new RegExp(`\`seedstack up\` of starting \\(pid ${process.pid}\\) has no console yet .* or give --own`));
});

test("a console that does not answer, or an address that is not a loopback console URL, is a clear error; the token never shows in it", async () => {
  // A port that was just free: nothing listens there.
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const gone = await failure(consoleClient(`http://127.0.0.1:${port}/?token=secret-token`).state());
  assert.is(gone.code, "ERR_NO_ENVIRONMENT");
  assert.match(gone.message, new RegExp(`the console of \`seedstack up\` at http://127\\.0\\.0\\.1:${port} does not answer \\(ECONNREFUSED\\)`));
  for (const url of ["http://example.com/?token=secret-token", "http://127.0.0.1:4000/", "not a url token=secret-token"]) {
    const bad = await failure(() => consoleClient(url));
    assert.is(bad.code, "ERR_RECORD_UNREADABLE", url);
    assert.not.match(bad.message, "secret-token");
  }
});

test.run();
