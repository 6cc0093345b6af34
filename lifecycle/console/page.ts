/**
 * The console's one page: plain HTML, CSS and a script, no front-end framework; charts by uPlot
 * (inlined from node_modules/uplot, so the page needs nothing but this server). It draws each
 * snapshot the server sends (snapshot.ts) and posts controls with the token from its own URL.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

let cached: string | undefined;

/** The page, with uPlot inlined (read once). */
export function consolePage(): string {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const uplotJs = readFileSync(require.resolve("uplot/dist/uPlot.iife.min.js"), "utf8");
  const uplotCss = readFileSync(require.resolve("uplot/dist/uPlot.min.css"), "utf8");
  cached = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>seedstack console</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>${uplotCss}</style>
<style>${STYLE}</style>
</head><body>
<header><h1>seedstack console</h1><span id="stack"></span><span id="conn" class="badge">connecting…</span></header>
<main>
<section><h2>Resource map</h2><div id="map" class="map"></div></section>
<section><h2>Targets</h2>
<table id="targets"><thead><tr><th>Instance ID</th><th>Name</th><th>IP address</th><th>Port</th><th>Health status</th><th>Health status details</th><th>Lifecycle</th><th>CPU</th><th>Instance state</th></tr></thead><tbody></tbody></table>
<p id="message" class="message" role="status"></p></section>
<section><h2>Per-target monitoring</h2><div class="charts"><div id="c-req"></div><div id="c-err"></div><div id="c-lat"></div></div></section>
<section id="asg" hidden><h2>Auto Scaling group <span id="asg-name"></span></h2><div id="asg-details"></div><div class="charts"><div id="c-cpu"></div></div>
<h3>Activity history</h3><table id="activities"><thead><tr><th>Status</th><th>Description</th><th>Cause</th><th>Start time</th><th>End time</th></tr></thead><tbody></tbody></table></section>
<section><h2>Load test</h2>
<form id="load-form"><label>Users <input name="users" type="number" min="1" max="200" value="10"></label>
<label>or requests/s <input name="rps" type="number" min="1" max="2000" placeholder="—"></label>
<label>Ramp (s) <input name="rampSeconds" type="number" min="0" value="5"></label>
<label>Duration (s) <input name="durationSeconds" type="number" min="1" max="3600" value="120"></label>
<button type="submit" id="load-start">Start load</button><button type="button" id="load-stop">Stop</button></form>
<div id="load-status"></div><div class="charts"><div id="c-total"></div><div id="c-rt"></div><div id="c-users"></div></div></section>
<section><h2>Failover drill</h2><button id="drill-process-dies">Drill: the process dies</button> <button id="drill-health-fails">Drill: the app hangs</button>
<div class="charts"><div id="c-drill"></div></div><pre id="drill-log"></pre></section>
</main>
<script>${uplotJs}</script>
<script>${SCRIPT}</script>
</body></html>`;
  return cached;
}

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#16191f;background:#f2f3f3}
header{background:#232f3e;color:#fff;padding:8px 16px;display:flex;gap:16px;align-items:baseline}
h1{font-size:18px;margin:0}h2{font-size:16px;margin:0 0 8px}h3{font-size:14px}
main{padding:12px 16px;display:grid;gap:12px}
section{background:#fff;border:1px solid #d5dbdb;border-radius:6px;padding:12px}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #eaeded;vertical-align:top}
th{font-weight:600;background:#fafafa}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;background:#eaeded}
.healthy,.InService{background:#d5f5d5;color:#1d6b1d}.unhealthy{background:#fde0dc;color:#a4161a}
.initial,.Pending{background:#e3ecf8;color:#0b4f9c}.draining,.Terminating,.unused{background:#fff1cc;color:#7a5400}
.code{font-family:ui-monospace,monospace;font-size:12px}.muted{color:#5f6b7a;font-size:12px}
.map{display:flex;gap:8px;align-items:stretch;flex-wrap:wrap}
.box{border:1px solid #aab7b8;border-radius:6px;padding:6px 8px;min-width:150px;background:#fafafa}
.box b{display:block}.arrow{align-self:center;color:#5f6b7a;font-size:12px;max-width:160px;text-align:center}
.charts{display:flex;flex-wrap:wrap;gap:12px}
button{margin:2px;padding:2px 8px}.message{min-height:1.2em;color:#0b4f9c}
pre{background:#fafafa;max-height:160px;overflow:auto;font-size:12px}
form label{margin-right:12px}form input{width:70px}
`;

/** The browser side: renders snapshots, posts controls. Plain ES2020, no imports. */
const SCRIPT = String.raw`
"use strict";
const token = new URLSearchParams(location.search).get("token") || "";
const $ = (id) => document.getElementById(id);
const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
const COLORS = ["#0972d3", "#e07941", "#037f0c", "#8456ce", "#c33d69", "#688ae8", "#7d8998"];
const charts = {};
function chart(id, title, seriesLabels, unit) {
  const el = $(id);
  const key = id + "|" + seriesLabels.join(",");
  if (charts[id] && charts[id].key === key) return charts[id].plot;
  if (charts[id]) charts[id].plot.destroy();
  const plot = new uPlot({
    title, width: 380, height: 200,
    scales: { x: { time: id !== "c-drill" } },
    axes: [{}, { label: unit, size: 50 }],
    series: [{}, ...seriesLabels.map((label, i) => ({ label, stroke: COLORS[i % COLORS.length], width: 2, spanGaps: false }))],
    legend: { live: false },
  }, [[], ...seriesLabels.map(() => [])], el);
  charts[id] = { key, plot };
  return plot;
}
function setChart(id, title, unit, xs, series) {
  const labels = Object.keys(series);
  const plot = chart(id, title, labels.length ? labels : ["—"], unit);
  plot.setData([xs, ...(labels.length ? labels.map((l) => series[l]) : [xs.map(() => null)])]);
}
async function control(path, body) {
  const res = await fetch(path, { method: "POST", headers: { "content-type": "application/json", "x-seedstack-token": token }, body: JSON.stringify(body || {}) });
  const answer = await res.json().catch(() => ({}));
  $("message").textContent = res.ok ? answer.message : "refused: " + (answer.error || res.status);
}
document.addEventListener("click", (ev) => {
  const b = ev.target.closest("button[data-action]");
  if (b) control("/api/instances/" + b.dataset.id + "/" + b.dataset.action);
});
$("drill-process-dies").onclick = () => control("/api/drill", { mode: "process-dies" });
$("drill-health-fails").onclick = () => control("/api/drill", { mode: "health-fails" });
$("load-form").onsubmit = (ev) => {
  ev.preventDefault();
  const f = new FormData(ev.target);
  const body = { rampSeconds: f.get("rampSeconds"), durationSeconds: f.get("durationSeconds") };
  if (f.get("rps")) body.rps = f.get("rps"); else body.users = f.get("users");
  control("/api/load", body);
};
$("load-stop").onclick = () => control("/api/load-stop");

function renderMap(s) {
  const m = s.map;
  const hop = (h) => h ? '<div class="arrow">→<br>' + esc(h.port) + '<br><span class="' + (h.allowed ? "muted" : "unhealthy") + '">' + esc(h.detail) + "</span></div>" : '<div class="arrow">→</div>';
  const listeners = m.listeners.map((l) => "<div>" + esc(l.protocol + ":" + l.port) + ' <span class="muted">' + esc(l.rule) + "</span></div>").join("");
  const targets = s.targets.map((t) => '<div><span class="badge ' + esc(t.state) + '">' + esc(t.state) + "</span> " + esc(t.name) + "</div>").join("");
  $("map").innerHTML =
    '<div class="box"><b>Load balancer ' + esc(m.loadBalancer.name) + '</b><span class="muted">security groups: ' + esc(m.loadBalancer.securityGroups.join(", ")) + "</span></div>" +
    '<div class="arrow">→</div><div class="box"><b>Listeners and rules</b>' + listeners + "</div>" +
    '<div class="arrow">→</div><div class="box"><b>Target group ' + esc(m.targetGroup.name) + '</b><span class="muted">' + esc(m.targetGroup.healthCheck) + (m.targetGroup.stickiness ? "; stickiness: " + esc(m.targetGroup.stickiness) : "") + "</span></div>" +
    hop(m.hops[0]) + '<div class="box"><b>Targets</b>' + targets + "</div>" +
    (m.database ? '<div class="arrow">→</div><div class="box"><b>Database</b>' + esc(m.database.engine) + " :" + esc(m.database.port) + '<br><span class="muted">security groups: ' + esc(m.database.securityGroups.join(", ")) + "</span></div>" : "");
}
function renderTargets(s) {
  $("targets").tBodies[0].innerHTML = s.targets.map((t) => {
    const details = t.reason ? '<span class="code">' + esc(t.reason.code) + "</span><br>" + esc(t.reason.description) : "";
    const diag = t.diagnosis ? '<br><span class="muted">' + esc(t.diagnosis) + "</span>" : t.state !== "healthy" && t.lastCheck ? '<br><span class="muted">last check: ' + esc(t.lastCheck) + "</span>" : "";
    const state = t.hung ? "running, app hung" : t.running ? "running" : "stopped";
    const buttons =
      (t.running && !t.hung ? '<button data-action="stop" data-id="' + esc(t.id) + '">Stop</button><button data-action="hang" data-id="' + esc(t.id) + '">Hang app</button>' : "") +
      (t.hung ? '<button data-action="resume" data-id="' + esc(t.id) + '">Resume</button>' : "") +
      (!t.running ? '<button data-action="start" data-id="' + esc(t.id) + '">Start</button>' : "");
    return '<tr data-target="' + esc(t.id) + '" data-state="' + esc(t.state) + '"><td class="code">' + esc(t.id) + "</td><td>" + esc(t.name) + "</td><td>" + esc(t.address) + "</td><td>" + esc(t.port) +
      '</td><td><span class="badge ' + esc(t.state) + '">' + esc(t.state) + "</span></td><td>" + details + diag + "</td><td>" + (t.lifecycle ? '<span class="badge ' + esc(t.lifecycle) + '">' + esc(t.lifecycle) + "</span>" : "—") +
      "</td><td>" + (t.cpu !== undefined ? esc(t.cpu.toFixed(1)) + "%" : "—") + "</td><td>" + esc(state) + "<br>" + buttons + "</td></tr>";
  }).join("");
}
function perTargetCharts(s) {
  const names = Object.fromEntries(s.targets.map((t) => [t.id, t.name]));
  const ids = Object.keys(s.charts);
  let xs = [];
  for (const id of ids) for (const p of s.charts[id]) xs.push(p.at);
  xs = [...new Set(xs)].sort((a, b) => a - b).slice(-180);
  const at = (id, field) => { const byAt = new Map(s.charts[id].map((p) => [p.at, p[field]])); return xs.map((x) => byAt.has(x) ? byAt.get(x) : null); };
  const label = (id) => names[id] || id;
  setChart("c-req", "Requests per second", "req/s", xs.map((x) => x / 1000), Object.fromEntries(ids.map((id) => [label(id), at(id, "requests")])));
  setChart("c-err", "Errors per second (no answer or 5xx)", "err/s", xs.map((x) => x / 1000), Object.fromEntries(ids.map((id) => [label(id), at(id, "failures")])));
  const lat = {};
  for (const id of ids) { lat[label(id) + " p50"] = at(id, "p50"); lat[label(id) + " p95"] = at(id, "p95"); }
  setChart("c-lat", "Latency p50 / p95", "ms", xs.map((x) => x / 1000), lat);
}
function renderGroup(s) {
  const g = s.group;
  $("asg").hidden = !g;
  if (!g) return;
  $("asg-name").textContent = g.name;
  const p = g.policy;
  const period = (g.periodMs / 1000).toFixed(g.periodMs < 10000 ? 1 : 0);
  $("asg-details").innerHTML =
    "<p>Desired capacity <b id='asg-desired'>" + g.desired + "</b> · Minimum " + g.min + " · Maximum " + g.max + " · " + esc(g.instanceType) + " (" + g.vcpus + " vCPUs)</p>" +
    (p ? "<p>Target tracking policy <b>" + esc(p.name) + "</b>: " + esc(p.metric) + " at " + p.targetValue + "%. Alarms: high " + esc(g.alarmStates.high) + " (" + g.alarms.highDatapoints + " datapoints of " + period + " s above " + p.targetValue + "%), low " + esc(g.alarmStates.low) + " (" + g.alarms.lowDatapoints + " datapoints below " + (p.targetValue * g.alarms.lowFactor).toFixed(p.targetValue < 10 ? 2 : 1) + "%). Instance warm-up " + (g.warmupMs / 1000).toFixed(1) + " s." +
      '<br><span class="muted">CPU is the process\'s CPU time over wall time divided by ' + g.vcpus + " vCPUs: one busy Node.js thread reads about " + Math.round(100 / g.vcpus) + "%, so a " + p.targetValue + "% target " + (p.targetValue >= 100 / g.vcpus ? "is out of reach of a single-threaded server: the group will not scale out on CPU alone. To watch it scale on this machine, synthesize the stack with SEEDSTACK_TARGET_CPU=1 (docs/console.md)." : "is crossed when the server keeps more than " + (p.targetValue * g.vcpus / 100).toFixed(2) + " cores busy.") + "</span></p>" : "<p>No scaling policy: the desired capacity stays.</p>");
  const xs = g.datapoints.map((d) => d.at / 1000);
  const series = { ASGAverageCPUUtilization: g.datapoints.map((d) => d.value) };
  if (p) series["target " + p.targetValue + "%"] = g.datapoints.map(() => p.targetValue);
  setChart("c-cpu", "ASGAverageCPUUtilization (one datapoint per period)", "%", xs, series);
  $("activities").tBodies[0].innerHTML = [...g.activities].reverse().map((a) => "<tr><td>" + esc(a.statusCode) + "</td><td>" + esc(a.description) + '</td><td class="muted">' + esc(a.cause) + "</td><td>" + esc(a.startTime) + "</td><td>" + esc(a.endTime || "") + "</td></tr>").join("");
}
function renderLoad(s) {
  const l = s.load;
  const secs = l.seconds;
  $("load-status").textContent = l.running ? "running: " + l.users + " users/rate" : l.result ? "last run: " + l.result.requests + " requests, " + l.result.failures + " failures, p50 " + l.result.latencyMs.p50 + " ms, p95 " + l.result.latencyMs.p95 + " ms" : "no load test yet";
  const xs = secs.map((x) => x.at / 1000);
  setChart("c-total", "Total requests per second", "req/s", xs, { "requests/s": secs.map((x) => x.requests), "failures/s": secs.map((x) => x.failures) });
  setChart("c-rt", "Response times (ms)", "ms", xs, { p50: secs.map((x) => x.p50), p95: secs.map((x) => x.p95) });
  setChart("c-users", "Number of users", "users", xs, { users: secs.map((x) => x.users) });
}
function renderDrill(s) {
  const d = s.drill;
  $("drill-log").textContent = d.log.join("\n");
  $("drill-process-dies").disabled = $("drill-health-fails").disabled = d.running;
  const tl = d.result ? d.result.timeline : [];
  const targets = [...new Set(tl.flatMap((b) => Object.keys(b.byTarget)))];
  const series = Object.fromEntries(targets.map((t) => [t, tl.map((b) => b.byTarget[t] || 0)]));
  series.errors = tl.map((b) => b.errors);
  setChart("c-drill", "Drill timeline (requests per stack second)", "req", tl.map((b) => b.second), series);
}
function render(s) {
  $("stack").textContent = "stack " + s.stack + " · " + s.url + (s.speedup !== 1 ? " · clock " + s.speedup + "x" : "");
  renderMap(s); renderTargets(s); perTargetCharts(s); renderGroup(s); renderLoad(s); renderDrill(s);
  document.body.dataset.updated = String(s.now);
}
const events = new EventSource("/events?token=" + encodeURIComponent(token));
events.onopen = () => { $("conn").textContent = "live"; $("conn").className = "badge healthy"; };
events.onerror = () => { $("conn").textContent = "disconnected"; $("conn").className = "badge unhealthy"; };
events.onmessage = (e) => render(JSON.parse(e.data));
`;
