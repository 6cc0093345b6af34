/**
 * Test-only: the calls terraform's AWS provider (hashicorp/aws 5.100) makes for every resource and
 * data source type the pull-request stacks synthesize, each with the resource it authorizes and the
 * condition keys it presents (from the provider's resource documentation and source, and AWS's
 * Service Authorization Reference), for evaluating the bootstrap stack's CI policies
 * (stacks/ci-policies*.test.ts) with test/iam-policy-eval.ts. A table, not AWS.
 */
import { decide, EVAL_ACCOUNT, type DocStatement, type IamRequest } from "./iam-policy-eval.js";

/** The evaluator's account. */
export const A = EVAL_ACCOUNT;
/** The region of every ARN here. */
export const R = "us-east-1";
/** The bootstrap stack's pull-request role (default prefix). */
export const PR_ROLE = "seedstack-github-pull-requests";
/** The bootstrap stack's sweeper role. */
export const SWEEPER_ROLE = "seedstack-github-sweeper";
/** The permissions boundary's ARN. */
export const BOUNDARY = `arn:aws:iam::${A}:policy/seedstack-permissions-boundary`;
/** The state bucket a bootstrap stack with a new bucket creates. */
export const STATE = `arn:aws:s3:::seedstack-tfstate-${A}-${R}`;

/** What a PR create request carries (provider default_tags). */
export const created = { "aws:RequestTag/Stack": "pr-12", "aws:RequestTag/Project": "seedstack" };
/** A resource of pull request 12. */
export const ownPr = { "aws:ResourceTag/Stack": "pr-12" };
/** A PR's resource in a request that carries the PR's tags too. */
export const ownPrRetagged = { ...ownPr, ...created };
/** A resource of the long-lived classic stack. */
export const classic = { "aws:ResourceTag/Stack": "classic" };

/** Condition keys a request presents. */
export type Ctx = Readonly<Record<string, string | readonly string[]>>;
/** One call: action, the resource it authorizes, the keys it presents. */
export type Call = readonly [action: string, resource: string, context?: Ctx];

/** ARNs of EC2, ELB and RDS resources in the test account. */
export const ec2 = (kind: string) => `arn:aws:ec2:${R}:${A}:${kind}`;
export const elb = (kind: string) => `arn:aws:elasticloadbalancing:${R}:${A}:${kind}`;
export const rds = (kind: string) => `arn:aws:rds:${R}:${A}:${kind}`;
/** Sample ARNs of a PR's group, role, profile, bucket, certificate; the acm-dns zone. */
export const ASG = `arn:aws:autoscaling:${R}:${A}:autoScalingGroup:0f1e2d3c-aaaa-bbbb-cccc-0123456789ab:autoScalingGroupName/seedstack-pr-12-asg`;
export const ROLE = `arn:aws:iam::${A}:role/seedstack-pr-12-web-20250131120000000000000001`;
export const PROFILE = `arn:aws:iam::${A}:instance-profile/seedstack-pr-12-web-20250131120000000000000002`;
export const BUCKET = "arn:aws:s3:::seedstack-pr-12-artifacts-20250131120000000000000003";
export const CERT = `arn:aws:acm:${R}:${A}:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d`;
/** A PR's load balancer, its listener and target group (names from `name_prefix`). */
export const LB = elb("loadbalancer/app/seeds-20250131120000000000000004/50dc6c495c0c9188");
export const LISTENER = elb("listener/app/seeds-20250131120000000000000004/50dc6c495c0c9188/f2f7dc8efc522ab2");
export const TARGET_GROUP = elb("targetgroup/seeds-20250131120000000000000005/73e2d6bc24d8a067");
export const ZONE = "arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ";
/** A role write that attaches the boundary. */
export const withBoundary = { "iam:PermissionsBoundary": BOUNDARY };

/** Creating a resource, then reading, changing and deleting it, as a PR's terraform does. */
export function lifecycle(arn: string, creates: string[], manages: string[]): Call[] {
  return [...creates.map((a): Call => [a, arn, created]), ...manages.map((a): Call => [a, arn, ownPrRetagged])];
}

/** The bucket reads aws_s3_bucket makes. */
export const BUCKET_READS = [
  "s3:ListBucket", "s3:GetBucketAcl", "s3:GetBucketCORS", "s3:GetBucketWebsite", "s3:GetBucketVersioning", "s3:GetAccelerateConfiguration",
  "s3:GetBucketRequestPayment", "s3:GetBucketLogging", "s3:GetLifecycleConfiguration", "s3:GetReplicationConfiguration",
  "s3:GetEncryptionConfiguration", "s3:GetBucketObjectLockConfiguration", "s3:GetBucketTagging", "s3:GetBucketPolicy",
];

/**
 * The table: per resource type (and data source) the PR stacks synthesize, the calls terraform
 * makes for it, each with the resource it authorizes and the keys it presents.
 */
export const TERRAFORM_CALLS: Readonly<Record<string, readonly Call[]>> = {
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
  // hashicorp/aws 5.100 tags a rule on create: one AuthorizeSecurityGroupIngress/Egress carrying a
  // TagSpecification for `security-group-rule` (seen in the provider's request to a loopback
  // recorder), authorized on the new rule and on the group, with CreateTags for the rule's tags.
  aws_vpc_security_group_ingress_rule: [
    ["ec2:AuthorizeSecurityGroupIngress", ec2("security-group-rule/sgr-0a1"), created],
    ["ec2:CreateTags", ec2("security-group-rule/sgr-0a1"), { ...created, "ec2:CreateAction": "AuthorizeSecurityGroupIngress" }],
    ["ec2:AuthorizeSecurityGroupIngress", ec2("security-group/sg-0a1"), ownPrRetagged],
    ["ec2:DescribeSecurityGroupRules", "*"],
    ["ec2:ModifySecurityGroupRules", ec2("security-group/sg-0a1"), ownPr],
    ["ec2:RevokeSecurityGroupIngress", ec2("security-group/sg-0a1"), ownPr],
  ],
  aws_vpc_security_group_egress_rule: [
    ["ec2:AuthorizeSecurityGroupEgress", ec2("security-group-rule/sgr-0a2"), created],
    ["ec2:CreateTags", ec2("security-group-rule/sgr-0a2"), { ...created, "ec2:CreateAction": "AuthorizeSecurityGroupEgress" }],
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
  // ELB authorizes tags on create as AddTags with elasticloadbalancing:CreateAction, and
  // CreateListener on the load balancer (the Service Authorization Reference lists no listener resource for it).
  aws_lb: [
    ["elasticloadbalancing:CreateLoadBalancer", LB, created],
    ["elasticloadbalancing:AddTags", LB, { ...created, "elasticloadbalancing:CreateAction": "CreateLoadBalancer" }],
    ...lifecycle(LB, [], ["elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeLoadBalancerAttributes", "elasticloadbalancing:DescribeTags", "elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags", "elasticloadbalancing:ModifyLoadBalancerAttributes", "elasticloadbalancing:SetSecurityGroups", "elasticloadbalancing:DeleteLoadBalancer"]),
  ],
  aws_lb_target_group: [
    ["elasticloadbalancing:CreateTargetGroup", TARGET_GROUP, created],
    ["elasticloadbalancing:AddTags", TARGET_GROUP, { ...created, "elasticloadbalancing:CreateAction": "CreateTargetGroup" }],
    ...lifecycle(TARGET_GROUP, [], ["elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetGroupAttributes", "elasticloadbalancing:ModifyTargetGroup", "elasticloadbalancing:ModifyTargetGroupAttributes", "elasticloadbalancing:DeleteTargetGroup"]),
  ],
  aws_lb_listener: [
    ["elasticloadbalancing:CreateListener", LB, ownPrRetagged],
    ["elasticloadbalancing:AddTags", LISTENER, { ...created, "elasticloadbalancing:CreateAction": "CreateListener" }],
    ...lifecycle(LISTENER, [], ["elasticloadbalancing:DescribeListeners", "elasticloadbalancing:ModifyListener", "elasticloadbalancing:DeleteListener"]),
  ],
  aws_lb_target_group_attachment: [
    ["elasticloadbalancing:RegisterTargets", TARGET_GROUP, ownPr],
    ["elasticloadbalancing:DeregisterTargets", TARGET_GROUP, ownPr],
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
    ["cloudwatch:PutMetricAlarm", `arn:aws:cloudwatch:${R}:${A}:alarm:TargetTracking-seedstack-pr-12-asg-AlarmHigh-1a2b`],
    ["cloudwatch:DeleteAlarms", `arn:aws:cloudwatch:${R}:${A}:alarm:TargetTracking-seedstack-pr-12-asg-AlarmLow-3c4d`],
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
  // self-signed: imported; acm-dns: requested (RequestCertificate has no resource type: `*`). ACM
  // authorizes the tags on create as AddTagsToCertificate on the new certificate. A changed
  // self-signed certificate replaces the ACM one (modules/certificate.ts): no re-import.
  aws_acm_certificate: [
    ["acm:ImportCertificate", CERT, created],
    ["acm:RequestCertificate", "*", { ...created, "acm:DomainNames": ["pr-12.seed.example.com"] }],
    ["acm:AddTagsToCertificate", CERT, created],
    ...lifecycle(CERT, [], ["acm:DescribeCertificate", "acm:GetCertificate", "acm:ListTagsForCertificate", "acm:AddTagsToCertificate", "acm:RemoveTagsFromCertificate", "acm:DeleteCertificate"]),
  ],
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
  // data sources read with the Describe calls of those rows; the calls that name the shared VPC
  // and its subnets are SHARED_VPC_CALLS in stacks/ci-policies-existing-vpc.test.ts.
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
export const NOT_AWS = new Set(["tls_private_key", "tls_self_signed_cert"]);

/** A call as the evaluator takes it. */
export function req([action, resource, context]: Call): IamRequest {
  return { action, resource, ...(context ? { context } : {}) };
}

/** The calls `statements` deny, described for an assertion message. */
export function denied(statements: readonly DocStatement[], calls: readonly Call[]): string[] {
  return calls.filter((c) => decide(statements, req(c)) === "deny").map((c) => `${c[0]} on ${c[1]} ${JSON.stringify(c[2] ?? {})}`);
}
