/**
 * Pull-request stacks in an existing VPC (SEEDSTACK_VPC_ID / SEEDSTACK_VPC_TAGS): the PR stack
 * creates no network of its own and wires the looked-up subnets into the load balancer, the
 * servers and the database; the long-lived stacks are untouched; the security baseline holds.
 * Real terraform plans both configurations (test/terraform/plan-configurations.ts).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { assertSecurityBaseline, plainHttpCourseModeWaivers } from "../test/security-exceptions.js";
import { dataSourcesOf, resourcesOf } from "../test/synth-json.js";
import { EXISTING_VPC_BY_IDS, EXISTING_VPC_BY_TAGS, stackNamed, synthApp, type StackJson } from "./test-support.js";

const NETWORK_RESOURCES = [
  "aws_vpc",
  "aws_subnet",
  "aws_internet_gateway",
  "aws_route_table",
  "aws_route",
  "aws_route_table_association",
  "aws_default_security_group",
  "aws_vpc_endpoint",
  "aws_nat_gateway",
  "aws_eip",
];

/** `${data.aws_subnet.<the data source named like network_<tier>-<i>_>.id}` for i in 0..count-1. */
function subnetRefs(json: StackJson, tier: "public" | "private", count = 2): string[] {
  return Array.from({ length: count }, (_, i) => {
    const found = dataSourcesOf(json, "aws_subnet").filter((d) => d.name.startsWith(`network_${tier}-${i}_`));
    assert.is(found.length, 1, `one aws_subnet data source network_${tier}-${i}`);
    return `\${${found[0]!.address}.id}`;
  });
}

function vpcRef(json: StackJson, attribute: string): string {
  const [vpc] = dataSourcesOf(json, "aws_vpc");
  assert.ok(vpc, "an aws_vpc data source");
  return `\${${vpc.address}.${attribute}}`;
}

const prByTags = () => synthApp({ ...EXISTING_VPC_BY_TAGS, SEEDSTACK_PR_NUMBER: "16", SEEDSTACK_DATABASE: "on" });

test("the PR stack creates no VPC, subnet, gateway, route, endpoint or default group: it reads the VPC by its tags", () => {
  const pr = stackNamed(prByTags().stacks, "pr-16");
  for (const type of NETWORK_RESOURCES) assert.is(resourcesOf(pr, type).length, 0, `${type} in pr-16`);
  assert.equal(dataSourcesOf(pr, "aws_vpc").map((d) => d.attrs), [{ tags: { Name: "seedstack-shared" } }]);
  assert.equal(
    dataSourcesOf(pr, "aws_subnets").map((d) => d.attrs.filter[1].values[0]).sort(),
    ["private", "public"],
  );
});

test("classic and autoscaled keep their own VPCs, exactly as without the setting", () => {
  const shared = prByTags().stacks;
  const plain = synthApp({ SEEDSTACK_PR_NUMBER: "16", SEEDSTACK_DATABASE: "on" }).stacks;
  for (const name of ["classic", "autoscaled"]) {
    assert.is(resourcesOf(stackNamed(shared, name), "aws_vpc").length, 1, name);
    assert.equal(stackNamed(shared, name), stackNamed(plain, name), name);
  }
  assert.is(resourcesOf(stackNamed(plain, "pr-16"), "aws_vpc").length, 1, "without the setting the PR stack has its own VPC");
});

test("a long-lived stack synthesized with the setting says at synth that it keeps its own VPC; a PR stack in the VPC says nothing", () => {
  const { stacks } = synthApp({ ...EXISTING_VPC_BY_IDS, SEEDSTACK_PR_NUMBER: "16" });
  const warnings = (name: string) => stacks.get(name)!.stack.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => String(m.data));
  assert.equal(warnings("classic"), ["SEEDSTACK_VPC_* place pull-request stacks only: classic keeps a VPC of its own (moving a long-lived stack would replace its load balancer, servers and database)"]);
  assert.is(warnings("autoscaled").length, 1);
  assert.equal(warnings("pr-16"), []);
  assert.equal(synthApp({ SEEDSTACK_PR_NUMBER: "16" }).stacks.get("classic")!.stack.node.metadata.filter((m) => m.type === "@cdktf/warn"), [], "without the setting: nothing to say");
});

test("looked-up subnets: the ALB in the public ones, one server in each private one, the database subnet group over the private ones", () => {
  const pr = stackNamed(prByTags().stacks, "pr-16");
  const [alb] = resourcesOf(pr, "aws_lb");
  assert.equal(alb!.attrs.subnets, subnetRefs(pr, "public"));
  assert.is(alb!.attrs.depends_on, undefined, "nothing to wait for: the VPC's internet gateway exists");
  assert.equal(resourcesOf(pr, "aws_instance").map((i) => i.attrs.subnet_id).sort(), subnetRefs(pr, "private").sort());
  const [group] = resourcesOf(pr, "aws_db_subnet_group");
  assert.equal(group!.attrs.subnet_ids, subnetRefs(pr, "private"));
});

test("security groups live in the looked-up VPC; 'inside the VPC' means its cidr_block; without NAT no egress to the internet", () => {
  const pr = stackNamed(prByTags().stacks, "pr-16");
  const groups = resourcesOf(pr, "aws_security_group");
  assert.ok(groups.length >= 3, "alb, web and database groups");
  for (const g of groups) assert.is(g.attrs.vpc_id, vpcRef(pr, "id"), g.address);
  const egress = resourcesOf(pr, "aws_vpc_security_group_egress_rule");
  const vpcHttps = egress.filter((r) => r.name.includes("egress-vpc-https"));
  assert.is(vpcHttps.length, 1);
  assert.is(vpcHttps[0]!.attrs.cidr_ipv4, vpcRef(pr, "cidr_block"));
  assert.not.ok(egress.some((r) => r.attrs.cidr_ipv4 === "0.0.0.0/0"), "no internet egress without a NAT gateway");
  const [s3] = egress.filter((r) => r.name.includes("egress-s3"));
  const [prefixList] = dataSourcesOf(pr, "aws_prefix_list");
  assert.is(s3!.attrs.prefix_list_id, `\${${prefixList!.address}.id}`);
});

test("a database without NAT: the VPC's Secrets Manager endpoint is looked up and the servers boot after it; no Session Manager policy", () => {
  const pr = stackNamed(prByTags().stacks, "pr-16");
  const [endpoint] = dataSourcesOf(pr, "aws_vpc_endpoint");
  assert.ok(endpoint, "an aws_vpc_endpoint data source");
  assert.match(endpoint.attrs.service_name, /\.secretsmanager$/);
  for (const instance of resourcesOf(pr, "aws_instance")) assert.ok(instance.attrs.depends_on.includes(endpoint.address), instance.address);
  assert.not.ok(JSON.stringify(resourcesOf(pr, "aws_iam_role_policy_attachment")).includes("AmazonSSMManagedInstanceCore"));
});

test("the servers' instance type picks the private subnets' zones (SEEDSTACK_INSTANCE_TYPE); without NAT the plan checks each private subnet's route to S3", () => {
  const pr = stackNamed(synthApp({ ...EXISTING_VPC_BY_TAGS, SEEDSTACK_PR_NUMBER: "16", SEEDSTACK_INSTANCE_TYPE: "t3.small" }).stacks, "pr-16");
  const offerings = dataSourcesOf(pr, "aws_ec2_instance_type_offerings");
  assert.equal(offerings.map((d) => d.attrs.filter), [[{ name: "instance-type", values: ["t3.small"] }]]);
  for (const subnet of dataSourcesOf(pr, "aws_subnet").filter((d) => /^network_private-\d_/.test(d.name))) {
    assert.ok(subnet.attrs.id.includes(`${offerings[0]!.address}.locations`), subnet.address);
  }
  const tables = dataSourcesOf(pr, "aws_route_tables").map((d) => d.name.replace(/_[0-9A-F]{8}$/, "")).sort();
  assert.equal(tables, ["network_private-0-route-table", "network_private-1-route-table", "network_s3-routed-tables"]);
  for (const name of ["classic", "autoscaled"]) {
    assert.is(dataSourcesOf(stackNamed(prByTags().stacks, name), "aws_route_tables").length, 0, `${name} has its own VPC and S3 endpoint`);
  }
});

test("SEEDSTACK_VPC_ZONES=3: three tag-chosen subnets per tier, the autoscaled group and the database over the three private ones, a route check for each", () => {
  const pr = stackNamed(synthApp({ ...EXISTING_VPC_BY_TAGS, SEEDSTACK_VPC_ZONES: "3", SEEDSTACK_PR_NUMBER: "18", SEEDSTACK_PR_TOPOLOGY: "autoscaled", SEEDSTACK_DATABASE: "on" }).stacks, "pr-18");
  const [alb] = resourcesOf(pr, "aws_lb");
  assert.equal(alb!.attrs.subnets, subnetRefs(pr, "public", 3));
  const [asg] = resourcesOf(pr, "aws_autoscaling_group");
  assert.equal(asg!.attrs.vpc_zone_identifier, subnetRefs(pr, "private", 3));
  assert.equal(resourcesOf(pr, "aws_db_subnet_group")[0]!.attrs.subnet_ids, subnetRefs(pr, "private", 3));
  assert.match(dataSourcesOf(pr, "aws_subnet").find((d) => d.name.startsWith("network_private-2_"))!.attrs.lifecycle.precondition[0].condition, ">= 3)}");
  assert.is(dataSourcesOf(pr, "aws_route_tables").length, 1 + 3);
  assert.is(dataSourcesOf(stackNamed(prByTags().stacks, "pr-16"), "aws_subnet").filter((d) => /^network_(public|private)-\d_/.test(d.name)).length, 4, "two zones by default");
});

test("by IDs with a NAT gateway, PR copy of autoscaled: the IDs read, the group in the private ones, HTTPS anywhere, Session Manager, no endpoint lookup", () => {
  const { stacks } = synthApp({ ...EXISTING_VPC_BY_IDS, SEEDSTACK_PR_NUMBER: "17", SEEDSTACK_PR_TOPOLOGY: "autoscaled", SEEDSTACK_DATABASE: "on" });
  const pr = stackNamed(stacks, "pr-17");
  assert.equal(dataSourcesOf(pr, "aws_vpc").map((d) => d.attrs), [{ id: "vpc-0a1b2c3d4e5f60718" }]);
  assert.is(dataSourcesOf(pr, "aws_subnets").length, 0, "IDs given: no tag lookup");
  const candidates = dataSourcesOf(pr, "aws_subnet").filter((d) => d.name.includes("candidates"));
  assert.equal(candidates.map((d) => d.attrs.for_each).sort(), [
    '${toset(["subnet-0a000000000000002", "subnet-0a000000000000008"])}',
    '${toset(["subnet-0b000000000000003", "subnet-0b000000000000004"])}',
  ]);
  const [asg] = resourcesOf(pr, "aws_autoscaling_group");
  assert.equal(asg!.attrs.vpc_zone_identifier, subnetRefs(pr, "private"));
  assert.ok(resourcesOf(pr, "aws_vpc_security_group_egress_rule").some((r) => r.attrs.cidr_ipv4 === "0.0.0.0/0" && r.attrs.from_port === 443));
  assert.ok(JSON.stringify(resourcesOf(pr, "aws_iam_role_policy_attachment")).includes("AmazonSSMManagedInstanceCore"));
  assert.is(dataSourcesOf(pr, "aws_vpc_endpoint").length, 0);
  assert.is(dataSourcesOf(pr, "aws_route_tables").length, 0, "S3 through the NAT gateway: no route check");
  const [offerings] = dataSourcesOf(pr, "aws_ec2_instance_type_offerings");
  for (const subnet of dataSourcesOf(pr, "aws_subnet").filter((d) => /^network_private-\d_/.test(d.name))) {
    assert.is(subnet.attrs.lifecycle.postcondition[0].condition, `\${contains(${offerings!.address}.locations, self.availability_zone)}`, subnet.address);
  }
});

for (const [label, env] of [
  ["existing VPC by tags, database, PR copy of classic", { ...EXISTING_VPC_BY_TAGS, SEEDSTACK_PR_NUMBER: "16", SEEDSTACK_DATABASE: "on" }],
  ["existing VPC by IDs, NAT, plain HTTP, PR copy of autoscaled", { ...EXISTING_VPC_BY_IDS, SEEDSTACK_PR_NUMBER: "17", SEEDSTACK_PR_TOPOLOGY: "autoscaled", SEEDSTACK_TLS: "http" }],
] as const) {
  test(`security baseline holds for every stack: ${label}`, () => {
    const { config, stacks } = synthApp({ ...env });
    const waivers = config.tls === "http" ? plainHttpCourseModeWaivers() : [];
    for (const [name, { json }] of stacks) assertSecurityBaseline(json, { waivers, stackName: `${name} (${label})` });
  });
}

test.run();
