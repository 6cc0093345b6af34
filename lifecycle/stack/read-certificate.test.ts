/**
 * Which certificate an HTTPS listener serves, read from synthesized stacks changed on purpose:
 * the one its certificate_arn names (through ACM validation and import to the tls_self_signed_cert),
 * and what AWS would refuse, refused naming the field.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { LifecycleError } from "../errors.js";
import { addSelfSignedCertificate, listenerOn } from "../test-support/stack-edits.js";
import { removeSynthFixtures, stackJson } from "../test-support/synth-fixture.js";
import { parseStack } from "./read-stack.js";
import type { Stack } from "./stack.js";

const test = suite("read-certificate");
test.after(() => removeSynthFixtures());

async function readChanged(change: (json: Record<string, any>) => void): Promise<Stack> {
  const json = await stackJson("classic");
  change(json);
  return parseStack(json, "classic", "test.json");
}
async function refusal(change: (json: Record<string, any>) => void): Promise<LifecycleError> {
  try {
    await readChanged(change);
  } catch (err) {
    return err as LifecycleError;
  }
  throw new Error("expected the stack to be refused");
}

test("the listener's certificate is the one it names, not the first in the file", async () => {
  const stack = await readChanged((json) => void (listenerOn(json, 443).body.certificate_arn = addSelfSignedCertificate(json, "second", "the second certificate")));
  assert.is(stack.certificate?.source, "tls_self_signed_cert.second_cert");
  assert.is(stack.certificate?.commonName, "the second certificate");
  assert.is(stack.certificate?.ecdsaCurve, "P384");
  assert.is(stack.loadBalancer.listeners.find((l) => l.port === 443)?.certificate, stack.certificate);
  assert.is(stack.loadBalancer.listeners.find((l) => l.port === 80)?.certificate, undefined);
});

test("an HTTPS listener without certificate_arn is refused, naming the field", async () => {
  let address = "";
  const err = await refusal((json) => {
    const https = listenerOn(json, 443);
    address = https.address;
    delete https.body.certificate_arn;
  });
  assert.is(err.code, "ERR_STACK_INVALID");
  assert.ok(err.message.includes(`${address}.certificate_arn: is missing: AWS refuses an HTTPS listener without a certificate`), err.message);
});

test("a certificate_arn that names no certificate of the stack, or is no ARN, is refused naming it", async () => {
  const notThere = await refusal((json) => void (listenerOn(json, 443).body.certificate_arn = "${aws_acm_certificate.nope.arn}"));
  assert.match(notThere.message, /certificate_arn: names "\$\{aws_acm_certificate\.nope\.arn\}", which is not a certificate of this stack/);
  const notAnArn = await refusal((json) => void (listenerOn(json, 443).body.certificate_arn = "my-cert"));
  assert.match(notAnArn.message, /certificate_arn: expected an ACM or IAM certificate ARN .*, got "my-cert"/);
  const notACertificate = await refusal((json) => void (listenerOn(json, 443).body.certificate_arn = Object.keys(json.resource.aws_lb).map((n) => `\${aws_lb.${n}.arn}`)[0]));
  assert.match(notACertificate.message, /of type aws_lb; an HTTPS listener needs an aws_acm_certificate or aws_iam_server_certificate/);
});

test("a certificate outside the stack (literal ARN) or requested from ACM (through its validation) gets a stand-in for its domain", async () => {
  const literal = await readChanged((json) => void (listenerOn(json, 443).body.certificate_arn = "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789"));
  assert.equal([literal.certificate?.source, literal.certificate?.commonName], ["arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789", "localhost"]);
  const requested = await readChanged((json) => {
    json.resource.aws_acm_certificate.requested = { domain_name: "shop.example.com", validation_method: "DNS" };
    json.resource.aws_acm_certificate_validation = { v: { certificate_arn: "${aws_acm_certificate.requested.arn}" } };
    listenerOn(json, 443).body.certificate_arn = "${aws_acm_certificate_validation.v.certificate_arn}";
  });
  assert.equal([requested.certificate?.source, requested.certificate?.commonName], ["aws_acm_certificate.requested", "shop.example.com"]);
});

test.run();
