/**
 * The run report as short Markdown (a PR comment, a job summary, a file): the verdict first, then
 * the stack, the phases, the smoke checks with latencies, and each drill with its timeline as a
 * Mermaid chart (GitHub renders Mermaid in comments).
 */
import type { DrillResult, MeasuredTime } from "../probes/failover-drill.js";
import { mermaidChart } from "../probes/timeline.js";
import type { RunReport } from "./run-report.js";

const seconds = (ms: number | undefined, speedup = 1) => (ms === undefined ? "n/a" : `${((ms * speedup) / 1000).toFixed(1)} s`);
const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

function timing(t: MeasuredTime, speedup: number): string {
  return `${seconds(t.measuredMs, speedup)} (the health check implies ${seconds(t.expectedMinMs, speedup)} to ${seconds(t.expectedMaxMs, speedup)}) ${t.withinExpected ? "✅ as expected" : "⚠️ outside that range"}`;
}

/** One drill as Markdown. */
export function drillMarkdown(d: DrillResult): string[] {
  const targets = [d.victim, ...d.survivors];
  const lines = [
    `### Failover drill: ${d.mode === "process-dies" ? "the process dies" : "the health check fails while the process lives"} ${d.ok ? "✅" : "❌"}`,
    "",
    `- target taken down: \`${d.victim}\`; survivors: ${d.survivors.map((s) => `\`${s}\``).join(", ")}`,
    `- detection (failure to marked unhealthy): ${timing(d.detection, d.speedup)}`,
    `- failed requests in that window: ${d.failedInWindow} (the last ${seconds(d.lastFailureAfterMs, d.speedup)} after the failure); after it: ${d.failedAfterWindow}; share of traffic on the survivors after it: ${(d.survivorShareAfter * 100).toFixed(0)}%`,
    `- recovery (back to serving): ${timing(d.recovery, d.speedup)}`,
    ...(d.writes ? [`- writes: ${d.writes.acknowledged} acknowledged, ${d.writes.lost ? "❌ one was lost" : "none lost"} (last ${d.writes.lastAcknowledged ?? "none"})`] : []),
    `- ${d.requests} requests, latency p50 ${d.latencyMs.p50.toFixed(1)} ms, p99 ${d.latencyMs.p99.toFixed(1)} ms`,
    ...d.problems.map((p) => `- ❌ ${p}`),
    "",
    mermaidChart(d.timeline, targets, `requests per ${d.speedup === 1 ? "second" : "stack second"}: ${targets.map((t, i) => `line ${i + 1} ${t}`).join(", ")}; bars: failed`),
    "",
    `Marks: ${d.marks.map((m) => `${Math.floor(m.atMs / d.bucketMs)} s ${m.label}`).join("; ")}`,
  ];
  return lines;
}

/** The whole report as Markdown. */
export function reportMarkdown(r: RunReport): string {
  const lines = [
    `## seedstack: \`${r.stack}\` on the ${r.engine} engine ${r.ok ? "✅ passed" : "❌ failed"}`,
    "",
    `${new Date(r.startedAt).toISOString()} · ${seconds(r.durationMs)}${r.speedup !== 1 ? ` · clock ${r.speedup}x faster than the stack's` : ""}${r.url ? ` · ${r.url}` : ""}`,
    ...(r.error ? ["", `**${r.error.code}**: ${cell(r.error.message)}`] : []),
    "",
    "| | |",
    "| --- | --- |",
    ...r.summary.map((s) => `| ${s.label} | ${cell(s.value)} |`),
    "",
    "| phase | result | time |",
    "| --- | --- | --- |",
    ...r.phases.map((p) => `| ${p.phase} | ${p.ok ? "✅" : "❌"}${p.detail ? ` ${cell(p.detail)}` : ""} | ${seconds(p.ms)} |`),
  ];
  if (r.diagnoses.length) lines.push("", "**Why targets are unhealthy**", "", ...r.diagnoses.map((d) => `- ${cell(d.message)}`));
  if (r.smoke) {
    lines.push("", `### Smoke test ${r.smoke.ok ? "✅" : "❌"}`, "", "| check | result | attempts | latency p50 / max | detail |", "| --- | --- | --- | --- | --- |");
    for (const c of r.smoke.checks) {
      const sorted = [...c.latenciesMs].sort((a, b) => a - b);
      const lat = sorted.length ? `${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} / ${sorted.at(-1)!.toFixed(1)} ms` : "-";
      lines.push(`| ${cell(c.name)} | ${c.skipped ? "⏭️ skipped" : c.ok ? "✅" : "❌"} | ${c.attempts} | ${lat} | ${cell(c.detail)} |`);
    }
  }
  for (const d of r.drills) lines.push("", ...drillMarkdown(d));
  return lines.join("\n") + "\n";
}
