/**
 * The bootstrap stack's pull-request role and PR environments in an existing VPC
 * (SEEDSTACK_VPC_ID): the calls that name the shared VPC and its subnets as well as the PR's own
 * new resources are allowed when the VPC is nobody's stack, and refused when it is a long-lived
 * stack's (tagged Stack=classic), as the docs say. A reading of the policies (test/iam-policy-eval.ts),
 * not AWS.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { BOOTSTRAP_EXISTING, synthBootstrap } from "./test-support.js";
import { decide, rolePermissions, EVAL_ACCOUNT, type IamRequest } from "../test/iam-policy-eval.js";

const R = "us-east-1";
const ec2 = (kind: string) => `arn:aws:ec2:${R}:${EVAL_ACCOUNT}:${kind}`;
/** What terraform's create requests of a PR stack carry (provider default_tags). */
const created = { "aws:RequestTag/Stack": "pr-12", "aws:RequestTag/Project": "seedstack" };

const statements = rolePermissions(synthBootstrap(BOOTSTRAP_EXISTING), "seedstack-github-pull-requests");
const decision = (request: IamRequest) => decide(statements, request);

/** The parent resources a create in the shared VPC also authorizes against (EC2's Service Authorization Reference). */
const SHARED_PARENTS: ReadonlyArray<readonly [string, string]> = [
  ["ec2:CreateSecurityGroup", ec2("vpc/vpc-0a1b2c3d4e5f60718")],
  ["ec2:RunInstances", ec2("subnet/subnet-0b000000000000003")],
];

test("a shared VPC that carries no Stack tag: the PR role may create its groups in it and launch into its subnets", () => {
  for (const [action, resource] of SHARED_PARENTS) {
    assert.is(decision({ action, resource, context: { ...created, "aws:ResourceTag/Name": "seedstack-shared" } }), "allow", `${action} on ${resource}`);
  }
  for (const action of ["ec2:DescribeVpcs", "ec2:DescribeSubnets", "ec2:DescribeVpcAttribute", "ec2:DescribeRouteTables", "ec2:DescribePrefixLists", "ec2:DescribeVpcEndpoints"]) {
    assert.is(decision({ action, resource: "*" }), "allow", action);
  }
});

test("a long-lived stack's VPC (Stack=classic) is refused, and the shared VPC itself cannot be changed or deleted", () => {
  for (const [action, resource] of SHARED_PARENTS) {
    assert.is(decision({ action, resource, context: { ...created, "aws:ResourceTag/Stack": "classic" } }), "deny", `${action} on ${resource} tagged Stack=classic`);
  }
  for (const action of ["ec2:DeleteVpc", "ec2:ModifyVpcAttribute", "ec2:DeleteSubnet", "ec2:CreateTags"]) {
    assert.is(decision({ action, resource: ec2("vpc/vpc-0a1b2c3d4e5f60718") }), "deny", action);
  }
});

test.run();
