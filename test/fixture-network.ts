/**
 * A hand-built INetwork whose subnets sit in exactly the zones given, including degenerate ones
 * (one zone, a repeated zone) that the real `Network` refuses to build: for testing the zone
 * validation of constructs placed in a network. It has no NAT and no endpoints of its own.
 */
import type { TerraformStack } from "cdktf";
import { Vpc } from "@cdktf/provider-aws/lib/vpc/index.js";
import { Subnet } from "@cdktf/provider-aws/lib/subnet/index.js";
import type { INetwork } from "../modules/contracts.js";

/** An INetwork with one subnet (used as both public and private) per zone in `zones`. */
export function networkInZones(stack: TerraformStack, zones: string[]): INetwork {
  const vpc = new Vpc(stack, "vpc", { cidrBlock: "10.0.0.0/16" });
  const subnets = zones.map((az, i) => new Subnet(stack, `subnet-${i}`, { vpcId: vpc.id, availabilityZone: az, cidrBlock: `10.0.${i}.0/24` }));
  return {
    vpc,
    publicSubnets: subnets,
    privateSubnets: subnets,
    availabilityZones: zones,
    hasNatGateway: false,
    systemsManagerReachable: false,
    s3PrefixListId: "pl-fixture",
    s3Endpoint: vpc,
    addInterfaceEndpoint: () => vpc,
    internetAccess: [],
  };
}
