/** Where the terraform engine checks the redirect to HTTPS: the stack's redirecting listener, on the URL's host. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { ListenerSpec, Stack } from "../stack/stack.js";
import { redirectUrlOf } from "./terraform-engine.js";

const https: ListenerSpec = { address: "aws_lb_listener.https", port: 443, protocol: "HTTPS", action: { type: "forward" } };
const redirect = (port: number, to: "HTTPS" | "HTTP" | "#{protocol}" = "HTTPS"): ListenerSpec => ({
  address: "aws_lb_listener.http",
  port,
  protocol: "HTTP",
  action: { type: "redirect", protocol: to, port: "443", statusCode: 301 },
});
/** Only the listeners matter to the rule; the rest of the stack is not read. */
const stackWith = (...listeners: ListenerSpec[]) => ({ loadBalancer: { listeners } }) as unknown as Stack;
const ALB = "https://seedstack-pr-12-alb-123.us-east-1.elb.amazonaws.com";

test("an HTTPS URL on its default port: the redirecting listener's port on the same host (80 is implied)", () => {
  assert.is(redirectUrlOf(stackWith(redirect(80), https), ALB), "http://seedstack-pr-12-alb-123.us-east-1.elb.amazonaws.com");
  assert.is(redirectUrlOf(stackWith(redirect(8080), https), `${ALB}/`), "http://seedstack-pr-12-alb-123.us-east-1.elb.amazonaws.com:8080");
});

test("no redirect is checked for a plain-HTTP URL, a URL with an explicit port (a stand-in), or a stack without an HTTP listener redirecting to HTTPS", () => {
  assert.is(redirectUrlOf(stackWith(redirect(80), https), "http://seedstack.example.test"), undefined);
  assert.is(redirectUrlOf(stackWith(redirect(80), https), "https://127.0.0.1:4443"), undefined);
  assert.is(redirectUrlOf(stackWith(https), ALB), undefined);
  assert.is(redirectUrlOf(stackWith(redirect(80, "HTTP"), https), ALB), undefined, "a redirect to HTTP is not the redirect to HTTPS");
  assert.is(redirectUrlOf(stackWith(redirect(80, "#{protocol}"), https), ALB), undefined);
});

test.run();
