/**
 * Network: a VPC with one public and one private subnet per availability zone.
 *
 * Public subnets hold the load balancer (and NAT gateways when asked for); private subnets hold
 * the web servers and the database. By default nothing in a private subnet can reach the
 * internet: instances reach S3 through a free gateway endpoint, which serves both the seed-server
 * bundle in the artifact bucket and the Amazon Linux 2023 package repositories (AL2023 hosts its
 * repositories in S3; AWS documents installing packages through an S3 gateway endpoint without
 * internet access, see
 * https://docs.aws.amazon.com/linux/al2023/ug/managing-repos-os-updates.html).
 *
 * Costs below are us-east-1 on-demand list prices as of 2025 (other regions are similar or higher);
 * check https://aws.amazon.com/vpc/pricing/ for yours.
 */
import { Construct } from "constructs";
import { Fn, Op, Token, type ITerraformDependable, type Precondition } from "cdktf";
import { Vpc } from "@cdktf/provider-aws/lib/vpc/index.js";
import { Subnet } from "@cdktf/provider-aws/lib/subnet/index.js";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway/index.js";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table/index.js";
import { Route } from "@cdktf/provider-aws/lib/route/index.js";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association/index.js";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group/index.js";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint/index.js";
import { Eip } from "@cdktf/provider-aws/lib/eip/index.js";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway/index.js";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group/index.js";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule/index.js";
import { DataAwsAvailabilityZones } from "@cdktf/provider-aws/lib/data-aws-availability-zones/index.js";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region/index.js";
import type { INetwork } from "./contracts.js";
import { DEFAULT_NAME_PREFIX, validateNamePrefix } from "./naming.js";
import { formatIpv4Cidr, parseIpv4Cidr, subBlock } from "./cidr.js";
import { securityGroupNamePrefix } from "./security-group-name.js";
import { zonesOfferingInstanceType } from "./instance-type-offerings.js";

/**
 * How private subnets reach the internet.
 * - `"none"`: they do not; S3 (bundle, AL2023 packages) via the gateway endpoint, other AWS APIs via
 *   interface endpoints. Free.
 * - `"single"`: one NAT gateway in the first public subnet shared by all AZs. About $32.85/month
 *   ($0.045/hour) + $3.65/month for its public IPv4 address ($0.005/hour) + $0.045 per GB processed.
 *   If that AZ fails, the other AZs lose internet access.
 * - `"perAz"`: one NAT gateway per AZ, each AZ routed to its own: the above times the AZ count
 *   (about $73/month for two AZs before data), no cross-AZ dependency.
 */
export type NatGatewayMode = "none" | "single" | "perAz";

const NAT_MODES: readonly NatGatewayMode[] = ["none", "single", "perAz"];

/** The interface endpoints that AWS Systems Manager Session Manager needs without a NAT gateway. */
export const SSM_ENDPOINT_SERVICES: readonly string[] = ["ssm", "ssmmessages", "ec2messages"];

/** Smallest VPC AWS allows is /28, largest /16; subnets are /28 at the smallest. */
const MIN_VPC_PREFIX = 16;
const MAX_SUBNET_PREFIX = 28;
/** Subnets are /24 (251 usable addresses) unless the VPC is too small for that. */
const PREFERRED_SUBNET_PREFIX = 24;
const MAX_AZ_COUNT = 6;

/** Properties of a {@link Network}. */
export interface NetworkProps {
  /**
   * IPv4 CIDR block of the VPC, /16 to /28. The first half holds the public subnets, the second
   * half the private subnets, so adding an AZ later does not renumber existing subnets.
   * @default "10.0.0.0/16"
   */
  readonly cidr?: string;
  /**
   * Literal availability zone names, e.g. `["us-east-1a", "us-east-1b"]`; at least 2, distinct.
   * Cannot be combined with `azCount`.
   * @default the first `azCount` available zones of the region, looked up by Terraform
   */
  readonly availabilityZones?: readonly string[];
  /**
   * How many availability zones to spread over when `availabilityZones` is not given (2 to 6).
   * Their names come from the `aws_availability_zones` data source, so only the count is known at
   * synth time.
   * @default two availability zones
   */
  readonly azCount?: number;
  /**
   * Spread only over availability zones that offer this EC2 instance type (looked up with the
   * `aws_ec2_instance_type_offerings` data source): not every zone has every type (in us-east-1,
   * use1-az3 offers no t3), and an instance or Auto Scaling group in such a zone fails at apply.
   * Only with `azCount` (literal `availabilityZones` are taken as given).
   * @default any available zone: the first `azCount` by name
   */
  readonly instanceType?: string;
  /**
   * NAT gateways for private subnets; see {@link NatGatewayMode} for prices.
   * @default no NAT gateway: private subnets have no internet access (S3 via the free gateway endpoint)
   */
  readonly natGateways?: NatGatewayMode;
  /**
   * Create interface endpoints for ssm, ssmmessages and ec2messages so Session Manager works
   * without a NAT gateway. Each interface endpoint costs about $7.30/month per AZ ($0.01/hour)
   * + $0.01 per GB: about $43.80/month for the three in two AZs.
   * @default no SSM endpoints (Session Manager then needs a NAT gateway)
   */
  readonly ssmEndpoints?: boolean;
  /**
   * Prefix of every Name tag and physical name.
   * @default "seedstack"
   */
  readonly namePrefix?: string;
}

/**
 * A VPC across two (or more) availability zones: public subnets with an internet gateway, private
 * subnets without internet access by default, a free S3 gateway endpoint for the private subnets,
 * and the VPC's default security group stripped of all rules (CKV2_AWS_12).
 *
 * ```ts
 * const network = new Network(this, "network", { namePrefix: "pr-42" });
 * network.addInterfaceEndpoint("secretsmanager"); // e.g. for a database password at boot
 * ```
 */
export class Network extends Construct implements INetwork {
  /** The VPC. */
  public readonly vpc: Vpc;
  /** One public subnet per AZ, in the order of `availabilityZones`. */
  public readonly publicSubnets: readonly Subnet[];
  /** One private subnet per AZ, in the order of `availabilityZones`. */
  public readonly privateSubnets: readonly Subnet[];
  /** AZ names: literals when given, otherwise tokens from the `aws_availability_zones` data source. */
  public readonly availabilityZones: readonly string[];
  /** The VPC's CIDR block (literal). */
  public readonly cidr: string;
  /** The prefix used for names and Name tags. */
  public readonly namePrefix: string;
  /** The NAT gateway mode in use. */
  public readonly natGatewayMode: NatGatewayMode;
  /** The NAT gateways (none by default). */
  public readonly natGateways: readonly NatGateway[];
  /** One route table per private subnet (per AZ, so each AZ can use its own NAT gateway). */
  public readonly privateRouteTables: readonly RouteTable[];
  /** The S3 gateway endpoint, routed from every private subnet. */
  public readonly s3Endpoint: VpcEndpoint;
  /** The internet gateway. */
  public readonly internetGateway: InternetGateway;
  /**
   * The internet gateway, the public route table's default route to it and the public subnets'
   * associations with that table: an internet-facing load balancer depends on them (see INetwork).
   */
  public readonly internetAccess: readonly ITerraformDependable[];

  private readonly region: DataAwsRegion;
  /** With `instanceType`: fail the plan, naming the type, when fewer zones offer it than asked for. */
  private zonePrecondition?: Precondition;
  private readonly interfaceEndpoints = new Map<string, VpcEndpoint>();
  private endpointGroup?: SecurityGroup;

  constructor(scope: Construct, id: string, props: NetworkProps = {}) {
    super(scope, id);
    this.namePrefix = props.namePrefix ?? DEFAULT_NAME_PREFIX;
    validateNamePrefix(this.namePrefix, "Network");
    this.cidr = props.cidr ?? "10.0.0.0/16";
    const vpcBlock = parseIpv4Cidr(this.cidr, "Network cidr");
    if (vpcBlock.prefixLength < MIN_VPC_PREFIX || vpcBlock.prefixLength > MAX_SUBNET_PREFIX) {
      throw new Error(`Network cidr: AWS allows VPC blocks from /${MIN_VPC_PREFIX} to /${MAX_SUBNET_PREFIX}; got ${JSON.stringify(this.cidr)}`);
    }
    this.natGatewayMode = props.natGateways ?? "none";
    if (!NAT_MODES.includes(this.natGatewayMode)) {
      throw new Error(`Network natGateways: expected one of ${NAT_MODES.map((m) => JSON.stringify(m)).join(", ")}; got ${JSON.stringify(props.natGateways)}`);
    }

    this.availabilityZones = this.resolveAvailabilityZones(props);
    const azCount = this.availabilityZones.length;

    // Public subnets in the first half of the VPC, private in the second half.
    const halfPrefix = vpcBlock.prefixLength + 1;
    const subnetPrefix = Math.max(PREFERRED_SUBNET_PREFIX, halfPrefix + Math.ceil(Math.log2(azCount)));
    if (subnetPrefix > MAX_SUBNET_PREFIX) {
      throw new Error(
        `Network cidr: ${this.cidr} has no room for ${2 * azCount} subnets (one public and one private per AZ) ` +
          `of at least /${MAX_SUBNET_PREFIX}, the smallest AWS allows; use /${MAX_SUBNET_PREFIX - 1 - Math.ceil(Math.log2(azCount))} or larger`,
      );
    }
    const publicHalf = subBlock(vpcBlock, halfPrefix, 0);
    const privateHalf = subBlock(vpcBlock, halfPrefix, 1);

    const name = (suffix: string) => ({ Name: `${this.namePrefix}-${suffix}` });

    this.vpc = new Vpc(this, "vpc", {
      ...(this.zonePrecondition ? { lifecycle: { precondition: [this.zonePrecondition] } } : {}),
      cidrBlock: this.cidr,
      // Both needed for interface endpoints' private DNS names.
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: name("vpc"),
    });

    // CKV2_AWS_12: with no ingress/egress blocks Terraform removes every rule from the default group,
    // so anything accidentally placed in it can talk to nothing.
    new DefaultSecurityGroup(this, "default-sg", {
      vpcId: this.vpc.id,
      tags: name("default-no-rules"),
    });

    const igw = new InternetGateway(this, "igw", { vpcId: this.vpc.id, tags: name("igw") });

    this.publicSubnets = this.availabilityZones.map(
      (az, i) =>
        new Subnet(this, `public-${i}`, {
          vpcId: this.vpc.id,
          availabilityZone: az,
          cidrBlock: formatIpv4Cidr(subBlock(publicHalf, subnetPrefix, i)),
          // The ALB gets its addresses from AWS; nothing here should get a public IP implicitly.
          mapPublicIpOnLaunch: false,
          tags: { ...name(`public-${i}`), Tier: "public" },
        }),
    );
    this.privateSubnets = this.availabilityZones.map(
      (az, i) =>
        new Subnet(this, `private-${i}`, {
          vpcId: this.vpc.id,
          availabilityZone: az,
          cidrBlock: formatIpv4Cidr(subBlock(privateHalf, subnetPrefix, i)),
          mapPublicIpOnLaunch: false,
          tags: { ...name(`private-${i}`), Tier: "private" },
        }),
    );

    const publicRouteTable = new RouteTable(this, "public-rt", { vpcId: this.vpc.id, tags: name("public") });
    const publicRoute = new Route(this, "public-internet", {
      routeTableId: publicRouteTable.id,
      destinationCidrBlock: "0.0.0.0/0",
      gatewayId: igw.id,
    });
    const publicAssociations = this.publicSubnets.map(
      (subnet, i) => new RouteTableAssociation(this, `public-rta-${i}`, { subnetId: subnet.id, routeTableId: publicRouteTable.id }),
    );
    this.internetGateway = igw;
    this.internetAccess = [igw, publicRoute, ...publicAssociations];

    this.privateRouteTables = this.privateSubnets.map((subnet, i) => {
      const table = new RouteTable(this, `private-rt-${i}`, { vpcId: this.vpc.id, tags: name(`private-${i}`) });
      new RouteTableAssociation(this, `private-rta-${i}`, { subnetId: subnet.id, routeTableId: table.id });
      return table;
    });

    const natCount = this.natGatewayMode === "none" ? 0 : this.natGatewayMode === "single" ? 1 : azCount;
    this.natGateways = Array.from({ length: natCount }, (_, i) => {
      const eip = new Eip(this, `nat-eip-${i}`, { domain: "vpc", tags: name(`nat-${i}`), dependsOn: [igw] });
      return new NatGateway(this, `nat-${i}`, {
        allocationId: eip.allocationId,
        subnetId: this.publicSubnets[i]!.id,
        tags: name(`nat-${i}`),
        dependsOn: [igw],
      });
    });
    this.privateRouteTables.forEach((table, i) => {
      const nat = this.natGateways[Math.min(i, this.natGateways.length - 1)];
      if (nat) {
        new Route(this, `private-internet-${i}`, { routeTableId: table.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nat.id });
      }
    });

    this.region = new DataAwsRegion(this, "region");
    // Gateway endpoints are free. Serves the artifact bucket and the AL2023 package repositories
    // (https://docs.aws.amazon.com/linux/al2023/ug/managing-repos-os-updates.html).
    this.s3Endpoint = new VpcEndpoint(this, "s3-endpoint", {
      vpcId: this.vpc.id,
      serviceName: `com.amazonaws.${this.region.name}.s3`,
      vpcEndpointType: "Gateway",
      routeTableIds: this.privateRouteTables.map((t) => t.id),
      tags: name("s3"),
    });

    if (props.ssmEndpoints) SSM_ENDPOINT_SERVICES.forEach((service) => this.addInterfaceEndpoint(service));
  }

  /** True when private subnets have a route to the internet (through a NAT gateway). */
  public get hasNatGateway(): boolean {
    return this.natGateways.length > 0;
  }

  /**
   * True when Session Manager can reach the private subnets' instances: a NAT gateway, or interface
   * endpoints for every one of {@link SSM_ENDPOINT_SERVICES} (`ssmEndpoints: true`).
   */
  public get systemsManagerReachable(): boolean {
    return this.hasNatGateway || SSM_ENDPOINT_SERVICES.every((service) => this.interfaceEndpoints.has(service));
  }

  /** ID of the S3 prefix list, for security-group egress rules to S3 through the gateway endpoint. */
  public get s3PrefixListId(): string {
    return this.s3Endpoint.prefixListId;
  }

  /** The security group of the interface endpoints, if any endpoint has been added. */
  public get endpointSecurityGroup(): SecurityGroup | undefined {
    return this.endpointGroup;
  }

  /** The services that have an interface endpoint, in the order they were added. */
  public get interfaceEndpointServices(): readonly string[] {
    return [...this.interfaceEndpoints.keys()];
  }

  /**
   * Add an interface endpoint (AWS PrivateLink) for `service` (e.g. `"secretsmanager"`, `"ssm"`)
   * in every private subnet, with private DNS so the usual AWS API host names resolve to it.
   * Idempotent: a second call for the same service returns the same endpoint, so the Database and
   * the servers can both ask for what they need. Cost: about $7.30/month per AZ ($0.01/hour, us-east-1)
   * + $0.01 per GB processed, i.e. about $14.60/month per service in two AZs.
   * The endpoints share one security group that accepts HTTPS (443) from the VPC CIDR only.
   */
  public addInterfaceEndpoint(service: string): VpcEndpoint {
    if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(service)) {
      throw new Error(
        `Network.addInterfaceEndpoint: expected the short service name from com.amazonaws.<region>.<service>, ` +
          `e.g. "secretsmanager" or "ssm"; got ${JSON.stringify(service)}`,
      );
    }
    const existing = this.interfaceEndpoints.get(service);
    if (existing) return existing;
    const endpoint = new VpcEndpoint(this, `endpoint-${service.replace(/\./g, "-")}`, {
      vpcId: this.vpc.id,
      serviceName: `com.amazonaws.${this.region.name}.${service}`,
      vpcEndpointType: "Interface",
      privateDnsEnabled: true,
      subnetIds: this.privateSubnets.map((s) => s.id),
      securityGroupIds: [this.ensureEndpointGroup().id],
      tags: { Name: `${this.namePrefix}-${service}` },
    });
    this.interfaceEndpoints.set(service, endpoint);
    return endpoint;
  }

  private ensureEndpointGroup(): SecurityGroup {
    if (!this.endpointGroup) {
      this.endpointGroup = new SecurityGroup(this, "endpoints-sg", {
        namePrefix: securityGroupNamePrefix(this.namePrefix, "endpoints"),
        description: "Interface VPC endpoints: HTTPS from inside the VPC only",
        vpcId: this.vpc.id,
        tags: { Name: `${this.namePrefix}-endpoints` },
      });
      new VpcSecurityGroupIngressRule(this, "endpoints-https-in", {
        securityGroupId: this.endpointGroup.id,
        description: "HTTPS from the VPC to AWS API interface endpoints",
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4: this.cidr,
        tags: { Name: `${this.namePrefix}-endpoints-https-in` },
      });
    }
    return this.endpointGroup;
  }

  private resolveAvailabilityZones(props: NetworkProps): readonly string[] {
    if (props.availabilityZones !== undefined) {
      if (props.azCount !== undefined) {
        throw new Error(
          `Network: give either availabilityZones or azCount, not both; got availabilityZones ${JSON.stringify(props.availabilityZones)} and azCount ${props.azCount}`,
        );
      }
      const zones = [...props.availabilityZones];
      if (zones.length < 2 || zones.length > MAX_AZ_COUNT) {
        throw new Error(`Network needs 2 to ${MAX_AZ_COUNT} availability zones; got ${zones.length}: ${JSON.stringify(zones)}`);
      }
      for (const zone of zones) {
        if (!Token.isUnresolved(zone) && !/^[a-z]{2}(-[a-z0-9]+)+[a-z]$/.test(zone)) {
          throw new Error(`Network availabilityZones: ${JSON.stringify(zone)} is not an availability zone name like "us-east-1a"`);
        }
      }
      const duplicates = zones.filter((z, i) => zones.indexOf(z) !== i);
      if (duplicates.length > 0) {
        throw new Error(`Network availabilityZones must be distinct; ${JSON.stringify(duplicates[0])} appears more than once in ${JSON.stringify(zones)}`);
      }
      return zones;
    }
    const count = props.azCount ?? 2;
    if (!Number.isInteger(count) || count < 2 || count > MAX_AZ_COUNT) {
      throw new Error(`Network azCount must be a whole number from 2 to ${MAX_AZ_COUNT}; got ${count}`);
    }
    const zones = new DataAwsAvailabilityZones(this, "azs", {
      state: "available",
      // Regular AZs only: Local Zones and Wavelength Zones need opt-in and lack most services.
      filter: [{ name: "opt-in-status", values: ["opt-in-not-required"] }],
    });
    let names: string[] = zones.names;
    if (props.instanceType !== undefined) {
      const offerings = zonesOfferingInstanceType(this, "offerings", props.instanceType, "Network instanceType");
      // Available regular zones that offer the type, in name order (a set has none of its own).
      names = Fn.sort(Fn.setintersection(zones.names, [offerings.locations]));
      this.zonePrecondition = {
        condition: Op.gte(Fn.lengthOf(names), count),
        errorMessage: `Network needs ${count} availability zones that offer ${props.instanceType}; fewer in this region offer it: choose another instance type (SEEDSTACK_INSTANCE_TYPE)`,
      };
    }
    // element() wraps around a short list, so without the precondition two subnets could share a zone.
    return Array.from({ length: count }, (_, i) => Token.asString(Fn.element(names, i)));
  }
}
