/**
 * The AWS stand-in's pretend VPCs (see aws-stand-in.ts): EC2 DescribeVpcs, DescribeVpcAttribute,
 * DescribeRouteTables (with the routes gateway endpoints add), DescribeSubnets, DescribePrefixLists
 * and DescribeVpcEndpoints in EC2's 2016-11-15 XML, with their filters, for the stacks that place
 * environments in an existing VPC (modules/existing-network.ts).
 * It is NOT AWS: a few fixed, obviously made-up VPCs and subnets, the same in every region.
 */
import { createHash } from "node:crypto";
import { ec2Error, ec2Response, xmlText, type WireResponse } from "./aws-wire.js";

/** A pretend VPC. */
export interface StandInVpc {
  readonly id: string;
  readonly cidr: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** A pretend subnet; its zone is `<region><zoneLetter>`. */
export interface StandInSubnet {
  readonly id: string;
  readonly vpcId: string;
  readonly cidr: string;
  readonly zoneLetter: string;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * A pretend endpoint for `com.amazonaws.<region>.<service>` in a VPC: an interface endpoint in
 * subnets, or a gateway endpoint (S3, DynamoDB) that adds a route to the service's prefix list to
 * each of its route tables, as AWS does.
 */
export type StandInEndpoint =
  | { readonly type: "Interface"; readonly id: string; readonly vpcId: string; readonly service: string; readonly subnetIds: readonly string[] }
  | { readonly type: "Gateway"; readonly id: string; readonly vpcId: string; readonly service: "s3" | "dynamodb"; readonly routeTableIds: readonly string[] };

/**
 * A pretend route table: the VPC's main one (used by every subnet not explicitly associated with
 * another), or one explicitly associated with `subnetIds`. Its routes: the VPC's local route, the
 * internet gateway's default route when it has one, and its gateway endpoints' routes.
 */
export interface StandInRouteTable {
  /** `rtb-...`. */
  readonly id: string;
  /** The VPC it belongs to. */
  readonly vpcId: string;
  /** Whether it is the VPC's main table. */
  readonly main: boolean;
  /** The subnets explicitly associated with it. */
  readonly subnetIds: readonly string[];
  /** An internet gateway its default route (0.0.0.0/0) goes to; absent: no default route. */
  readonly internetGatewayId?: string;
}

/** The stand-in account's networks. */
export interface StandInNetworks {
  readonly vpcs: readonly StandInVpc[];
  readonly subnets: readonly StandInSubnet[];
  readonly routeTables: readonly StandInRouteTable[];
  readonly endpoints: readonly StandInEndpoint[];
}

/** The shared VPC the plan tests place pull-request environments in (test/terraform/plan-configurations.ts). */
export const SHARED_VPC_ID = "vpc-0a1b2c3d4e5f60718";

/**
 * One shared VPC tagged `Name=seedstack-shared`: public subnets in zones a, b and c, private ones in
 * b and c plus a second private subnet in b (so a tag lookup must pick one per zone) and one in a
 * (whose zone offers no t3, see aws-stand-in-services.ts: a lookup for t3 servers passes it over), a Secrets
 * Manager interface endpoint, and an S3 gateway endpoint on the main route table (which the
 * private subnet in c uses, having no table of its own) and on the first private b subnet's table,
 * but not on the second's (`...005`, a subnet whose servers could not reach S3); and an unrelated
 * VPC with a subnet tagged `Tier=public`, which a lookup scoped to the shared VPC must not find.
 */
export const DEFAULT_STAND_IN_NETWORKS: StandInNetworks = {
  vpcs: [
    { id: SHARED_VPC_ID, cidr: "10.20.0.0/16", tags: { Name: "seedstack-shared", Team: "web" } },
    { id: "vpc-0ffffffffffffff01", cidr: "172.31.0.0/16", tags: { Name: "other" } },
  ],
  subnets: [
    { id: "subnet-0a000000000000001", vpcId: SHARED_VPC_ID, cidr: "10.20.0.0/24", zoneLetter: "a", tags: { Name: "shared-public-a", Tier: "public" } },
    { id: "subnet-0a000000000000002", vpcId: SHARED_VPC_ID, cidr: "10.20.1.0/24", zoneLetter: "b", tags: { Name: "shared-public-b", Tier: "public" } },
    { id: "subnet-0a000000000000008", vpcId: SHARED_VPC_ID, cidr: "10.20.2.0/24", zoneLetter: "c", tags: { Name: "shared-public-c", Tier: "public" } },
    { id: "subnet-0b000000000000003", vpcId: SHARED_VPC_ID, cidr: "10.20.128.0/24", zoneLetter: "b", tags: { Name: "shared-private-b", Tier: "private" } },
    { id: "subnet-0b000000000000004", vpcId: SHARED_VPC_ID, cidr: "10.20.129.0/24", zoneLetter: "c", tags: { Name: "shared-private-c", Tier: "private" } },
    { id: "subnet-0b000000000000005", vpcId: SHARED_VPC_ID, cidr: "10.20.130.0/24", zoneLetter: "b", tags: { Name: "shared-private-b2", Tier: "private" } },
    { id: "subnet-0b000000000000007", vpcId: SHARED_VPC_ID, cidr: "10.20.131.0/24", zoneLetter: "a", tags: { Name: "shared-private-a", Tier: "private" } },
    { id: "subnet-0f000000000000006", vpcId: "vpc-0ffffffffffffff01", cidr: "172.31.0.0/20", zoneLetter: "a", tags: { Tier: "public" } },
  ],
  routeTables: [
    { id: "rtb-0d000000000000001", vpcId: SHARED_VPC_ID, main: true, subnetIds: [] },
    { id: "rtb-0d000000000000002", vpcId: SHARED_VPC_ID, main: false, subnetIds: ["subnet-0a000000000000001", "subnet-0a000000000000002", "subnet-0a000000000000008"], internetGatewayId: "igw-0e000000000000001" },
    { id: "rtb-0d000000000000003", vpcId: SHARED_VPC_ID, main: false, subnetIds: ["subnet-0b000000000000003"] },
    { id: "rtb-0d000000000000005", vpcId: SHARED_VPC_ID, main: false, subnetIds: ["subnet-0b000000000000005"] },
    { id: "rtb-0f000000000000001", vpcId: "vpc-0ffffffffffffff01", main: true, subnetIds: [] },
  ],
  endpoints: [
    { type: "Interface", id: "vpce-0c000000000000001", vpcId: SHARED_VPC_ID, service: "secretsmanager", subnetIds: ["subnet-0b000000000000003", "subnet-0b000000000000004"] },
    { type: "Gateway", id: "vpce-0c000000000000002", vpcId: SHARED_VPC_ID, service: "s3", routeTableIds: ["rtb-0d000000000000001", "rtb-0d000000000000003"] },
  ],
};

/** `Prefix.1`, `Prefix.2`, ... values of a query request, in order. */
function numbered(params: URLSearchParams, prefix: string): string[] {
  const values: string[] = [];
  for (let i = 1; params.has(`${prefix}.${i}`); i++) values.push(params.get(`${prefix}.${i}`)!);
  return values;
}

/** The `Filter.N.Name` / `Filter.N.Value.M` pairs of a request. */
function filtersOf(params: URLSearchParams): Array<{ name: string; values: string[] }> {
  const filters: Array<{ name: string; values: string[] }> = [];
  for (let i = 1; params.has(`Filter.${i}.Name`); i++) filters.push({ name: params.get(`Filter.${i}.Name`)!, values: numbered(params, `Filter.${i}.Value`) });
  return filters;
}

/**
 * Apply EC2 filters: `tag:<key>` against the tags, `tag-key`, and the named fields (a field with
 * several values, such as a route table's associated subnets, matches when any of them does). An
 * unknown filter name is EC2's own InvalidParameterValue, so a data source asking for more than we
 * model fails.
 */
function applyFilters<T>(
  items: T[],
  params: URLSearchParams,
  fields: Record<string, (item: T) => string | readonly string[]>,
  tags: (item: T) => Readonly<Record<string, string>>,
): T[] | WireResponse {
  let result = items;
  for (const { name, values } of filtersOf(params)) {
    if (name.startsWith("tag:")) {
      const key = name.slice(4);
      result = result.filter((item) => tags(item)[key] !== undefined && values.includes(tags(item)[key]!));
    } else if (name === "tag-key") {
      result = result.filter((item) => values.some((key) => tags(item)[key] !== undefined));
    } else if (fields[name]) {
      const field = fields[name]!;
      result = result.filter((item) => [field(item)].flat().some((value) => values.includes(value)));
    } else {
      return ec2Error("InvalidParameterValue", `The filter '${name}' is invalid`);
    }
  }
  return result;
}

function tagSet(tags: Readonly<Record<string, string>>): string {
  const items = Object.entries(tags).map(([key, value]) => `<item><key>${xmlText(key)}</key><value>${xmlText(value)}</value></item>`);
  return items.length ? `<tagSet>${items.join("")}</tagSet>` : "<tagSet/>";
}

/** A stable made-up suffix for IDs the fixture does not spell out (association IDs, prefix lists). */
function hexOf(text: string, length: number): string {
  return createHash("sha256").update(text).digest("hex").slice(0, length);
}

/** DescribeVpcs with `VpcId.N` and the filters vpc-id, cidr, cidr-block-association.cidr-block, state, is-default, owner-id, tag:*, tag-key. */
export function describeVpcs(params: URLSearchParams, networks: StandInNetworks, accountId: string): WireResponse {
  const ids = numbered(params, "VpcId");
  const unknown = ids.find((id) => !networks.vpcs.some((vpc) => vpc.id === id));
  if (unknown !== undefined) return ec2Error("InvalidVpcID.NotFound", `The vpc ID '${unknown}' does not exist`);
  const vpcs = applyFilters(
    networks.vpcs.filter((vpc) => ids.length === 0 || ids.includes(vpc.id)),
    params,
    {
      "vpc-id": (vpc) => vpc.id,
      cidr: (vpc) => vpc.cidr,
      "cidr-block-association.cidr-block": (vpc) => vpc.cidr,
      state: () => "available",
      "is-default": () => "false",
      "owner-id": () => accountId,
    },
    (vpc) => vpc.tags,
  );
  if (!Array.isArray(vpcs)) return vpcs;
  const items = vpcs.map(
    (vpc) =>
      `<item><vpcId>${vpc.id}</vpcId><ownerId>${accountId}</ownerId><state>available</state><cidrBlock>${vpc.cidr}</cidrBlock>` +
      `<cidrBlockAssociationSet><item><cidrBlock>${vpc.cidr}</cidrBlock><associationId>vpc-cidr-assoc-${hexOf(vpc.id, 17)}</associationId><cidrBlockState><state>associated</state></cidrBlockState></item></cidrBlockAssociationSet>` +
      `<ipv6CidrBlockAssociationSet/><dhcpOptionsId>dopt-${hexOf(`dopt${vpc.id}`, 17)}</dhcpOptionsId>${tagSet(vpc.tags)}` +
      `<instanceTenancy>default</instanceTenancy><isDefault>false</isDefault></item>`,
  );
  return ec2Response("DescribeVpcs", `<vpcSet>\n${items.join("\n")}\n</vpcSet>`);
}

/** The three VPC attributes EC2 answers one at a time; the values a VPC built for private DNS has. */
const VPC_ATTRIBUTES: Readonly<Record<string, string>> = {
  enableDnsSupport: "enableDnsSupport",
  enableDnsHostnames: "enableDnsHostnames",
  enableNetworkAddressUsageMetrics: "enableNetworkAddressUsageMetrics",
};

/** DescribeVpcAttribute (`VpcId`, `Attribute`): DNS support and host names on, address usage metrics off. */
export function describeVpcAttribute(params: URLSearchParams, networks: StandInNetworks): WireResponse {
  const vpcId = params.get("VpcId") ?? "";
  if (!networks.vpcs.some((vpc) => vpc.id === vpcId)) return ec2Error("InvalidVpcID.NotFound", `The vpc ID '${vpcId}' does not exist`);
  const attribute = params.get("Attribute") ?? "";
  const element = VPC_ATTRIBUTES[attribute];
  if (element === undefined) return ec2Error("InvalidParameterValue", `Value (${attribute}) for parameter attribute is invalid. Unknown attribute.`);
  const value = attribute === "enableNetworkAddressUsageMetrics" ? "false" : "true";
  return ec2Response("DescribeVpcAttribute", `<vpcId>${vpcId}</vpcId>\n<${element}><value>${value}</value></${element}>`);
}

/** `us-east-1` -> `use1`: the prefix of AWS's zone IDs. */
function zoneIdPrefix(region: string): string {
  const [area = "", direction = "", number = ""] = region.split("-");
  return `${area}${direction.charAt(0)}${number}`;
}

/** DescribeSubnets with `SubnetId.N` and the filters vpc-id, subnet-id, availability-zone, cidr-block, state, default-for-az, tag:*, tag-key. */
export function describeSubnets(params: URLSearchParams, networks: StandInNetworks, region: string, accountId: string): WireResponse {
  const ids = numbered(params, "SubnetId");
  const unknown = ids.find((id) => !networks.subnets.some((subnet) => subnet.id === id));
  if (unknown !== undefined) return ec2Error("InvalidSubnetID.NotFound", `The subnet ID '${unknown}' does not exist`);
  const zone = (subnet: StandInSubnet) => `${region}${subnet.zoneLetter}`;
  const subnets = applyFilters(
    networks.subnets.filter((subnet) => ids.length === 0 || ids.includes(subnet.id)),
    params,
    {
      "vpc-id": (subnet) => subnet.vpcId,
      "subnet-id": (subnet) => subnet.id,
      "availability-zone": zone,
      "cidr-block": (subnet) => subnet.cidr,
      cidrBlock: (subnet) => subnet.cidr,
      state: () => "available",
      "default-for-az": () => "false",
    },
    (subnet) => subnet.tags,
  );
  if (!Array.isArray(subnets)) return subnets;
  const items = subnets.map(
    (subnet) =>
      `<item><subnetId>${subnet.id}</subnetId><subnetArn>arn:aws:ec2:${region}:${accountId}:subnet/${subnet.id}</subnetArn><state>available</state>` +
      `<ownerId>${accountId}</ownerId><vpcId>${subnet.vpcId}</vpcId><cidrBlock>${subnet.cidr}</cidrBlock><ipv6CidrBlockAssociationSet/>` +
      `<availableIpAddressCount>251</availableIpAddressCount><availabilityZone>${zone(subnet)}</availabilityZone>` +
      `<availabilityZoneId>${zoneIdPrefix(region)}-az${subnet.zoneLetter.charCodeAt(0) - 96}</availabilityZoneId>` +
      `<defaultForAz>false</defaultForAz><mapPublicIpOnLaunch>false</mapPublicIpOnLaunch><assignIpv6AddressOnCreation>false</assignIpv6AddressOnCreation>` +
      `<mapCustomerOwnedIpOnLaunch>false</mapCustomerOwnedIpOnLaunch><enableDns64>false</enableDns64><ipv6Native>false</ipv6Native>` +
      `<privateDnsNameOptionsOnLaunch><hostnameType>ip-name</hostnameType><enableResourceNameDnsARecord>false</enableResourceNameDnsARecord>` +
      `<enableResourceNameDnsAAAARecord>false</enableResourceNameDnsAAAARecord></privateDnsNameOptionsOnLaunch>${tagSet(subnet.tags)}</item>`,
  );
  return ec2Response("DescribeSubnets", `<subnetSet>\n${items.join("\n")}\n</subnetSet>`);
}

/** The AWS-managed prefix lists of the gateway endpoint services: S3 and DynamoDB in every region. */
function prefixListsOf(region: string): Array<{ id: string; name: string; cidrs: string[] }> {
  return [
    { id: `pl-${hexOf(`s3${region}`, 8)}`, name: `com.amazonaws.${region}.s3`, cidrs: ["198.51.100.0/25", "198.51.100.128/25"] },
    { id: `pl-${hexOf(`dynamodb${region}`, 8)}`, name: `com.amazonaws.${region}.dynamodb`, cidrs: ["203.0.113.0/25"] },
  ];
}

/** DescribePrefixLists with `PrefixListId.N` and the filters prefix-list-id, prefix-list-name (documentation addresses as CIDRs). */
export function describePrefixLists(params: URLSearchParams, region: string): WireResponse {
  const ids = numbered(params, "PrefixListId");
  const lists = applyFilters(
    prefixListsOf(region).filter((list) => ids.length === 0 || ids.includes(list.id)),
    params,
    { "prefix-list-id": (list) => list.id, "prefix-list-name": (list) => list.name },
    () => ({}),
  );
  if (!Array.isArray(lists)) return lists;
  const items = lists.map(
    (list) => `<item><prefixListId>${list.id}</prefixListId><prefixListName>${list.name}</prefixListName><cidrSet>${list.cidrs.map((c) => `<item>${c}</item>`).join("")}</cidrSet></item>`,
  );
  return ec2Response("DescribePrefixLists", `<prefixListSet>\n${items.join("\n")}\n</prefixListSet>`);
}

/** DescribeVpcEndpoints with `VpcEndpointId.N` and the filters vpc-id, service-name, vpc-endpoint-id, vpc-endpoint-state, vpc-endpoint-type, tag:*; interface and gateway endpoints. */
export function describeVpcEndpoints(params: URLSearchParams, networks: StandInNetworks, region: string, accountId: string): WireResponse {
  const ids = numbered(params, "VpcEndpointId");
  const serviceName = (endpoint: StandInEndpoint) => `com.amazonaws.${region}.${endpoint.service}`;
  const endpoints = applyFilters(
    networks.endpoints.filter((endpoint) => ids.length === 0 || ids.includes(endpoint.id)),
    params,
    {
      "vpc-id": (endpoint) => endpoint.vpcId,
      "service-name": serviceName,
      "vpc-endpoint-id": (endpoint) => endpoint.id,
      "vpc-endpoint-state": () => "available",
      "vpc-endpoint-type": (endpoint) => endpoint.type,
    },
    () => ({}),
  );
  if (!Array.isArray(endpoints)) return endpoints;
  const items = endpoints.map((endpoint) => {
    if (endpoint.type === "Gateway") {
      return (
        `<item><vpcEndpointId>${endpoint.id}</vpcEndpointId><vpcEndpointType>Gateway</vpcEndpointType><vpcId>${endpoint.vpcId}</vpcId>` +
        `<serviceName>${serviceName(endpoint)}</serviceName><state>available</state>` +
        `<policyDocument>${xmlText('{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}')}</policyDocument>` +
        `<routeTableIdSet>${endpoint.routeTableIds.map((id) => `<item>${id}</item>`).join("")}</routeTableIdSet><subnetIdSet/><groupSet/>` +
        `<privateDnsEnabled>false</privateDnsEnabled><requesterManaged>false</requesterManaged><networkInterfaceIdSet/><dnsEntrySet/>` +
        `<creationTimestamp>2025-01-31T12:00:00.000Z</creationTimestamp><tagSet/><ownerId>${accountId}</ownerId></item>`
      );
    }
    const dnsName = `${endpoint.id}-${hexOf(endpoint.id, 8)}.${endpoint.service}.${region}.vpce.amazonaws.com`;
    return (
      `<item><vpcEndpointId>${endpoint.id}</vpcEndpointId><vpcEndpointType>Interface</vpcEndpointType><vpcId>${endpoint.vpcId}</vpcId>` +
      `<serviceName>${serviceName(endpoint)}</serviceName><state>available</state>` +
      `<policyDocument>${xmlText('{"Statement":[{"Action":"*","Effect":"Allow","Principal":"*","Resource":"*"}]}')}</policyDocument>` +
      `<routeTableIdSet/><subnetIdSet>${endpoint.subnetIds.map((id) => `<item>${id}</item>`).join("")}</subnetIdSet>` +
      `<groupSet><item><groupId>sg-${hexOf(endpoint.id, 17)}</groupId><groupName>endpoints</groupName></item></groupSet>` +
      `<ipAddressType>ipv4</ipAddressType><dnsOptions><dnsRecordIpType>ipv4</dnsRecordIpType></dnsOptions>` +
      `<privateDnsEnabled>true</privateDnsEnabled><requesterManaged>false</requesterManaged>` +
      `<networkInterfaceIdSet>${endpoint.subnetIds.map((id) => `<item>eni-${hexOf(id, 17)}</item>`).join("")}</networkInterfaceIdSet>` +
      `<dnsEntrySet><item><dnsName>${dnsName}</dnsName><hostedZoneId>Z7HUB22UULQXV</hostedZoneId></item></dnsEntrySet>` +
      `<creationTimestamp>2025-01-31T12:00:00.000Z</creationTimestamp><tagSet/><ownerId>${accountId}</ownerId></item>`
    );
  });
  return ec2Response("DescribeVpcEndpoints", `<vpcEndpointSet>\n${items.join("\n")}\n</vpcEndpointSet>`);
}

/** The routes a gateway endpoint adds to each of its route tables: the service's prefix list to the endpoint. */
function gatewayRoutesOf(table: StandInRouteTable, networks: StandInNetworks, region: string): Array<{ prefixListId: string; endpointId: string }> {
  return networks.endpoints.flatMap((endpoint) => {
    if (endpoint.type !== "Gateway" || !endpoint.routeTableIds.includes(table.id)) return [];
    const list = prefixListsOf(region).find((l) => l.name === `com.amazonaws.${region}.${endpoint.service}`)!;
    return [{ prefixListId: list.id, endpointId: endpoint.id }];
  });
}

/**
 * DescribeRouteTables with `RouteTableId.N` and the filters vpc-id, route-table-id, association.main,
 * association.subnet-id (explicit associations only, as EC2: a subnet on the main table has none)
 * and route.destination-prefix-list-id (the routes gateway endpoints add).
 */
export function describeRouteTables(params: URLSearchParams, networks: StandInNetworks, region: string, accountId: string): WireResponse {
  const ids = numbered(params, "RouteTableId");
  const unknown = ids.find((id) => !networks.routeTables.some((table) => table.id === id));
  if (unknown !== undefined) return ec2Error("InvalidRouteTableID.NotFound", `The routeTable ID '${unknown}' does not exist`);
  const tables = applyFilters(
    networks.routeTables.filter((table) => ids.length === 0 || ids.includes(table.id)),
    params,
    {
      "vpc-id": (table) => table.vpcId,
      "route-table-id": (table) => table.id,
      "association.main": (table) => String(table.main),
      "association.subnet-id": (table) => table.subnetIds,
      "route.destination-prefix-list-id": (table) => gatewayRoutesOf(table, networks, region).map((route) => route.prefixListId),
    },
    () => ({}),
  );
  if (!Array.isArray(tables)) return tables;
  const items = tables.map((table) => {
    const vpc = networks.vpcs.find((v) => v.id === table.vpcId)!;
    const routes = [
      `<item><destinationCidrBlock>${vpc.cidr}</destinationCidrBlock><gatewayId>local</gatewayId><state>active</state><origin>CreateRouteTable</origin></item>`,
      ...(table.internetGatewayId ? [`<item><destinationCidrBlock>0.0.0.0/0</destinationCidrBlock><gatewayId>${table.internetGatewayId}</gatewayId><state>active</state><origin>CreateRoute</origin></item>`] : []),
      ...gatewayRoutesOf(table, networks, region).map(
        (route) => `<item><destinationPrefixListId>${route.prefixListId}</destinationPrefixListId><gatewayId>${route.endpointId}</gatewayId><state>active</state><origin>CreateRoute</origin></item>`,
      ),
    ];
    const association = (subnetId: string | undefined) =>
      `<item><routeTableAssociationId>rtbassoc-${hexOf(`assoc${table.id}${subnetId ?? ""}`, 17)}</routeTableAssociationId><routeTableId>${table.id}</routeTableId>` +
      `${subnetId ? `<subnetId>${subnetId}</subnetId>` : ""}<main>${subnetId ? "false" : "true"}</main><associationState><state>associated</state></associationState></item>`;
    const associations = [...(table.main ? [association(undefined)] : []), ...table.subnetIds.map(association)];
    return (
      `<item><routeTableId>${table.id}</routeTableId><vpcId>${table.vpcId}</vpcId><ownerId>${accountId}</ownerId>` +
      `<routeSet>${routes.join("")}</routeSet><associationSet>${associations.join("")}</associationSet><propagatingVgwSet/><tagSet/></item>`
    );
  });
  return ec2Response("DescribeRouteTables", `<routeTableSet>\n${items.join("\n")}\n</routeTableSet>`);
}
