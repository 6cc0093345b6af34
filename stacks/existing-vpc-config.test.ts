/**
 * The existing-VPC settings (SEEDSTACK_VPC_ID, _VPC_TAGS, _PUBLIC/_PRIVATE_SUBNET_IDS/_TAGS,
 * _VPC_NAT, _VPC_ZONES): parsed into a selection, and every bad value reported with the variable, the value
 * and what is allowed, all at once.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ConfigError, loadConfig, type SeedstackConfig } from "./config.js";
import { parseTagList } from "./tag-list.js";

function load(env: Record<string, string>, context: Record<string, unknown> = {}): SeedstackConfig {
  return loadConfig({ env, context: (key) => context[key] });
}

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    load(env);
  } catch (error) {
    assert.instance(error, ConfigError);
    return (error as ConfigError).problems;
  }
  assert.unreachable(`expected a ConfigError for ${JSON.stringify(env)}`);
  return [];
}

test("unset: no existing VPC (every environment gets its own)", () => {
  assert.is(load({}).existingVpc, undefined);
});

test("a VPC by ID: subnets default to the Tier tags seedstack's own VPCs carry, no NAT", () => {
  assert.equal(load({ SEEDSTACK_VPC_ID: "vpc-0123456789abcdef0" }).existingVpc, {
    vpc: { id: "vpc-0123456789abcdef0" },
    publicSubnets: { tags: { Tier: "public" } },
    privateSubnets: { tags: { Tier: "private" } },
    natGateway: false,
  });
});

test("a VPC by tags, subnets by IDs and by tags, NAT on; from the environment or cdktf.json context (lists allowed)", () => {
  const expected = {
    vpc: { tags: { Name: "shared previews", Team: "web" } },
    publicSubnets: { ids: ["subnet-0a000000000000001", "subnet-0a000000000000002"] },
    privateSubnets: { tags: { Tier: "app", "aws:cloudformation:stack-name": "net=main" } },
    natGateway: true,
  };
  const env = {
    SEEDSTACK_VPC_TAGS: " Name = shared previews , Team=web ",
    SEEDSTACK_PUBLIC_SUBNET_IDS: "subnet-0a000000000000001, subnet-0a000000000000002",
    SEEDSTACK_PRIVATE_SUBNET_TAGS: "Tier=app,aws:cloudformation:stack-name=net=main",
    SEEDSTACK_VPC_NAT: "on",
  };
  assert.equal(load(env).existingVpc, expected);
  const context = {
    vpcTags: "Name=shared previews,Team=web",
    publicSubnetIds: ["subnet-0a000000000000001", "subnet-0a000000000000002"],
    privateSubnetTags: "Tier=app,aws:cloudformation:stack-name=net=main",
    vpcNat: true,
  };
  assert.equal(load({}, context).existingVpc, expected);
});

test("SEEDSTACK_VPC_ZONES: how many zones the servers' tag-chosen subnets spread over (2 to 6); absent unless set, so the construct's default holds", () => {
  assert.is(load({ SEEDSTACK_VPC_ID: "vpc-01234567", SEEDSTACK_VPC_ZONES: "3" }).existingVpc?.zoneCount, 3);
  assert.is(load({ SEEDSTACK_VPC_ID: "vpc-01234567" }, { vpcZones: 6 }).existingVpc?.zoneCount, 6);
  assert.is(load({ SEEDSTACK_VPC_ID: "vpc-01234567", SEEDSTACK_PUBLIC_SUBNET_IDS: "subnet-01234567,subnet-89abcdef,subnet-01234568", SEEDSTACK_VPC_ZONES: "3" }).existingVpc?.zoneCount, 3, "the servers' tier is still by tags");
  assert.not.ok("zoneCount" in load({ SEEDSTACK_VPC_ID: "vpc-01234567" }).existingVpc!);
  for (const value of ["1", "7", "2.5", "two", "-3"]) {
    assert.equal(problemsOf({ SEEDSTACK_VPC_ID: "vpc-01234567", SEEDSTACK_VPC_ZONES: value }), [
      `SEEDSTACK_VPC_ZONES (context "vpcZones") is ${JSON.stringify(value)}; allowed: a whole number from 2 to 6; only with an existing VPC; not with SEEDSTACK_PRIVATE_SUBNET_IDS.`,
    ]);
  }
  assert.equal(
    problemsOf({ SEEDSTACK_VPC_ID: "vpc-01234567", SEEDSTACK_PRIVATE_SUBNET_IDS: "subnet-01234568,subnet-89abcdee", SEEDSTACK_VPC_ZONES: "3" }),
    ["SEEDSTACK_VPC_ZONES and SEEDSTACK_PRIVATE_SUBNET_IDS are both set; the zones are those of the given subnets (all of them are used)."],
  );
  assert.equal(problemsOf({ SEEDSTACK_VPC_ZONES: "3" }), ["SEEDSTACK_VPC_ZONES is set but neither SEEDSTACK_VPC_ID nor SEEDSTACK_VPC_TAGS is; it only applies to an existing VPC."]);
});

test("tag lists: Key=Value pairs; what is wrong with one is named", () => {
  assert.equal(parseTagList("Tier=public"), { tags: { Tier: "public" } });
  assert.equal(parseTagList("Empty="), { tags: { Empty: "" } });
  assert.equal(parseTagList("Tier"), { problem: '"Tier" has no "=": write Key=Value' });
  assert.equal(parseTagList("=public"), { problem: '"=public" has no key before "="' });
  assert.equal(parseTagList("A=1,A=2"), { problem: "tag A is given twice" });
  assert.equal(parseTagList(" , "), { problem: "no tags" });
  assert.equal(parseTagList("Tier=pub#lic"), { problem: 'tag Tier\'s value "pub#lic" is not 0-256 letters, digits, spaces or _.:/=+-@' });
  assert.equal(parseTagList(`${"k".repeat(129)}=v`), { problem: `tag key "${"k".repeat(129)}" is not 1-128 letters, digits, spaces or _.:/=+-@` });
});

test("bad values name the variable, the value and the problem; every problem at once", () => {
  const problems = problemsOf({
    SEEDSTACK_VPC_TAGS: "Name",
    SEEDSTACK_PUBLIC_SUBNET_IDS: "subnet-0a000000000000001",
    SEEDSTACK_PRIVATE_SUBNET_IDS: "subnet-0b000000000000003,subnet-xyz",
    SEEDSTACK_VPC_NAT: "yes",
  });
  assert.equal(problems, [
    'SEEDSTACK_VPC_TAGS (context "vpcTags") is "Name" ("Name" has no "=": write Key=Value); allowed: tags as Key=Value,Key2=Value2 that match exactly one VPC, such as Name=shared-previews; not with SEEDSTACK_VPC_ID.',
    'SEEDSTACK_PUBLIC_SUBNET_IDS (context "publicSubnetIds") is "subnet-0a000000000000001" (1 subnet; the load balancer and the database need two, in different availability zones); allowed: 2 or more comma-separated subnet IDs in different availability zones, such as subnet-0123456789abcdef0,subnet-0fedcba9876543210; only with an existing VPC; not with SEEDSTACK_PUBLIC_SUBNET_TAGS.',
    'SEEDSTACK_PRIVATE_SUBNET_IDS (context "privateSubnetIds") is "subnet-0b000000000000003,subnet-xyz" ("subnet-xyz" is not a subnet ID); allowed: 2 or more comma-separated subnet IDs in different availability zones; only with an existing VPC; not with SEEDSTACK_PRIVATE_SUBNET_TAGS.',
    'SEEDSTACK_VPC_NAT (context "vpcNat") is "yes"; allowed: on or off; only with an existing VPC.',
  ]);
  assert.match(problemsOf({ SEEDSTACK_VPC_ID: "vpc-12" })[0]!, 'SEEDSTACK_VPC_ID (context "vpcId") is "vpc-12"; allowed: a VPC ID such as vpc-0123456789abcdef0');
  assert.match(
    problemsOf({ SEEDSTACK_VPC_ID: "vpc-01234567", SEEDSTACK_PRIVATE_SUBNET_IDS: "subnet-01234567,subnet-01234567" })[0]!,
    "(subnet-01234567 is given twice)",
  );
});

test("either-or settings given together, and subnet or NAT settings without a VPC, are problems (they would be ignored)", () => {
  assert.equal(problemsOf({ SEEDSTACK_VPC_ID: "vpc-01234567", SEEDSTACK_VPC_TAGS: "Name=x", SEEDSTACK_PUBLIC_SUBNET_IDS: "subnet-01234567,subnet-89abcdef", SEEDSTACK_PUBLIC_SUBNET_TAGS: "Tier=edge" }), [
    "SEEDSTACK_VPC_ID and SEEDSTACK_VPC_TAGS are both set; give one of them.",
    "SEEDSTACK_PUBLIC_SUBNET_IDS and SEEDSTACK_PUBLIC_SUBNET_TAGS are both set; give one of them.",
  ]);
  assert.equal(problemsOf({ SEEDSTACK_PRIVATE_SUBNET_TAGS: "Tier=app", SEEDSTACK_VPC_NAT: "on" }), [
    "SEEDSTACK_PRIVATE_SUBNET_TAGS is set but neither SEEDSTACK_VPC_ID nor SEEDSTACK_VPC_TAGS is; it only applies to an existing VPC.",
    "SEEDSTACK_VPC_NAT is set but neither SEEDSTACK_VPC_ID nor SEEDSTACK_VPC_TAGS is; it only applies to an existing VPC.",
  ]);
});

test.run();
