/**
 * A deliberately tiny stack (provider, VPC, two subnets, a security group, an ALB) used only by
 * the synth benchmark, so that the two baselines differ in exactly one thing: how the provider
 * classes are imported. The classes are passed in; this file imports none of them.
 */
import { App, TerraformStack } from "cdktf";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import type { Vpc } from "@cdktf/provider-aws/lib/vpc/index.js";
import type { Subnet } from "@cdktf/provider-aws/lib/subnet/index.js";
import type { SecurityGroup } from "@cdktf/provider-aws/lib/security-group/index.js";
import type { Lb } from "@cdktf/provider-aws/lib/lb/index.js";

/** The provider classes the tiny stack needs. */
export interface TinyStackClasses {
  /** The AWS provider. */
  readonly AwsProvider: typeof AwsProvider;
  /** aws_vpc. */
  readonly Vpc: typeof Vpc;
  /** aws_subnet. */
  readonly Subnet: typeof Subnet;
  /** aws_security_group. */
  readonly SecurityGroup: typeof SecurityGroup;
  /** aws_lb. */
  readonly Lb: typeof Lb;
}

/** Build and synthesize the tiny stack into `CDKTF_OUTDIR` (or cdktf.out). */
export function synthTinyStack(classes: TinyStackClasses): void {
  const app = new App();
  const stack = new TerraformStack(app, "tiny");
  new classes.AwsProvider(stack, "aws", { region: "us-east-1" });
  const vpc = new classes.Vpc(stack, "vpc", { cidrBlock: "10.0.0.0/16" });
  const subnets = ["a", "b"].map(
    (az, i) => new classes.Subnet(stack, `subnet-${az}`, { vpcId: vpc.id, cidrBlock: `10.0.${i}.0/24`, availabilityZone: `us-east-1${az}` }),
  );
  const group = new classes.SecurityGroup(stack, "sg", { vpcId: vpc.id, description: "benchmark" });
  new classes.Lb(stack, "lb", { subnets: subnets.map((s) => s.id), securityGroups: [group.id] });
  app.synth();
}
