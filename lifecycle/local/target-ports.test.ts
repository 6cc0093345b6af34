/**
 * Each target on its own port, and every cause of an unhealthy target named at once (issue 16,
 * section 2), through runLifecycle and the real local engine at 10x on the classic stack broken on
 * purpose: attachments on different ports (one of them wrong), a target group moved to a port
 * the app does not listen on while the security groups still open the old one, and a blocked hop
 * in front of a wrong health-check path.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { assertAllDisposed } from "../test-support/environments.js";
import { runChangedStack } from "../test-support/run-broken-stack.js";
import { removeSynthFixtures } from "../test-support/synth-fixture.js";

const test = suite("target ports");
test.after(() => {
  removeSynthFixtures();
  assertAllDisposed();
});

const attachments = (json: Record<string, any>) => Object.entries(json.resource.aws_lb_target_group_attachment as Record<string, Record<string, any>>).sort(([a], [b]) => a.localeCompare(b)).map(([, body]) => body);
const FAST = { healthyDeadlineMs: 4_000, smokeDeadlineMs: 2_000 };

test("attachment 0 on 8081, attachment 1 on 8080, app on 8080: web-0 is unhealthy and diagnosed, web-1 serves", async () => {
  const { report, events } = await runChangedStack("classic", { ...FAST, settings: { SEEDSTACK_TLS: "http" }, change: (json) => void (attachments(json)[0]!.port = 8081) });
  assert.is(report.ok, false);
  assert.is(report.error?.code, "ERR_TARGETS_UNHEALTHY");
  assert.match(report.error!.message, /^1 of 2 targets healthy/);
  const targets = new Set(report.diagnoses.map((d) => d.target));
  assert.is(targets.size, 1, "only one target is diagnosed");
  assert.equal(report.diagnoses.map((d) => d.kind), ["port-mismatch", "security-group"]);
  assert.match(report.diagnoses[0]!.message, /^seedstack-classic-web-0 \(i-0[0-9a-f]+\): the target group sends traffic and health checks to port 8081, but the app listens on port 8080/);
  const healthy = events.filter((e) => e.type === "target-health" && e.to === "healthy");
  assert.is(healthy.length, 1, "web-1, registered on 8080, becomes healthy");
});

test("target group and attachments moved to 8081, security groups still for 8080: the port mismatch first, then the rule", async () => {
  const { report } = await runChangedStack("classic", {
    ...FAST,
    settings: { SEEDSTACK_TLS: "http" },
    change: (json) => {
      for (const tg of Object.values(json.resource.aws_lb_target_group) as any[]) tg.port = 8081;
      for (const a of attachments(json)) a.port = 8081;
    },
  });
  assert.is(report.error?.code, "ERR_TARGETS_UNHEALTHY");
  assert.equal(report.diagnoses.map((d) => d.kind), ["port-mismatch", "security-group", "port-mismatch", "security-group"]);
  for (const [mismatch, rule] of [report.diagnoses.slice(0, 2), report.diagnoses.slice(2)]) {
    assert.is(mismatch!.target, rule!.target);
    assert.match(mismatch!.message, /sends traffic and health checks to port 8081, but the app listens on port 8080 \(PORT in the user data\)/);
    // Both missing rules at once: the load balancer's egress and the web servers' ingress.
    assert.match(rule!.message, /no egress rule in seedstack-classic-alb .* for tcp\/8081 to the group seedstack-classic-web/);
    assert.match(rule!.message, /; and web server seedstack-classic-web-\d does not accept tcp\/8081 from load balancer seedstack-classic-alb/);
    assert.match(rule!.message, /\(needed only if port 8081 stays; fix the port mismatch first\)$/);
  }
  // The error message (what the CLI prints) names both causes of each target, the mismatch first.
  const message = report.error!.message;
  assert.ok(message.indexOf("port 8081, but the app listens") < message.indexOf("may not send tcp/8081"), message);
});

test("a blocked security-group hop does not hide what lies behind it: the rule to add, and the health-check path the app does not have", async () => {
  const { report } = await runChangedStack("classic", {
    ...FAST,
    settings: { SEEDSTACK_TLS: "http" },
    change: (json) => {
      const rules = json.resource.aws_vpc_security_group_ingress_rule;
      for (const [name, rule] of Object.entries(rules) as Array<[string, any]>) if (rule.from_port === 8080) delete rules[name];
      for (const tg of Object.values(json.resource.aws_lb_target_group) as any[]) tg.health_check.path = "/health";
    },
  });
  assert.is(report.error?.code, "ERR_TARGETS_UNHEALTHY");
  assert.equal(report.diagnoses.map((d) => d.kind), ["security-group", "path-not-found", "security-group", "path-not-found"]);
  assert.match(report.diagnoses[0]!.message, /does not accept tcp\/8080 from load balancer seedstack-classic-alb/);
  assert.match(report.diagnoses[1]!.message, /asks for GET \/health and the app answers 404.*\(found past the security groups: the health check meets it once they allow it\)$/);
});

test.run();
