import { test } from "uvu";
import * as assert from "uvu/assert";
import { PerSecond, quantile } from "./per-second.js";

test("nearest-rank quantiles", () => {
  const v = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  assert.is(quantile(v, 0.5), 5);
  assert.is(quantile(v, 0.95), 10);
  assert.is(quantile([], 0.5), null);
});

test("requests land in their second; empty seconds are zeros; only closed seconds are reported", () => {
  const s = new PerSecond();
  s.add(10, false, 1000);
  s.add(30, true, 1500);
  s.add(20, false, 1999);
  s.add(5, false, 4200);
  assert.equal(s.seconds(4300), [
    { at: 1000, requests: 3, failures: 1, p50: 20, p95: 30 },
    { at: 2000, requests: 0, failures: 0, p50: null, p95: null },
    { at: 3000, requests: 0, failures: 0, p50: null, p95: null },
  ]);
  assert.equal(s.seconds(5000).at(-1), { at: 4000, requests: 1, failures: 0, p50: 5, p95: 5 });
});

test("only the last `keep` seconds are kept", () => {
  const s = new PerSecond(2);
  for (let t = 0; t < 5000; t += 1000) s.add(1, false, t);
  assert.equal(s.seconds(5000).map((x) => x.at), [3000, 4000]);
});

test.run();
