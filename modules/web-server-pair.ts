/**
 * WebServerPair: a fixed number of EC2 instances (two by default) in the private subnets, each in
 * a different availability zone, running the seed server.
 */
import type { Construct } from "constructs";
import { Instance } from "@cdktf/provider-aws/lib/instance/index.js";
import { LbTargetGroupAttachment } from "@cdktf/provider-aws/lib/lb-target-group-attachment/index.js";
import type { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group/index.js";
import { IMDSV2_METADATA_OPTIONS, isEbsOptimizedByDefault, rootBlockDevice } from "./instance-hardening.js";
import { WebServersBase, type WebServersProps } from "./web-servers-base.js";

/** Most instances a pair may have: beyond this, use AutoScaledWebServers. */
export const MAX_PAIR_COUNT = 20;

/** Properties of a {@link WebServerPair}. */
export interface WebServerPairProps extends WebServersProps {
  /**
   * How many instances (1-20). Instance i goes into private subnet i mod (number of AZs), so the
   * first two are always in different availability zones.
   * @default 2 instances
   */
  readonly count?: number;
}

/**
 * Two (or `count`) hardened EC2 instances behind whatever LoadBalancer they are given to:
 * Amazon Linux 2023, IMDSv2 only (hop limit 1), encrypted gp3 root volume, no public IP, an
 * instance role that can read only the bundle (and the database secret), and user data that runs
 * the seed server under systemd. A new bundle or any user-data change replaces the instances.
 *
 * ```ts
 * const pair = new WebServerPair(this, "web", { network, artifact: bucket });
 * new LoadBalancer(this, "lb", { network, targets: pair });
 * ```
 */
export class WebServerPair extends WebServersBase {
  /** The instances, in creation order. */
  public readonly instances: readonly Instance[];

  constructor(scope: Construct, id: string, props: WebServerPairProps) {
    super(scope, id, props, "WebServerPair", "web");
    const count = props.count ?? 2;
    if (!Number.isInteger(count) || count < 1 || count > MAX_PAIR_COUNT) {
      throw new Error(`WebServerPair: count must be a whole number from 1 to ${MAX_PAIR_COUNT}; got ${count}`);
    }
    const subnets = props.network.privateSubnets;
    this.instances = Array.from({ length: count }, (_, i) => {
      const name = `${this.namePrefix}-web-${i}`;
      return new Instance(this, `server-${i}`, {
        ami: this.amiId,
        instanceType: this.instanceType,
        subnetId: subnets[i % subnets.length]!.id,
        vpcSecurityGroupIds: [this.securityGroup.id],
        iamInstanceProfile: this.role.instanceProfile.name,
        associatePublicIpAddress: false,
        metadataOptions: { ...IMDSV2_METADATA_OPTIONS },
        rootBlockDevice: rootBlockDevice(this.rootVolumeSize),
        // Only where it is the default anyway: asking for it on a t2 fails the launch.
        ...(isEbsOptimizedByDefault(this.instanceType) ? { ebsOptimized: true } : {}),
        userData: this.userData,
        // A new bundle (its hash is in the script) or new settings mean a new instance, not a
        // reboot with stale state.
        userDataReplaceOnChange: true,
        tags: { Name: name },
        volumeTags: { Name: name },
        dependsOn: this.bootPrerequisites(),
        // The replacement is launched before the old instance goes, shortening the gap.
        lifecycle: { createBeforeDestroy: true },
      });
    });
  }

  /** One target group attachment per instance, on the app port. */
  public attachToTargetGroup(targetGroup: LbTargetGroup): void {
    const group = this.attachedTargetGroups++;
    this.instances.forEach(
      (instance, i) =>
        new LbTargetGroupAttachment(this, group === 0 ? `attach-${i}` : `attach-${group}-${i}`, {
          targetGroupArn: targetGroup.arn,
          targetId: instance.id,
          port: this.port,
        }),
    );
  }
}
