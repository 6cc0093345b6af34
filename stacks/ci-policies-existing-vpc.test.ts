/**
 * The bootstrap stack's pull-request role when PR stacks share an existing VPC (SEEDSTACK_VPC_ID or
 * SEEDSTACK_VPC_TAGS, given to the bootstrap stack too): every call terraform makes for the
 * resource types such a PR stack synthesizes is allowed, including its groups in the shared VPC and
 * its servers in the configured subnets; and nothing else in the VPC. The owner's (untagged) groups,
 * subnets, route tables and the VPC itself are refused, as are long-lived stacks' (Stack=classic).
 * A reading of the policies (test/iam-policy-eval.ts), not AWS.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { BOOTSTRAP_EXISTING, BOOTSTRAP_SHARED_VPC_BY_IDS, BOOTSTRAP_SHARED_VPC_BY_TAGS, EXISTING_VPC_BY_IDS, EXISTING_VPC_BY_TAGS, synthApp, synthBootstrap } from "./test-support.js";
import { decide, rolePermissions, type DocStatement } from "../test/iam-policy-eval.js";
import { classic, created, denied, ec2, NOT_AWS, ownPr, ownPrRetagged, PR_ROLE, req, SWEEPER_ROLE, TERRAFORM_CALLS, type Call, type Ctx } from "../test/terraform-aws-calls.js";

const SHARED_VPC = "vpc-0a1b2c3d4e5f60718";
const SHARED_VPC_ARN = ec2(`vpc/${SHARED_VPC}`);
/** The shared VPC as it presents itself: untagged by Stack, tagged as EXISTING_VPC_BY_TAGS finds it. */
const sharedVpcTags = { "aws:ResourceTag/Name": "seedstack-shared" };
/** A server (private) subnet of the shared VPC: an ID of EXISTING_VPC_BY_IDS, the Tier tag the tag selection looks for. */
const SERVER_SUBNET = ec2("subnet/subnet-0b000000000000003");
const serverSubnetKeys = { "aws:ResourceTag/Tier": "private", "ec2:Vpc": SHARED_VPC_ARN };
/** The owner's own things in the VPC: untagged by Stack. */
const ownerKeys = { "ec2:Vpc": SHARED_VPC_ARN };

/** The bootstrap variants, each with the PR-stack settings it was told (the PR stacks are synthesized with the same). */
const VARIANTS = [
  { label: "VPC and subnets by IDs", bootstrap: BOOTSTRAP_SHARED_VPC_BY_IDS, prEnv: EXISTING_VPC_BY_IDS },
  { label: "VPC and subnets by tags", bootstrap: BOOTSTRAP_SHARED_VPC_BY_TAGS, prEnv: EXISTING_VPC_BY_TAGS },
  { label: "VPC by ID, subnets by tags", bootstrap: { ...BOOTSTRAP_EXISTING, SEEDSTACK_VPC_ID: SHARED_VPC }, prEnv: { SEEDSTACK_VPC_ID: SHARED_VPC } },
].map((v) => ({ ...v, pr: rolePermissions(synthBootstrap(v.bootstrap), PR_ROLE), sweeper: rolePermissions(synthBootstrap(v.bootstrap), SWEEPER_ROLE) }));

/** The calls that name the shared VPC and its subnets (EC2's Service Authorization Reference: the parents a create authorizes). */
const SHARED_VPC_CALLS: readonly Call[] = [
  ["ec2:CreateSecurityGroup", SHARED_VPC_ARN, { ...created, ...sharedVpcTags }],
  ["ec2:CreateSecurityGroup", ec2("security-group/sg-0a1"), { ...created, ...ownerKeys }],
  ["ec2:RunInstances", SERVER_SUBNET, { ...created, ...serverSubnetKeys }],
  ["ec2:RunInstances", ec2("instance/i-0a1"), { ...created, ...ownerKeys }],
];

/** Rows of TERRAFORM_CALLS a type needs: a data source only reads; a resource makes every call of its row. */
function callsFor(type: string, dataOnly: boolean): readonly Call[] {
  const rows = TERRAFORM_CALLS[type] ?? [];
  return dataOnly ? rows.filter(([action]) => /:(Describe|Get|List)/.test(action)) : rows;
}

/** What the reviewer found allowed with only a PR's request tags (issue #17's bootstrap, a shared VPC); each must be denied. */
const SHARED_VPC_ESCALATIONS: ReadonlyArray<readonly [string, Call]> = [
  ["tag the owner's security group into the PR", ["ec2:CreateTags", ec2("security-group/sg-0owner"), { ...created, ...ownerKeys }]],
  ["open the owner's security group", ["ec2:AuthorizeSecurityGroupIngress", ec2("security-group/sg-0owner"), { ...created, ...ownerKeys }]],
  ["add an egress rule to the owner's security group", ["ec2:AuthorizeSecurityGroupEgress", ec2("security-group/sg-0owner"), { ...created, ...ownerKeys }]],
  ["add a subnet to the shared VPC", ["ec2:CreateSubnet", SHARED_VPC_ARN, { ...created, ...sharedVpcTags }]],
  ["add a route table to the shared VPC", ["ec2:CreateRouteTable", SHARED_VPC_ARN, { ...created, ...sharedVpcTags }]],
  ["add an endpoint to the shared VPC", ["ec2:CreateVpcEndpoint", SHARED_VPC_ARN, { ...created, ...sharedVpcTags }]],
  ["add a gateway endpoint to the owner's route table", ["ec2:CreateVpcEndpoint", ec2("route-table/rtb-0owner"), { ...created, ...ownerKeys }]],
  ["add a route to the owner's route table", ["ec2:CreateRoute", ec2("route-table/rtb-0owner"), ownerKeys]],
  ["attach an internet gateway to the shared VPC", ["ec2:AttachInternetGateway", SHARED_VPC_ARN, sharedVpcTags]],
  ["create a NAT gateway in a shared subnet", ["ec2:CreateNatGateway", SERVER_SUBNET, { ...created, ...serverSubnetKeys }]],
  ["tag the shared VPC into the PR", ["ec2:CreateTags", SHARED_VPC_ARN, { ...created, ...sharedVpcTags }]],
  ["launch into a subnet that is not a server subnet", ["ec2:RunInstances", ec2("subnet/subnet-0a000000000000001"), { ...created, "aws:ResourceTag/Tier": "public", ...ownerKeys }]],
  ["launch into an untagged subnet of another VPC", ["ec2:RunInstances", ec2("subnet/subnet-0c000000000000009"), { ...created, "ec2:Vpc": ec2("vpc/vpc-0c000000000000009") }]],
  ["create a group in a long-lived stack's VPC", ["ec2:CreateSecurityGroup", SHARED_VPC_ARN, { ...created, ...sharedVpcTags, ...classic }]],
  ["launch into a long-lived stack's subnet", ["ec2:RunInstances", SERVER_SUBNET, { ...created, ...serverSubnetKeys, ...classic }]],
  ["build a VPC of its own", ["ec2:CreateVpc", ec2("vpc/vpc-0a9"), created]],
];

test("every call terraform makes for a PR stack in the shared VPC is allowed, the shared VPC's groups and subnets included", () => {
  for (const v of VARIANTS) {
    const types = new Map<string, boolean>();
    const extras: ReadonlyArray<Record<string, string>> = [{ SEEDSTACK_DATABASE: "on" }, { SEEDSTACK_PR_TOPOLOGY: "autoscaled" }];
    for (const extra of extras) {
      for (const [name, { json }] of synthApp({ ...v.prEnv, ...extra, SEEDSTACK_PR_NUMBER: "12" }).stacks) {
        if (!name.startsWith("pr-")) continue;
        for (const type of Object.keys(json.resource ?? {})) types.set(type, false);
        for (const type of Object.keys((json as { data?: object }).data ?? {})) if (!types.has(type)) types.set(type, true);
      }
    }
    // Nothing of the network is built: the synthesized PR stacks only look it up.
    assert.ok(types.get("aws_vpc") === true && types.get("aws_subnet") === true, `${v.label}: ${[...types].join(", ")}`);
    assert.ok(types.has("aws_instance") && types.has("aws_autoscaling_group") && types.has("aws_db_instance") && !types.has("aws_default_security_group"), v.label);
    const missing = [...types.keys()].filter((t) => !NOT_AWS.has(t) && TERRAFORM_CALLS[t] === undefined);
    assert.equal(missing, [], `${v.label}: types without rows in TERRAFORM_CALLS`);
    const calls = [...[...types].flatMap(([type, dataOnly]) => callsFor(type, dataOnly)), ...SHARED_VPC_CALLS];
    assert.ok(calls.length > 100, `${v.label}: ${calls.length} calls`);
    assert.equal(denied(v.pr, calls), [], v.label);
    // The sweeper destroys the same environments.
    assert.equal(denied(v.sweeper, calls.filter(([a]) => /Delete|Terminate|Detach|Deregister|Revoke|Remove|Describe|Get|List/.test(a))), [], `${v.label} (sweeper)`);
  }
});

test("the shared VPC is the owner's: its groups, subnets, route tables and the VPC itself are refused to both CI roles", () => {
  for (const v of VARIANTS) {
    for (const [role, statements] of [["PR role", v.pr], ["sweeper", v.sweeper]] as const) {
      const open = SHARED_VPC_ESCALATIONS.filter(([, call]) => decide(statements, req(call)) === "allow").map(([what]) => what);
      assert.equal(open, [], `${v.label}: the ${role} may`);
    }
  }
});

test("a PR's own groups in the shared VPC: rules only on them, tagged on create; the owner's group never", () => {
  for (const v of VARIANTS) {
    const rule = (group: string, groupKeys: Ctx) => [
      ["ec2:AuthorizeSecurityGroupIngress", ec2("security-group-rule/sgr-0a1"), created],
      ["ec2:AuthorizeSecurityGroupIngress", ec2(`security-group/${group}`), { ...created, ...groupKeys }],
      ["ec2:CreateTags", ec2("security-group-rule/sgr-0a1"), { ...created, "ec2:CreateAction": "AuthorizeSecurityGroupIngress" }],
    ] as const satisfies readonly Call[];
    // IAM allows a request only when every resource it authorizes is allowed.
    const whole = (calls: readonly Call[]) => (calls.every((c) => decide(v.pr, req(c)) === "allow") ? "allow" : "deny");
    assert.is(whole(rule("sg-0a1", { ...ownPr, ...ownerKeys })), "allow", `${v.label}: a rule on the PR's group`);
    assert.is(whole(rule("sg-0owner", ownerKeys)), "deny", `${v.label}: a rule on the owner's group`);
    assert.is(whole(rule("sg-0c1", { ...classic, ...ownerKeys })), "deny", `${v.label}: a rule on classic's group`);
    // The tag-on-create permission tags what is being created, never an existing group.
    assert.is(decide(v.pr, req(["ec2:CreateTags", ec2("security-group/sg-0owner"), { ...created, ...ownerKeys }])), "deny", v.label);
  }
});

test("explicit denies: network writes in the shared VPC stay refused even if its resources were tagged for a PR", () => {
  const [byIds, byTags] = VARIANTS;
  const taggedForPr = { ...ownPrRetagged, ...sharedVpcTags };
  for (const action of ["ec2:CreateSubnet", "ec2:CreateRouteTable", "ec2:CreateVpcEndpoint", "ec2:ModifyVpcAttribute", "ec2:DeleteVpc"]) {
    for (const v of [byIds!, byTags!]) assert.is(decide(v.pr, { action, resource: SHARED_VPC_ARN, context: taggedForPr }), "deny", `${v.label}: ${action}`);
  }
  // By ID, writes inside the VPC are denied through ec2:Vpc as well.
  const inside = { ...ownPrRetagged, ...ownerKeys };
  for (const [action, resource] of [["ec2:CreateRoute", "route-table/rtb-0a1"], ["ec2:AssociateRouteTable", "subnet/subnet-0b000000000000003"], ["ec2:CreateNatGateway", "subnet/subnet-0b000000000000003"]] as const) {
    assert.is(decide(byIds!.pr, { action, resource: ec2(resource), context: inside }), "deny", `${action} on ${resource}`);
  }
});

test("without a shared VPC the bootstrap role keeps building PR VPCs, and still never creates in an untagged VPC or subnet", () => {
  const own: readonly DocStatement[] = rolePermissions(synthBootstrap(BOOTSTRAP_EXISTING), PR_ROLE);
  assert.is(decide(own, req(["ec2:CreateVpc", ec2("vpc/vpc-0a9"), created])), "allow");
  assert.is(decide(own, req(["ec2:CreateSubnet", ec2("vpc/vpc-0a9"), { ...ownPrRetagged }])), "allow");
  for (const [, call] of SHARED_VPC_ESCALATIONS.filter(([what]) => /open|egress rule|add a|launch into an untagged|launch into a long-lived|long-lived stack's VPC/.test(what))) {
    assert.is(decide(own, req(call)), "deny", `${call[0]} on ${call[1]}`);
  }
  assert.is(decide(own, req(["ec2:CreateSecurityGroup", SHARED_VPC_ARN, { ...created, ...sharedVpcTags }])), "deny", "a group in a VPC the bootstrap stack was not told of");
  assert.is(decide(own, req(["ec2:RunInstances", SERVER_SUBNET, { ...created, ...serverSubnetKeys }])), "deny", "an instance in a subnet the bootstrap stack was not told of");
});

test.run();
