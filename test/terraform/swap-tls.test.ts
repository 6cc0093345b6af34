import { test } from "uvu";
import * as assert from "uvu/assert";
import { stackNamed, synthApp } from "../../stacks/test-support.js";
import { swapTlsForVariables } from "./swap-tls.js";

test("a self-signed stack: the tls key and certificate become variables, everything that used them reads the variables", () => {
  const classic = stackNamed(synthApp().stacks, "classic") as Record<string, any>;
  const { json, removed, variables } = swapTlsForVariables(classic);
  assert.equal(removed.map((a) => a.split(".")[0]).sort(), ["tls_private_key", "tls_self_signed_cert"]);
  assert.is(json.resource.tls_private_key, undefined);
  assert.is(json.resource.tls_self_signed_cert, undefined);
  assert.is(json.provider.tls, undefined);
  assert.is(json.terraform.required_providers.tls, undefined);
  assert.ok(json.terraform.required_providers.aws, "the aws provider stays");
  assert.equal(variables.length, 2);
  const [acm] = Object.values(json.resource.aws_acm_certificate as Record<string, any>);
  assert.match(acm.private_key, /^\$\{var\.tls_private_key__lb_certificate_key_[0-9A-F]+__private_key_pem\}$/);
  assert.match(acm.certificate_body, /^\$\{var\.tls_self_signed_cert__lb_certificate_cert_[0-9A-F]+__cert_pem\}$/);
  assert.match(json.output.certificate_pem.value, /^\$\{var\.tls_self_signed_cert__/);
  // The import is still replaced, never re-imported, in the real stack; planned here without the trigger.
  assert.equal(acm.lifecycle, { create_before_destroy: true });
  const key = json.variable[acm.private_key.slice(6, -1)];
  assert.is(key.sensitive, true);
  assert.match(key.default, "-----BEGIN PRIVATE KEY-----");
  assert.not.match(JSON.stringify(json), /\btls_self_signed_cert\.|\btls_private_key\./);
  assert.ok(classic.resource!.tls_private_key, "the input is not modified");
});

test("a stack without tls resources comes back unchanged", () => {
  const http = stackNamed(synthApp({ SEEDSTACK_TLS: "http" }).stacks, "classic") as Record<string, any>;
  const swap = swapTlsForVariables(http);
  assert.is(swap.json, http);
  assert.equal(swap.removed, []);
});

test("a reference the swap cannot rewrite (depends_on on a tls resource) is an error naming it", () => {
  const classic = structuredClone(stackNamed(synthApp().stacks, "classic")) as Record<string, any>;
  const [keyName] = Object.keys(classic.resource.tls_private_key);
  const [alb] = Object.values(classic.resource.aws_lb as Record<string, any>);
  alb.depends_on = [`tls_private_key.${keyName}`];
  assert.throws(() => swapTlsForVariables(classic), new RegExp(`tls_private_key\\.${keyName} is still referenced after the swap`));
});

test.run();
