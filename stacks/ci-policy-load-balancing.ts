/**
 * The pull-request role's load balancing and Auto Scaling statements: the ALB, its listeners and
 * target group, the Auto Scaling group, target tracking's alarms.
 *
 * As for EC2 (ci-policy-ec2.ts), a create is allowed only on the resource type it creates, tagged
 * `Stack=pr-*` in the request, and everything else it names must already be the pull request's:
 * - ELB authorizes `CreateListener` on the load balancer (the Service Authorization Reference lists
 *   no listener resource for it), so a listener goes only on a load balancer tagged `Stack=pr-*`;
 * - tags on create are authorized as `elasticloadbalancing:AddTags` with
 *   `elasticloadbalancing:CreateAction`, so AddTags on a resource that is not yet tagged is allowed
 *   only inside a create, never on someone else's untagged load balancer or target group;
 * - Auto Scaling has no such key: a group not yet tagged may be created or tagged only under a
 *   pull request's name (`<prefix>-pr-*`; the group's name is in its ARN).
 */
import { allow, notYetTagged, requestTagged, resourceTagged, retagsOnlyToPr, type CiPolicyContext, type PolicyPart } from "./ci-policy-parts.js";

/** The ELB creates that create the resource they are authorized on, by that resource's ARN type. */
const ELB_NEW: Readonly<Record<string, string>> = {
  "loadbalancer/app": "elasticloadbalancing:CreateLoadBalancer",
  targetgroup: "elasticloadbalancing:CreateTargetGroup",
};

/** Creates whose tags ELB authorizes as AddTags on the new resource (`elasticloadbalancing:CreateAction`). */
const ELB_TAGGING_CREATES = ["CreateLoadBalancer", "CreateTargetGroup", "CreateListener"];

/** Changes and deletes of a PR's own load balancer, listeners and target group; CreateListener is a change of the load balancer. */
const ELB_CHANGES = [
  "elasticloadbalancing:CreateListener",
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
];

/** Changes and deletes of a PR's own Auto Scaling group. */
const ASG_CHANGES = [
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
];

/** `loadbalancer/app` -> `LoadbalancerApp`, for statement IDs (letters and digits only). */
function sidPart(resourceType: string): string {
  return resourceType.split(/[-/]/).map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join("");
}

/** The load balancing and Auto Scaling part of the pull-request role's policy. */
export function loadBalancingPolicy(ctx: CiPolicyContext): PolicyPart {
  const { partition: p, region: r, account: a } = ctx;
  const elbArn = (resource: string) => `arn:${p}:elasticloadbalancing:${r}:${a}:${resource}`;
  const elb = [elbArn("loadbalancer/*"), elbArn("targetgroup/*"), elbArn("listener/*")];
  const asg = `arn:${p}:autoscaling:${r}:${a}:autoScalingGroup:*`;
  const prGroups = `${asg}:autoScalingGroupName/${ctx.namePrefix}-pr-*`;
  return {
    name: "load-balancing",
    description: "seedstack pull-request environments: load balancers, listeners, target groups, Auto Scaling",
    statements: [
      allow("LbAsgDescribe", ["elasticloadbalancing:Describe*", "autoscaling:Describe*", "cloudwatch:DescribeAlarms"], ["*"]),
      ...Object.entries(ELB_NEW).map(([type, action]) => allow(`ElbNew${sidPart(type)}`, [action], [elbArn(`${type}/*`)], [requestTagged, notYetTagged])),
      allow("ElbTagOnCreate", ["elasticloadbalancing:AddTags"], elb, [requestTagged, { test: "StringEquals", variable: "elasticloadbalancing:CreateAction", values: ELB_TAGGING_CREATES }]),
      allow("ElbChangePrResources", ELB_CHANGES, elb, [resourceTagged, retagsOnlyToPr]),
      // CreateOrUpdateTags too, should Auto Scaling authorize the new group's tags as such (the
      // reference lists no such dependency): either way only a group named for a pull request.
      allow("AsgNewPrGroup", ["autoscaling:CreateAutoScalingGroup", "autoscaling:CreateOrUpdateTags"], [prGroups], [requestTagged, notYetTagged]),
      allow("AsgChangePrGroups", ASG_CHANGES, [asg], [resourceTagged, retagsOnlyToPr]),
      // Target tracking's two alarms, named by AWS after the group (`TargetTracking-<group>-AlarmHigh-...`).
      allow("TargetTrackingAlarms", ["cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms"], [`arn:${p}:cloudwatch:${r}:${a}:alarm:TargetTracking-${ctx.namePrefix}-pr-*`]),
      // The first load balancer, group or database of an account creates its service-linked role.
      allow("ServiceLinkedRoles", ["iam:CreateServiceLinkedRole"], [`arn:${p}:iam::${a}:role/aws-service-role/*`], [
        { test: "StringEquals", variable: "iam:AWSServiceName", values: ["elasticloadbalancing.amazonaws.com", "autoscaling.amazonaws.com", "rds.amazonaws.com"] },
      ]),
    ],
  };
}
