/**
 * The terminal renderer: turns the core's events into progress lines while it works, and the
 * final report into tables and the drill's per-second chart. Colour only on a terminal and never
 * with NO_COLOR (https://no-color.org).
 */
import type { LifecycleEvent } from "../events.js";
import type { DrillResult } from "../probes/failover-drill.js";
import { terminalChart } from "../probes/timeline.js";
import type { SmokeResult } from "../probes/smoke-test.js";
import type { RunReport } from "../report/run-report.js";

/** Writes lines to the terminal. */
export interface Renderer {
  event(e: LifecycleEvent): void;
  smoke(r: SmokeResult): void;
  drill(d: DrillResult): void;
  report(r: RunReport): void;
  line(s: string): void;
}

/** A renderer writing to `write` (a line at a time). */
export function terminalRenderer(write: (line: string) => void, colour: boolean): Renderer {
  const paint = (open: string, close: string) => (s: string) => (colour ? `\u001b[${open}m${s}\u001b[${close}m` : s);
  const ok = paint("32", "39");
  const bad = paint("31", "39");
  const warn = paint("33", "39");
  const dim = paint("2", "22");
  const bold = paint("1", "22");
  const secs = (ms: number | undefined) => (ms === undefined ? "n/a" : `${(ms / 1000).toFixed(1)} s`);
  const phaseStart = new Map<string, number>();
  const short = (id: string) => id;

  const r: Renderer = {
    line: write,
    event(e) {
      switch (e.type) {
        case "phase":
          if (e.status === "start") {
            phaseStart.set(e.phase, Date.now());
            write(bold(`\n▶ ${e.phase}`));
          } else {
            const took = secs(Date.now() - (phaseStart.get(e.phase) ?? Date.now()));
            write(e.status === "done" ? ok(`✔ ${e.phase} ${dim(took)}`) : bad(`✘ ${e.phase} ${took}: ${e.detail ?? ""}`));
          }
          break;
        case "summary":
          write(`  stack ${bold(e.stack)}`);
          for (const l of e.lines) write(`  ${l.label.padEnd(16)} ${l.value}`);
          break;
        case "progress":
          write(dim(`  … ${e.message}`));
          break;
        case "listener":
          write(`  listener ${e.protocol}:${e.stackPort} -> ${e.url}`);
          break;
        case "instance-started":
          write(`  + ${short(e.instance)} ${dim(`${e.name}, pid ${e.pid}, listening on ${e.address}`)}`);
          break;
        case "instance-exited":
          write((e.deliberate ? dim : warn)(`  - ${short(e.instance)} exited (${e.signal ?? `code ${e.code}`})${e.deliberate ? " on purpose" : ""}`));
          break;
        case "target-health":
          write(`  ${short(e.instance)} ${e.from} -> ${e.to === "healthy" ? ok(e.to) : e.to === "unhealthy" ? bad(e.to) : e.to}${e.reason ? dim(` (${e.reason})`) : ""}`);
          break;
        case "hop-denied":
          write(bad(`  ⛔ security groups: ${e.message}`));
          break;
        case "diagnosis":
          write(warn(`  ⚠ ${e.diagnosis.message}`));
          break;
        case "scaling":
          write(`  auto scaling: ${e.action} ${short(e.instance)} ${dim(`(${e.reason})`)}`);
          break;
        case "scaling-activity":
          if (e.activity.statusCode !== "InProgress") write(`  auto scaling: ${e.activity.description} ${dim(`(${e.activity.statusCode})`)}`);
          break;
        case "database":
          write(`  PostgreSQL ${e.status} on 127.0.0.1:${e.port}`);
          break;
        case "check":
          write(`  ${e.skipped ? dim("–") : e.ok ? ok("✔") : bad("✘")} ${e.name} ${dim(`${e.detail}${e.ms !== undefined ? `, ${e.ms} ms` : ""}`)}`);
          break;
      }
    },
    smoke(s) {
      write(bold(`\nSmoke test against ${s.baseUrl}: ${s.ok ? ok("passed") : bad("failed")}`));
      for (const c of s.checks) {
        const sorted = [...c.latenciesMs].sort((a, b) => a - b);
        const lat = sorted.length ? `p50 ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} ms, max ${sorted.at(-1)!.toFixed(1)} ms` : "";
        if (c.skipped) {
          write(`  ${dim("–")} ${c.name.padEnd(72)} ${dim(`skipped: ${c.skipped}`)}`);
          continue;
        }
        write(`  ${c.ok ? ok("✔") : bad("✘")} ${c.name.padEnd(72)} ${dim(`${c.attempts} attempt(s) ${lat}`)}`);
        if (!c.ok) write(bad(`      ${c.detail}`));
      }
    },
    drill(d) {
      const scale = (ms: number | undefined) => (ms === undefined ? undefined : ms * d.speedup);
      write(bold(`\nFailover drill (${d.mode === "process-dies" ? "the process dies" : "health check fails, process alive"}): ${d.ok ? ok("passed") : bad("failed")}`));
      write(`  taken down ${d.victim}; survivors ${d.survivors.join(", ")}${d.speedup !== 1 ? dim(` (clock ${d.speedup}x: times below in stack seconds)`) : ""}`);
      const t = (label: string, m: DrillResult["detection"]) =>
        write(`  ${label.padEnd(10)} ${secs(scale(m.measuredMs))}  ${dim(`health check implies ${secs(scale(m.expectedMinMs))} to ${secs(scale(m.expectedMaxMs))}`)} ${m.withinExpected ? ok("as expected") : warn("outside that range")}`);
      t("detection", d.detection);
      write(`  failed     ${d.failedInWindow} in the window (the last ${secs(scale(d.lastFailureAfterMs))} after the failure), ${d.failedAfterWindow} after it; survivors took ${(d.survivorShareAfter * 100).toFixed(0)}% of traffic after it`);
      t("recovery", d.recovery);
      if (d.writes) write(`  writes     ${d.writes.acknowledged} acknowledged, ${d.writes.lost ? bad("one lost") : ok("none lost")}`);
      write(`  latency    p50 ${d.latencyMs.p50.toFixed(1)} ms, p99 ${d.latencyMs.p99.toFixed(1)} ms over ${d.requests} requests`);
      for (const p of d.problems) write(bad(`  ✘ ${p}`));
      const targets = [d.victim, ...d.survivors];
      write(dim(`  per ${d.speedup === 1 ? "second" : "stack second"}: requests by target (${targets.map((x, i) => `${String.fromCharCode(65 + i)}=${x}`).join(", ")}) and failed requests`));
      for (const l of terminalChart(d.timeline, targets)) write(l);
    },
    report(rep) {
      if (rep.smoke) r.smoke(rep.smoke);
      for (const d of rep.drills) r.drill(d);
      write("");
      write(rep.ok ? ok(bold(`seedstack: ${rep.stack} passed in ${secs(rep.durationMs)}`)) : bad(bold(`seedstack: ${rep.stack} failed: ${rep.error?.code}: ${rep.error?.message}`)));
    },
  };
  return r;
}
