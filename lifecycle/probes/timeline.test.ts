import { test } from "uvu";
import * as assert from "uvu/assert";
import { buildTimeline, mermaidChart, terminalChart } from "./timeline.js";

const samples = [
  { atMs: 100, ok: true, servedBy: "a", status: 200, ms: 1 },
  { atMs: 200, ok: true, servedBy: "b", status: 200, ms: 1 },
  { atMs: 1100, ok: false, status: 502, ms: 1 },
  { atMs: 1200, ok: true, servedBy: "b", status: 200, ms: 1 },
  { atMs: 2500, ok: true, servedBy: "b", status: 200, ms: 1 },
];
const marks = [
  { atMs: 1000, label: "failure: a" },
  { atMs: 2100, label: "detected: a unhealthy" },
];

test("samples are counted per second and per target; failures and marks land in their second", () => {
  const t = buildTimeline(samples, marks, 1000);
  assert.equal(t, [
    { second: 0, byTarget: { a: 1, b: 1 }, errors: 0, marks: [] },
    { second: 1, byTarget: { b: 1 }, errors: 1, marks: ["failure: a"] },
    { second: 2, byTarget: { b: 1 }, errors: 0, marks: ["detected: a unhealthy"] },
  ]);
});

test("the terminal chart draws one row per second with a shade per target and ✗ per failure", () => {
  const rows = terminalChart(buildTimeline(samples, marks, 1000), ["a", "b"]);
  assert.is(rows[0], "  legend: █ a   ▓ b   ✗ failed request");
  assert.is(rows[3], "    1s   0   1   1  ▓✗  ← failure: a");
});

test("the Mermaid chart is an xychart with the failures as bars and a line per target", () => {
  const chart = mermaidChart(buildTimeline(samples, marks, 1000), ["a", "b"], 'per "second"');
  assert.is(chart, ["```mermaid", "xychart-beta", `  title "per 'second'"`, '  x-axis "second" [0, 1, 2]', '  y-axis "requests" 0 --> 1', "  bar [0, 1, 0]", "  line [1, 0, 0]", "  line [1, 1, 1]", "```"].join("\n"));
});

test.run();
