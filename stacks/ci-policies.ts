/**
 * What the CI roles of the bootstrap stack may do, as IAM policy statements (rendered by
 * `aws_iam_policy_document` data sources in bootstrap-stack.ts, the terraform-aws-modules way, so
 * they can be read and checked: stacks/ci-policies.test.ts evaluates them), one managed policy
 * per part: EC2 (ci-policy-ec2.ts), load balancing and Auto Scaling (ci-policy-load-balancing.ts),
 * RDS, ACM and Route 53 (ci-policy-database-tls.ts), and IAM, S3 and state (here).
 *
 * The pull-request role may plan, apply and destroy pull-request environments and nothing else:
 * - creates carry the tag `Stack=pr-*` (`aws:RequestTag`) and are allowed only on the resource
 *   type they create; whatever else a create names (a subnet's VPC, a listener's load balancer, a
 *   database's subnet group) and every change and delete need the tag on the resource
 *   (`aws:ResourceTag`), so the long-lived `classic`/`autoscaled` stacks (`Stack=classic`) and
 *   untagged resources of others are out of reach, their tags included;
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
import { allow, type CiPolicyContext, type PolicyPart, type Statement } from "./ci-policy-parts.js";
import { ec2Policy } from "./ci-policy-ec2.js";
import { loadBalancingPolicy } from "./ci-policy-load-balancing.js";
import { databaseTlsPolicy } from "./ci-policy-database-tls.js";

export { PR_STACK_PATTERN, STACK_TAG, type CiPolicyContext, type PolicyPart, type SharedVpcScope } from "./ci-policy-parts.js";

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
  return [ec2Policy(ctx), loadBalancingPolicy(ctx), databaseTlsPolicy(ctx), iamAndState(ctx)];
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
