/**
 * The Auto Scaling group's target tracking policy (`aws_autoscaling_policy` with
 * `policy_type = "TargetTrackingScaling"` on a predefined metric) and what the local model needs
 * with it: the launch template's instance type (for its vCPUs) and the group's instance warm-up.
 * A group without such a policy keeps its desired capacity (no dynamic scaling).
 */
import { LifecycleError } from "../errors.js";
import { blockAt, booleanAt, integerAt, stringAt, type Problems } from "./problems.js";
import { parseReference } from "./references.js";
import { resourcesOfType, type ResourceSection } from "./resources-of-type.js";
import type { Address, ScalingPolicySpec } from "./stack.js";

/** The target tracking policy attached to the group at `asgAddress`, if there is one. */
export function readScalingPolicy(resources: ResourceSection, asgAddress: Address, problems: Problems): ScalingPolicySpec | undefined {
  const policies = resourcesOfType(resources, "aws_autoscaling_policy").filter(
    ([, body]) => parseReference(body.autoscaling_group_name)?.address === asgAddress && body.policy_type === "TargetTrackingScaling",
  );
  if (policies.length === 0) return undefined;
  if (policies.length > 1) throw new LifecycleError("ERR_STACK_UNSUPPORTED", `${policies.length} target tracking policies on ${asgAddress}; the local engine models one`);
  const [address, body] = policies[0]!;
  const config = blockAt(body.target_tracking_configuration, `${address}.target_tracking_configuration`, problems) ?? {};
  const predefined = blockAt(config.predefined_metric_specification, `${address}.target_tracking_configuration.predefined_metric_specification`, problems);
  if (!predefined) throw new LifecycleError("ERR_STACK_UNSUPPORTED", `${address} tracks a customized metric; the local engine models ASGAverageCPUUtilization`);
  const metric = stringAt(predefined, "predefined_metric_type", `${address}.predefined_metric_specification`, problems);
  if (metric !== "ASGAverageCPUUtilization") throw new LifecycleError("ERR_STACK_UNSUPPORTED", `${address} tracks ${metric}; the local engine models ASGAverageCPUUtilization`);
  const target = config.target_value;
  if (typeof target !== "number" || !(target > 0 && target <= 100)) problems.add(`${address}.target_value`, `is ${JSON.stringify(target)}; expected a CPU percentage above 0 and at most 100`);
  const warmup = body.estimated_instance_warmup;
  return {
    address,
    name: typeof body.name === "string" ? body.name : address,
    metric,
    targetValue: typeof target === "number" ? target : 50,
    disableScaleIn: booleanAt(config, "disable_scale_in", address, problems, false),
    ...(warmup !== undefined ? { estimatedWarmupSeconds: integerAt(body, "estimated_instance_warmup", address, problems, { min: 0, max: 7200 }) } : {}),
  };
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

/** The scaling fields of an auto-scaling ServerGroup (spread into it by read-stack.ts). */
export function scalingOf(resources: ResourceSection, asgAddress: Address, asg: Record<string, unknown>, launchTemplate: Address, problems: Problems) {
  const policy = readScalingPolicy(resources, asgAddress, problems);
  const warmup = asg.default_instance_warmup;
  return {
    ...(policy ? { scalingPolicy: policy } : {}),
    instanceType: instanceTypeOf(resources, launchTemplate),
    ...(warmup !== undefined ? { defaultInstanceWarmupSeconds: integerAt(asg, "default_instance_warmup", asgAddress, problems, { min: 0, max: 7200 }) } : {}),
  };
}
