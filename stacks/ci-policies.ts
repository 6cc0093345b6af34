/**
 * What the CI roles of the bootstrap stack may do, as IAM policy statements (rendered by
 * `aws_iam_policy_document` data sources in bootstrap-stack.ts, the terraform-aws-modules way, so
 * they can be read and checked: stacks/ci-policies.test.ts evaluates them). The EC2 part is
 * ci-policy-ec2.ts.
 *
 * The pull-request role may plan, apply and destroy pull-request environments and nothing else:
 * - creates carry the tag `Stack=pr-*` (`aws:RequestTag`); changes and deletes need it on the
 *   resource (`aws:ResourceTag`), so the long-lived `classic`/`autoscaled` stacks (`Stack=classic`)
 *   are out of reach, their tags included;
 * - names where a service has no tag conditions: S3 artifact buckets `<prefix>-pr-*`, IAM roles
 *   and instance profiles `<prefix>-pr-*`, state keys `<prefix>/pr-*` (the long-lived stacks'
 *   state holds TLS private keys), Route 53 records `pr-*.<domain>`;
 * - roles only with the permissions boundary attached (`iam:PermissionsBoundary`), never a change
 *   to the boundary policy or its removal from a role: a role a pull request creates can do at
 *   most what the boundary allows (read bundles and RDS secrets, Session Manager);
 * - in a shared VPC (`sharedVpc`), only its own security groups and servers (ci-policy-shared-vpc.ts).
 * Reads (`Describe*`) are unscoped where AWS offers no resource-level permissions for them.
 *
 * Every action is one terraform's AWS provider calls for a resource type the PR stacks synthesize
 * (the table in ci-policies.test.ts), or one the lifecycle calls (the drill stops and starts an
 * instance). `tag:GetResources` is the sweeper's alone (its orphan report).
 */
import { allow, notYetTagged, requestTagged, resourceTagged, retagsOnlyToPr, type CiPolicyContext, type PolicyPart, type Statement } from "./ci-policy-parts.js";
import { ec2Policy } from "./ci-policy-ec2.js";

export { PR_STACK_PATTERN, STACK_TAG, type CiPolicyContext, type PolicyPart, type SharedVpcScope } from "./ci-policy-parts.js";

// ---- Load balancing, Auto Scaling, CloudWatch alarms, RDS, ACM, Route 53 ---------------------

const ELB_CREATES = ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup", "elasticloadbalancing:CreateListener"];
const ASG_CREATES = ["autoscaling:CreateAutoScalingGroup"];
const RDS_CREATES = ["rds:CreateDBInstance", "rds:CreateDBSubnetGroup", "rds:CreateDBParameterGroup"];
const ACM_CREATES = ["acm:ImportCertificate", "acm:RequestCertificate"];

function services(ctx: CiPolicyContext): PolicyPart {
  const { partition: p, region: r, account: a } = ctx;
  const elb = [`arn:${p}:elasticloadbalancing:${r}:${a}:loadbalancer/*`, `arn:${p}:elasticloadbalancing:${r}:${a}:targetgroup/*`, `arn:${p}:elasticloadbalancing:${r}:${a}:listener/*`];
  const asg = [`arn:${p}:autoscaling:${r}:${a}:autoScalingGroup:*`];
  const rds = [`arn:${p}:rds:${r}:${a}:db:*`, `arn:${p}:rds:${r}:${a}:subgrp:*`, `arn:${p}:rds:${r}:${a}:pg:*`];
  const acm = [`arn:${p}:acm:${r}:${a}:certificate/*`];
  const statements: Statement[] = [
    allow("Describe", ["elasticloadbalancing:Describe*", "autoscaling:Describe*", "rds:Describe*", "rds:ListTagsForResource", "cloudwatch:DescribeAlarms"], ["*"]),
    allow("CreateTaggedForPr", [...ELB_CREATES, "elasticloadbalancing:AddTags", ...ASG_CREATES, "autoscaling:CreateOrUpdateTags", ...RDS_CREATES, "rds:AddTagsToResource", ...ACM_CREATES, "acm:AddTagsToCertificate"], [...elb, ...asg, ...rds, ...acm], [requestTagged, notYetTagged]),
    allow(
      "ChangePrResources",
      [
        ...ELB_CREATES,
        "elasticloadbalancing:AddTags",
        "elasticloadbalancing:RemoveTags",
        "elasticloadbalancing:ModifyLoadBalancerAttributes",
        "elasticloadbalancing:SetSecurityGroups",
        "elasticloadbalancing:SetSubnets",
        "elasticloadbalancing:DeleteLoadBalancer",
        "elasticloadbalancing:ModifyListener",
        "elasticloadbalancing:ModifyListenerAttributes",
        "elasticloadbalancing:DeleteListener",
        "elasticloadbalancing:ModifyTargetGroup",
        "elasticloadbalancing:ModifyTargetGroupAttributes",
        "elasticloadbalancing:DeleteTargetGroup",
        "elasticloadbalancing:RegisterTargets",
        "elasticloadbalancing:DeregisterTargets",
        "autoscaling:CreateOrUpdateTags",
        "autoscaling:DeleteTags",
        "autoscaling:UpdateAutoScalingGroup",
        "autoscaling:DeleteAutoScalingGroup",
        "autoscaling:PutScalingPolicy",
        "autoscaling:DeletePolicy",
        "autoscaling:AttachLoadBalancerTargetGroups",
        "autoscaling:DetachLoadBalancerTargetGroups",
        "autoscaling:AttachTrafficSources",
        "autoscaling:DetachTrafficSources",
        "autoscaling:SetDesiredCapacity",
        "autoscaling:SuspendProcesses",
        "autoscaling:ResumeProcesses",
        ...RDS_CREATES,
        "rds:AddTagsToResource",
        "rds:RemoveTagsFromResource",
        "rds:ModifyDBInstance",
        "rds:RebootDBInstance",
        "rds:DeleteDBInstance",
        "rds:ModifyDBSubnetGroup",
        "rds:DeleteDBSubnetGroup",
        "rds:ModifyDBParameterGroup",
        "rds:ResetDBParameterGroup",
        "rds:DeleteDBParameterGroup",
        "acm:AddTagsToCertificate",
        "acm:RemoveTagsFromCertificate",
        "acm:ImportCertificate",
        "acm:DeleteCertificate",
      ],
      [...elb, ...asg, ...rds, ...acm],
      [resourceTagged, retagsOnlyToPr],
    ),
    // Untagged parts a tagged create refers to: a new listener's certificate, the default option group.
    allow("CreateDbWithDefaultOptionGroup", ["rds:CreateDBInstance"], [`arn:${p}:rds:${r}:${a}:og:default:*`]),
    // Read the PR's certificates (an imported one's body too), tagged or about to be.
    allow("AcmRead", ["acm:DescribeCertificate", "acm:GetCertificate", "acm:ListTagsForCertificate"], acm),
    // Target tracking's two alarms, named by AWS after the group (`TargetTracking-<group>-AlarmHigh-...`).
    allow("TargetTrackingAlarms", ["cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms"], [`arn:${p}:cloudwatch:${r}:${a}:alarm:TargetTracking-${ctx.namePrefix}-pr-*`]),
    // RDS-managed master password: RDS creates and deletes the secret with the caller's rights.
    allow("RdsManagedSecret", ["secretsmanager:CreateSecret", "secretsmanager:TagResource", "secretsmanager:DeleteSecret", "secretsmanager:DescribeSecret"], [`arn:${p}:secretsmanager:${r}:${a}:secret:rds!*`]),
    allow("RdsManagedSecretKey", ["kms:DescribeKey"], [`arn:${p}:kms:${r}:${a}:key/*`]),
    // The first load balancer, group or database of an account creates its service-linked role.
    allow("ServiceLinkedRoles", ["iam:CreateServiceLinkedRole"], [`arn:${p}:iam::${a}:role/aws-service-role/*`], [
      { test: "StringEquals", variable: "iam:AWSServiceName", values: ["elasticloadbalancing.amazonaws.com", "autoscaling.amazonaws.com", "rds.amazonaws.com"] },
    ]),
  ];
  if (ctx.dns) {
    const zone = `arn:${p}:route53:::hostedzone/${ctx.dns.hostedZoneId}`;
    statements.push(
      allow("Route53Read", ["route53:GetHostedZone", "route53:ListResourceRecordSets", "route53:ListTagsForResource"], [zone]),
      allow("Route53Changes", ["route53:GetChange"], [`arn:${p}:route53:::change/*`]),
      // Only the PR's own names: `pr-<n>.<domain>` and its certificate's `_<token>.pr-<n>.<domain>`.
      allow("Route53PrRecords", ["route53:ChangeResourceRecordSets"], [zone], [
        { test: "ForAllValues:StringLike", variable: "route53:ChangeResourceRecordSetsNormalizedRecordNames", values: [`pr-*.${ctx.dns.domain}`, `_*.pr-*.${ctx.dns.domain}`] },
      ]),
    );
  }
  return { name: "services", description: "seedstack pull-request environments: load balancers, Auto Scaling, RDS, ACM, Route 53", statements };
}

// ---- IAM roles of the servers, S3 artifact buckets, state, and the boundary's protection ------

/** Role writes that must carry the permissions boundary (the actions that accept `iam:PermissionsBoundary`). */
export const BOUNDED_ROLE_WRITES = [
  "iam:CreateRole",
  "iam:PutRolePolicy",
  "iam:DeleteRolePolicy",
  "iam:AttachRolePolicy",
  "iam:DetachRolePolicy",
  "iam:PutRolePermissionsBoundary",
];

/** What may be done to the boundary policy itself: nothing (these are denied). */
export const BOUNDARY_POLICY_WRITES = [
  "iam:CreatePolicyVersion",
  "iam:DeletePolicyVersion",
  "iam:SetDefaultPolicyVersion",
  "iam:DeletePolicy",
  "iam:TagPolicy",
  "iam:UntagPolicy",
];

function iamAndState(ctx: CiPolicyContext): PolicyPart {
  const { partition: p, account: a, namePrefix } = ctx;
  const roles = `arn:${p}:iam::${a}:role/${namePrefix}-pr-*`;
  const profiles = `arn:${p}:iam::${a}:instance-profile/${namePrefix}-pr-*`;
  const buckets = `arn:${p}:s3:::${namePrefix}-pr-*`;
  const stateKeys = `${ctx.stateBucketArn}/${namePrefix}/pr-*`;
  const boundary = { test: "StringEquals", variable: "iam:PermissionsBoundary", values: [ctx.boundaryArn] };
  const statements: Statement[] = [
    allow("ReadPrRoles", ["iam:GetRole", "iam:GetRolePolicy", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies", "iam:ListInstanceProfilesForRole", "iam:GetInstanceProfile"], [roles, profiles]),
    allow("RoleWritesOnlyWithBoundary", BOUNDED_ROLE_WRITES.filter((x) => x !== "iam:AttachRolePolicy" && x !== "iam:DetachRolePolicy"), [roles], [boundary]),
    // The one managed policy the servers use (Session Manager), and only with the boundary.
    allow("AttachOnlySessionManagerPolicy", ["iam:AttachRolePolicy", "iam:DetachRolePolicy"], [roles], [
      boundary,
      { test: "ArnEquals", variable: "iam:PolicyARN", values: [`arn:${p}:iam::aws:policy/AmazonSSMManagedInstanceCore`] },
    ]),
    allow("ManagePrRoles", ["iam:DeleteRole", "iam:TagRole", "iam:UntagRole", "iam:UpdateRole", "iam:UpdateRoleDescription", "iam:UpdateAssumeRolePolicy"], [roles]),
    allow("ManagePrInstanceProfiles", ["iam:CreateInstanceProfile", "iam:DeleteInstanceProfile", "iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:TagInstanceProfile", "iam:UntagInstanceProfile"], [profiles]),
    allow("PassPrRolesToEc2", ["iam:PassRole"], [roles], [{ test: "StringEquals", variable: "iam:PassedToService", values: ["ec2.amazonaws.com"] }]),
    allow(
      "PrArtifactBuckets",
      [
        "s3:CreateBucket",
        "s3:DeleteBucket",
        "s3:ListBucket",
        "s3:ListBucketVersions",
        "s3:GetBucket*",
        "s3:GetAccelerateConfiguration",
        "s3:GetEncryptionConfiguration",
        "s3:GetLifecycleConfiguration",
        "s3:GetReplicationConfiguration",
        "s3:PutBucketTagging",
        "s3:PutBucketVersioning",
        "s3:PutEncryptionConfiguration",
        "s3:PutLifecycleConfiguration",
        "s3:PutBucketPolicy",
        "s3:DeleteBucketPolicy",
        "s3:PutBucketPublicAccessBlock",
        "s3:PutBucketOwnershipControls",
      ],
      [buckets],
    ),
    allow("PrArtifactObjects", ["s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectTagging", "s3:PutObject", "s3:PutObjectTagging", "s3:DeleteObject", "s3:DeleteObjectVersion"], [`${buckets}/*`]),
    // State: the PR environments' keys only (`<prefix>/pr-<n>/terraform.tfstate` and its lock file).
    // `env:/` is where the S3 backend looks for other workspaces during init: key names only.
    allow("ListPrState", ["s3:ListBucket"], [ctx.stateBucketArn], [{ test: "StringLike", variable: "s3:prefix", values: [`${namePrefix}/pr-*`, "env:/*"] }]),
    allow("PrState", ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], [stateKeys]),
    // Belt and braces: explicit denies win over any allow a later edit might add.
    { sid: "DenyRoleWritesWithoutBoundary", effect: "Deny", actions: BOUNDED_ROLE_WRITES, resources: ["*"], condition: [{ test: "StringNotEquals", variable: "iam:PermissionsBoundary", values: [ctx.boundaryArn] }] },
    { sid: "DenyBoundaryRemoval", effect: "Deny", actions: ["iam:DeleteRolePermissionsBoundary", "iam:DeleteUserPermissionsBoundary"], resources: ["*"] },
    { sid: "DenyBoundaryPolicyChanges", effect: "Deny", actions: BOUNDARY_POLICY_WRITES, resources: [ctx.boundaryArn] },
  ];
  if (ctx.lockTableArn !== undefined) {
    statements.push(
      allow("PrStateLocks", ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:DescribeTable"], [ctx.lockTableArn], [
        { test: "ForAllValues:StringLike", variable: "dynamodb:LeadingKeys", values: [`*/${namePrefix}/pr-*`] },
      ]),
    );
  }
  return { name: "iam-s3-state", description: "seedstack pull-request environments: server roles (with the boundary only), artifact buckets, state", statements };
}

/** The pull-request role's policies (the sweeper's too: it destroys what pull requests deployed). */
export function pullRequestPolicies(ctx: CiPolicyContext): PolicyPart[] {
  return [ec2Policy(ctx), services(ctx), iamAndState(ctx)];
}

/** What the sweeper needs on top of destroying: list PR state, and the orphan report's tag search. */
export function sweeperPolicy(ctx: CiPolicyContext): PolicyPart {
  return {
    name: "sweeper",
    description: "seedstack sweeper: list pull-request state and find resources tagged for pull requests",
    statements: [
      allow("ListPrState", ["s3:ListBucket"], [ctx.stateBucketArn], [{ test: "StringLike", variable: "s3:prefix", values: [`${ctx.namePrefix}/pr-*`] }]),
      // The Resource Groups Tagging API has no resource-level permissions.
      allow("FindTaggedResources", ["tag:GetResources"], ["*"]),
    ],
  };
}

/**
 * The permissions boundary: the most any role the stacks create can ever do, whatever policy it
 * is given. The web servers need to read their bundle and their database's RDS-managed secret,
 * and Session Manager's messages. The state bucket is denied outright.
 */
export function boundaryPolicy(ctx: CiPolicyContext): PolicyPart {
  const { partition: p, region: r, account: a } = ctx;
  return {
    name: "boundary",
    description: "seedstack permissions boundary: the most a role the stacks create may do",
    statements: [
      allow("ReadSeedServerBundles", ["s3:GetObject"], [`arn:${p}:s3:::${ctx.namePrefix}-*-artifacts-*/*`]),
      allow("ReadRdsManagedSecrets", ["secretsmanager:GetSecretValue"], [`arn:${p}:secretsmanager:${r}:${a}:secret:rds!*`]),
      allow(
        "SessionManager",
        [
          "ssm:UpdateInstanceInformation",
          "ssm:ListInstanceAssociations",
          "ssm:DescribeAssociation",
          "ssm:UpdateInstanceAssociationStatus",
          "ssmmessages:CreateControlChannel",
          "ssmmessages:CreateDataChannel",
          "ssmmessages:OpenControlChannel",
          "ssmmessages:OpenDataChannel",
          "ec2messages:AcknowledgeMessage",
          "ec2messages:DeleteMessage",
          "ec2messages:FailMessage",
          "ec2messages:GetEndpoint",
          "ec2messages:GetMessages",
          "ec2messages:SendReply",
        ],
        ["*"],
      ),
      { sid: "DenyState", effect: "Deny", actions: ["s3:*"], resources: [ctx.stateBucketArn, `${ctx.stateBucketArn}/*`] },
    ],
  };
}
