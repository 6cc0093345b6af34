/**
 * AutoScaledWebServers: an Auto Scaling group of seed servers across the private subnets, launched
 * from a hardened launch template, scaled on CPU, and rolled by instance refresh when the template
 * (AMI, user data, bundle) changes.
 */
import type { Construct } from "constructs";
import { Token } from "cdktf";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template/index.js";
import { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group/index.js";
import { AutoscalingPolicy } from "@cdktf/provider-aws/lib/autoscaling-policy/index.js";
import { AutoscalingAttachment } from "@cdktf/provider-aws/lib/autoscaling-attachment/index.js";
import type { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group/index.js";
import { physicalName } from "./naming.js";
import { IMDSV2_METADATA_OPTIONS, isEbsOptimizedByDefault, launchTemplateRootVolume } from "./instance-hardening.js";
import { base64UserData } from "./user-data.js";
import { DEFAULT_HEALTH_CHECK_GRACE_SECONDS } from "./boot-budget.js";
import { WebServersBase, type WebServersProps } from "./web-servers-base.js";

/** AWS limits on names. */
const LAUNCH_TEMPLATE_NAME_MAX = 128;
const ASG_NAME_MAX = 255;

/** Properties of {@link AutoScaledWebServers}. */
export interface AutoScaledWebServersProps extends WebServersProps {
  /**
   * Fewest instances.
   * @default 1 instance
   */
  readonly minSize?: number;
  /**
   * Most instances (at most 100 here, to keep a typo from becoming a bill).
   * @default 2 instances
   */
  readonly maxSize?: number;
  /**
   * Instances at creation. Afterwards the scaling policy owns it: Terraform ignores later changes
   * to it, so an apply does not undo scaling.
   * @default 1 instance (minSize)
   */
  readonly desiredCapacity?: number;
  /**
   * Seconds after launch before failed load balancer health checks count, and the instance warm-up
   * for scaling and instance refresh. A cold boot installs Node.js from the AL2023 repositories and
   * fetches the bundle; the boot budget (docs/modules-compute.md) puts it at 284 s, including one
   * retry of the package install. Lower it only with an AMI that has Node.js already.
   * @default 300 seconds (the cold-boot budget rounded up to whole minutes)
   */
  readonly healthCheckGracePeriod?: number;
  /**
   * Average CPU utilization (percent, 1-100) the target tracking policy keeps the group at.
   * @default 50 percent
   */
  readonly targetCpuUtilization?: number;
  /**
   * During an instance refresh, the percentage of desired capacity that must stay in service
   * (0-100). 100 with the default maximum of 200 means a replacement is launched and healthy before
   * an old instance is terminated, so even a single instance rolls without downtime.
   * @default 100 percent
   */
  readonly instanceRefreshMinHealthyPercentage?: number;
}

function wholeNumber(where: string, name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${where}: ${name} must be a whole number from ${min} to ${max}; got ${value}`);
  }
  return value;
}

/**
 * An Auto Scaling group of seed servers: launch template with the same hardening as WebServerPair
 * (IMDSv2 with hop limit 1, encrypted gp3 root volume, no public IP, the least-privilege instance
 * profile) and the same user data; ELB health checks with a grace period; target tracking on
 * average CPU; rolling instance refresh whenever the launch template changes.
 *
 * ```ts
 * const servers = new AutoScaledWebServers(this, "web", { network, artifact: bucket, maxSize: 4 });
 * new LoadBalancer(this, "lb", { network, targets: servers, stickiness: { duration: 3600 } });
 * ```
 */
export class AutoScaledWebServers extends WebServersBase {
  /** The launch template. */
  public readonly launchTemplate: LaunchTemplate;
  /** The Auto Scaling group. */
  public readonly autoScalingGroup: AutoscalingGroup;
  /** The CPU target tracking policy. */
  public readonly scalingPolicy: AutoscalingPolicy;
  /** Resolved sizes. */
  public readonly minSize: number;
  public readonly maxSize: number;
  public readonly desiredCapacity: number;

  constructor(scope: Construct, id: string, props: AutoScaledWebServersProps) {
    super(scope, id, props, "AutoScaledWebServers", "asg");
    const where = "AutoScaledWebServers";
    this.minSize = wholeNumber(where, "minSize", props.minSize ?? 1, 0, 100);
    this.maxSize = wholeNumber(where, "maxSize", props.maxSize ?? Math.max(2, this.minSize), 1, 100);
    this.desiredCapacity = wholeNumber(where, "desiredCapacity", props.desiredCapacity ?? this.minSize, 0, 100);
    if (!(this.minSize <= this.desiredCapacity && this.desiredCapacity <= this.maxSize)) {
      throw new Error(
        `${where}: sizes must satisfy minSize <= desiredCapacity <= maxSize; got minSize ${this.minSize}, desiredCapacity ${this.desiredCapacity}, maxSize ${this.maxSize}`,
      );
    }
    const gracePeriod = wholeNumber(where, "healthCheckGracePeriod", props.healthCheckGracePeriod ?? DEFAULT_HEALTH_CHECK_GRACE_SECONDS, 0, 7200);
    const targetCpu = props.targetCpuUtilization ?? 50;
    if (typeof targetCpu !== "number" || !(targetCpu >= 1 && targetCpu <= 100)) {
      throw new Error(`${where}: targetCpuUtilization must be a percentage from 1 to 100; got ${targetCpu}`);
    }
    const minHealthy = wholeNumber(where, "instanceRefreshMinHealthyPercentage", props.instanceRefreshMinHealthyPercentage ?? 100, 0, 100);

    const serverName = `${this.namePrefix}-asg`;
    this.launchTemplate = new LaunchTemplate(this, "launch-template", {
      name: physicalName(this.namePrefix, "asg", LAUNCH_TEMPLATE_NAME_MAX),
      description: "seedstack seed servers: AL2023, IMDSv2 only, encrypted root volume, no public IP",
      imageId: this.amiId,
      instanceType: this.instanceType,
      iamInstanceProfile: { arn: this.role.instanceProfile.arn },
      metadataOptions: { ...IMDSV2_METADATA_OPTIONS },
      blockDeviceMappings: [launchTemplateRootVolume(this.rootVolumeSize)],
      // Security groups go on the interface (not vpc_security_group_ids): AWS rejects both together.
      networkInterfaces: [
        { deviceIndex: 0, associatePublicIpAddress: "false", deleteOnTermination: "true", securityGroups: [this.securityGroup.id] },
      ],
      // Only where it is the default anyway: asking for it on a t2 fails every launch.
      ...(isEbsOptimizedByDefault(this.instanceType) ? { ebsOptimized: "true" } : {}),
      userData: base64UserData(this.userData),
      updateDefaultVersion: true,
      tagSpecifications: [
        { resourceType: "instance", tags: { Name: serverName } },
        { resourceType: "volume", tags: { Name: serverName } },
      ],
      tags: { Name: physicalName(this.namePrefix, "asg", LAUNCH_TEMPLATE_NAME_MAX) },
    });

    this.autoScalingGroup = new AutoscalingGroup(this, "asg", {
      name: physicalName(this.namePrefix, "asg", ASG_NAME_MAX),
      minSize: this.minSize,
      maxSize: this.maxSize,
      desiredCapacity: this.desiredCapacity,
      vpcZoneIdentifier: props.network.privateSubnets.map((s) => s.id),
      // latest_version: every template change reaches the group, which starts an instance refresh.
      launchTemplate: { id: this.launchTemplate.id, version: Token.asString(this.launchTemplate.latestVersion) },
      healthCheckType: "ELB",
      healthCheckGracePeriod: gracePeriod,
      defaultInstanceWarmup: gracePeriod,
      instanceRefresh: {
        strategy: "Rolling",
        preferences: { minHealthyPercentage: minHealthy, maxHealthyPercentage: Math.min(200, minHealthy + 100), skipMatching: true },
      },
      tag: [{ key: "Name", value: serverName, propagateAtLaunch: true }],
      dependsOn: this.bootPrerequisites(),
      lifecycle: {
        // desired_capacity belongs to the scaling policy after creation; target groups are
        // attached with aws_autoscaling_attachment, which would otherwise fight these arguments.
        ignoreChanges: ["desired_capacity", "target_group_arns", "load_balancers"],
      },
    });

    this.scalingPolicy = new AutoscalingPolicy(this, "cpu-target", {
      name: "cpu-target-tracking",
      autoscalingGroupName: this.autoScalingGroup.name,
      policyType: "TargetTrackingScaling",
      targetTrackingConfiguration: {
        predefinedMetricSpecification: { predefinedMetricType: "ASGAverageCPUUtilization" },
        targetValue: targetCpu,
      },
    });
  }

  /** Attach the group to a target group (aws_autoscaling_attachment); instances register on the app port. */
  public attachToTargetGroup(targetGroup: LbTargetGroup): void {
    const group = this.attachedTargetGroups++;
    new AutoscalingAttachment(this, group === 0 ? "attach" : `attach-${group}`, {
      autoscalingGroupName: this.autoScalingGroup.name,
      lbTargetGroupArn: targetGroup.arn,
    });
  }
}
