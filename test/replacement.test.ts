/**
 * Issue 8, item 9: a forced replacement must never collide with the resource it replaces.
 *
 * Terraform replaces create-before-destroy resources, and everything they depend on, by creating
 * the new one first; with a fixed name AWS refuses it (DuplicateTargetGroupName,
 * EntityAlreadyExists, InvalidGroup.Duplicate, DuplicateLoadBalancerName, DBInstanceAlreadyExists)
 * and the apply deadlocks. So every such resource must get a generated name (name_prefix /
 * identifier_prefix), which a replacement never shares. Checked on the synthesized JSON: which
 * resources are replaced first (test/replacement.ts), and what names they carry.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { LoadBalancer } from "../modules/load-balancer.js";
import { stackNamed, synthApp, TEST_CERTIFICATE_ARN } from "../stacks/test-support.js";
import { createBeforeDestroyClosure, fixedNamesReplacedFirst } from "./replacement.js";
import { resourcesOf, type SynthJson } from "./synth-json.js";
import { synthStack } from "./synth-stack.js";
import { networkInZones } from "./fixture-network.js";

/** The classic stack with a database, self-signed TLS: the most create-before-destroy reach. */
let classicWithDatabase: SynthJson | undefined;
function classic(): SynthJson {
  classicWithDatabase ??= stackNamed(synthApp({ SEEDSTACK_DATABASE: "on" }).stacks, "classic");
  return classicWithDatabase;
}

/**
 * The one resource of `type` whose construct path contains `part`: it is replaced
 * create-before-destroy, has no fixed `nameAttribute`, and its generated-name prefix is `prefix`.
 */
function assertReplacedWithNewName(type: string, part: string, nameAttribute: string, prefix: string): void {
  const json = classic();
  const matches = resourcesOf(json, type).filter((r) => r.name.includes(part));
  assert.is(matches.length, 1, `one ${type} named like ${part}: ${matches.map((r) => r.address).join(", ")}`);
  const resource = matches[0]!;
  assert.ok(createBeforeDestroyClosure(json).has(resource.address), `${resource.address} is replaced create-before-destroy`);
  assert.is(resource.attrs[nameAttribute], undefined, `${resource.address} has no fixed ${nameAttribute}`);
  assert.is(resource.attrs[`${nameAttribute}_prefix`], prefix);
}

test("target group: replaced first, so named by a prefix (a new port or VPC cannot hit DuplicateTargetGroupName)", () => {
  assertReplacedWithNewName("aws_lb_target_group", "lb_targets", "name", "seeds-");
});

test("the instances' IAM role: replaced first, named by a prefix (no EntityAlreadyExists)", () => {
  assertReplacedWithNewName("aws_iam_role", "web_role", "name", "seedstack-classic-web-");
});

test("the instance profile: replaced first, named by a prefix (no EntityAlreadyExists)", () => {
  assertReplacedWithNewName("aws_iam_instance_profile", "web_role_profile", "name", "seedstack-classic-web-");
});

test("the role's inline policies: replaced first, named by a prefix (a replacement is not deleted with the original)", () => {
  const json = classic();
  const policies = resourcesOf(json, "aws_iam_role_policy");
  assert.is(policies.length, 2, "the bundle object and the database secret");
  for (const policy of policies) {
    assert.ok(createBeforeDestroyClosure(json).has(policy.address), policy.address);
    assert.is(policy.attrs.name, undefined);
    assert.match(policy.attrs.name_prefix, /^read-(object|secret)-0-$/);
  }
});

test("web security group: replaced first, named by a prefix (no InvalidGroup.Duplicate)", () => {
  assertReplacedWithNewName("aws_security_group", "web_sg", "name", "seedstack-classic-web-");
});

test("load balancer: replaced first (its self-signed certificate is create-before-destroy), named by a prefix (no DuplicateLoadBalancerName)", () => {
  assertReplacedWithNewName("aws_lb", "lb_alb", "name", "seeds-");
  assertReplacedWithNewName("aws_security_group", "lb_sg", "name", "seedstack-classic-alb-");
});

test("database: replaced first (the servers depend on it), identifier and its groups by prefix (no DBInstanceAlreadyExists)", () => {
  assertReplacedWithNewName("aws_db_instance", "database_instance", "identifier", "seedstack-classic-db-");
  assertReplacedWithNewName("aws_db_subnet_group", "database_subnets", "name", "seedstack-classic-db-");
  assertReplacedWithNewName("aws_db_parameter_group", "database_parameters", "name", "seedstack-classic-db-pg17-");
  assertReplacedWithNewName("aws_security_group", "database_sg", "name", "seedstack-classic-db-");
});

test("no stack of any configuration replaces a fixed-name resource create-before-destroy", () => {
  const configurations: Array<Record<string, string>> = [
    {},
    { SEEDSTACK_DATABASE: "on", SEEDSTACK_PR_NUMBER: "12" },
    { SEEDSTACK_TLS: "http", SEEDSTACK_DATABASE: "on", SEEDSTACK_PR_NUMBER: "13", SEEDSTACK_PR_TOPOLOGY: "autoscaled" },
    { SEEDSTACK_TLS: "acm-arn", SEEDSTACK_CERTIFICATE_ARN: TEST_CERTIFICATE_ARN },
    { SEEDSTACK_TLS: "acm-dns", SEEDSTACK_DOMAIN: "seed.example.com", SEEDSTACK_HOSTED_ZONE_ID: "Z0123456789ABCDEFGHIJ", SEEDSTACK_DATABASE: "on" },
  ];
  for (const env of configurations) {
    for (const [name, { json }] of synthApp(env).stacks) {
      assert.equal(fixedNamesReplacedFirst(json), [], `${name} under ${JSON.stringify(env)}`);
    }
  }
});

test("the check finds a fixed name where one is replaced first: an explicit ALB name (documented caveat)", () => {
  const { json } = synthStack((s) => new LoadBalancer(s, "lb", { network: networkInZones(s, ["us-east-1a", "us-east-1b"]), name: "fixed-alb" }));
  assert.equal(fixedNamesReplacedFirst(json).map((entry) => entry.replace(/^aws_lb\.[^:]+/, "aws_lb")), ["aws_lb: fixed-alb"]);
});

test.run();
