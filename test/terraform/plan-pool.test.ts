import { test } from "uvu";
import * as assert from "uvu/assert";
import { pooled } from "./plan-pool.js";

test("at most `limit` jobs run at once; every job runs; results keep their job's position", async () => {
  let running = 0;
  let most = 0;
  const jobs = Array.from({ length: 7 }, (_, i) => async () => {
    running++;
    most = Math.max(most, running);
    await new Promise((resolve) => setImmediate(resolve));
    running--;
    return i * 10;
  });
  assert.equal(await Promise.all(pooled(2, jobs)), [0, 10, 20, 30, 40, 50, 60]);
  assert.is(most, 2);
});

test("a failing job rejects only its own promise; the rest still run", async () => {
  const results = await Promise.allSettled(
    pooled(2, [async () => 1, async () => Promise.reject(new Error("plan of b failed")), async () => 3]),
  );
  assert.equal(results.map((r) => r.status), ["fulfilled", "rejected", "fulfilled"]);
  assert.match(String((results[1] as PromiseRejectedResult).reason), "plan of b failed");
});

test.run();
