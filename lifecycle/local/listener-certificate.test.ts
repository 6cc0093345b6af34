/**
 * An HTTPS listener's certificate, on synthesized stacks broken on purpose: one without
 * `certificate_arn` is refused (AWS refuses it at apply) naming the field, and one that names a
 * second certificate serves that one (not the first `tls_self_signed_cert` in the file), which
 * the smoke test pins. The real local engine at 10x.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { X509Certificate } from "node:crypto";
import { connect } from "node:tls";
import { quietContext } from "../events.js";
import { runSmokeTest } from "../probes/smoke-test.js";
import { smokeTargetOf } from "../run-lifecycle.js";
import { assertAllDisposed, startTestEnvironment } from "../test-support/environments.js";
import { runChangedStack } from "../test-support/run-broken-stack.js";
import { addSelfSignedCertificate, listenerOn } from "../test-support/stack-edits.js";
import { removeSynthFixtures } from "../test-support/synth-fixture.js";
import { asEnvironment } from "./local-engine.js";

const test = suite("listener certificates");
test.after(() => {
  removeSynthFixtures();
  assertAllDisposed();
});

/** The subject of the certificate the server at `url` presents, trusting only `pem` (verification on). */
function servedSubject(url: string, pem: string): Promise<string> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: u.hostname, port: Number(u.port), ca: pem }, () => {
      const subject = socket.getPeerX509Certificate()?.subject ?? "";
      socket.end();
      resolve(subject);
    });
    socket.once("error", reject);
  });
}

test("an HTTPS listener without certificate_arn is refused before anything starts, naming the field", async () => {
  let address = "";
  const { report, events } = await runChangedStack("classic", {
    change: (json) => {
      const https = listenerOn(json, 443);
      address = https.address;
      delete https.body.certificate_arn;
    },
  });
  assert.is(report.ok, false);
  assert.is(report.error?.code, "ERR_STACK_INVALID");
  assert.ok(report.error!.message.includes(`${address}.certificate_arn: is missing: AWS refuses an HTTPS listener without a certificate`), report.error!.message);
  assert.not.ok(events.some((e) => e.type === "instance-started"), "nothing was started");
  assert.equal(report.phases.map((p) => p.phase), ["summary"]);
});

test("an HTTPS listener naming a second certificate serves that one, and the smoke test pins it", async () => {
  const { env } = await startTestEnvironment("classic", {
    change: (json) => {
      listenerOn(json, 443).body.certificate_arn = addSelfSignedCertificate(json, "second", "the second certificate");
    },
  });
  try {
    assert.match(new X509Certificate(env.certificatePem!).subject, /CN=the second certificate/, "the certificate to pin is the one the listener names");
    const https = env.listeners.find((l) => l.spec.protocol === "HTTPS")!;
    assert.match(await servedSubject(https.url, env.certificatePem!), /CN=the second certificate/, "the listener serves the one it names");
    assert.is(env.stack.certificate?.keyAlgorithm, "ECDSA");
    assert.is(env.stack.certificate?.ecdsaCurve, "P384");
    await env.waitHealthy({ deadlineMs: 15_000 });
    const result = await runSmokeTest(smokeTargetOf(asEnvironment(env)), quietContext(), { deadlineMs: 10_000 });
    assert.ok(result.ok, result.checks.map((c) => `${c.ok ? "ok" : "FAILED"}: ${c.name} (${c.detail})`).join("\n"));
  } finally {
    await env.dispose();
  }
});

test.run();
