/** The runner's per-file times: what adds up, what is called slowest, and how the table reads. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { FileDurations, seconds, slowestTable } from "./durations.js";

test("a file's time is its import plus every suite, and the slowest come first", () => {
  const d = new FileDurations();
  d.add("b.test.ts", 100);
  d.add("a.test.ts", 300);
  d.add("b.test.ts", 400); // a second suite of b
  d.add("c.test.ts", 50);
  assert.is(d.of("b.test.ts"), 500);
  assert.equal(d.slowest(2), [
    { file: "b.test.ts", ms: 500 },
    { file: "a.test.ts", ms: 300 },
  ]);
});

test("equal times are listed in file-name order, so the list does not shuffle between runs", () => {
  const d = new FileDurations();
  d.add("z.test.ts", 10);
  d.add("m.test.ts", 10);
  assert.equal(
    d.slowest().map((x) => x.file),
    ["m.test.ts", "z.test.ts"],
  );
});

test("the table shows at most n files with their share of the whole run", () => {
  const d = new FileDurations();
  for (let i = 0; i < 12; i++) d.add(`f${String(i).padStart(2, "0")}.test.ts`, (i + 1) * 1000);
  const table = slowestTable(d, 10);
  const lines = table.split("\n");
  assert.is(lines.length, 11, table);
  assert.match(lines[0]!, /Slowest 10 of 12 file\(s\) \(78\.0 s in all\)/);
  assert.match(lines[1]!, /12\.0 s\s+15%\s+f11\.test\.ts/);
  assert.not.match(table, /f00\.test\.ts|f01\.test\.ts/);
  assert.is(seconds(1234), "1.2 s");
});

test.run();
