/**
 * The local engine end to end: real seed-server processes, the local load balancer and (for the
 * database case) a real PostgreSQL, on synthesized stacks and on variants broken the ways the
 * course FAQ lists. The clock runs 10x faster (health-check interval 0.5 s); nothing here depends
 * on absolute timing, every wait has a deadline.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { request } from "undici";
import type { LifecycleError } from "../errors.js";
import { assertAllDisposed, only, startTestEnvironment, waitFor } from "../test-support/environments.js";
import { removeSynthFixtures } from "../test-support/synth-fixture.js";

const test = suite("local engine");
test.after(() => {
  removeSynthFixtures();
  assertAllDisposed();
});

const PLAIN_HTTP = { SEEDSTACK_TLS: "http" };

async function unhealthyError(env: { waitHealthy(o: { deadlineMs: number }): Promise<void> }): Promise<LifecycleError> {
  try {
    await env.waitHealthy({ deadlineMs: 4000 });
  } catch (err) {
    return err as LifecycleError;
  }
  throw new Error("expected the targets to stay unhealthy");
}

test("the pair comes up healthy and the load balancer alternates between both instances", async () => {
  const { env } = await startTestEnvironment("classic", { settings: PLAIN_HTTP });
  try {
    await env.waitHealthy({ deadlineMs: 15_000 });
    const servedBy = [];
    for (let i = 0; i < 4; i++) {
      const res = await request(env.url + "/");
      assert.is(res.statusCode, 200);
      assert.is(await res.body.text(), "0");
      servedBy.push(res.headers["x-served-by"]);
    }
    const ids = env.instances().map((i) => i.id).sort();
    assert.equal([...new Set(servedBy)].sort(), ids);
    assert.ok(ids.every((id) => /^i-0[0-9a-f]{16}$/.test(id)), `instance IDs look like EC2's: ${ids}`);
  } finally {
    await env.dispose();
  }
});

test("port mismatch: the target group's port is not the app's port", async () => {
  const { env, events } = await startTestEnvironment("classic", {
    settings: PLAIN_HTTP,
    change: (json) => {
      only(json, "aws_lb_target_group").port = 8081;
      for (const a of Object.values(json.resource.aws_lb_target_group_attachment) as any[]) a.port = 8081;
      // Keep the security groups consistent with the new port, so only the port is wrong.
      for (const r of [...Object.values(json.resource.aws_vpc_security_group_ingress_rule), ...Object.values(json.resource.aws_vpc_security_group_egress_rule)] as any[]) {
        if (r.from_port === 8080) r.from_port = r.to_port = 8081;
      }
    },
  });
  try {
    const err = await unhealthyError(env);
    assert.is(err.code, "ERR_TARGETS_UNHEALTHY");
    const kinds = env.diagnose().map((d) => d.kind);
    assert.equal(kinds, ["port-mismatch", "port-mismatch"]);
    assert.match(err.message, /sends traffic and health checks to port 8081, but the app listens on port 8080 \(PORT in the user data\)/);
    assert.ok(events.some((e) => e.type === "diagnosis"), "the diagnoses are emitted as events");
  } finally {
    await env.dispose();
  }
});

test("health-check path not found", async () => {
  const { env } = await startTestEnvironment("classic", { settings: PLAIN_HTTP, change: (json) => void (only(json, "aws_lb_target_group").health_check.path = "/health") });
  try {
    const err = await unhealthyError(env);
    assert.equal(env.diagnose().map((d) => d.kind), ["path-not-found", "path-not-found"]);
    assert.match(err.message, /asks for GET \/health and the app answers 404/);
  } finally {
    await env.dispose();
  }
});

test("security-group hop blocked: without the servers' ingress rule the load balancer cannot reach them, and the rule is named", async () => {
  const { env, events } = await startTestEnvironment("classic", {
    settings: PLAIN_HTTP,
    change: (json) => {
      const rules = json.resource.aws_vpc_security_group_ingress_rule;
      for (const [name, rule] of Object.entries(rules) as Array<[string, any]>) if (rule.from_port === 8080) delete rules[name];
    },
  });
  try {
    const err = await unhealthyError(env);
    assert.equal(env.diagnose().map((d) => d.kind), ["security-group", "security-group"]);
    assert.match(err.message, /does not accept tcp\/8080 from load balancer seedstack-classic-alb: no ingress rule in seedstack-classic-web/);
    assert.match(err.message, /add an aws_vpc_security_group_ingress_rule on seedstack-classic-web .* from the group seedstack-classic-alb/);
    // Requests are not let through either (fail-open routing meets the closed hop): 504.
    const res = await request(env.url + "/");
    assert.is(res.statusCode, 504);
    await res.body.dump();
    assert.ok(events.some((e) => e.type === "hop-denied"));
  } finally {
    await env.dispose();
  }
});

test("the process exited: the diagnosis quotes its last log lines", async () => {
  const { env } = await startTestEnvironment("classic", {
    settings: PLAIN_HTTP,
    change: (json) => {
      for (const i of Object.values(json.resource.aws_instance) as any[]) i.user_data = String(i.user_data).replace("LOG_LEVEL='info'", "LOG_LEVEL='loud'");
    },
  });
  try {
    const err = await unhealthyError(env);
    assert.equal(env.diagnose().map((d) => d.kind), ["process-exited", "process-exited"]);
    assert.match(err.message, /the seed server process exited \(code 2\)/);
    assert.match(err.message, /loud/, "the server's own complaint is quoted");
  } finally {
    await env.dispose();
  }
});

test("clients outside the load balancer's allowed CIDRs are dropped, and the missing rule is named", async () => {
  const { env, events } = await startTestEnvironment("classic", { settings: { ...PLAIN_HTTP, SEEDSTACK_ALLOWED_CIDRS: "203.0.113.0/24" } });
  try {
    await env.waitHealthy({ deadlineMs: 15_000 });
    const failed = await request(env.url + "/").then(
      () => "answered",
      (e: Error & { code?: string }) => e.code ?? e.message,
    );
    assert.is.not(failed, "answered");
    const denial = events.find((e) => e.type === "hop-denied");
    assert.match(denial && denial.type === "hop-denied" ? denial.message : "", /does not accept tcp\/80 from client 127\.0\.0\.1/);
  } finally {
    await env.dispose();
  }
});

test("the Auto Scaling group replaces an instance whose server died, after the grace period, within its size", async () => {
  const { env, events } = await startTestEnvironment("autoscaled", { settings: PLAIN_HTTP, engine: { speedup: 20 } });
  try {
    await env.waitHealthy({ deadlineMs: 15_000 });
    const [first] = env.instances();
    await env.killInstance(first!.id);
    await waitFor("a replacement instance to be launched", () => events.some((e) => e.type === "scaling" && e.action === "launch"));
    assert.ok(events.some((e) => e.type === "scaling" && e.action === "terminate" && e.instance === first!.id));
    await env.waitHealthy({ deadlineMs: 15_000 });
    const now = env.instances();
    assert.is(now.length, 1, "desired capacity 1 is kept");
    assert.is.not(now[0]!.id, first!.id);
  } finally {
    await env.dispose();
  }
});

test("with a database: every server shares the seed; without the database's ingress rule the hop is diagnosed", async () => {
  const { env } = await startTestEnvironment("classic", { settings: { ...PLAIN_HTTP, SEEDSTACK_DATABASE: "on" } });
  try {
    await env.waitHealthy({ deadlineMs: 30_000 });
    const post = await request(env.url + "/", { method: "POST", body: '{"num": 123456789012345678901234567890}', headers: { "content-type": "application/json" } });
    assert.is(post.statusCode, 200);
    await post.body.dump();
    const seen = new Map<string, string>();
    for (let i = 0; i < 4; i++) {
      const res = await request(env.url + "/");
      seen.set(String(res.headers["x-served-by"]), await res.body.text());
    }
    assert.is(seen.size, 2);
    assert.equal([...seen.values()], ["123456789012345678901234567890", "123456789012345678901234567890"]);
  } finally {
    await env.dispose();
  }
  const blocked = await startTestEnvironment("classic", {
    settings: { ...PLAIN_HTTP, SEEDSTACK_DATABASE: "on" },
    change: (json) => {
      const rules = json.resource.aws_vpc_security_group_ingress_rule;
      for (const [name, rule] of Object.entries(rules) as Array<[string, any]>) if (rule.from_port === 5432) delete rules[name];
    },
  });
  try {
    const err = await unhealthyError(blocked.env);
    assert.equal(blocked.env.diagnose().map((d) => d.kind), ["security-group", "security-group"]);
    assert.match(err.message, /cannot reach its database: database seed does not accept tcp\/5432 from web server seedstack-classic-web-\d/);
  } finally {
    await blocked.env.dispose();
  }
});

test.run();
