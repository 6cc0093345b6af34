import { test } from "uvu";
import * as assert from "uvu/assert";
import { resourcesOf } from "../test/synth-json.js";
import { stackNamed, synthApp, TEST_CERTIFICATE_ARN, type StackJson } from "./test-support.js";

/** The one resource of `type` in `json` (fails, naming what exists, otherwise). */
function only(json: StackJson, type: string): Record<string, any> {
  const found = resourcesOf(json, type);
  assert.is(found.length, 1, `expected one ${type}, found ${found.map((r) => r.address).join(", ") || "none"}`);
  return found[0]!.attrs;
}

/** `${type.<the one resource of type>.attribute}`. */
function refToOnly(json: StackJson, type: string, attribute: string): string {
  const found = resourcesOf(json, type);
  assert.is(found.length, 1, `expected one ${type}`);
  return `\${${type}.${found[0]!.name}.${attribute}}`;
}

function outputs(json: StackJson): Record<string, unknown> {
  return Object.fromEntries(Object.entries(json.output ?? {}).map(([name, o]) => [name, o.value]));
}

/**
 * The default app, synthesized on first use inside a test (never at module load: a construct error
 * then fails the tests that need it, with their names, instead of the whole file).
 */
let defaults: ReturnType<typeof synthApp> | undefined;
function defaultStack(name: "classic" | "autoscaled"): StackJson {
  defaults ??= synthApp();
  return stackNamed(defaults.stacks, name);
}

test("classic: two instances in different private subnets behind the ALB, app port 8080, health check /status", () => {
  const classic = defaultStack("classic");
  const instances = resourcesOf(classic, "aws_instance");
  assert.is(instances.length, 2);
  const subnets = new Set(instances.map((i) => i.attrs.subnet_id));
  assert.is(subnets.size, 2, "one server per availability zone");
  for (const subnet of subnets) assert.match(String(subnet), /aws_subnet\.network_private-/);
  const group = only(classic, "aws_lb_target_group");
  assert.is(group.port, 8080);
  assert.is(group.health_check.path, "/status");
  assert.is(resourcesOf(classic, "aws_lb_target_group_attachment").length, 2);
  assert.is(resourcesOf(classic, "aws_autoscaling_group").length, 0);
  assert.is(group.stickiness, undefined, "classic spreads requests; no sticky sessions");
});

test("autoscaled: ASG 1/2/1 with 50% CPU target tracking, TLS listener, one-day sticky sessions, port 8080 /status", () => {
  const autoscaled = defaultStack("autoscaled");
  const group = only(autoscaled, "aws_autoscaling_group");
  assert.equal([group.min_size, group.max_size, group.desired_capacity], [1, 2, 1]);
  assert.is(group.launch_template.id, refToOnly(autoscaled, "aws_launch_template", "id"));
  const policy = only(autoscaled, "aws_autoscaling_policy");
  assert.is(policy.policy_type, "TargetTrackingScaling");
  assert.is(policy.target_tracking_configuration.target_value, 50);
  assert.is(policy.target_tracking_configuration.predefined_metric_specification.predefined_metric_type, "ASGAverageCPUUtilization");

  const targetGroup = only(autoscaled, "aws_lb_target_group");
  // The ALB's cookie for one day (docs/stacks.md).
  assert.equal(targetGroup.stickiness, { enabled: true, type: "lb_cookie", cookie_duration: 86_400 });
  assert.is(targetGroup.port, 8080);
  assert.is(targetGroup.health_check.path, "/status");
  const https = resourcesOf(autoscaled, "aws_lb_listener").filter((l) => l.attrs.protocol === "HTTPS");
  assert.is(https.length, 1);
  assert.is(https[0]!.attrs.port, 443);
  assert.is(resourcesOf(autoscaled, "aws_instance").length, 0);
});

test("SEEDSTACK_TARGET_CPU sets the autoscaled policy's target value (the local engine reads it from there); classic has no policy", () => {
  const app = synthApp({ SEEDSTACK_TARGET_CPU: "2.5" });
  assert.is(only(stackNamed(app.stacks, "autoscaled"), "aws_autoscaling_policy").target_tracking_configuration.target_value, 2.5);
  assert.is(resourcesOf(stackNamed(app.stacks, "classic"), "aws_autoscaling_policy").length, 0);
});

test("provider: region and default tags; long-lived stacks have no PR or expiry tags", () => {
  const classic = defaultStack("classic");
  const [aws] = classic.provider!.aws!;
  assert.is(aws!.region, "us-east-1");
  assert.equal(aws!.default_tags, [{ tags: { Project: "seedstack", Stack: "classic", Owner: "octocat" } }]);
  const eu = stackNamed(synthApp({ SEEDSTACK_REGION: "eu-west-2" }).stacks, "autoscaled");
  assert.is(eu.provider!.aws![0]!.region, "eu-west-2");
});

test("outputs of the default (self-signed) stacks: url, ALB name, target group, servers, certificate", () => {
  const classic = defaultStack("classic");
  const autoscaled = defaultStack("autoscaled");
  const lbDns = refToOnly(classic, "aws_lb", "dns_name");
  const [first, second] = resourcesOf(classic, "aws_instance").map((i) => `aws_instance.${i.name}.id`);
  assert.equal(outputs(classic), {
    url: `https://${lbDns}`,
    alb_dns_name: lbDns,
    target_group_arn: refToOnly(classic, "aws_lb_target_group", "arn"),
    // Both instances, in order, as one list.
    instance_ids: `\${tolist([${first}, ${second}])}`,
    certificate_pem: refToOnly(classic, "tls_self_signed_cert", "cert_pem"),
  });

  const scaled = outputs(autoscaled);
  assert.is(scaled.asg_name, refToOnly(autoscaled, "aws_autoscaling_group", "name"));
  assert.is(scaled.instance_ids, undefined);
  assert.is(scaled.database_endpoint, undefined);
});

test("plain-HTTP mode: no certificate, an http:// URL, HTTP listener forwarding on port 80", () => {
  const http = stackNamed(synthApp({ SEEDSTACK_TLS: "http" }).stacks, "classic");
  assert.is(outputs(http).url, `http://${refToOnly(http, "aws_lb", "dns_name")}`);
  assert.is(outputs(http).certificate_pem, undefined);
  const listener = only(http, "aws_lb_listener");
  assert.is(listener.port, 80);
  assert.is(listener.protocol, "HTTP");
  assert.is(listener.default_action[0].type, "forward");
  assert.is(resourcesOf(http, "aws_acm_certificate").length, 0);
});

test("acm-arn: the given certificate on the listener, the domain in the URL", () => {
  const stack = stackNamed(
    synthApp({ SEEDSTACK_TLS: "acm-arn", SEEDSTACK_CERTIFICATE_ARN: TEST_CERTIFICATE_ARN, SEEDSTACK_DOMAIN: "seed.example.com" }).stacks,
    "classic",
  );
  const https = resourcesOf(stack, "aws_lb_listener").find((l) => l.attrs.protocol === "HTTPS")!;
  assert.is(https.attrs.certificate_arn, TEST_CERTIFICATE_ARN);
  assert.is(outputs(stack).url, "https://seed.example.com");
  assert.is(outputs(stack).certificate_pem, undefined);
  assert.is(resourcesOf(stack, "tls_private_key").length, 0);
});

test("acm-dns: a certificate for the domain, validated in the hosted zone; the domain in the URL", () => {
  const stack = stackNamed(
    synthApp({ SEEDSTACK_TLS: "acm-dns", SEEDSTACK_DOMAIN: "seed.example.com", SEEDSTACK_HOSTED_ZONE_ID: "Z0123456789ABCDEFGHIJ" }).stacks,
    "autoscaled",
  );
  assert.is(only(stack, "aws_acm_certificate").domain_name, "autoscaled.seed.example.com");
  const records = resourcesOf(stack, "aws_route53_record");
  assert.ok(records.length >= 1);
  for (const record of records) assert.is(record.attrs.zone_id, "Z0123456789ABCDEFGHIJ");
  assert.is(outputs(stack).url, "https://autoscaled.seed.example.com");
});

test("acm-dns: every stack claims its own name (classic the domain, others a subdomain), so none collide", () => {
  const { stacks } = synthApp({ SEEDSTACK_TLS: "acm-dns", SEEDSTACK_DOMAIN: "seed.example.com", SEEDSTACK_HOSTED_ZONE_ID: "Z0123456789ABCDEFGHIJ", SEEDSTACK_PR_NUMBER: "12" });
  const names = ["classic", "autoscaled", "pr-12"].map((name) => only(stackNamed(stacks, name), "aws_acm_certificate").domain_name);
  assert.equal(names, ["seed.example.com", "autoscaled.seed.example.com", "pr-12.seed.example.com"]);
  const aliases = ["classic", "autoscaled", "pr-12"].flatMap((name) =>
    resourcesOf(stackNamed(stacks, name), "aws_route53_record").filter((r) => r.attrs.alias !== undefined).map((r) => r.attrs.name),
  );
  assert.equal(aliases, names, "one alias record per stack, each for its own name");
});

test("database on: one PostgreSQL instance shared by the servers, endpoint output; off: none", () => {
  const withDb = stackNamed(synthApp({ SEEDSTACK_DATABASE: "on" }).stacks, "classic");
  const db = only(withDb, "aws_db_instance");
  assert.is(db.engine, "postgres");
  assert.is(db.deletion_protection, true, "long-lived: protected by default");
  assert.is(outputs(withDb).database_endpoint, refToOnly(withDb, "aws_db_instance", "endpoint"));
  const address = refToOnly(withDb, "aws_db_instance", "address");
  for (const instance of resourcesOf(withDb, "aws_instance")) {
    assert.ok(JSON.stringify(instance.attrs.user_data).includes(address), "each server is given the database host");
  }
  assert.is(resourcesOf(defaultStack("classic"), "aws_db_instance").length, 0);
});

test("deletion protection off: a long-lived stack becomes destroyable (bucket force-destroyed, database unprotected)", () => {
  const guarded = stackNamed(synthApp({ SEEDSTACK_DATABASE: "on" }).stacks, "classic");
  assert.is(only(guarded, "aws_s3_bucket").force_destroy, false);
  const open = stackNamed(synthApp({ SEEDSTACK_DATABASE: "on", SEEDSTACK_DELETION_PROTECTION: "off" }).stacks, "classic");
  assert.is(only(open, "aws_s3_bucket").force_destroy, true);
  assert.is(only(open, "aws_db_instance").deletion_protection, false);
  assert.is(only(open, "aws_db_instance").skip_final_snapshot, false, "a final snapshot is still taken");
});

test("PR stack: destroyable without manual steps, short deregistration delay, cheapest settings", () => {
  const pr = stackNamed(synthApp({ SEEDSTACK_PR_NUMBER: "12", SEEDSTACK_DATABASE: "on" }).stacks, "pr-12");
  assert.is(only(pr, "aws_s3_bucket").force_destroy, true);
  const lifecycle = only(pr, "aws_s3_bucket_lifecycle_configuration");
  // Ephemeral: old bundle versions kept 1 day, backups 1 day (RDS's least), 5 s deregistration.
  assert.is(lifecycle.rule[0].noncurrent_version_expiration[0].noncurrent_days, 1);
  const db = only(pr, "aws_db_instance");
  assert.is(db.deletion_protection, false);
  assert.is(db.skip_final_snapshot, true);
  assert.is(db.backup_retention_period, 1);
  assert.is(db.instance_class, "db.t4g.micro");
  assert.is(db.multi_az, false);
  assert.is(only(pr, "aws_lb_target_group").deregistration_delay, "5");
  assert.is.not(only(pr, "aws_lb").enable_deletion_protection, true);
  for (const instance of resourcesOf(pr, "aws_instance")) assert.is(instance.attrs.instance_type, "t3.micro");
  assert.is(resourcesOf(pr, "aws_nat_gateway").length, 0, "no NAT gateway: the S3 gateway endpoint is free");
});

test("PR stack tags: provider default tags and, for an autoscaled copy, the launched instances and volumes", () => {
  const { stacks } = synthApp({ SEEDSTACK_PR_NUMBER: "7", SEEDSTACK_PR_TOPOLOGY: "autoscaled", SEEDSTACK_TTL_HOURS: "48" });
  const pr = stackNamed(stacks, "pr-7");
  const expected = {
    Project: "seedstack",
    Stack: "pr-7",
    Owner: "octocat",
    PR: "7",
    CreatedAt: "2025-01-31T12:00:00Z",
    ExpiresAt: "2025-02-02T12:00:00Z",
  };
  assert.equal(pr.provider!.aws![0]!.default_tags, [{ tags: expected }]);
  const template = only(pr, "aws_launch_template");
  for (const type of ["instance", "volume"]) {
    const spec = template.tag_specifications.find((s: { resource_type: string }) => s.resource_type === type);
    assert.ok(spec, `tag specification for ${type}`);
    assert.equal({ ...spec.tags, Name: undefined }, { ...expected, Name: undefined });
    assert.ok(spec.tags.Name, "the module's own Name tag is kept");
  }
  const groupTags = Object.fromEntries(only(pr, "aws_autoscaling_group").tag.map((t: { key: string; value: string }) => [t.key, t.value]));
  assert.equal({ ...groupTags, Name: undefined }, { ...expected, Name: undefined });
  assert.is(only(pr, "aws_autoscaling_group").min_size, 1);
});

test("synth is deterministic for a fixed configuration", () => {
  const env = { SEEDSTACK_PR_NUMBER: "3", SEEDSTACK_DATABASE: "on" };
  const first = synthApp(env);
  const second = synthApp(env);
  for (const name of ["classic", "autoscaled", "pr-3"]) {
    assert.equal(stackNamed(second.stacks, name), stackNamed(first.stacks, name), `${name} differs between two synths`);
  }
});

test.run();
