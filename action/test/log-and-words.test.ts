/**
 * How the action shows the lifecycle's own data, on literal data: events as log lines, failures in
 * words (said once), the plan (none on the local engine) and the smoke checks' latencies.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { eventLine } from "../src/log-event.js";
import { failureWords, renderPlan, renderSmoke } from "../src/report/render-report.js";

test("phase events are log lines; a failed phase is a warning with its detail", () => {
  assert.equal(eventLine({ type: "phase", phase: "up", status: "start" }), { level: "info", message: "up: started" });
  assert.equal(eventLine({ type: "phase", phase: "wait-healthy", status: "failed", detail: "2 targets unhealthy" }), { level: "warning", message: "wait-healthy: failed (2 targets unhealthy)" });
});

test("a failed check and a diagnosis are warnings; the summary table and the plan are not logged (they are in the report)", () => {
  assert.equal(eventLine({ type: "check", phase: "smoke", name: "GET /status answers 200 OK", ok: false, detail: "503" }), { level: "warning", message: "✗ GET /status answers 200 OK: 503" });
  assert.is(eventLine({ type: "diagnosis", diagnosis: { target: "web-0", kind: "port-mismatch", message: "the health check asks port 80" } })?.level, "warning");
  assert.is(eventLine({ type: "summary", stack: "classic", lines: [] }), undefined);
  assert.match(eventLine({ type: "resources-may-exist", stack: "pr-12", engine: "terraform" })!.message, /resources of pr-12 may exist from now on/);
});

test("a failure in words: the reason's words, then the lifecycle's message, which a cancellation does not repeat", () => {
  const error = (reason: "cancelled" | "state-locked" | "apply-failed", message: string) => ({ error: { code: "ERR_CANCELLED" as const, reason, message } });
  assert.is(failureWords(error("cancelled", "cancelled"), "terraform"), "the run was cancelled");
  assert.is(failureWords(error("state-locked", "held by runner@x"), "terraform"), "the terraform state is locked by another run: held by runner@x");
  assert.is(failureWords(error("apply-failed", "ERR_PROCESS_EXITED: web-0 exited"), "local"), "bringing the local environment up failed: ERR_PROCESS_EXITED: web-0 exited");
});

test("the local engine makes no plan, and says so; a terraform run that stopped before its plan says that", () => {
  assert.match(renderPlan(undefined, "local"), /No plan \(local engine\)/);
  assert.match(renderPlan(undefined, "terraform"), /The plan did not finish/);
});

test("smoke checks: the median latency of each check's requests; the detail only on failure", () => {
  const md = renderSmoke({
    ok: false,
    baseUrl: "https://127.0.0.1:4443",
    startedAt: "2026-11-30T16:00:00.000Z",
    durationMs: 90,
    checks: [
      { name: "GET /status answers 200 OK", ok: true, detail: '200 "OK"', attempts: 1, ms: 12, latenciesMs: [9.5, 3.1, 4.2] },
      { name: "every target answers", ok: false, detail: "1 of 2: web-0", attempts: 3, ms: 70, latenciesMs: [] },
    ],
  });
  assert.match(md, /\| GET \/status answers 200 OK \| ✅ pass \| 4 ms \| {2}\|/);
  assert.match(md, /\| every target answers \| ❌ fail \| 70 ms \| 1 of 2: web-0 \|/);
});

test.run();
