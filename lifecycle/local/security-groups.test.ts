import { test } from "uvu";
import * as assert from "uvu/assert";
import type { SecurityGroupRule, SecurityGroupSpec } from "../stack/stack.js";
import { cidrContains, evaluateHop } from "./security-groups.js";

const rule = (group: string, direction: "ingress" | "egress", port: number, peer: SecurityGroupRule["peer"]): SecurityGroupRule => ({
  address: `${group}.${direction}-${port}`,
  direction,
  group,
  protocol: "tcp",
  fromPort: port,
  toPort: port,
  peer,
});
const group = (address: string, ingress: SecurityGroupRule[], egress: SecurityGroupRule[]): [string, SecurityGroupSpec] => [address, { address, name: address.split(".")[1]!, ingress, egress }];

const lb = { label: "the load balancer", groups: ["sg.alb"], address: "10.0.0.10" };
const web = { label: "web-0", groups: ["sg.web"], address: "10.0.128.10" };
const client = { label: "client 127.0.0.1", groups: [], address: "127.0.0.1" };

const wired = new Map([
  group("sg.alb", [rule("sg.alb", "ingress", 443, { kind: "cidr", cidr: "0.0.0.0/0" })], [rule("sg.alb", "egress", 8080, { kind: "group", group: "sg.web" })]),
  group("sg.web", [rule("sg.web", "ingress", 8080, { kind: "group", group: "sg.alb" })], []),
]);

test("the course topology: clients reach 443, the load balancer reaches the servers' port", () => {
  assert.is(evaluateHop(wired, client, lb, 443).allowed, true);
  assert.is(evaluateHop(wired, lb, web, 8080).allowed, true);
});

test("a port no rule opens is denied at the receiver, naming the group and the rule to add", () => {
  const v = evaluateHop(wired, client, lb, 80);
  assert.is(v.allowed, false);
  if (v.allowed) return;
  assert.is(v.missing, "ingress");
  assert.match(v.message, /no ingress rule in alb \(sg\.alb\) allows it/);
  assert.match(v.message, /aws_vpc_security_group_ingress_rule on alb \(sg\.alb\) for tcp\/80 from 127\.0\.0\.1\/32/);
});

test("groups created by terraform have no egress unless written: the sender's missing egress rule is named", () => {
  const noEgress = new Map([group("sg.alb", [], []), group("sg.web", [rule("sg.web", "ingress", 8080, { kind: "group", group: "sg.alb" })], [])]);
  const v = evaluateHop(noEgress, lb, web, 8080);
  assert.is(v.allowed, false);
  if (!v.allowed) assert.match(v.message, /no egress rule in alb \(sg\.alb\) allows it .* to the group web \(sg\.web\)/);
});

test("both sides missing (a port neither group opens): both rules are named at once, egress first", () => {
  const v = evaluateHop(wired, lb, web, 8081);
  assert.is(v.allowed, false);
  if (v.allowed) return;
  assert.is(v.missing, "egress");
  assert.match(v.message, /aws_vpc_security_group_egress_rule on alb \(sg\.alb\) for tcp\/8081 to the group web \(sg\.web\)\); and web-0 does not accept tcp\/8081/);
  assert.match(v.message, /aws_vpc_security_group_ingress_rule on web \(sg\.web\) for tcp\/8081 from the group alb \(sg\.alb\)\)$/);
});

test("CIDR peers match by address; prefix lists match no local endpoint", () => {
  const cidr = new Map([group("sg.web", [rule("sg.web", "ingress", 8080, { kind: "cidr", cidr: "10.0.0.0/16" })], [])]);
  assert.is(evaluateHop(cidr, { ...lb, groups: [] }, web, 8080).allowed, true);
  assert.is(evaluateHop(cidr, { ...client }, web, 8080).allowed, false);
  const prefix = new Map([group("sg.web", [rule("sg.web", "ingress", 8080, { kind: "prefix-list", expression: "${x}" })], [])]);
  assert.is(evaluateHop(prefix, { ...lb, groups: [] }, web, 8080).allowed, false);
});

test("cidrContains", () => {
  assert.ok(cidrContains("0.0.0.0/0", "127.0.0.1"));
  assert.ok(cidrContains("10.0.128.0/24", "10.0.128.77"));
  assert.not.ok(cidrContains("10.0.128.0/24", "10.0.129.1"));
  assert.not.ok(cidrContains("::/0", "10.0.0.1"));
});

test.run();
