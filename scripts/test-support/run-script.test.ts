/**
 * run-script's timeout: a script that ignores Ctrl-C, and has a child that ignores it too, is
 * stopped with its child once the deadline and the grace have passed, and only then does the run
 * fail. (A spawn failure, the "error" path, cannot be provoked here: node itself always starts.)
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { running, stillRunningAfter } from "../../lifecycle/test-support/process-tree.js";
import { runScript } from "./run-script.js";

const env = { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR };

test("on timeout, a script that ignores SIGINT is killed with its child, and the run fails once it has closed", async () => {
  const started = Date.now();
  const error = await runScript("test-support/fixtures/ignores-sigint", [], env, { deadlineMs: 3_000, graceMs: 500 }).then(
    () => undefined,
    (e: Error) => e,
  );
  const tookMs = Date.now() - started;
  assert.ok(error, "the run failed");
  assert.match(error!.message, "npm run test-support/fixtures/ignores-sigint did not finish within 3 s and was stopped");
  const pids = error!.message.match(/script pid (\d+), child pid (\d+)/);
  assert.ok(pids, `the script was running when the deadline came\n${error!.message}`);
  assert.match(error!.message, "SIGINT ignored", "it was interrupted first");
  const [script, child] = [Number(pids![1]), Number(pids![2])];
  assert.is(running(script), false, "the script is gone when the run fails");
  // The child is in the script's group; once the script is gone init adopts it and reaps it.
  assert.equal(await stillRunningAfter([child], 1_000), [], "the script's child is gone too");
  assert.ok(tookMs >= 3_500, `it got the grace after the interrupt (took ${tookMs} ms)`);
});

test.run();
