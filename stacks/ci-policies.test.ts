/**
 * The bootstrap stack's CI policies, read from the synthesized aws_iam_policy_document data
 * sources and evaluated request by request (test/iam-policy-eval.ts):
 *
 * 1. For every resource type the pull-request stacks synthesize in every planned configuration,
 *    the calls terraform's AWS provider makes to create, read, update and delete it are allowed
 *    (TERRAFORM_CALLS below: actions from the provider's resource documentation and source, the
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
import { decide, managedPolicy, renderPolicy, rolePermissions, roleTrust, EVAL_ACCOUNT, type DocStatement, type IamRequest } from "../test/iam-policy-eval.js";
import { resourcesOf } from "../test/synth-json.js";

const A = EVAL_ACCOUNT;
const R = "us-east-1";
const PR_ROLE = "seedstack-github-pull-requests";
const SWEEPER_ROLE = "seedstack-github-sweeper";
const BOUNDARY = `arn:aws:iam::${A}:policy/seedstack-permissions-boundary`;
const STATE = `arn:aws:s3:::seedstack-tfstate-${A}-${R}`;

const created = { "aws:RequestTag/Stack": "pr-12", "aws:RequestTag/Project": "seedstack" };
const ownPr = { "aws:ResourceTag/Stack": "pr-12" };
const ownPrRetagged = { ...ownPr, ...created };
const classic = { "aws:ResourceTag/Stack": "classic" };

type Ctx = Readonly<Record<string, string | readonly string[]>>;
type Call = readonly [action: string, resource: string, context?: Ctx];

const ec2 = (kind: string) => `arn:aws:ec2:${R}:${A}:${kind}`;
const elb = (kind: string) => `arn:aws:elasticloadbalancing:${R}:${A}:${kind}`;
const rds = (kind: string) => `arn:aws:rds:${R}:${A}:${kind}`;
const ASG = `arn:aws:autoscaling:${R}:${A}:autoScalingGroup:0f1e2d3c-aaaa-bbbb-cccc-0123456789ab:autoScalingGroupName/seedstack-pr-12-web-20250131`;
const ROLE = `arn:aws:iam::${A}:role/seedstack-pr-12-web-20250131120000000000000001`;
const PROFILE = `arn:aws:iam::${A}:instance-profile/seedstack-pr-12-web-20250131120000000000000002`;
const BUCKET = "arn:aws:s3:::seedstack-pr-12-artifacts-20250131120000000000000003";
const CERT = `arn:aws:acm:${R}:${A}:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d`;
const ZONE = "arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ";
const withBoundary = { "iam:PermissionsBoundary": BOUNDARY };

/** Creating a resource, then reading, changing and deleting it, as a PR's terraform does. */
function lifecycle(arn: string, creates: string[], manages: string[]): Call[] {
  return [...creates.map((a): Call => [a, arn, created]), ...manages.map((a): Call => [a, arn, ownPrRetagged])];
}

const BUCKET_READS = [
  "s3:ListBucket", "s3:GetBucketAcl", "s3:GetBucketCORS", "s3:GetBucketWebsite", "s3:GetBucketVersioning", "s3:GetAccelerateConfiguration",
  "s3:GetBucketRequestPayment", "s3:GetBucketLogging", "s3:GetLifecycleConfiguration", "s3:GetReplicationConfiguration",
  "s3:GetEncryptionConfiguration", "s3:GetBucketObjectLockConfiguration", "s3:GetBucketTagging", "s3:GetBucketPolicy",
];

/**
 * The table: per resource type (and data source) the PR stacks synthesize, the calls terraform
 * makes for it, each with the resource it authorizes and the keys it presents.
 */
const TERRAFORM_CALLS: Readonly<Record<string, readonly Call[]>> = {
  aws_vpc: lifecycle(ec2("vpc/vpc-0a1"), ["ec2:CreateVpc", "ec2:CreateTags"], ["ec2:DescribeVpcs", "ec2:DescribeVpcAttribute", "ec2:ModifyVpcAttribute", "ec2:DescribeNetworkAcls", "ec2:DescribeRouteTables", "ec2:DescribeSecurityGroups", "ec2:CreateTags", "ec2:DeleteTags", "ec2:DeleteVpc"]).map((c) =>
    c[0] === "ec2:CreateTags" && c[2] === created ? ([c[0], c[1], { ...created, "ec2:CreateAction": "CreateVpc" }] as Call) : c,
  ),
  aws_subnet: [...lifecycle(ec2("subnet/subnet-0a1"), ["ec2:CreateSubnet"], ["ec2:DescribeSubnets", "ec2:ModifySubnetAttribute", "ec2:DeleteSubnet"]), ["ec2:CreateSubnet", ec2("vpc/vpc-0a1"), ownPrRetagged]],
  aws_internet_gateway: [
    ...lifecycle(ec2("internet-gateway/igw-0a1"), ["ec2:CreateInternetGateway"], ["ec2:DescribeInternetGateways", "ec2:AttachInternetGateway", "ec2:DetachInternetGateway", "ec2:DeleteInternetGateway"]),
    ["ec2:AttachInternetGateway", ec2("vpc/vpc-0a1"), ownPr],
    ["ec2:DetachInternetGateway", ec2("vpc/vpc-0a1"), ownPr],
  ],
  aws_route_table: [...lifecycle(ec2("route-table/rtb-0a1"), ["ec2:CreateRouteTable"], ["ec2:DescribeRouteTables", "ec2:DeleteRouteTable"]), ["ec2:CreateRouteTable", ec2("vpc/vpc-0a1"), ownPrRetagged]],
  aws_route: [["ec2:CreateRoute", ec2("route-table/rtb-0a1"), ownPr], ["ec2:ReplaceRoute", ec2("route-table/rtb-0a1"), ownPr], ["ec2:DeleteRoute", ec2("route-table/rtb-0a1"), ownPr], ["ec2:DescribeRouteTables", "*"]],
  aws_route_table_association: [
    ["ec2:AssociateRouteTable", ec2("route-table/rtb-0a1"), ownPr],
    ["ec2:AssociateRouteTable", ec2("subnet/subnet-0a1"), ownPr],
    ["ec2:DisassociateRouteTable", ec2("route-table/rtb-0a1"), ownPr],
  ],
  // AWS creates the default group untagged with the VPC; terraform tags it, then empties it.
  aws_default_security_group: [
    ["ec2:CreateTags", ec2("security-group/sg-0def"), created],
    ["ec2:DescribeSecurityGroups", "*"],
    ["ec2:RevokeSecurityGroupIngress", ec2("security-group/sg-0def"), ownPr],
    ["ec2:RevokeSecurityGroupEgress", ec2("security-group/sg-0def"), ownPr],
  ],
  // The provider revokes a new group's allow-all egress rule right after creating it.
  aws_security_group: [
    ...lifecycle(ec2("security-group/sg-0a1"), ["ec2:CreateSecurityGroup"], ["ec2:DescribeSecurityGroups", "ec2:RevokeSecurityGroupEgress", "ec2:CreateTags", "ec2:DeleteSecurityGroup"]),
    ["ec2:CreateSecurityGroup", ec2("vpc/vpc-0a1"), ownPrRetagged],
  ],
  aws_vpc_security_group_ingress_rule: [
    ["ec2:AuthorizeSecurityGroupIngress", ec2("security-group-rule/sgr-0a1"), created],
    ["ec2:AuthorizeSecurityGroupIngress", ec2("security-group/sg-0a1"), ownPrRetagged],
    ["ec2:DescribeSecurityGroupRules", "*"],
    ["ec2:ModifySecurityGroupRules", ec2("security-group/sg-0a1"), ownPr],
    ["ec2:RevokeSecurityGroupIngress", ec2("security-group/sg-0a1"), ownPr],
  ],
  aws_vpc_security_group_egress_rule: [
    ["ec2:AuthorizeSecurityGroupEgress", ec2("security-group-rule/sgr-0a2"), created],
    ["ec2:AuthorizeSecurityGroupEgress", ec2("security-group/sg-0a1"), ownPrRetagged],
    ["ec2:RevokeSecurityGroupEgress", ec2("security-group/sg-0a1"), ownPr],
  ],
  aws_vpc_endpoint: [
    ...lifecycle(ec2("vpc-endpoint/vpce-0a1"), ["ec2:CreateVpcEndpoint"], ["ec2:DescribeVpcEndpoints", "ec2:DescribePrefixLists", "ec2:ModifyVpcEndpoint", "ec2:DeleteVpcEndpoints"]),
    ...["vpc/vpc-0a1", "route-table/rtb-0a1", "subnet/subnet-0a1", "security-group/sg-0a1"].map((r): Call => ["ec2:CreateVpcEndpoint", ec2(r), ownPrRetagged]),
  ],
  aws_launch_template: lifecycle(ec2("launch-template/lt-0a1"), ["ec2:CreateLaunchTemplate"], ["ec2:DescribeLaunchTemplates", "ec2:DescribeLaunchTemplateVersions", "ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate", "ec2:DeleteLaunchTemplate"]),
  aws_instance: [
    ...lifecycle(ec2("instance/i-0a1"), ["ec2:RunInstances"], ["ec2:DescribeInstances", "ec2:DescribeInstanceAttribute", "ec2:DescribeInstanceCreditSpecifications", "ec2:DescribeVolumes", "ec2:ModifyInstanceAttribute", "ec2:ModifyInstanceMetadataOptions", "ec2:StopInstances", "ec2:StartInstances", "ec2:TerminateInstances"]),
    ["ec2:RunInstances", ec2("subnet/subnet-0a1"), ownPrRetagged],
    ["ec2:RunInstances", ec2("security-group/sg-0a1"), ownPrRetagged],
    ["ec2:RunInstances", ec2("network-interface/*"), created],
    ["ec2:RunInstances", ec2("volume/*"), created],
    ["ec2:RunInstances", `arn:aws:ec2:${R}::image/ami-0123456789abcdef0`, { ...created, "ec2:Owner": "amazon" }],
    ["ec2:CreateTags", ec2("instance/i-0a1"), { ...created, "ec2:CreateAction": "RunInstances" }],
    ["iam:PassRole", ROLE, { "iam:PassedToService": "ec2.amazonaws.com" }],
  ],
  aws_lb: lifecycle(elb("loadbalancer/app/seedstack-pr-12-alb/50dc6c495c0c9188"), ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:AddTags"], ["elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeLoadBalancerAttributes", "elasticloadbalancing:DescribeTags", "elasticloadbalancing:ModifyLoadBalancerAttributes", "elasticloadbalancing:SetSecurityGroups", "elasticloadbalancing:DeleteLoadBalancer"]),
  aws_lb_target_group: lifecycle(elb("targetgroup/seedsabc/73e2d6bc24d8a067"), ["elasticloadbalancing:CreateTargetGroup", "elasticloadbalancing:AddTags"], ["elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetGroupAttributes", "elasticloadbalancing:ModifyTargetGroup", "elasticloadbalancing:ModifyTargetGroupAttributes", "elasticloadbalancing:DeleteTargetGroup"]),
  aws_lb_listener: [
    ...lifecycle(elb("listener/app/seedstack-pr-12-alb/50dc6c495c0c9188/f2f7dc8efc522ab2"), ["elasticloadbalancing:CreateListener", "elasticloadbalancing:AddTags"], ["elasticloadbalancing:DescribeListeners", "elasticloadbalancing:ModifyListener", "elasticloadbalancing:DeleteListener"]),
    ["elasticloadbalancing:CreateListener", elb("loadbalancer/app/seedstack-pr-12-alb/50dc6c495c0c9188"), ownPrRetagged],
  ],
  aws_lb_target_group_attachment: [
    ["elasticloadbalancing:RegisterTargets", elb("targetgroup/seedsabc/73e2d6bc24d8a067"), ownPr],
    ["elasticloadbalancing:DeregisterTargets", elb("targetgroup/seedsabc/73e2d6bc24d8a067"), ownPr],
    ["elasticloadbalancing:DescribeTargetHealth", "*"],
  ],
  aws_autoscaling_group: [
    ...lifecycle(ASG, ["autoscaling:CreateAutoScalingGroup", "autoscaling:CreateOrUpdateTags"], ["autoscaling:DescribeAutoScalingGroups", "autoscaling:DescribeScalingActivities", "autoscaling:UpdateAutoScalingGroup", "autoscaling:CreateOrUpdateTags", "autoscaling:DeleteTags", "autoscaling:DeleteAutoScalingGroup"]),
    ["ec2:RunInstances", ec2("launch-template/lt-0a1"), ownPrRetagged],
    ["iam:PassRole", ROLE, { "iam:PassedToService": "ec2.amazonaws.com" }],
  ],
  aws_autoscaling_policy: [
    ["autoscaling:PutScalingPolicy", ASG, ownPr],
    ["autoscaling:DescribePolicies", "*"],
    ["autoscaling:DeletePolicy", ASG, ownPr],
    ["cloudwatch:PutMetricAlarm", `arn:aws:cloudwatch:${R}:${A}:alarm:TargetTracking-seedstack-pr-12-web-20250131-AlarmHigh-1a2b`],
    ["cloudwatch:DeleteAlarms", `arn:aws:cloudwatch:${R}:${A}:alarm:TargetTracking-seedstack-pr-12-web-20250131-AlarmLow-3c4d`],
    ["cloudwatch:DescribeAlarms", "*"],
  ],
  aws_autoscaling_attachment: [
    ["autoscaling:AttachLoadBalancerTargetGroups", ASG, ownPr],
    ["autoscaling:DetachLoadBalancerTargetGroups", ASG, ownPr],
    ["autoscaling:AttachTrafficSources", ASG, ownPr],
    ["autoscaling:DetachTrafficSources", ASG, ownPr],
    ["autoscaling:DescribeLoadBalancerTargetGroups", "*"],
    ["autoscaling:DescribeTrafficSources", "*"],
  ],
  aws_db_subnet_group: lifecycle(rds("subgrp:seedstack-pr-12-db-2025"), ["rds:CreateDBSubnetGroup", "rds:AddTagsToResource"], ["rds:DescribeDBSubnetGroups", "rds:ListTagsForResource", "rds:ModifyDBSubnetGroup", "rds:DeleteDBSubnetGroup"]),
  aws_db_parameter_group: lifecycle(rds("pg:seedstack-pr-12-pg-2025"), ["rds:CreateDBParameterGroup", "rds:AddTagsToResource"], ["rds:DescribeDBParameterGroups", "rds:DescribeDBParameters", "rds:ModifyDBParameterGroup", "rds:DeleteDBParameterGroup"]),
  aws_db_instance: [
    ...lifecycle(rds("db:seedstack-pr-12-db-2025"), ["rds:CreateDBInstance", "rds:AddTagsToResource"], ["rds:DescribeDBInstances", "rds:ListTagsForResource", "rds:ModifyDBInstance", "rds:RebootDBInstance", "rds:DeleteDBInstance"]),
    ["rds:CreateDBInstance", rds("subgrp:seedstack-pr-12-db-2025"), ownPrRetagged],
    ["rds:CreateDBInstance", rds("pg:seedstack-pr-12-pg-2025"), ownPrRetagged],
    ["rds:CreateDBInstance", rds("og:default:postgres-16"), created],
    ["secretsmanager:CreateSecret", `arn:aws:secretsmanager:${R}:${A}:secret:rds!db-0a1b2c3d-AbCdEf`],
    ["secretsmanager:TagResource", `arn:aws:secretsmanager:${R}:${A}:secret:rds!db-0a1b2c3d-AbCdEf`],
    ["secretsmanager:DeleteSecret", `arn:aws:secretsmanager:${R}:${A}:secret:rds!db-0a1b2c3d-AbCdEf`],
    ["kms:DescribeKey", `arn:aws:kms:${R}:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`],
    ["iam:CreateServiceLinkedRole", `arn:aws:iam::${A}:role/aws-service-role/rds.amazonaws.com/AWSServiceRoleForRDS`, { "iam:AWSServiceName": "rds.amazonaws.com" }],
  ],
  aws_iam_role: [
    ["iam:CreateRole", ROLE, { ...withBoundary, ...created }],
    ["iam:TagRole", ROLE, created],
    ...["iam:GetRole", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies", "iam:ListInstanceProfilesForRole", "iam:UpdateAssumeRolePolicy", "iam:DeleteRole"].map((a): Call => [a, ROLE]),
  ],
  aws_iam_role_policy: [["iam:PutRolePolicy", ROLE, withBoundary], ["iam:GetRolePolicy", ROLE], ["iam:DeleteRolePolicy", ROLE, withBoundary]],
  aws_iam_role_policy_attachment: [
    ["iam:AttachRolePolicy", ROLE, { ...withBoundary, "iam:PolicyARN": "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore" }],
    ["iam:DetachRolePolicy", ROLE, { ...withBoundary, "iam:PolicyARN": "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore" }],
    ["iam:ListAttachedRolePolicies", ROLE],
  ],
  aws_iam_instance_profile: [
    ...["iam:CreateInstanceProfile", "iam:TagInstanceProfile", "iam:AddRoleToInstanceProfile", "iam:GetInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:DeleteInstanceProfile"].map((a): Call => [a, PROFILE]),
    ["iam:PassRole", ROLE, { "iam:PassedToService": "ec2.amazonaws.com" }],
  ],
  aws_s3_bucket: [...["s3:CreateBucket", "s3:PutBucketTagging", ...BUCKET_READS, "s3:ListBucketVersions", "s3:DeleteBucket"].map((a): Call => [a, BUCKET]), ["s3:DeleteObjectVersion", `${BUCKET}/bundle/seed-server-0a1b.mjs`]],
  aws_s3_bucket_lifecycle_configuration: [["s3:PutLifecycleConfiguration", BUCKET], ["s3:GetLifecycleConfiguration", BUCKET]],
  aws_s3_bucket_ownership_controls: [["s3:PutBucketOwnershipControls", BUCKET], ["s3:GetBucketOwnershipControls", BUCKET]],
  aws_s3_bucket_policy: [["s3:PutBucketPolicy", BUCKET], ["s3:GetBucketPolicy", BUCKET], ["s3:DeleteBucketPolicy", BUCKET]],
  aws_s3_bucket_public_access_block: [["s3:PutBucketPublicAccessBlock", BUCKET], ["s3:GetBucketPublicAccessBlock", BUCKET]],
  aws_s3_bucket_server_side_encryption_configuration: [["s3:PutEncryptionConfiguration", BUCKET], ["s3:GetEncryptionConfiguration", BUCKET]],
  aws_s3_bucket_versioning: [["s3:PutBucketVersioning", BUCKET], ["s3:GetBucketVersioning", BUCKET]],
  aws_s3_object: ["s3:PutObject", "s3:PutObjectTagging", "s3:GetObject", "s3:GetObjectTagging", "s3:DeleteObject"].map((a): Call => [a, `${BUCKET}/bundle/seed-server-0a1b.mjs`]),
  // self-signed: imported; acm-dns: requested.
  aws_acm_certificate: lifecycle(CERT, ["acm:ImportCertificate", "acm:RequestCertificate", "acm:AddTagsToCertificate"], ["acm:DescribeCertificate", "acm:GetCertificate", "acm:ListTagsForCertificate", "acm:AddTagsToCertificate", "acm:RemoveTagsFromCertificate", "acm:DeleteCertificate"]),
  aws_acm_certificate_validation: [["acm:DescribeCertificate", CERT, ownPr]],
  aws_route53_record: [
    ["route53:ChangeResourceRecordSets", ZONE, { "route53:ChangeResourceRecordSetsNormalizedRecordNames": ["pr-12.seed.example.com"] }],
    ["route53:ChangeResourceRecordSets", ZONE, { "route53:ChangeResourceRecordSetsNormalizedRecordNames": ["_0a1b2c3d4e5f.pr-12.seed.example.com"] }],
    ["route53:ListResourceRecordSets", ZONE],
    ["route53:GetHostedZone", ZONE],
    ["route53:GetChange", "arn:aws:route53:::change/C2682N5HXP0BZ4"],
  ],
  // Data sources
  aws_availability_zones: [["ec2:DescribeAvailabilityZones", "*"]],
  aws_ec2_instance_type_offerings: [["ec2:DescribeInstanceTypeOfferings", "*"]],
  aws_ssm_parameter: [["ssm:GetParameter", `arn:aws:ssm:${R}::parameter/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64`]],
  // An existing VPC (stacks/existing-vpc.test.ts): the aws_vpc, aws_subnet and aws_vpc_endpoint
  // data sources read with the calls of those rows; creates in the shared VPC are in ci-policies-existing-vpc.test.ts.
  aws_subnets: [["ec2:DescribeSubnets", "*"]],
  aws_prefix_list: [["ec2:DescribePrefixLists", "*"]],
  // Without NAT, the check that the private subnets' route tables route S3 (modules/s3-route-check.ts).
  aws_route_tables: [["ec2:DescribeRouteTables", "*"]],
  aws_partition: [],
  aws_region: [],
  // The state (S3 backend with its lock file).
  "backend s3": [
    ["s3:ListBucket", "arn:aws:s3:::acme-terraform-state", { "s3:prefix": "seedstack/pr-12/terraform.tfstate" }],
    ["s3:ListBucket", "arn:aws:s3:::acme-terraform-state", { "s3:prefix": "env:/" }],
    ...["s3:GetObject", "s3:PutObject", "s3:DeleteObject"].flatMap((a): Call[] => [
      [a, "arn:aws:s3:::acme-terraform-state/seedstack/pr-12/terraform.tfstate"],
      [a, "arn:aws:s3:::acme-terraform-state/seedstack/pr-12/terraform.tfstate.tflock"],
    ]),
  ],
};

/** Resources with no AWS calls of their own (hashicorp/tls, computed locally). */
const NOT_AWS = new Set(["tls_private_key", "tls_self_signed_cert"]);

const existing = synthBootstrap(BOOTSTRAP_EXISTING);
const fresh = synthBootstrap(BOOTSTRAP_NEW);

function req([action, resource, context]: Call): IamRequest {
  return { action, resource, ...(context ? { context } : {}) };
}

function denied(statements: readonly DocStatement[], calls: readonly Call[]): string[] {
  return calls.filter((c) => decide(statements, req(c)) === "deny").map((c) => `${c[0]} on ${c[1]} ${JSON.stringify(c[2] ?? {})}`);
}

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
