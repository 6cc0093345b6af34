import { test } from "uvu";
import * as assert from "uvu/assert";
import { plainHttpCheckOf } from "./plain-http-check.js";
import type { ListenerSpec } from "./stack.js";

const forward = (port: number, protocol: "HTTP" | "HTTPS"): ListenerSpec => ({ address: `aws_lb_listener.l${port}`, port, protocol, action: { type: "forward" } });
const redirect = (port: number, to: string): ListenerSpec => ({ address: `aws_lb_listener.l${port}`, port, protocol: "HTTP", action: { type: "redirect", protocol: "HTTPS", port: to, statusCode: 301 } });
const of = (...listeners: ListenerSpec[]) => plainHttpCheckOf({ loadBalancer: { address: "aws_lb.lb", name: "lb", securityGroups: [], idleTimeoutSeconds: 60, subnetCidrs: [], subnetCount: 2, listeners } });

test("HTTPS with port 80 redirecting: port 80 is checked", () => {
  assert.equal(of(redirect(80, "443"), forward(443, "HTTPS")), { listener: redirect(80, "443") });
});

test("HTTPS with port 80 forwarding in plain text: port 80 is still checked (and will fail), not dropped", () => {
  assert.equal(of(forward(80, "HTTP"), forward(443, "HTTPS")), { listener: forward(80, "HTTP") });
});

test("port 80 redirecting to a port that is plain HTTP: the stack means HTTPS, so port 80 is checked", () => {
  assert.equal(of(redirect(80, "443"), forward(443, "HTTP")), { listener: redirect(80, "443") });
});

test("without port 80, a redirecting plain-HTTP listener is preferred", () => {
  assert.equal(of(forward(8000, "HTTP"), redirect(8080, "443"), forward(443, "HTTPS")), { listener: redirect(8080, "443") });
});

test("nothing to check: skipped with the reason", () => {
  const plainOnly = of(forward(80, "HTTP"));
  assert.ok("skipped" in plainOnly && /serves plain HTTP only/.test(plainOnly.skipped));
  const httpsOnly = of(forward(443, "HTTPS"));
  assert.ok("skipped" in httpsOnly && /no plain-HTTP listener/.test(httpsOnly.skipped));
});

test.run();
