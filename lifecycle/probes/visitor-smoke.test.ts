/**
 * The smoke test proves what a visitor sees (issue 16, section 2): the whole lifecycle, through
 * the real local engine at 10x, on synthesized stacks broken on purpose. Each broken stack used to
 * pass `seedstack run`; each must now fail with a message that says what a visitor would meet.
 * Every check is in the result, run or skipped with the reason.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { RunReport } from "../report/run-report.js";
import { assertAllDisposed } from "../test-support/environments.js";
import { runChangedStack } from "../test-support/run-broken-stack.js";
import { listenerOn, referenceTo } from "../test-support/stack-edits.js";
import { removeSynthFixtures } from "../test-support/synth-fixture.js";

const test = suite("what a visitor sees");
test.after(() => {
  removeSynthFixtures();
  assertAllDisposed();
});

const lines = (r: RunReport) => (r.smoke?.checks ?? []).map((c) => `${c.skipped ? "skipped" : c.ok ? "ok" : "FAILED"}: ${c.name} (${c.detail})`).join("\n");
const redirectCheck = (r: RunReport) => r.smoke?.checks.find((c) => c.name.startsWith("plain HTTP redirects"));
/** Failing checks retry until the smoke deadline: keep it short, the broken ones never pass. */
const FAST = { smokeDeadlineMs: 2_000 };

test("the TLS pair: every check run or skipped with its reason; the redirect is followed to a pinned 200", async () => {
  const { report } = await runChangedStack("classic");
  assert.ok(report.ok, `${report.error?.message}\n${lines(report)}`);
  const checks = report.smoke!.checks;
  assert.is(checks.length, 7, lines(report));
  assert.equal(checks.filter((c) => !c.skipped).map((c) => c.name.split(/[ :]/)[0]), ["TLS", "GET", "POST", "every", "plain"]);
  assert.equal(
    checks.filter((c) => c.skipped).map((c) => c.skipped),
    ["no database: each instance keeps its own seed", "the target group has no stickiness"],
  );
  assert.match(redirectCheck(report)!.detail, /^301 -> https:\/\/127\.0\.0\.1:\d+\/status\?probe=redirect: TLSv1\.[23], certificate SHA-256 .*; 200 OK$/);
});

test("a plain-HTTP stack lists the TLS and redirect checks as skipped, with why", async () => {
  const { report } = await runChangedStack("classic", { settings: { SEEDSTACK_TLS: "http" } });
  assert.ok(report.ok, `${report.error?.message}\n${lines(report)}`);
  const skipped = Object.fromEntries(report.smoke!.checks.filter((c) => c.skipped).map((c) => [c.name.split(/[ :]/)[0], c.skipped]));
  assert.match(skipped.TLS ?? "", /plain HTTP/);
  assert.match(skipped.plain ?? "", /serves plain HTTP only \(no HTTPS listener\)/);
});

test("port 80 forwards to the targets in plain text next to HTTPS: a failed redirect check, not a missing one", async () => {
  const { report } = await runChangedStack("classic", {
    ...FAST,
    change: (json) => {
      listenerOn(json, 80).body.default_action = [{ type: "forward", target_group_arn: referenceTo(json, "aws_lb_target_group", "arn") }];
    },
  });
  assert.is(report.ok, false, lines(report));
  assert.is(report.error?.code, "ERR_SMOKE_FAILED");
  const check = redirectCheck(report);
  assert.ok(check && !check.ok && !check.skipped, lines(report));
  assert.match(check.detail, /answered 200 .* not a redirect to HTTPS: the plain-HTTP listener serves the app in plain text/);
});

test("port 80 redirects to https://…:8443, where nothing listens: the redirect is followed and fails", async () => {
  const { report } = await runChangedStack("classic", { ...FAST, change: (json) => void (listenerOn(json, 80).body.default_action[0].redirect.port = "8443") });
  assert.is(report.ok, false, lines(report));
  const check = redirectCheck(report)!;
  assert.is(check.ok, false);
  assert.match(check.detail, /^301 -> https:\/\/127\.0\.0\.1:8443\/status\?probe=redirect, where TLS handshake with 127\.0\.0\.1:8443 failed/);
});

test("port 443 turned into plain HTTP while port 80 still redirects to https://…:443: no TLS where the redirect leads", async () => {
  const { report } = await runChangedStack("classic", {
    ...FAST,
    change: (json) => {
      const https = listenerOn(json, 443).body;
      https.protocol = "HTTP";
      delete https.certificate_arn;
      delete https.ssl_policy;
    },
  });
  assert.is(report.ok, false, lines(report));
  const check = redirectCheck(report)!;
  assert.is(check.ok, false, lines(report));
  assert.match(check.detail, /^301 -> https:\/\/127\.0\.0\.1:\d+\/status\?probe=redirect, where TLS handshake with 127\.0\.0\.1:\d+ failed/);
  assert.match(report.smoke!.checks.find((c) => c.name.startsWith("TLS"))!.skipped ?? "", /plain HTTP/);
});

test.run();
