/**
 * What every part of the CI roles' policies (ci-policies.ts, ci-policy-ec2.ts,
 * ci-policy-shared-vpc.ts) is built from: where the policies apply, one managed policy's worth of
 * statements, and the tag conditions that scope a pull request to its own resources.
 */
import type { DataAwsIamPolicyDocumentStatement, DataAwsIamPolicyDocumentStatementCondition } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document/index.js";
import type { SubnetSelection, VpcSelection } from "../modules/network-selection.js";

/** The tag every seedstack resource carries with its stack's name (environment.ts). */
export const STACK_TAG = "Stack";
/** `Stack` values of pull-request environments. */
export const PR_STACK_PATTERN = "pr-*";

/** The existing VPC pull-request stacks are placed in (SEEDSTACK_VPC_*), as far as IAM can name it. */
export interface SharedVpcScope {
  /** The VPC, by ID or by the tags that select it. */
  readonly vpc: VpcSelection;
  /** The subnets the servers launch into (the private ones), by IDs or by tags. */
  readonly serverSubnets: SubnetSelection;
}

/** Where the policies apply: plain strings or Terraform references (tokens). */
export interface CiPolicyContext {
  /** `aws`, `aws-cn`, ... */
  readonly partition: string;
  /** The account ID. */
  readonly account: string;
  /** The region the stacks deploy to. */
  readonly region: string;
  /** SEEDSTACK_NAME_PREFIX: resource names start `<prefix>-pr-`, state keys `<prefix>/pr-`. */
  readonly namePrefix: string;
  /** ARN of the state bucket. */
  readonly stateBucketArn: string;
  /** ARN of the permissions boundary policy. */
  readonly boundaryArn: string;
  /** ARN of a DynamoDB lock table (SEEDSTACK_STATE_LOCK_TABLE); absent: the S3 lock file. */
  readonly lockTableArn?: string;
  /** Hosted zone and domain of acm-dns; absent: no Route 53 statements. */
  readonly dns?: { readonly hostedZoneId: string; readonly domain: string };
  /**
   * The existing VPC pull-request stacks share; absent: each pull request builds a VPC of its own
   * (and may then adopt that VPC's untagged default security group).
   */
  readonly sharedVpc?: SharedVpcScope;
}

/** One managed policy's worth of statements (IAM allows 6,144 characters per managed policy). */
export interface PolicyPart {
  /** Last part of the policy's name (`<prefix>-ci-<part>`). */
  readonly name: string;
  /** What it is for. */
  readonly description: string;
  /** The statements, as the aws_iam_policy_document data source takes them. */
  readonly statements: DataAwsIamPolicyDocumentStatement[];
}

/** One statement of a policy document. */
export type Statement = DataAwsIamPolicyDocumentStatement;
/** One condition of a statement. */
export type Condition = DataAwsIamPolicyDocumentStatementCondition;

/** A create's request carries `Stack=pr-*` (provider default_tags). */
export const requestTagged: Condition = { test: "StringLike", variable: `aws:RequestTag/${STACK_TAG}`, values: [PR_STACK_PATTERN] };
/** The resource is a pull request's: tagged `Stack=pr-*`. */
export const resourceTagged: Condition = { test: "StringLike", variable: `aws:ResourceTag/${STACK_TAG}`, values: [PR_STACK_PATTERN] };
/**
 * The resource is being created (or was never tagged): `aws:RequestTag` is request-wide, so without
 * this a create that names an existing resource too (a subnet's VPC, a rule's security group, a
 * listener's load balancer) would pass for a long-lived stack's resource as long as the request
 * carried a PR tag. Only ever paired with the resource type the action creates: "untagged" is also
 * every resource someone else owns (a shared VPC, its subnets, the default VPC).
 */
export const notYetTagged: Condition = { test: "Null", variable: `aws:ResourceTag/${STACK_TAG}`, values: ["true"] };
/** A change that (re)tags may only say `Stack=pr-*`: no moving a resource into a long-lived stack. */
export const retagsOnlyToPr: Condition = { test: "StringLikeIfExists", variable: `aws:RequestTag/${STACK_TAG}`, values: [PR_STACK_PATTERN] };
/** A resource tagged for a stack is a pull request's (untagged passes: a shared VPC carries no Stack tag). */
export const noOtherStack: Condition = { test: "StringLikeIfExists", variable: `aws:ResourceTag/${STACK_TAG}`, values: [PR_STACK_PATTERN] };

/** An Allow statement; conditions all must hold. */
export function allow(sid: string, actions: string[], resources: string[], condition: Condition[] | undefined = undefined): Statement {
  return { sid, effect: "Allow", actions, resources, ...(condition ? { condition } : {}) };
}

/** A Deny statement: explicit denies win over any allow a later edit might add. */
export function deny(sid: string, actions: string[], resources: string[], condition: Condition[] | undefined = undefined): Statement {
  return { sid, effect: "Deny", actions, resources, ...(condition ? { condition } : {}) };
}

/** `aws:ResourceTag/<key>` equals the value, for each tag: the resource carries all of `tags`. */
export function carriesTags(tags: Readonly<Record<string, string>>): Condition[] {
  return Object.entries(tags).map(([key, value]) => ({ test: "StringEquals", variable: `aws:ResourceTag/${key}`, values: [value] }));
}

/** ARN of an EC2 resource (`vpc/vpc-0a1...`, `subnet/*`) in the context's account and region. */
export function ec2Arn(ctx: CiPolicyContext, resource: string): string {
  return `arn:${ctx.partition}:ec2:${ctx.region}:${ctx.account}:${resource}`;
}
