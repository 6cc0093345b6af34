/**
 * The pull-request role's EC2 statements: VPC, subnets, routes, security groups, endpoints,
 * instances, launch templates.
 *
 * A create is allowed only on the resource type it creates (`CreateSubnet` on `subnet/*`, the rule
 * of `AuthorizeSecurityGroupIngress` on `security-group-rule/*`), tagged `Stack=pr-*` in the
 * request. Every other resource a create names (a new subnet's VPC, a rule's group, an instance's
 * subnet) must already be the pull request's (`aws:ResourceTag/Stack=pr-*`), or be the shared VPC
 * and its server subnets (ci-policy-shared-vpc.ts). "Untagged" alone never suffices for them: an
 * untagged VPC, subnet or group is someone else's (the default VPC, a shared VPC, another team's).
 */
import {
  allow,
  ec2Arn,
  notYetTagged,
  requestTagged,
  resourceTagged,
  retagsOnlyToPr,
  type CiPolicyContext,
  type PolicyPart,
} from "./ci-policy-parts.js";
import { sharedVpcStatements } from "./ci-policy-shared-vpc.js";

/** The creates that build a pull request's own VPC, by the resource type each creates. */
const OWN_NETWORK_CREATES: Readonly<Record<string, readonly string[]>> = {
  vpc: ["ec2:CreateVpc"],
  subnet: ["ec2:CreateSubnet"],
  "internet-gateway": ["ec2:CreateInternetGateway"],
  "route-table": ["ec2:CreateRouteTable"],
  "vpc-endpoint": ["ec2:CreateVpcEndpoint"],
};

/** The creates of the servers and their groups, wherever the VPC comes from, by the resource type each creates. */
const SERVER_CREATES: Readonly<Record<string, readonly string[]>> = {
  "security-group": ["ec2:CreateSecurityGroup"],
  // hashicorp/aws 5.100 tags rules on create: AuthorizeSecurityGroupIngress/Egress with a
  // TagSpecification for `security-group-rule` (aws_vpc_security_group_*_rule). The group itself
  // is authorized too, and must be the pull request's.
  "security-group-rule": ["ec2:AuthorizeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupEgress"],
  "launch-template": ["ec2:CreateLaunchTemplate"],
  instance: ["ec2:RunInstances"],
};

/** Changes and deletes of a PR's own EC2 resources (with the creates, for their tagged parents: the VPC of a new subnet). */
const EC2_CHANGES = [
  "ec2:CreateTags",
  "ec2:DeleteTags",
  "ec2:ModifyVpcAttribute",
  "ec2:DeleteVpc",
  "ec2:ModifySubnetAttribute",
  "ec2:DeleteSubnet",
  "ec2:AttachInternetGateway",
  "ec2:DetachInternetGateway",
  "ec2:DeleteInternetGateway",
  "ec2:CreateRoute",
  "ec2:ReplaceRoute",
  "ec2:DeleteRoute",
  "ec2:AssociateRouteTable",
  "ec2:DisassociateRouteTable",
  "ec2:DeleteRouteTable",
  "ec2:ModifyVpcEndpoint",
  "ec2:DeleteVpcEndpoints",
  "ec2:RevokeSecurityGroupIngress",
  "ec2:RevokeSecurityGroupEgress",
  "ec2:ModifySecurityGroupRules",
  "ec2:UpdateSecurityGroupRuleDescriptionsIngress",
  "ec2:UpdateSecurityGroupRuleDescriptionsEgress",
  "ec2:DeleteSecurityGroup",
  "ec2:CreateLaunchTemplateVersion",
  "ec2:ModifyLaunchTemplate",
  "ec2:DeleteLaunchTemplate",
  "ec2:ModifyInstanceAttribute",
  "ec2:ModifyInstanceMetadataOptions",
  "ec2:StopInstances",
  "ec2:StartInstances",
  "ec2:TerminateInstances",
];

/** `security-group-rule` -> `SecurityGroupRule`, for statement IDs (letters and digits only). */
function pascal(resourceType: string): string {
  return resourceType.split("-").map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join("");
}

/**
 * The EC2 part of the pull-request role's policy. With `ctx.sharedVpc` the role builds no network
 * of its own (no VPC, subnet, gateway, route table or endpoint), never adopts an untagged security
 * group, and is denied network changes in the shared VPC.
 */
export function ec2Policy(ctx: CiPolicyContext): PolicyPart {
  const creates = { ...(ctx.sharedVpc ? {} : OWN_NETWORK_CREATES), ...SERVER_CREATES };
  const createActions = Object.values(creates).flat();
  const any = ec2Arn(ctx, "*/*");
  const statements = [
    // EC2 has no resource-level permissions for Describe*.
    allow("Ec2Describe", ["ec2:Describe*"], ["*"]),
    // One statement per created type: a statement allows each of its actions on each of its
    // resources, so one list of all creates and all types would let `CreateSubnet` pass on an untagged VPC.
    ...Object.entries(creates).map(([type, actions]) => allow(`Ec2New${pascal(type)}`, [...actions], [ec2Arn(ctx, `${type}/*`)], [requestTagged, notYetTagged])),
    allow("Ec2TagOnCreate", ["ec2:CreateTags"], [any], [requestTagged, { test: "StringEquals", variable: "ec2:CreateAction", values: createActions.map((a) => a.slice("ec2:".length)) }]),
    allow("Ec2ChangePrResources", [...createActions, ...EC2_CHANGES], [any], [resourceTagged, retagsOnlyToPr]),
    // RunInstances also authorizes the image (public Amazon Linux, owned by Amazon) and the parts
    // it creates untagged inside a tagged instance: its network interface and root volume.
    allow("Ec2RunAmazonImages", ["ec2:RunInstances"], [`arn:${ctx.partition}:ec2:${ctx.region}::image/*`], [{ test: "StringEquals", variable: "ec2:Owner", values: ["amazon"] }]),
    allow("Ec2RunInstanceParts", ["ec2:RunInstances"], [ec2Arn(ctx, "network-interface/*"), ec2Arn(ctx, "volume/*")]),
    // aws_default_security_group adopts the PR's new VPC's default group, which AWS creates
    // untagged: it may be tagged into a PR (then the change statement applies), never out of
    // another stack. IAM cannot tell that group from any other untagged one, so a shared VPC (its
    // owner's groups are untagged) goes without: seedstack leaves an existing VPC's default group alone.
    ...(ctx.sharedVpc ? sharedVpcStatements(ctx, ctx.sharedVpc) : [allow("Ec2AdoptUntaggedDefaultGroup", ["ec2:CreateTags"], [ec2Arn(ctx, "security-group/*")], [requestTagged, notYetTagged])]),
    // The AMI lookup: the public parameter only.
    allow("SsmPublicAmiParameter", ["ssm:GetParameter", "ssm:GetParameters"], [`arn:${ctx.partition}:ssm:${ctx.region}::parameter/aws/service/ami-amazon-linux-latest/*`]),
  ];
  return {
    name: "ec2",
    description: "seedstack pull-request environments: VPC, subnets, routes, security groups, endpoints, instances, launch templates",
    statements,
  };
}
