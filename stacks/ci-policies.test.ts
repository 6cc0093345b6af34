/**
 * The bootstrap stack's CI policies, read from the synthesized aws_iam_policy_document data
 * sources and evaluated request by request (test/iam-policy-eval.ts):
 *
 * 1. For every resource type the pull-request stacks synthesize in every planned configuration,
 *    the calls terraform's AWS provider makes to create, read, update and delete it are allowed
 *    (TERRAFORM_CALLS in test/terraform-aws-calls.ts: actions from the provider's resource documentation and source, the
 *    resources and condition keys each presents from AWS's Service Authorization Reference).
 * 2. The escalation paths are closed: roles without the boundary, the boundary's removal or
 *    rewrite, trust of other repositories/branches/events, the long-lived stacks' state, resources
 *    and tags.
 * This is a reading of the policies, not AWS: real IAM is the judge only on a real account.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { BOOTSTRAP_EXISTING, BOOTSTRAP_NEW, synthApp, synthBootstrap } from "./test-support.js";
import { PLAN_CONFIGURATIONS } from "../test/terraform/plan-configurations.js";
import { decide, managedPolicy, renderPolicy, rolePermissions, roleTrust, type IamRequest } from "../test/iam-policy-eval.js";
import { resourcesOf } from "../test/synth-json.js";
import {
  A, ASG, BOUNDARY, BUCKET, CERT, classic, created, denied, ec2, elb, NOT_AWS, ownPr, PR_ROLE, R, rds, req, ROLE, STATE, SWEEPER_ROLE, TERRAFORM_CALLS, withBoundary, ZONE, type Call,
} from "../test/terraform-aws-calls.js";

const existing = synthBootstrap(BOOTSTRAP_EXISTING);
const fresh = synthBootstrap(BOOTSTRAP_NEW);

/** Another team's load balancer, Auto Scaling group and certificate in the account: no Stack tag. */
const OTHER_LB = elb("loadbalancer/app/other-team/0a1b2c3d4e5f6a7b");
const OTHER_ASG = ASG.replace("seedstack-pr-12-asg", "other-team-asg");
const OTHER_CERT = CERT.replace("0a1b2c3d-4e5f", "9f8e7d6c-5b4a");

test("the table covers every resource and data source type the PR stacks synthesize in every planned configuration", () => {
  const types = new Set<string>();
  for (const { env } of PLAN_CONFIGURATIONS) {
    for (const [name, { json }] of synthApp({ ...env, SEEDSTACK_PR_NUMBER: env.SEEDSTACK_PR_NUMBER ?? "12" }).stacks) {
      if (!name.startsWith("pr-")) continue;
      for (const type of [...Object.keys(json.resource ?? {}), ...Object.keys((json as { data?: object }).data ?? {})]) types.add(type);
    }
  }
  const missing = [...types].filter((t) => !NOT_AWS.has(t) && TERRAFORM_CALLS[t] === undefined);
  assert.equal(missing, [], "resource types without rows in TERRAFORM_CALLS");
  assert.ok(types.has("aws_route53_record") && types.has("aws_autoscaling_group") && types.has("aws_db_instance"), [...types].join(", "));
});

test("the pull-request role is allowed every call terraform makes to plan, apply and destroy every PR variant", () => {
  // The existing-resources configuration is acm-dns (Route 53) with a lock table and an existing state bucket.
  const statements = rolePermissions(existing, PR_ROLE);
  const calls = Object.values(TERRAFORM_CALLS).flat();
  assert.ok(calls.length > 150, `${calls.length} calls`);
  assert.equal(denied(statements, calls), []);
});

test("the sweeper can destroy what pull requests deployed, list their state, and search tags; the PR role cannot search tags", () => {
  const sweeper = rolePermissions(existing, SWEEPER_ROLE);
  const pr = rolePermissions(existing, PR_ROLE);
  const destroys = Object.values(TERRAFORM_CALLS).flat().filter(([a]) => /Delete|Terminate|Detach|Deregister|Revoke|Remove|Describe|Get|List/.test(a));
  assert.equal(denied(sweeper, destroys), []);
  assert.is(decide(sweeper, { action: "tag:GetResources", resource: "*" }), "allow");
  assert.is(decide(pr, { action: "tag:GetResources", resource: "*" }), "deny");
  assert.is(decide(sweeper, { action: "s3:ListBucket", resource: "arn:aws:s3:::acme-terraform-state", context: { "s3:prefix": "seedstack/pr-" } }), "allow");
  assert.is(decide(sweeper, { action: "s3:GetObject", resource: "arn:aws:s3:::acme-terraform-state/seedstack/pr-12/terraform.tfstate" }), "allow");
});

const ESCALATIONS: ReadonlyArray<readonly [string, Call]> = [
  // roles without the boundary, or with another one, or outside the PR names
  ["create a role without the boundary", ["iam:CreateRole", ROLE, created]],
  ["create a role with another boundary", ["iam:CreateRole", ROLE, { ...created, "iam:PermissionsBoundary": `arn:aws:iam::${A}:policy/wide-open` }]],
  ["create a role outside the PR names", ["iam:CreateRole", `arn:aws:iam::${A}:role/seedstack-classic-web-1`, { ...created, ...withBoundary }]],
  ["put an inline policy on a role without the boundary", ["iam:PutRolePolicy", ROLE]],
  ["attach a policy to a role without the boundary", ["iam:AttachRolePolicy", ROLE, { "iam:PolicyARN": "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore" }]],
  ["attach AdministratorAccess even with the boundary", ["iam:AttachRolePolicy", ROLE, { ...withBoundary, "iam:PolicyARN": "arn:aws:iam::aws:policy/AdministratorAccess" }]],
  ["swap a role's boundary", ["iam:PutRolePermissionsBoundary", ROLE, { "iam:PermissionsBoundary": `arn:aws:iam::${A}:policy/wide-open` }]],
  ["remove a role's boundary", ["iam:DeleteRolePermissionsBoundary", ROLE]],
  ["rewrite the boundary (new version)", ["iam:CreatePolicyVersion", BOUNDARY]],
  ["make another version the boundary's default", ["iam:SetDefaultPolicyVersion", BOUNDARY]],
  ["delete the boundary", ["iam:DeletePolicy", BOUNDARY]],
  ["create a policy", ["iam:CreatePolicy", `arn:aws:iam::${A}:policy/anything`]],
  ["change the CI role's own trust", ["iam:UpdateAssumeRolePolicy", `arn:aws:iam::${A}:role/${PR_ROLE}`]],
  ["attach a policy to the CI role itself", ["iam:AttachRolePolicy", `arn:aws:iam::${A}:role/${PR_ROLE}`, { ...withBoundary, "iam:PolicyARN": "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore" }]],
  ["pass a PR role to Lambda", ["iam:PassRole", ROLE, { "iam:PassedToService": "lambda.amazonaws.com" }]],
  // the long-lived stacks' state (it holds TLS private keys)
  ["read classic's state", ["s3:GetObject", "arn:aws:s3:::acme-terraform-state/seedstack/classic/terraform.tfstate"]],
  ["overwrite autoscaled's state", ["s3:PutObject", "arn:aws:s3:::acme-terraform-state/seedstack/autoscaled/terraform.tfstate"]],
  ["read the bootstrap stack's state", ["s3:GetObject", "arn:aws:s3:::acme-terraform-state/seedstack/bootstrap/terraform.tfstate"]],
  ["list classic's state", ["s3:ListBucket", "arn:aws:s3:::acme-terraform-state", { "s3:prefix": "seedstack/classic/" }]],
  ["list the whole state bucket", ["s3:ListBucket", "arn:aws:s3:::acme-terraform-state"]],
  ["delete the state bucket", ["s3:DeleteBucket", "arn:aws:s3:::acme-terraform-state"]],
  // the long-lived stacks' resources
  ["terminate classic's instance", ["ec2:TerminateInstances", ec2("instance/i-0c1"), classic]],
  ["open classic's security group (request tagged for a PR)", ["ec2:AuthorizeSecurityGroupIngress", ec2("security-group/sg-0c1"), { ...classic, ...created }]],
  ["add a subnet to classic's VPC (request tagged for a PR)", ["ec2:CreateSubnet", ec2("vpc/vpc-0c1"), { ...classic, ...created }]],
  ["add a listener to classic's load balancer (request tagged for a PR)", ["elasticloadbalancing:CreateListener", elb("loadbalancer/app/seedstack-classic-alb/1"), { ...classic, ...created }]],
  ["delete classic's load balancer", ["elasticloadbalancing:DeleteLoadBalancer", elb("loadbalancer/app/seedstack-classic-alb/1"), classic]],
  ["delete classic's database", ["rds:DeleteDBInstance", rds("db:seedstack-classic-db-1"), classic]],
  ["update autoscaled's group", ["autoscaling:UpdateAutoScalingGroup", ASG.replace("pr-12", "scaled"), { "aws:ResourceTag/Stack": "autoscaled" }]],
  ["delete classic's artifact bucket", ["s3:DeleteBucket", "arn:aws:s3:::seedstack-classic-artifacts-1"]],
  ["overwrite classic's bundle", ["s3:PutObject", "arn:aws:s3:::seedstack-classic-artifacts-1/bundle/x.mjs"]],
  ["change classic's DNS name", ["route53:ChangeResourceRecordSets", ZONE, { "route53:ChangeResourceRecordSetsNormalizedRecordNames": ["seed.example.com"] }]],
  ["change autoscaled's DNS name with a PR's", ["route53:ChangeResourceRecordSets", ZONE, { "route53:ChangeResourceRecordSetsNormalizedRecordNames": ["pr-12.seed.example.com", "autoscaled.seed.example.com"] }]],
  // the long-lived stacks' tags (re-tagging a resource into a PR would hand it over)
  ["tag classic's instance as a PR's", ["ec2:CreateTags", ec2("instance/i-0c1"), { ...classic, ...created }]],
  ["remove classic's tags", ["ec2:DeleteTags", ec2("instance/i-0c1"), classic]],
  ["tag classic's load balancer as a PR's", ["elasticloadbalancing:AddTags", elb("loadbalancer/app/seedstack-classic-alb/1"), { ...classic, ...created }]],
  ["tag autoscaled's group as a PR's", ["autoscaling:CreateOrUpdateTags", ASG, { "aws:ResourceTag/Stack": "autoscaled", ...created }]],
  ["tag classic's database as a PR's", ["rds:AddTagsToResource", rds("db:seedstack-classic-db-1"), { ...classic, ...created }]],
  ["tag classic's certificate as a PR's", ["acm:AddTagsToCertificate", CERT, { ...classic, ...created }]],
  // others' untagged resources (no Stack tag: another team's), with only a PR's request tags
  ["add a listener to another team's untagged load balancer", ["elasticloadbalancing:CreateListener", OTHER_LB, created]],
  ["tag another team's untagged load balancer", ["elasticloadbalancing:AddTags", OTHER_LB, created]],
  ["tag another team's untagged target group", ["elasticloadbalancing:AddTags", elb("targetgroup/other-team/0a1b2c3d4e5f6a7b"), created]],
  ["tag another team's untagged listener", ["elasticloadbalancing:AddTags", elb("listener/app/other-team/0a1b2c3d4e5f6a7b/8c9d0e1f2a3b4c5d"), created]],
  ["tag another team's untagged load balancer, claiming a create", ["elasticloadbalancing:AddTags", OTHER_LB, { "elasticloadbalancing:CreateAction": "CreateLoadBalancer" }]],
  ["tag an untagged database", ["rds:AddTagsToResource", rds("db:other-team-db"), created]],
  ["tag an untagged DB subnet group", ["rds:AddTagsToResource", rds("subgrp:other-team-subnets"), created]],
  ["create a database in an untagged subnet group", ["rds:CreateDBInstance", rds("subgrp:other-team-subnets"), created]],
  ["create a database with an untagged parameter group", ["rds:CreateDBInstance", rds("pg:other-team-params"), created]],
  ["create a database in classic's subnet group", ["rds:CreateDBInstance", rds("subgrp:seedstack-classic-db-1"), { ...classic, ...created }]],
  ["create a database outside the PR names", ["rds:CreateDBInstance", rds("db:other-team-db"), created]],
  ["tag an untagged Auto Scaling group", ["autoscaling:CreateOrUpdateTags", OTHER_ASG, created]],
  ["create an Auto Scaling group outside the PR names", ["autoscaling:CreateAutoScalingGroup", OTHER_ASG, created]],
  ["launch an Auto Scaling group's servers from an untagged launch template", ["ec2:RunInstances", ec2("launch-template/lt-0other"), created]],
  ["re-import (replace the key of) an untagged certificate", ["acm:ImportCertificate", OTHER_CERT]],
  ["re-import a certificate tagged for a PR", ["acm:ImportCertificate", CERT, ownPr]],
  ["delete an untagged certificate", ["acm:DeleteCertificate", OTHER_CERT]],
  ["request a certificate for classic's name", ["acm:RequestCertificate", "*", { ...created, "acm:DomainNames": ["seed.example.com"] }]],
  ["request a certificate for a PR's and classic's names", ["acm:RequestCertificate", "*", { ...created, "acm:DomainNames": ["pr-12.seed.example.com", "seed.example.com"] }]],
  ["move a PR's instance into classic", ["ec2:CreateTags", ec2("instance/i-0a1"), { ...ownPr, "aws:RequestTag/Stack": "classic" }]],
  ["create a VPC tagged for classic", ["ec2:CreateVpc", ec2("vpc/vpc-0a9"), { "aws:RequestTag/Stack": "classic" }]],
  ["create an untagged instance", ["ec2:RunInstances", ec2("instance/i-0a9")]],
];

test("escalation paths are closed for both CI roles", () => {
  for (const role of [PR_ROLE, SWEEPER_ROLE]) {
    for (const stack of [existing, fresh]) {
      const statements = rolePermissions(stack, role);
      const open = ESCALATIONS.filter(([, call]) => decide(statements, req(call)) === "allow").map(([what]) => what);
      assert.equal(open, [], `${role} may`);
    }
  }
  // With a bucket the stack creates, its state paths are closed the same way.
  const statements = rolePermissions(fresh, PR_ROLE);
  assert.is(decide(statements, { action: "s3:GetObject", resource: `${STATE}/seedstack/classic/terraform.tfstate` }), "deny");
  assert.is(decide(statements, { action: "s3:GetObject", resource: `${STATE}/seedstack/pr-12/terraform.tfstate` }), "allow");
});

test("known limit: ACM has no key that tells tags on create from tagging a certificate with no Stack tag; such a certificate still gets no new key", () => {
  const statements = rolePermissions(existing, PR_ROLE);
  // A new certificate's tags are authorized as AddTagsToCertificate on it: not yet tagged, no name in its ARN.
  assert.is(decide(statements, req(["acm:AddTagsToCertificate", OTHER_CERT, created])), "allow");
  // Tagged into a PR that way, it can be deleted when unused (ACM refuses while a load balancer uses it), never re-imported.
  assert.is(decide(statements, req(["acm:DeleteCertificate", OTHER_CERT, ownPr])), "allow");
  assert.is(decide(statements, req(["acm:ImportCertificate", OTHER_CERT, ownPr])), "deny");
  // A certificate of another stack stays out of reach.
  assert.is(decide(statements, req(["acm:AddTagsToCertificate", OTHER_CERT, { ...classic, ...created }])), "deny");
});

test("no wildcard actions beyond Describe*/GetBucket*, and every managed policy fits IAM's 6,144 characters", () => {
  for (const policy of resourcesOf(existing, "aws_iam_policy")) {
    const statements = managedPolicy(existing, policy.attrs.name);
    const size = renderPolicy(statements).length;
    assert.ok(size <= 6144, `${policy.attrs.name}: ${size} characters`);
    for (const s of statements.filter((x) => x.effect === "Allow")) {
      for (const action of s.actions ?? []) {
        if (action.includes("*")) assert.match(action, /^[a-z0-9]+:(Describe|GetBucket)\*$/, `${policy.attrs.name} ${s.sid}: ${action}`);
      }
    }
  }
});

test("trust: the PR role for exactly this repository's pull_request runs, the sweeper for the default branch only", () => {
  const provider = { type: "Federated", id: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" };
  const assume = (sub: string, aud = "sts.amazonaws.com", principal = provider): IamRequest => ({
    action: "sts:AssumeRoleWithWebIdentity",
    resource: "*",
    principal,
    context: { "token.actions.githubusercontent.com:sub": sub, "token.actions.githubusercontent.com:aud": aud },
  });
  for (const [stack, branch] of [[existing, "trunk"], [fresh, "main"]] as const) {
    const pr = roleTrust(stack, PR_ROLE);
    const sweeper = roleTrust(stack, SWEEPER_ROLE);
    assert.is(decide(pr, assume("repo:acme/app:pull_request")), "allow");
    for (const sub of ["repo:acme/app-fork:pull_request", "repo:acme/other:pull_request", "repo:evil/app:pull_request", `repo:acme/app:ref:refs/heads/${branch}`, "repo:acme/app:environment:production", "repo:acme/app:*"]) {
      assert.is(decide(pr, assume(sub)), "deny", `PR role trusts ${sub}`);
    }
    assert.is(decide(pr, assume("repo:acme/app:pull_request", "https://github.com/acme")), "deny", "another audience");
    assert.is(decide(pr, assume("repo:acme/app:pull_request", "sts.amazonaws.com", { type: "Federated", id: "arn:aws:iam::999999999999:oidc-provider/token.actions.githubusercontent.com" })), "deny", "another account's provider");
    assert.is(decide(sweeper, assume(`repo:acme/app:ref:refs/heads/${branch}`)), "allow");
    for (const sub of ["repo:acme/app:pull_request", "repo:acme/app:ref:refs/heads/feature", `repo:acme/other:ref:refs/heads/${branch}`]) {
      assert.is(decide(sweeper, assume(sub)), "deny", `sweeper trusts ${sub}`);
    }
    // StringEquals only: no pattern can widen the subject.
    for (const s of [...pr, ...sweeper]) for (const c of s.condition ?? []) assert.is(c.test, "StringEquals", `${c.variable}: ${c.test}`);
  }
});

test("the boundary: bundles, RDS secrets and Session Manager only; never the state, never IAM", () => {
  const boundary = managedPolicy(existing, "seedstack-permissions-boundary");
  const allowed: Call[] = [
    ["s3:GetObject", `${BUCKET}/bundle/seed-server-0a1b.mjs`],
    ["s3:GetObject", "arn:aws:s3:::seedstack-classic-artifacts-20250131/bundle/seed-server-0a1b.mjs"],
    ["secretsmanager:GetSecretValue", `arn:aws:secretsmanager:${R}:${A}:secret:rds!db-0a1b2c3d-AbCdEf`],
    ["ssmmessages:OpenDataChannel", "*"],
  ];
  assert.equal(denied(boundary, allowed), []);
  const never: Call[] = [
    ["s3:GetObject", "arn:aws:s3:::acme-terraform-state/seedstack/classic/terraform.tfstate"],
    ["s3:PutObject", `${BUCKET}/bundle/x.mjs`],
    ["iam:CreateRole", ROLE, withBoundary],
    ["iam:PassRole", ROLE],
    ["ec2:RunInstances", ec2("instance/*"), created],
    ["secretsmanager:GetSecretValue", `arn:aws:secretsmanager:${R}:${A}:secret:other-app-key`],
    ["ssm:GetParameter", `arn:aws:ssm:${R}:${A}:parameter/prod/db-password`],
    ["sts:AssumeRole", "*"],
  ];
  assert.equal(never.filter((c) => decide(boundary, req(c)) === "allow").map((c) => c[0]), []);
});

test.run();
