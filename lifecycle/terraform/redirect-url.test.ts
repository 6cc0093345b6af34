/** Where the terraform engine checks plain HTTP: the listener the one rule picks (stack/plain-http-check.ts), on the URL's host. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { ListenerSpec, Stack } from "../stack/stack.js";
import { plainHttpTargetOf } from "./terraform-engine.js";

const https: ListenerSpec = { address: "aws_lb_listener.https", port: 443, protocol: "HTTPS", action: { type: "forward" } };
const redirect = (port: number, to: "HTTPS" | "HTTP" | "#{protocol}" = "HTTPS"): ListenerSpec => ({
  address: "aws_lb_listener.http",
  port,
  protocol: "HTTP",
  action: { type: "redirect", protocol: to, port: "443", statusCode: 301 },
});
const forward = (port: number): ListenerSpec => ({ address: "aws_lb_listener.plain", port, protocol: "HTTP", action: { type: "forward" } });
/** Only the listeners matter to the rule; the rest of the stack is not read. */
const stackWith = (...listeners: ListenerSpec[]) => ({ loadBalancer: { listeners } }) as unknown as Stack;
const ALB = "https://seedstack-pr-12-alb-123.us-east-1.elb.amazonaws.com";
const HOST = "seedstack-pr-12-alb-123.us-east-1.elb.amazonaws.com";

test("an HTTPS URL on its default port: the plain-HTTP listener's port on the same host (80 is implied)", () => {
  assert.equal(plainHttpTargetOf(stackWith(redirect(80), https), ALB), { redirectFromUrl: `http://${HOST}` });
  assert.equal(plainHttpTargetOf(stackWith(redirect(8080), https), `${ALB}/`), { redirectFromUrl: `http://${HOST}:8080` });
});

test("a plain-HTTP listener that does not redirect to HTTPS is still checked (the smoke check then fails): forwarding in plain text, a redirect to HTTP", () => {
  assert.equal(plainHttpTargetOf(stackWith(forward(80), https), ALB), { redirectFromUrl: `http://${HOST}` });
  assert.equal(plainHttpTargetOf(stackWith(redirect(80, "HTTP"), https), ALB), { redirectFromUrl: `http://${HOST}` });
});

test("skipped, with the reason: no plain-HTTP listener, a plain-HTTP-only stack, a URL with an explicit port (a stand-in)", () => {
  assert.match(String((plainHttpTargetOf(stackWith(https), ALB) as { redirectSkipped?: string }).redirectSkipped), /no plain-HTTP listener/);
  assert.match(String((plainHttpTargetOf(stackWith(forward(80)), "http://seedstack.example.test") as { redirectSkipped?: string }).redirectSkipped), /plain HTTP only/);
  assert.match(String((plainHttpTargetOf(stackWith(redirect(80), https), "https://127.0.0.1:4443") as { redirectSkipped?: string }).redirectSkipped), /not the load balancer's HTTPS address on port 443/);
});

test.run();
