/**
 * A stand-in load balancer target for tests that are about the LoadBalancer, not the servers:
 * a real security group (so the rules the LoadBalancer adds are real resources), a role that
 * records grants, and a record of the target groups it was attached to.
 */
import { Construct } from "constructs";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group/index.js";
import type { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group/index.js";
import type { IGrantable, ILoadBalancerTarget, INetwork } from "../modules/contracts.js";

/** Grants recorded by {@link RecordingRole}. */
export interface RecordedGrant {
  readonly kind: "secret" | "object";
  readonly args: readonly string[];
}

/** An IGrantable that records what it was granted. */
export class RecordingRole implements IGrantable {
  /** Every grant, in order. */
  public readonly grants: RecordedGrant[] = [];
  /** Record a secret grant. */
  public grantSecretRead(secretArn: string): void {
    this.grants.push({ kind: "secret", args: [secretArn] });
  }
  /** Record an object grant. */
  public grantObjectRead(bucketArn: string, objectKey: string): void {
    this.grants.push({ kind: "object", args: [bucketArn, objectKey] });
  }
}

/** Options of {@link FixtureTarget}. */
export interface FixtureTargetProps {
  /** Network whose VPC holds the group. */
  readonly network: INetwork;
  /** App port. @default 8080 */
  readonly port?: number;
  /** Health-check path. @default "/status" */
  readonly healthCheckPath?: string;
}

/** A target with a real security group and no servers. */
export class FixtureTarget extends Construct implements ILoadBalancerTarget {
  /** The servers' security group (described, no rules of its own). */
  public readonly securityGroup: SecurityGroup;
  /** A role that records grants. */
  public readonly role = new RecordingRole();
  /** App port. */
  public readonly port: number;
  /** Health-check path. */
  public readonly healthCheckPath: string;
  /** Target groups this target was attached to. */
  public readonly attachedTo: LbTargetGroup[] = [];

  constructor(scope: Construct, id: string, props: FixtureTargetProps) {
    super(scope, id);
    this.port = props.port ?? 8080;
    this.healthCheckPath = props.healthCheckPath ?? "/status";
    this.securityGroup = new SecurityGroup(this, "sg", {
      name: `fixture-${id}`,
      description: "Fixture web servers",
      vpcId: props.network.vpc.id,
    });
  }

  /** Record the attachment. */
  public attachToTargetGroup(targetGroup: LbTargetGroup): void {
    this.attachedTo.push(targetGroup);
  }
}
