/**
 * Which availability zones offer an EC2 instance type, looked up when Terraform plans (the
 * `aws_ec2_instance_type_offerings` data source). Not every zone has every type: in us-east-1,
 * use1-az3 offers no t3, and an instance or Auto Scaling group placed there fails at apply. Both
 * networks (`Network` choosing zones for its subnets, `ExistingNetwork` choosing among a VPC's
 * subnets) ask through here, so there is one lookup and one check of the type's spelling.
 */
import type { Construct } from "constructs";
import { Token } from "cdktf";
import { DataAwsEc2InstanceTypeOfferings } from "@cdktf/provider-aws/lib/data-aws-ec2-instance-type-offerings/index.js";

/** An instance type as EC2 spells them: family, a dot, size (`t3.micro`, `m7g.large`). */
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;

/**
 * The zones of the stack's region that offer `instanceType`: the data source's `locations` (a set
 * of zone names). Throws, naming `where` and the value, when the type is not spelled like one.
 *
 * @param scope the network construct asking (the data source is its child)
 * @param id the data source's construct ID (a public contract, as every construct ID)
 * @param instanceType e.g. `"t3.micro"`; a token is taken as given
 * @param where the prop's name for error messages, e.g. `"Network instanceType"`
 */
export function zonesOfferingInstanceType(scope: Construct, id: string, instanceType: string, where: string): DataAwsEc2InstanceTypeOfferings {
  if (!Token.isUnresolved(instanceType) && !INSTANCE_TYPE.test(instanceType)) {
    throw new Error(`${where}: expected an EC2 instance type such as "t3.micro"; got ${JSON.stringify(instanceType)}`);
  }
  return new DataAwsEc2InstanceTypeOfferings(scope, id, {
    locationType: "availability-zone",
    filter: [{ name: "instance-type", values: [instanceType] }],
  });
}
