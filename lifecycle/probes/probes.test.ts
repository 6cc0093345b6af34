/**
 * The smoke test and the failover drill against real local environments (seed-server processes,
 * the local load balancer; PostgreSQL for the database case), for every stack shape. The clock
 * runs 10x faster (5x for the drills); the drill's timing comparisons are reported, never asserted.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { X509Certificate } from "node:crypto";
import type { LocalEnvironment } from "../local/local-environment.js";
import { localDrillControl } from "../local/drill-control.js";
import { assertAllDisposed, only, startTestEnvironment } from "../test-support/environments.js";
import { removeSynthFixtures } from "../test-support/synth-fixture.js";
import { runFailoverDrill, type FailureMode } from "./failover-drill.js";
import { runSmokeTest, type SmokeResult } from "./smoke-test.js";
import { quietContext } from "../events.js";
import { asEnvironment } from "../local/local-engine.js";
import { smokeTargetOf } from "../run-lifecycle.js";

const test = suite("probes");
test.after(() => {
  removeSynthFixtures();
  assertAllDisposed();
});

/** What the lifecycle would smoke-test: the same wiring as `seedstack run` (the local engine's view, smokeTargetOf). */
const smokeTarget = (env: LocalEnvironment) => smokeTargetOf(asEnvironment(env));
const names = (r: SmokeResult) => r.checks.map((c) => `${c.ok ? "ok" : "FAILED"}: ${c.name} (${c.detail})`);

test("smoke, the TLS pair: pinned certificate, redirect, round trip of a big integer, both targets", async () => {
  const { env } = await startTestEnvironment("classic");
  try {
    await env.waitHealthy({ deadlineMs: 15_000 });
    const result = await runSmokeTest(smokeTarget(env), quietContext(), { deadlineMs: 10_000 });
    assert.ok(result.ok, names(result).join("\n"));
    assert.ok(result.checks.some((c) => c.name.startsWith("TLS") && c.ok));
    assert.ok(result.checks.some((c) => c.name.startsWith("plain HTTP redirects") && c.ok));
    assert.is(result.checks.find((c) => c.name.startsWith("every target"))?.detail.startsWith("2 of 2"), true);
    assert.ok(new X509Certificate(env.certificatePem!).subject.includes("CN=seedstack-classic load balancer (self-signed)"));
  } finally {
    await env.dispose();
  }
});

test("smoke fails, and says so, when the certificate pinned is not the listener's", async () => {
  const { env } = await startTestEnvironment("classic");
  try {
    await env.waitHealthy({ deadlineMs: 15_000 });
    const { env: second } = await startTestEnvironment("autoscaled");
    try {
      const result = await runSmokeTest({ ...smokeTarget(env), certificatePem: second.certificatePem! }, quietContext(), { deadlineMs: 1_000 });
      assert.is(result.ok, false);
      const tls = result.checks.find((c) => c.name.startsWith("TLS"))!;
      assert.is(tls.ok, false);
      assert.match(tls.detail, /TLS handshake failed: self.signed certificate|certificate/);
    } finally {
      await second.dispose();
    }
  } finally {
    await env.dispose();
  }
});

test("smoke, autoscaled with sticky sessions (two instances): the AWSALB cookie keeps a client on one instance", async () => {
  const { env } = await startTestEnvironment("autoscaled", { change: (json) => void (only(json, "aws_autoscaling_group").desired_capacity = 2) });
  try {
    await env.waitHealthy({ deadlineMs: 15_000 });
    const result = await runSmokeTest(smokeTarget(env), quietContext(), { deadlineMs: 10_000 });
    assert.ok(result.ok, names(result).join("\n"));
    assert.match(result.checks.find((c) => c.name.startsWith("stickiness"))!.detail, /^6 of 6 requests with the cookie went to i-0/);
  } finally {
    await env.dispose();
  }
});

test("smoke, with a database: every instance reads the value written", async () => {
  const { env } = await startTestEnvironment("classic", { settings: { SEEDSTACK_DATABASE: "on" } });
  try {
    await env.waitHealthy({ deadlineMs: 30_000 });
    const result = await runSmokeTest(smokeTarget(env), quietContext(), { deadlineMs: 10_000 });
    assert.ok(result.ok, names(result).join("\n"));
    assert.ok(result.checks.some((c) => c.name.startsWith("every instance reads the same value") && c.ok));
  } finally {
    await env.dispose();
  }
});

for (const mode of ["process-dies", "health-fails"] as FailureMode[]) {
  test(`drill (${mode}): failures only in the detection window, survivors take all traffic, the target comes back`, async () => {
    // 5x rather than 10x: a health-check timeout of 0.8 s leaves room for a busy CI machine.
    const { env } = await startTestEnvironment("classic", { settings: { SEEDSTACK_TLS: "http", SEEDSTACK_DATABASE: mode === "process-dies" ? "on" : "off" }, engine: { speedup: 5 } });
    try {
      await env.waitHealthy({ deadlineMs: 30_000 });
      const result = await runFailoverDrill(
        localDrillControl(env),
        { baseUrl: env.url, sharedStore: env.stack.database !== undefined, healthCheck: env.stack.targetGroup.healthCheck, speedup: env.speedup, mode },
        quietContext(),
      );
      assert.equal(result.problems, []);
      assert.ok(result.ok);
      assert.is(result.failedAfterWindow, 0);
      assert.is(result.survivorShareAfter, 1);
      assert.ok(result.detection.measuredMs !== undefined && result.recovery.measuredMs !== undefined);
      assert.ok(result.timeline.some((b) => (b.byTarget[result.victim] ?? 0) > 0), "the victim served before the failure");
      assert.ok(result.marks.map((m) => m.label.split(":")[0]).join(",") === "failure,detected,recovery,recovered");
      if (mode === "process-dies") {
        assert.ok(result.writes && result.writes.acknowledged > 0 && !result.writes.lost, JSON.stringify(result.writes));
        assert.ok(result.failedInWindow > 0, "requests to the dead process failed until detection");
      }
    } finally {
      await env.dispose();
    }
  });
}

test.run();
