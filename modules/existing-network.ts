/**
 * ExistingNetwork: a VPC and subnets that already exist, looked up by ID or by tags, as AWS CDK's
 * `Vpc.fromLookup` does; but with Terraform data sources (`aws_vpc`, `aws_subnets`, `aws_subnet`),
 * so the lookup happens when Terraform plans, not when cdktf synthesizes (synthesis stays offline).
 *
 * Why: every `Network` is a VPC of its own, and AWS allows 5 VPCs per region by default (the
 * default VPC counts). Pull-request environments placed in one shared VPC cost no VPC each.
 *
 * It creates nothing in the VPC: no subnets, routes, gateways or endpoints (two environments
 * sharing the VPC would fight over them), and it leaves the VPC's default security group alone
 * (it belongs to the VPC's owner). What the servers need from the VPC is the owner's job: see
 * {@link ExistingNetworkProps.natGateway}.
 */
import { Construct } from "constructs";
import { Fn, Op, TerraformIterator, Token, ref, type ITerraformDependable, type Postcondition, type Precondition } from "cdktf";
import { DataAwsVpc } from "@cdktf/provider-aws/lib/data-aws-vpc/index.js";
import { DataAwsSubnets } from "@cdktf/provider-aws/lib/data-aws-subnets/index.js";
import { DataAwsSubnet } from "@cdktf/provider-aws/lib/data-aws-subnet/index.js";
import { DataAwsPrefixList } from "@cdktf/provider-aws/lib/data-aws-prefix-list/index.js";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region/index.js";
import { DataAwsVpcEndpoint } from "@cdktf/provider-aws/lib/data-aws-vpc-endpoint/index.js";
import type { DataAwsEc2InstanceTypeOfferings } from "@cdktf/provider-aws/lib/data-aws-ec2-instance-type-offerings/index.js";
import type { INetwork } from "./contracts.js";
import { DEFAULT_NAME_PREFIX, validateNamePrefix } from "./naming.js";
import {
  DEFAULT_PRIVATE_SUBNET_TAGS,
  DEFAULT_PUBLIC_SUBNET_TAGS,
  MAX_SELECTED_ZONES,
  type SubnetSelection,
  type VpcSelection,
  validateSubnetSelection,
  validateVpcSelection,
} from "./network-selection.js";
import { zonesOfferingInstanceType } from "./instance-type-offerings.js";
import { requireS3GatewayRoutes, type S3GatewayRouteCheck } from "./s3-route-check.js";

export type { SubnetSelection, VpcSelection } from "./network-selection.js";

/** Properties of an {@link ExistingNetwork}. */
export interface ExistingNetworkProps {
  /** The VPC: `{ id: "vpc-..." }` or `{ tags: { Name: "shared" } }` (the tags must match exactly one VPC). */
  readonly vpc: VpcSelection;
  /**
   * The load balancer's subnets: `{ ids: [...] }` (2 or more, in distinct availability zones, all
   * used) or `{ tags: {...} }` (in this VPC; one in each of the servers' zones, the first subnet
   * ID in each).
   * @default the subnets tagged `Tier=public`, as `Network` tags its own
   */
  readonly publicSubnets?: SubnetSelection;
  /**
   * The servers' and the database's subnets: `{ ids: [...] }` (2 or more, in distinct zones, all
   * used; the plan fails naming one in a zone that is not usable) or `{ tags: {...} }` (one per
   * zone, the first `zoneCount` usable zones by name, the first subnet ID in each). A zone is
   * usable where the load balancer has a subnet (an Application Load Balancer sends no traffic to
   * targets in a zone it is not in) and, with `instanceType`, that offers the type.
   * @default the subnets tagged `Tier=private`, as `Network` tags its own
   */
  readonly privateSubnets?: SubnetSelection;
  /**
   * With a tag selection of the servers' subnets: how many availability zones to use, as CDK's
   * `onePerAz` (see `privateSubnets`). The plan fails, counting what it found, when fewer zones are
   * usable. Ignored when the servers' subnets are given by IDs (all given IDs are used, and the
   * load balancer's follow them).
   * @default two availability zones
   */
  readonly zoneCount?: number;
  /**
   * The servers' EC2 instance type: the private subnets must be in zones that offer it (looked up
   * with `aws_ec2_instance_type_offerings`, as `Network` does; in us-east-1, use1-az3 offers no
   * t3, and a server placed there fails at apply). By tags, zones that do not offer it are passed
   * over; by IDs, the plan fails naming a subnet in such a zone.
   * @default any zone where the load balancer has a subnet
   */
  readonly instanceType?: string;
  /**
   * Whether the private subnets reach the internet through a NAT gateway. Then the servers may send
   * HTTPS anywhere (AWS APIs, package repositories) and Session Manager can reach them.
   * Without it the VPC must give the private subnets an S3 gateway endpoint (the seed-server bundle
   * and the Amazon Linux package repositories are in S3): the plan checks that each private
   * subnet's route table routes S3 through one, and fails naming the subnet and table otherwise.
   * With a database it also needs a Secrets Manager interface endpoint with private DNS, which the
   * plan looks up and fails without.
   * @default no NAT gateway: AWS services only through the VPC's endpoints
   */
  readonly natGateway?: boolean;
  /**
   * Prefix of names this construct gives (none today: it creates nothing; kept so it can stand in
   * for a `Network` prop for prop).
   * @default "seedstack"
   */
  readonly namePrefix?: string;
}

/** One tier's subnets as looked up: the per-zone subnet data sources and their zones. */
interface LookedUpTier {
  readonly subnets: readonly DataAwsSubnet[];
  readonly zones: readonly string[];
}

/**
 * A VPC and its subnets found by ID or tags, usable wherever a `Network` is (it implements
 * `INetwork`). Security-group rules that mean "inside the VPC" use the looked-up VPC's
 * `cidr_block`.
 *
 * ```ts
 * const network = new ExistingNetwork(this, "network", {
 *   vpc: { tags: { Name: "shared-previews" } },
 *   publicSubnets: { tags: { Tier: "public" } },
 *   privateSubnets: { ids: ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"] },
 * });
 * ```
 */
export class ExistingNetwork extends Construct implements INetwork {
  /** The VPC, as the `aws_vpc` data source read it. */
  public readonly vpc: DataAwsVpc;
  /** One public subnet per zone (`aws_subnet` data sources). */
  public readonly publicSubnets: readonly DataAwsSubnet[];
  /** One private subnet per zone (`aws_subnet` data sources). */
  public readonly privateSubnets: readonly DataAwsSubnet[];
  /** The private subnets' availability zones (tokens: known when Terraform plans). */
  public readonly availabilityZones: readonly string[];
  /** The public subnets' availability zones (tokens). */
  public readonly publicAvailabilityZones: readonly string[];
  /** Whether the private subnets reach the internet through a NAT gateway (as told, not checked). */
  public readonly hasNatGateway: boolean;
  /** The prefix used for names. */
  public readonly namePrefix: string;
  /** Nothing to wait for: the VPC's internet gateway exists already. */
  public readonly internetAccess: readonly ITerraformDependable[] = [];
  /** The region's S3 prefix list (AWS-managed, exists in every region), for egress rules to S3. */
  public readonly s3PrefixList: DataAwsPrefixList;
  /** The zones offering `instanceType` (absent without one). */
  public readonly instanceTypeOfferings?: DataAwsEc2InstanceTypeOfferings;
  /** Without a NAT gateway: the lookups that check the private subnets route S3 through a gateway endpoint. */
  public readonly s3RouteCheck?: S3GatewayRouteCheck;

  private readonly region: DataAwsRegion;
  private readonly interfaceEndpoints = new Map<string, DataAwsVpcEndpoint>();

  constructor(scope: Construct, id: string, props: ExistingNetworkProps) {
    super(scope, id);
    this.namePrefix = props.namePrefix ?? DEFAULT_NAME_PREFIX;
    validateNamePrefix(this.namePrefix, "ExistingNetwork");
    const vpc = validateVpcSelection(props.vpc, "ExistingNetwork vpc");
    const publicSelection = validateSubnetSelection(props.publicSubnets ?? { tags: DEFAULT_PUBLIC_SUBNET_TAGS }, "ExistingNetwork publicSubnets");
    const privateSelection = validateSubnetSelection(props.privateSubnets ?? { tags: DEFAULT_PRIVATE_SUBNET_TAGS }, "ExistingNetwork privateSubnets");
    const zoneCount = props.zoneCount ?? 2;
    if (!Number.isInteger(zoneCount) || zoneCount < 2 || zoneCount > MAX_SELECTED_ZONES) {
      throw new Error(`ExistingNetwork zoneCount must be a whole number from 2 to ${MAX_SELECTED_ZONES} (a load balancer and a database need two zones); got ${zoneCount}`);
    }
    this.hasNatGateway = props.natGateway ?? false;

    this.vpc = new DataAwsVpc(this, "vpc", "id" in vpc ? { id: vpc.id } : { tags: { ...vpc.tags } });
    if (props.instanceType !== undefined) {
      this.instanceTypeOfferings = zonesOfferingInstanceType(this, "offerings", props.instanceType, "ExistingNetwork instanceType");
    }

    const publicCandidates = this.readCandidates("public", publicSelection);
    const privateCandidates = this.readCandidates("private", privateSelection);
    // Only the servers' tier needs the instance type; the load balancer follows the servers' zones.
    const offering = this.instanceTypeOfferings ? { instanceType: props.instanceType!, zones: this.instanceTypeOfferings.locations } : undefined;
    const privateTier = this.choosePrivate(privateCandidates, zoneCount, publicCandidates, offering);
    const publicTier = this.choosePublic(publicCandidates, privateTier.zones);
    this.publicSubnets = publicTier.subnets;
    this.privateSubnets = privateTier.subnets;
    this.publicAvailabilityZones = publicTier.zones;
    this.availabilityZones = privateTier.zones;

    this.region = new DataAwsRegion(this, "region");
    this.s3PrefixList = new DataAwsPrefixList(this, "s3-prefix-list", { name: `com.amazonaws.${this.region.name}.s3` });
    if (!this.hasNatGateway) {
      this.s3RouteCheck = requireS3GatewayRoutes(this, { vpc: this.vpc, s3PrefixList: this.s3PrefixList, subnets: this.privateSubnets });
    }
  }

  /** Session Manager reaches the servers only through a NAT gateway here (interface endpoints of the VPC are not assumed). */
  public get systemsManagerReachable(): boolean {
    return this.hasNatGateway;
  }

  /** ID of the region's S3 prefix list. */
  public get s3PrefixListId(): string {
    return this.s3PrefixList.id;
  }

  /**
   * What servers that fetch from S3 at boot wait for: the prefix list lookup (the route to S3 is
   * the VPC's own, already there).
   */
  public get s3Endpoint(): ITerraformDependable {
    return this.s3PrefixList;
  }

  /** The services whose interface endpoints were looked up, in the order asked for. */
  public get interfaceEndpointServices(): readonly string[] {
    return [...this.interfaceEndpoints.keys()];
  }

  /**
   * Look up the VPC's interface endpoint for `service` (e.g. `"secretsmanager"`): the plan fails when
   * the VPC has none (available, Interface type). Creating one here is not an option: private DNS
   * allows one endpoint per service in a VPC, so the second environment sharing the VPC would fail.
   * Idempotent.
   */
  public addInterfaceEndpoint(service: string): DataAwsVpcEndpoint {
    if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(service)) {
      throw new Error(
        `ExistingNetwork.addInterfaceEndpoint: expected the short service name from com.amazonaws.<region>.<service>, e.g. "secretsmanager"; got ${JSON.stringify(service)}`,
      );
    }
    const existing = this.interfaceEndpoints.get(service);
    if (existing) return existing;
    const endpoint = new DataAwsVpcEndpoint(this, `endpoint-${service.replace(/\./g, "-")}`, {
      vpcId: this.vpc.id,
      serviceName: `com.amazonaws.${this.region.name}.${service}`,
      state: "available",
      filter: [{ name: "vpc-endpoint-type", values: ["Interface"] }],
    });
    this.interfaceEndpoints.set(service, endpoint);
    return endpoint;
  }

  /**
   * Candidates (the IDs given, or every subnet of the VPC with the tags), read one by one for their
   * zone and VPC (a postcondition names a subnet of another VPC), grouped by zone.
   */
  private readCandidates(tier: "public" | "private", selection: SubnetSelection): Candidates {
    let ids: string[];
    if ("ids" in selection) {
      ids = [...selection.ids];
    } else {
      const found = new DataAwsSubnets(this, `${tier}-lookup`, {
        filter: [{ name: "vpc-id", values: [this.vpc.id] }, ...Object.entries(selection.tags).map(([key, value]) => ({ name: `tag:${key}`, values: [value] }))],
      });
      ids = found.ids;
    }
    const each = TerraformIterator.fromList(ids);
    const read = new DataAwsSubnet(this, `${tier}-candidates`, {
      forEach: each,
      id: each.value as string,
      lifecycle: {
        postcondition: [
          {
            condition: Op.eq(ref("self.vpc_id"), this.vpc.id),
            errorMessage: `ExistingNetwork: ${tier} subnet \${self.id} is in \${self.vpc_id}, not in the network's VPC`,
          },
        ],
      },
    });
    // zone -> the candidates' IDs in it (the `...` groups them).
    const byZone = TerraformIterator.fromDataSources(read).forExpressionForMap("val.availability_zone", "val.id...");
    return {
      tier,
      selection,
      givenIds: "ids" in selection ? ids : undefined,
      byZone,
      zones: Token.asList(Fn.keys(byZone)),
      // HCL iterates a map in key order, as keys() lists it: firsts[i] is zones[i]'s first subnet.
      firsts: Token.asList(TerraformIterator.fromMap(byZone).forExpressionForList("sort(val)[0]")),
    };
  }

  /**
   * The servers' subnets. By IDs: all of them, in as many zones (a precondition), each in a zone
   * that offers the instance type and holds one of the load balancer's subnets (postconditions).
   * By tags: one per zone, the first `zoneCount` zones by name among those that offer the type and
   * hold a load-balancer subnet (an Application Load Balancer sends no traffic to targets in a
   * zone it has no subnet in: they stay `unused`, Target.NotInUse), the first subnet ID in each.
   */
  private choosePrivate(candidates: Candidates, zoneCount: number, loadBalancer: Candidates, offering?: ZoneOffering): LookedUpTier {
    const lbWhere = loadBalancer.givenIds ? "among the public subnets given" : `with the tags ${tagText((loadBalancer.selection as { tags: Record<string, string> }).tags)}`;
    if (candidates.givenIds) {
      const wanted = candidates.givenIds.length;
      const postcondition = [
        ...(offering
          ? [
              {
                condition: Fn.contains(offering.zones, ref("self.availability_zone")),
                errorMessage:
                  `ExistingNetwork: private subnet \${self.id} is in \${self.availability_zone}, which does not offer ${offering.instanceType} ` +
                  `(not every zone offers every type): give subnets in zones that do, or choose another instance type (SEEDSTACK_INSTANCE_TYPE)`,
              },
            ]
          : []),
        {
          condition: Fn.contains(loadBalancer.zones, ref("self.availability_zone")),
          errorMessage:
            `ExistingNetwork: private subnet \${self.id} is in \${self.availability_zone}, where the load balancer has no subnet ${lbWhere}: ` +
            `it would send the servers there no traffic; give public subnets in the servers' zones`,
        },
      ];
      return this.perZone("private", wanted, (i) => Fn.element(candidates.firsts, i), {
        condition: Op.eq(Fn.lengthOf(candidates.zones), wanted),
        errorMessage: `ExistingNetwork: the ${wanted} private subnets given must be in ${wanted} different availability zones; found them in ${Token.asString(Fn.lengthOf(candidates.zones))} zone(s)`,
      }, postcondition);
    }
    const tags = (candidates.selection as { tags: Record<string, string> }).tags;
    // Zones that offer the type (when one is given) and hold a load-balancer subnet.
    const usable = offering ? Fn.setintersection(offering.zones, [loadBalancer.zones]) : loadBalancer.zones;
    const chosen = Fn.matchkeys(candidates.firsts, candidates.zones, usable);
    const chosenZones = Token.asList(Fn.matchkeys(candidates.zones, candidates.zones, usable));
    const offered = offering ? `, ${Token.asString(Fn.lengthOf(Fn.matchkeys(candidates.zones, candidates.zones, offering.zones)))} offering ${offering.instanceType}` : "";
    const errorMessage =
      `ExistingNetwork needs private subnets with the tags ${tagText(tags)} in at least ${zoneCount} availability zones of the VPC` +
      `${offering ? ` that offer ${offering.instanceType} and` : " that"} hold a load-balancer subnet ${lbWhere} ` +
      `(a load balancer sends no traffic to servers in a zone it has no subnet in); ` +
      `found them in ${Token.asString(Fn.lengthOf(candidates.zones))} zone(s)${offered}, ${Token.asString(Fn.lengthOf(chosenZones))} of ${offering ? "those" : "them"} with a load-balancer subnet` +
      `${offering ? `; or choose another instance type (SEEDSTACK_INSTANCE_TYPE)` : ""}`;
    return this.perZone("private", zoneCount, (i) => Fn.element(chosen, i), { condition: Op.gte(Fn.lengthOf(chosenZones), zoneCount), errorMessage });
  }

  /**
   * The load balancer's subnets. By IDs: all of them, in as many zones (a precondition). By tags:
   * one in each of the servers' zones (the first subnet ID in each), which the servers' choice
   * already made sure hold one.
   */
  private choosePublic(candidates: Candidates, serverZones: readonly string[]): LookedUpTier {
    if (candidates.givenIds) {
      const wanted = candidates.givenIds.length;
      return this.perZone("public", wanted, (i) => Fn.element(candidates.firsts, i), {
        condition: Op.eq(Fn.lengthOf(candidates.zones), wanted),
        errorMessage: `ExistingNetwork: the ${wanted} public subnets given must be in ${wanted} different availability zones; found them in ${Token.asString(Fn.lengthOf(candidates.zones))} zone(s)`,
      });
    }
    return this.perZone("public", serverZones.length, (i) => Fn.element(Fn.sort(Fn.lookup(candidates.byZone, serverZones[i]!)), 0));
  }

  /**
   * One `aws_subnet` data source per zone used (`<tier>-<i>`, its ID `idAt(i)`), with the tier's
   * conditions. (element() wraps around a short list; the precondition stops the plan before that
   * matters.)
   */
  private perZone(tier: "public" | "private", count: number, idAt: (i: number) => unknown, precondition?: Precondition, postcondition?: Postcondition[]): LookedUpTier {
    const subnets = Array.from(
      { length: count },
      (_, i) =>
        new DataAwsSubnet(this, `${tier}-${i}`, {
          id: Token.asString(idAt(i)),
          ...(precondition || postcondition
            ? { lifecycle: { ...(precondition ? { precondition: [precondition] } : {}), ...(postcondition ? { postcondition } : {}) } }
            : {}),
        }),
    );
    return { subnets, zones: subnets.map((s) => s.availabilityZone) };
  }
}

/** One tier's candidate subnets, read and grouped by zone (tokens, known when Terraform plans). */
interface Candidates {
  readonly tier: "public" | "private";
  readonly selection: SubnetSelection;
  /** The IDs given, all of which are used; absent for a tag selection. */
  readonly givenIds?: readonly string[];
  /** zone -> the candidates' IDs in it. */
  readonly byZone: unknown;
  /** The zones holding candidates, in name order. */
  readonly zones: string[];
  /** Each zone's first candidate ID, in the order of `zones`. */
  readonly firsts: string[];
}

/** For the servers' tier: the instance type and the zones that offer it (a token list). */
interface ZoneOffering {
  readonly instanceType: string;
  readonly zones: string[];
}

function tagText(tags: Readonly<Record<string, string>>): string {
  return Object.entries(tags).map(([k, v]) => `${k}=${v}`).join(",");
}
