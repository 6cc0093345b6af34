/**
 * The Auto Scaling group's target tracking policies (`aws_autoscaling_policy` with
 * `policy_type = "TargetTrackingScaling"`) and what the local model needs with them: the launch
 * template's instance type (for its vCPUs) and the group's instance warm-up. A group without such
 * a policy keeps its desired capacity (no dynamic scaling). Which policies an engine can model is
 * the engine's to say (local/local-check.ts).
 */
import { blockAt, booleanAt, integerAt, stringAt, type Problems } from "./problems.js";
import { parseReference } from "./references.js";
import { resourcesOfType, type ResourceSection } from "./resources-of-type.js";
import type { Address, ScalingPolicySpec } from "./stack.js";

/** The target tracking policies attached to the group at `asgAddress`, in file order. */
export function readScalingPolicies(resources: ResourceSection, asgAddress: Address, problems: Problems): ScalingPolicySpec[] {
  const policies = resourcesOfType(resources, "aws_autoscaling_policy").filter(
    ([, body]) => parseReference(body.autoscaling_group_name)?.address === asgAddress && body.policy_type === "TargetTrackingScaling",
  );
  return policies.map(([address, body]) => {
    const config = blockAt(body.target_tracking_configuration, `${address}.target_tracking_configuration`, problems) ?? {};
    const predefined = blockAt(config.predefined_metric_specification, `${address}.target_tracking_configuration.predefined_metric_specification`, problems);
    const metric = predefined ? stringAt(predefined, "predefined_metric_type", `${address}.predefined_metric_specification`, problems) : "customized";
    const target = config.target_value;
    const percent = metric === "ASGAverageCPUUtilization";
    if (typeof target !== "number" || !(target > 0 && (!percent || target <= 100))) problems.add(`${address}.target_value`, `is ${JSON.stringify(target)}; expected ${percent ? "a CPU percentage above 0 and at most 100" : "a number above 0"}`);
    const warmup = body.estimated_instance_warmup;
    return {
      address,
      name: typeof body.name === "string" ? body.name : address,
      metric,
      targetValue: typeof target === "number" ? target : 50,
      disableScaleIn: booleanAt(config, "disable_scale_in", address, problems, false),
      ...(warmup !== undefined ? { estimatedWarmupSeconds: integerAt(body, "estimated_instance_warmup", address, problems, { min: 0, max: 7200 }) } : {}),
    };
  });
}

/** vCPUs of the instance types a course stack uses; others are read as 2 (and said so by the console). */
export const VCPUS: Readonly<Record<string, number>> = {
  "t2.micro": 1,
  "t2.small": 1,
  "t2.medium": 2,
  "t3.nano": 2,
  "t3.micro": 2,
  "t3.small": 2,
  "t3.medium": 2,
  "t3.large": 2,
  "t4g.micro": 2,
  "t4g.small": 2,
  "m5.large": 2,
  "c5.large": 2,
};

/** The group's launch template's instance type (default t3.micro, the modules' default). */
export function instanceTypeOf(resources: ResourceSection, launchTemplate: Address): string {
  const lt = resourcesOfType(resources, "aws_launch_template").find(([a]) => a === launchTemplate)?.[1];
  return typeof lt?.instance_type === "string" ? lt.instance_type : "t3.micro";
}

/** The scaling fields of an auto-scaling ServerGroup (spread into it by read-servers.ts). */
export function scalingOf(resources: ResourceSection, asgAddress: Address, asg: Record<string, unknown>, launchTemplate: Address, problems: Problems) {
  const policies = readScalingPolicies(resources, asgAddress, problems);
  const warmup = asg.default_instance_warmup;
  return {
    ...(policies.length > 0 ? { scalingPolicy: policies[0]!, scalingPolicies: policies } : {}),
    instanceType: instanceTypeOf(resources, launchTemplate),
    ...(warmup !== undefined ? { defaultInstanceWarmupSeconds: integerAt(asg, "default_instance_warmup", asgAddress, problems, { min: 0, max: 7200 }) } : {}),
  };
}
