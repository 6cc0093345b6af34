import { suite } from "uvu";
import * as assert from "uvu/assert";
import { LifecycleError } from "../errors.js";
import { removeSynthFixtures, stackJson, synthFixture } from "../test-support/synth-fixture.js";
import { parseStack, readStack } from "./read-stack.js";
import type { SecurityGroupRule } from "./stack.js";
import { summarizeStack } from "./stack-summary.js";
import { parseReference } from "./references.js";
import { addSecondLoadBalancer, listenerOn } from "../test-support/stack-edits.js";

const test = suite("read-stack");
test.after(() => removeSynthFixtures());

const ruleTo = (rules: readonly SecurityGroupRule[], port: number) => rules.filter((r) => r.fromPort <= port && port <= r.toPort);

test("classic: two instances from their user data, the health check, the redirect and HTTPS listeners, the certificate", async () => {
  const stack = readStack(await synthFixture(), "classic");
  assert.is(stack.servers.kind, "instances");
  if (stack.servers.kind !== "instances") return;
  assert.equal(stack.servers.instances.map((i) => i.name), ["seedstack-classic-web-0", "seedstack-classic-web-1"]);
  assert.equal(stack.servers.instances[0]!.userData, { port: 8080, store: "memory", drainSeconds: 15, logLevel: "info" });
  assert.is(stack.servers.targetPort, 8080);
  assert.equal(stack.servers.instances.map((i) => i.targetPort), [8080, 8080]);
  assert.equal(stack.targetGroup.healthCheck, {
    path: "/status",
    port: "traffic-port",
    protocol: "HTTP",
    intervalSeconds: 5,
    timeoutSeconds: 4,
    healthyThreshold: 2,
    unhealthyThreshold: 2,
    matcher: "200",
  });
  assert.is(stack.targetGroup.deregistrationDelaySeconds, 30);
  assert.is(stack.targetGroup.stickiness, undefined);
  assert.equal(
    stack.loadBalancer.listeners.map((l) => [l.port, l.protocol, l.action]),
    [
      [80, "HTTP", { type: "redirect", protocol: "HTTPS", port: "443", statusCode: 301 }],
      [443, "HTTPS", { type: "forward" }],
    ],
  );
  assert.equal(stack.certificate, {
    source: "tls_self_signed_cert.lb_certificate_cert_33E92111",
    commonName: "seedstack-classic load balancer (self-signed)",
    organization: "seedstack",
    keyAlgorithm: "ECDSA",
    ecdsaCurve: "P256",
    validityHours: 8760,
    serverAuth: true,
  });
  assert.is(stack.database, undefined);
});

test("classic: security groups as the modules synthesize them (standalone rule resources; no egress unless written)", async () => {
  const stack = readStack(await synthFixture(), "classic");
  const [lbGroup] = stack.loadBalancer.securityGroups;
  const web = stack.servers.kind === "instances" ? stack.servers.instances[0]!.securityGroups[0]! : "";
  const lb = stack.securityGroups.get(lbGroup!)!;
  const servers = stack.securityGroups.get(web)!;
  assert.equal(ruleTo(lb.ingress, 443).map((r) => r.peer), [{ kind: "cidr", cidr: "0.0.0.0/0" }]);
  assert.equal(ruleTo(lb.egress, 8080).map((r) => r.peer), [{ kind: "group", group: web }]);
  assert.equal(ruleTo(servers.ingress, 8080).map((r) => r.peer), [{ kind: "group", group: lbGroup }]);
  // The web servers' egress: HTTPS to the S3 prefix list and to the VPC's own CIDR, resolved.
  assert.equal(servers.egress.map((r) => r.peer.kind).sort(), ["cidr", "prefix-list"]);
  assert.ok(servers.egress.some((r) => r.peer.kind === "cidr" && r.peer.cidr === "10.0.0.0/16"));
});

test("autoscaled: the Auto Scaling group's capacity, grace period and ELB health checks; lb_cookie stickiness", async () => {
  const stack = readStack(await synthFixture(), "autoscaled");
  assert.is(stack.servers.kind, "auto-scaling");
  if (stack.servers.kind !== "auto-scaling") return;
  assert.equal([stack.servers.min, stack.servers.desired, stack.servers.max], [1, 1, 2]);
  assert.is(stack.servers.gracePeriodSeconds, 300); // the boot budget (modules/boot-budget.ts)
  assert.is(stack.servers.healthCheckType, "ELB");
  assert.is(stack.servers.userData.port, 8080); // read through the launch template's base64encode("...")
  assert.equal(stack.targetGroup.stickiness, { durationSeconds: 86400 });
});

test("with a database: PostgreSQL store in the user data, the database and its only door from the web servers", async () => {
  const stack = readStack(await synthFixture({ SEEDSTACK_DATABASE: "on" }), "classic");
  const instance = stack.servers.kind === "instances" ? stack.servers.instances[0]! : undefined;
  assert.equal(instance?.userData.database, { name: "seed", user: "seedadmin", port: 5432 });
  assert.is(instance?.userData.store, "postgres");
  assert.is(stack.database?.name, "seed");
  assert.is(stack.database?.port, 5432);
  const dbGroup = stack.securityGroups.get(stack.database!.securityGroups[0]!)!;
  assert.equal(ruleTo(dbGroup.ingress, 5432).map((r) => r.peer), [{ kind: "group", group: instance!.securityGroups[0] }]);
});

test("plain HTTP course mode: one forwarding listener on 80, no certificate", async () => {
  const stack = readStack(await synthFixture({ SEEDSTACK_TLS: "http" }), "classic");
  assert.equal(stack.loadBalancer.listeners.map((l) => [l.port, l.protocol, l.action.type]), [[80, "HTTP", "forward"]]);
  assert.is(stack.certificate, undefined);
});

test("every problem of a broken stack is reported at once, naming where", async () => {
  const json = await stackJson("classic");
  const tg = Object.values(json.resource.aws_lb_target_group)[0] as Record<string, any>;
  tg.health_check.interval = "soon";
  tg.health_check.matcher = "ok";
  delete tg.port;
  const err = (() => {
    try {
      parseStack(json, "classic", "test.json");
    } catch (e) {
      return e as LifecycleError;
    }
    return undefined;
  })();
  assert.is(err?.code, "ERR_STACK_INVALID");
  assert.match(err!.message, /has 3 problems/);
  assert.match(err!.message, /health_check\.interval: expected a whole number from 5 to 300, got "soon"/);
  assert.match(err!.message, /health_check\.matcher: expected HTTP codes/);
  assert.match(err!.message, /lb_targets_[0-9A-F]+\.port: is missing/);
});

test("each attachment keeps its own port (AWS registers each target on its attachment's port)", async () => {
  const json = await stackJson("classic");
  const attachments = Object.entries(json.resource.aws_lb_target_group_attachment as Record<string, Record<string, any>>).sort(([a], [b]) => a.localeCompare(b));
  attachments[0]![1].port = 8081;
  delete attachments[1]![1].port; // the target group's port
  const stack = parseStack(json, "classic", "test.json");
  assert.ok(stack.servers.kind === "instances");
  if (stack.servers.kind !== "instances") return;
  assert.equal(stack.servers.instances.map((i) => [i.name, i.targetPort]), [["seedstack-classic-web-0", 8081], ["seedstack-classic-web-1", 8080]]);
  assert.match(summarizeStack(stack).find((l) => l.label === "servers")!.value, /registered on seedstack-classic-web-0:8081, seedstack-classic-web-1:8080$/);
});

test("a stack that is not there: the error lists what is", async () => {
  try {
    readStack(await synthFixture(), "nope");
    assert.unreachable("should have thrown");
  } catch (err) {
    assert.is((err as LifecycleError).code, "ERR_STACK_NOT_FOUND");
    assert.match((err as Error).message, /found autoscaled, classic/);
  }
});

test("two load balancers: both described, with their listeners, target groups and servers; the first is the stack's own", async () => {
  const json = await stackJson("classic");
  addSecondLoadBalancer(json, "second");
  const stack = parseStack(json, "classic", "x.json");
  assert.equal(stack.loadBalancers.map((l) => l.name), ["seedstack-classic-alb", "second-alb"]);
  assert.equal(stack.targetGroups.map((t) => t.name), [stack.targetGroup.name, "second-tg"]);
  assert.equal(stack.loadBalancers[1]!.listeners.map((l) => [l.port, l.targetGroup]), [[80, "aws_lb_target_group.second"]]);
  assert.equal(stack.serverGroups.map((g) => [g.targetGroup, g.kind === "instances" ? g.instances.length : 0]), [[stack.targetGroup.address, 2], ["aws_lb_target_group.second", 2]]);
  assert.is(stack.loadBalancer, stack.loadBalancers[0]);
  assert.is(stack.servers, stack.serverGroups[0]);
  assert.match(summarizeStack(stack).find((l) => l.label === "load balancers")?.value ?? "", /^seedstack-classic-alb \(application\), second-alb \(application\); target groups .+, second-tg; the first is summarized below$/);
  assert.is(summarizeStack(parseStack(await stackJson("classic"), "classic", "x.json")).find((l) => l.label === "load balancers"), undefined, "one load balancer: no such line");
});

test("provider region and default tags; VPC endpoints; the database's class and storage", async () => {
  const json = await stackJson("classic", { SEEDSTACK_DATABASE: "on" });
  json.provider.aws[0].default_tags = [{ tags: { PR: "12", ExpiresAt: "2026-12-01T00:00:00Z" } }];
  const stack = parseStack(json, "classic", "x.json");
  assert.is(stack.region, json.provider.aws[0].region);
  assert.equal(stack.defaultTags, { PR: "12", ExpiresAt: "2026-12-01T00:00:00Z" });
  assert.ok(stack.vpcEndpoints.some((e) => e.type === "Interface" && e.subnetCount === 2), JSON.stringify(stack.vpcEndpoints));
  assert.equal([stack.database?.instanceClass, stack.database?.storageGb, stack.database?.multiAz], ["db.t4g.micro", 20, false]);
  json.provider.aws[0].region = "eu-west-2";
  assert.is(parseStack(json, "classic", "x.json").region, "eu-west-2");
  json.provider.aws[0].region = "${var.region}";
  assert.is(parseStack(json, "classic", "x.json").region, undefined, "an expression is not a region");
  delete json.provider;
  assert.equal([parseStack(json, "classic", "x.json").region, parseStack(json, "classic", "x.json").defaultTags], [undefined, {}]);
});

test("references: a whole-string reference resolves to its resource's address; anything else does not", () => {
  assert.equal(["${aws_security_group.lb_sg_ADA6ADBE.id}", "${aws_lb.lb_alb_3A88C95E.arn}", "sg-0123", '${join(",", [a.b.c])}', "${data.aws_region.current.name}"].map((r) => parseReference(r)?.address), ["aws_security_group.lb_sg_ADA6ADBE", "aws_lb.lb_alb_3A88C95E", undefined, undefined, undefined]);
});

test("a listener forwarding to a target group the stack does not have is named", async () => {
  const json = await stackJson("classic");
  listenerOn(json, 443).body.default_action[0].target_group_arn = "${aws_lb_target_group.elsewhere.arn}";
  assert.throws(() => parseStack(json, "classic", "x.json"), (e: LifecycleError) => e.code === "ERR_STACK_INVALID" && /which is not a target group of this stack/.test(e.message));
});

test("every EC2 instance and Auto Scaling group is listed once, attached to a target group or not", async () => {
  const json = await stackJson("classic");
  const [first] = Object.values(json.resource.aws_instance as Record<string, Record<string, any>>);
  json.resource.aws_instance.bastion = { ...structuredClone(first!), instance_type: "t3.nano", tags: { Name: "bastion" } };
  json.resource.aws_launch_template = { workers: { instance_type: "t3.small" } };
  json.resource.aws_autoscaling_group = { workers: { name: "workers", min_size: 1, max_size: 3, launch_template: { id: "${aws_launch_template.workers.id}" } } };
  json.resource.aws_instance.from_template = { launch_template: { id: "${aws_launch_template.workers.id}" } };
  const stack = parseStack(json, "classic", "x.json");
  const tg = stack.targetGroup.address;
  assert.equal(stack.instances.map((i) => [i.name, i.instanceType, i.targetGroups]), [
    ["seedstack-classic-web-0", "t3.micro", [tg]],
    ["seedstack-classic-web-1", "t3.micro", [tg]],
    ["bastion", "t3.nano", []],
    ["aws_instance.from_template", "t3.small", []],
  ]);
  assert.equal(stack.autoScalingGroups.map((a) => [a.name, a.instanceType, a.min, a.max, a.desired, a.targetGroups]), [["workers", "t3.small", 1, 3, 1, []]], "desired_capacity defaults to min_size");
  assert.equal(stack.serverGroups.flatMap((g) => (g.kind === "instances" ? g.instances.map((i) => i.name) : [g.name])), ["seedstack-classic-web-0", "seedstack-classic-web-1"], "serving: only the attached ones");
});

test("a group no target group has only feeds the cost: sized by a variable or above 100 it does not make the stack unreadable; a type its template does not name is unknown, not a guess", async () => {
  const json = await stackJson("classic");
  json.resource.aws_launch_template = { batch: { image_id: "ami-0123456789abcdef0" } };
  json.resource.aws_autoscaling_group = { batch: { name: "batch", min_size: "${var.min}", max_size: 500, desired_capacity: "${var.desired}", launch_template: { id: "${aws_launch_template.batch.id}" } } };
  const stack = parseStack(json, "classic", "x.json");
  assert.equal(stack.autoScalingGroups.map((a) => [a.name, a.instanceType, a.min, a.max, a.desired]), [["batch", "unknown", 0, 500, 0]]);
});

test("an instance attached twice to one target group and an Auto Scaling group serving one: each listed once, with its target group", async () => {
  const scaled = parseStack(await stackJson("autoscaled"), "autoscaled", "x.json");
  assert.equal(scaled.autoScalingGroups.map((a) => [a.name, a.instanceType, a.desired, a.targetGroups]), [["seedstack-scaled-asg", "t3.micro", 1, [scaled.targetGroup.address]]]);
  assert.equal(scaled.instances, []);
  const json = await stackJson("classic");
  const attachments = json.resource.aws_lb_target_group_attachment as Record<string, Record<string, any>>;
  const [name, attachment] = Object.entries(attachments)[0]!;
  attachments[`${name}_again`] = { ...attachment, port: 8081 };
  const stack = parseStack(json, "classic", "x.json");
  assert.equal(stack.instances.map((i) => i.targetGroups), [[stack.targetGroup.address], [stack.targetGroup.address]]);
});

test("a load balancer's subnets: a literal list is counted, an expression is unknown (not a problem), a malformed one is named", async () => {
  const json = await stackJson("classic");
  const lb = Object.values(json.resource.aws_lb as Record<string, Record<string, any>>)[0]!;
  assert.is(parseStack(json, "classic", "x.json").loadBalancer.subnetCount, 2, "the stacks' two public subnets");
  lb.subnets = ["subnet-0a1b2c3d", "subnet-1a1b2c3d", "subnet-2a1b2c3d"];
  assert.equal([parseStack(json, "classic", "x.json").loadBalancer.subnetCount, parseStack(json, "classic", "x.json").loadBalancer.subnetCidrs], [3, []]);
  lb.subnets = "${data.aws_subnets.public.ids}";
  assert.is(parseStack(json, "classic", "x.json").loadBalancer.subnetCount, "unknown");
  delete lb.subnets;
  lb.subnet_mapping = [{ subnet_id: "subnet-0a1b2c3d" }, { subnet_id: "subnet-1a1b2c3d" }, { subnet_id: "subnet-2a1b2c3d" }, { subnet_id: "subnet-3a1b2c3d" }];
  assert.is(parseStack(json, "classic", "x.json").loadBalancer.subnetCount, 4);
  lb.subnets = "subnet-0a1b2c3d";
  assert.throws(() => parseStack(json, "classic", "x.json"), (e: LifecycleError) => e.code === "ERR_STACK_INVALID" && /lb_alb_[0-9A-F]+\.subnets: expected a list of strings, got "subnet-0a1b2c3d"/.test(e.message));
});

test.run();
