/**
 * The local-engine adapter's mappings, on literal data: the core's events (`type`, no time) to the
 * port's (`kind`, `at`), smoke checks (`ok`, `latenciesMs[]`) to the port's (`passed`, `latencyMs`),
 * error codes to failure reasons.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { failureReasonOf, portEvent, portSmoke } from "../src/local-lifecycle.js";

const AT = "2026-11-30T16:00:00.000Z";

test("phase events: start / done / failed become started / succeeded / failed, stamped with the time", () => {
  assert.equal(portEvent({ type: "phase", phase: "up", status: "start" }, AT), { kind: "phase", phase: "up", state: "started", at: AT });
  assert.equal(portEvent({ type: "phase", phase: "smoke", status: "done" }, AT), { kind: "phase", phase: "smoke", state: "succeeded", at: AT });
  assert.equal(portEvent({ type: "phase", phase: "wait-healthy", status: "failed", detail: "2 targets unhealthy" }, AT), {
    kind: "phase",
    phase: "wait-healthy",
    state: "failed",
    at: AT,
    message: "2 targets unhealthy",
  });
});

test("a failed check and a diagnosis are warnings in the log; the summary table is not logged", () => {
  assert.equal(portEvent({ type: "check", phase: "smoke", name: "GET /status answers 200 OK", ok: false, detail: "503" }, AT), {
    kind: "log",
    level: "warning",
    message: "✗ GET /status answers 200 OK: 503",
    at: AT,
  });
  assert.is(portEvent({ type: "diagnosis", diagnosis: { target: "web-0", kind: "port-mismatch", message: "the health check asks port 80; the server listens on 8080" } }, AT)?.kind, "log");
  assert.is(portEvent({ type: "summary", stack: "classic", lines: [] }, AT), undefined);
});

test("smoke checks: the median latency of each check's requests; the detail only on failure", () => {
  const smoke = portSmoke({
    ok: false,
    baseUrl: "https://127.0.0.1:4443",
    startedAt: AT,
    durationMs: 90,
    checks: [
      { name: "GET /status answers 200 OK", ok: true, detail: "200 \"OK\"", attempts: 1, ms: 12, latenciesMs: [9.5, 3.1, 4.2] },
      { name: "every target answers (2 expected, seen through X-Served-By)", ok: false, detail: "1 of 2: web-0", attempts: 3, ms: 70, latenciesMs: [] },
    ],
  });
  assert.equal(smoke, {
    passed: false,
    checks: [
      { name: "GET /status answers 200 OK", passed: true, latencyMs: 4.2 },
      { name: "every target answers (2 expected, seen through X-Served-By)", passed: false, latencyMs: 70, detail: "1 of 2: web-0" },
    ],
  });
});

test("error codes: cancelled, smoke (checks, drill, unhealthy targets), and by failed phase: synth is plan-failed, down is destroy-failed, up is apply-failed", () => {
  const phases = (failed: string) => ({ phases: [{ phase: failed as "up", ok: false, ms: 1 }] });
  assert.is(failureReasonOf("ERR_CANCELLED", phases("up")), "cancelled");
  assert.is(failureReasonOf("ERR_SMOKE_FAILED", phases("smoke")), "smoke-failed");
  assert.is(failureReasonOf("ERR_DRILL_FAILED", phases("drill")), "smoke-failed");
  assert.is(failureReasonOf("ERR_TARGETS_UNHEALTHY", phases("wait-healthy")), "smoke-failed");
  assert.is(failureReasonOf("ERR_SYNTH_FAILED", phases("synth")), "plan-failed");
  assert.is(failureReasonOf("ERR_STACK_INVALID", phases("summary")), "plan-failed");
  assert.is(failureReasonOf("ERR_PROCESS_EXITED", phases("down")), "destroy-failed");
  assert.is(failureReasonOf("ERR_ADDRESS_IN_USE", phases("up")), "apply-failed");
});

test.run();
