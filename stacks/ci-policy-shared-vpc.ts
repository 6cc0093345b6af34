/**
 * What the pull-request role may do in an existing VPC shared by every pull request
 * (SEEDSTACK_VPC_ID / SEEDSTACK_VPC_TAGS, modules/existing-network.ts): create its own security
 * groups in the VPC and launch its servers into the server (private) subnets; nothing else there.
 * The VPC, its subnets, route tables, gateways, endpoints and default security group are the
 * owner's, untagged by `Stack`, and two pull requests sharing them must not fight over them.
 *
 * How exactly IAM can name them depends on the settings:
 * - VPC by ID: the VPC's ARN; network changes anywhere in it are denied by `ec2:Vpc`.
 * - VPC by tags: any VPC carrying all those tags (IAM has no other handle on a VPC found by tags),
 *   and the network denies apply to the VPC resource itself only. Changes to its subnets and route
 *   tables are still refused: nothing allows them on resources not tagged `Stack=pr-*`.
 * - Server subnets by IDs: exactly those subnets.
 * - Server subnets by tags: any subnet carrying all those tags, in the VPC when it is given by ID,
 *   in the account and region when the VPC is given by tags.
 * A VPC or subnet tagged for a stack must be a pull request's (`Stack=classic` is refused).
 */
import type { SubnetSelection, VpcSelection } from "../modules/network-selection.js";
import { allow, carriesTags, deny, ec2Arn, noOtherStack, type CiPolicyContext, type Condition, type SharedVpcScope, type Statement } from "./ci-policy-parts.js";

/** Writes to the shared VPC resource itself: adding subnets, route tables, endpoints, gateways, ACLs, CIDRs, tags; changing or deleting it. */
export const SHARED_VPC_WRITES = [
  "ec2:CreateSubnet",
  "ec2:CreateRouteTable",
  "ec2:CreateVpcEndpoint",
  "ec2:AttachInternetGateway",
  "ec2:DetachInternetGateway",
  "ec2:CreateNetworkAcl",
  "ec2:AssociateVpcCidrBlock",
  "ec2:ModifyVpcAttribute",
  "ec2:CreateTags",
  "ec2:DeleteTags",
  "ec2:DeleteVpc",
];

/** Network writes to resources inside the shared VPC (subnets, route tables, network ACLs): they present `ec2:Vpc`. */
export const SHARED_VPC_INSIDE_WRITES = [
  "ec2:CreateNatGateway",
  "ec2:CreateVpcEndpoint",
  "ec2:CreateRoute",
  "ec2:ReplaceRoute",
  "ec2:DeleteRoute",
  "ec2:AssociateRouteTable",
  "ec2:DisassociateRouteTable",
  "ec2:ReplaceRouteTableAssociation",
  "ec2:DeleteRouteTable",
  "ec2:ModifySubnetAttribute",
  "ec2:DeleteSubnet",
  "ec2:CreateNetworkAclEntry",
  "ec2:ReplaceNetworkAclEntry",
  "ec2:DeleteNetworkAclEntry",
  "ec2:ReplaceNetworkAclAssociation",
];

/** The shared VPC as IAM sees it: the resources to name and the conditions they must meet. */
function vpcTarget(ctx: CiPolicyContext, vpc: VpcSelection): { resources: string[]; conditions: Condition[] } {
  return "id" in vpc ? { resources: [ec2Arn(ctx, `vpc/${vpc.id}`)], conditions: [] } : { resources: [ec2Arn(ctx, "vpc/*")], conditions: carriesTags(vpc.tags) };
}

/** The server subnets as IAM sees them (in the VPC, when the VPC has an ARN to compare with). */
function subnetTarget(ctx: CiPolicyContext, vpc: VpcSelection, subnets: SubnetSelection): { resources: string[]; conditions: Condition[] } {
  if ("ids" in subnets) return { resources: subnets.ids.map((id) => ec2Arn(ctx, `subnet/${id}`)), conditions: [] };
  const inVpc: Condition[] = "id" in vpc ? [{ test: "ArnEquals", variable: "ec2:Vpc", values: [ec2Arn(ctx, `vpc/${vpc.id}`)] }] : [];
  return { resources: [ec2Arn(ctx, "subnet/*")], conditions: [...carriesTags(subnets.tags), ...inVpc] };
}

/** The statements that replace the own-VPC ones when pull requests share `scope`'s VPC. */
export function sharedVpcStatements(ctx: CiPolicyContext, scope: SharedVpcScope): Statement[] {
  const vpc = vpcTarget(ctx, scope.vpc);
  const subnets = subnetTarget(ctx, scope.vpc, scope.serverSubnets);
  const statements: Statement[] = [
    // The PR's own groups (their new `security-group/*` passes as a create) in the shared VPC.
    allow("Ec2GroupsInSharedVpc", ["ec2:CreateSecurityGroup"], vpc.resources, [...vpc.conditions, noOtherStack]),
    // The servers into the configured subnets only (with the PR's own groups and launch templates).
    allow("Ec2LaunchIntoSharedSubnets", ["ec2:RunInstances"], subnets.resources, [...subnets.conditions, noOtherStack]),
    deny("DenySharedVpcNetworkWrites", SHARED_VPC_WRITES, vpc.resources, vpc.conditions.length ? vpc.conditions : undefined),
  ];
  if ("id" in scope.vpc) {
    statements.push(deny("DenyNetworkWritesInSharedVpc", SHARED_VPC_INSIDE_WRITES, ["*"], [{ test: "ArnEquals", variable: "ec2:Vpc", values: [ec2Arn(ctx, `vpc/${scope.vpc.id}`)] }]));
  }
  return statements;
}
