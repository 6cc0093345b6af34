import { test } from "uvu";
import * as assert from "uvu/assert";
import type { LoadResult } from "./load-generator.js";
import { runLoad, type LoadSource } from "./load-run.js";

const result: LoadResult = { mode: "users", users: 2, rampSeconds: 0, durationSeconds: 60, startedAt: "2026-12-02T17:00:00.000Z", requests: 10, failures: 0, latencyMs: { p50: 1, p95: 2, max: 3 }, servedBy: { "i-0aaaaaaaaaaaaaaaa": 10 }, failureReasons: {}, seconds: [] };

test("Ctrl-C while the load's stop fails (an attached up's console gone): no unhandled rejection, the run ends with what `done` says", async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => void unhandled.push(reason);
  process.on("unhandledRejection", onUnhandled);
  try {
    let finish: (r: LoadResult) => void = () => undefined;
    const source: LoadSource = {
      autoScaling: () => undefined,
      drainMs: 0,
      start: async () => ({ done: new Promise<LoadResult>((resolve) => (finish = resolve)), stop: () => Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:4321")) }),
    };
    const controller = new AbortController();
    const run = runLoad(source, { users: 2, durationSeconds: 60, rampSeconds: 0 }, () => undefined, controller.signal);
    await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    await new Promise((r) => setTimeout(r, 10));
    finish(result);
    assert.is((await run).requests, 10);
    await new Promise((r) => setImmediate(r));
    assert.equal(unhandled, []);
  } finally {
    process.off("unhandledRejection", onUnhandled);
  }
});

test.run();
