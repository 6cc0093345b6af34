/**
 * The read-only AWS actions the stand-in answers (see aws-stand-in.ts), each in its service's real
 * wire format: exactly the calls `terraform plan` of our stacks makes, found by running it.
 * Every other action gets the service's own "not supported" error naming the action.
 */
import { ec2Error, ec2Response, jsonError, jsonResponse, queryError, queryResponse, xmlText, type WireResponse } from "./aws-wire.js";
import {
  DEFAULT_STAND_IN_NETWORKS,
  describePrefixLists,
  describeRouteTables,
  describeSubnets,
  describeVpcAttribute,
  describeVpcEndpoints,
  describeVpcs,
  type StandInNetworks,
} from "./aws-stand-in-network.js";

/** The facts the stand-in reports about its pretend account. */
export interface StandInAccount {
  /** The 12-digit account ID STS reports. */
  readonly accountId: string;
  /** The AMI ID every public AL2023 SSM parameter resolves to. */
  readonly amiId: string;
  /** How many availability zones each region has (named `<region>a`, `b`, ...). */
  readonly zonesPerRegion: number;
  /**
   * Instance types a zone does not offer: zone letter -> type prefixes (`t3.` for the family).
   * Real regions have such zones (us-east-1's use1-az3 offers no t3).
   */
  readonly missingOfferings: Readonly<Record<string, readonly string[]>>;
  /** The VPCs, subnets and interface endpoints that exist already (aws-stand-in-network.ts). */
  readonly networks: StandInNetworks;
}

/** The stand-in's account unless told otherwise: documentation values, obviously not real. */
export const DEFAULT_STAND_IN_ACCOUNT: StandInAccount = {
  accountId: "123456789012",
  amiId: "ami-0123456789abcdef0",
  zonesPerRegion: 3,
  // The first zone lacks the t3 family, as a real account's can: stacks must not pick it for t3.
  missingOfferings: { a: ["t3."] },
  networks: DEFAULT_STAND_IN_NETWORKS,
};

/** Why an action is refused: named, so a new data source fails loudly instead of planning on made-up data. */
export function unsupportedMessage(service: string, action: string): string {
  return `seedstack's AWS stand-in does not answer ${service}:${action}; teach test/terraform/aws-stand-in-services.ts this call (in AWS's wire format) if a stack now needs it`;
}

// ---- EC2 (query protocol, XML) ----------------------------------------------------------------

interface Zone {
  readonly "zone-name": string;
  readonly "zone-id": string;
  readonly state: string;
  readonly "region-name": string;
  readonly "opt-in-status": string;
  readonly "zone-type": string;
  readonly "group-name": string;
  readonly "network-border-group": string;
}

/** `us-east-1` -> `use1`, `eu-west-2` -> `euw2`: the prefix of AWS's zone IDs (`use1-az1`). */
function zoneIdPrefix(region: string): string {
  const [area = "", direction = "", number = ""] = region.split("-");
  return `${area}${direction.charAt(0)}${number}`;
}

function zonesOf(region: string, count: number): Zone[] {
  return Array.from({ length: count }, (_, i) => ({
    "zone-name": `${region}${String.fromCharCode(97 + i)}`,
    "zone-id": `${zoneIdPrefix(region)}-az${i + 1}`,
    state: "available",
    "region-name": region,
    "opt-in-status": "opt-in-not-required",
    "zone-type": "availability-zone",
    "group-name": region,
    "network-border-group": region,
  }));
}

/** `Prefix.1`, `Prefix.2`, ... values of a query request, in order. */
function numbered(params: URLSearchParams, prefix: string): string[] {
  const values: string[] = [];
  for (let i = 1; params.has(`${prefix}.${i}`); i++) values.push(params.get(`${prefix}.${i}`)!);
  return values;
}

/** DescribeAvailabilityZones with its `Filter.N.Name` / `Filter.N.Value.M`, `ZoneName.N` and `ZoneId.N` parameters. */
function describeAvailabilityZones(params: URLSearchParams, region: string, account: StandInAccount): WireResponse {
  let zones = zonesOf(region, account.zonesPerRegion);
  for (let i = 1; params.has(`Filter.${i}.Name`); i++) {
    const name = params.get(`Filter.${i}.Name`)!;
    const values = numbered(params, `Filter.${i}.Value`);
    if (!(name in zones[0]!)) return ec2Error("InvalidParameterValue", `The filter '${name}' is invalid`);
    zones = zones.filter((zone) => values.includes(zone[name as keyof Zone]));
  }
  const names = numbered(params, "ZoneName");
  if (names.length > 0) zones = zones.filter((zone) => names.includes(zone["zone-name"]));
  const ids = numbered(params, "ZoneId");
  if (ids.length > 0) zones = zones.filter((zone) => ids.includes(zone["zone-id"]));
  const items = zones
    .map(
      (zone) =>
        `<item><zoneName>${zone["zone-name"]}</zoneName><zoneState>${zone.state}</zoneState><regionName>${zone["region-name"]}</regionName>` +
        `<messageSet/><zoneId>${zone["zone-id"]}</zoneId><zoneType>${zone["zone-type"]}</zoneType><optInStatus>${zone["opt-in-status"]}</optInStatus>` +
        `<groupName>${zone["group-name"]}</groupName><networkBorderGroup>${zone["network-border-group"]}</networkBorderGroup></item>`,
    )
    .join("\n");
  return ec2Response("DescribeAvailabilityZones", `<availabilityZoneInfo>\n${items}\n</availabilityZoneInfo>`);
}

/**
 * DescribeInstanceTypeOfferings with `LocationType` (region, availability-zone) and the filters
 * `instance-type` and `location`. Only the types a filter names are known (the stand-in holds no
 * catalogue); without an instance-type filter it answers t3.micro, as a stand-in must not invent more.
 */
function describeInstanceTypeOfferings(params: URLSearchParams, region: string, account: StandInAccount): WireResponse {
  const locationType = params.get("LocationType") ?? "region";
  if (locationType !== "availability-zone" && locationType !== "region") {
    return ec2Error("InvalidParameterValue", `seedstack's AWS stand-in knows LocationType region and availability-zone; got ${locationType}`);
  }
  let types = ["t3.micro"];
  let locations: string[] | undefined;
  for (let i = 1; params.has(`Filter.${i}.Name`); i++) {
    const name = params.get(`Filter.${i}.Name`)!;
    const values = numbered(params, `Filter.${i}.Value`);
    if (name === "instance-type") types = values;
    else if (name === "location") locations = values;
    else return ec2Error("InvalidParameterValue", `The filter '${name}' is invalid`);
  }
  const zones = zonesOf(region, account.zonesPerRegion).map((zone) => zone["zone-name"]);
  const offered = (zone: string, type: string) => !(account.missingOfferings[zone.slice(region.length)] ?? []).some((prefix) => type.startsWith(prefix));
  const offerings =
    locationType === "region"
      ? types.map((type) => ({ type, location: region }))
      : types.flatMap((type) => zones.filter((zone) => offered(zone, type)).map((zone) => ({ type, location: zone })));
  const items = offerings
    .filter((o) => locations === undefined || locations.includes(o.location))
    .map((o) => `<item><instanceType>${xmlText(o.type)}</instanceType><locationType>${locationType}</locationType><location>${o.location}</location></item>`)
    .join("\n");
  return ec2Response("DescribeInstanceTypeOfferings", `<instanceTypeOfferingSet>\n${items}\n</instanceTypeOfferingSet>`);
}

/** An EC2 query request. */
export function answerEc2(params: URLSearchParams, region: string, account: StandInAccount): WireResponse {
  const action = params.get("Action") ?? "";
  if (action === "DescribeAvailabilityZones") return describeAvailabilityZones(params, region, account);
  if (action === "DescribeInstanceTypeOfferings") return describeInstanceTypeOfferings(params, region, account);
  if (action === "DescribeVpcs") return describeVpcs(params, account.networks, account.accountId);
  if (action === "DescribeVpcAttribute") return describeVpcAttribute(params, account.networks);
  if (action === "DescribeRouteTables") return describeRouteTables(params, account.networks, region, account.accountId);
  if (action === "DescribeSubnets") return describeSubnets(params, account.networks, region, account.accountId);
  if (action === "DescribePrefixLists") return describePrefixLists(params, region);
  if (action === "DescribeVpcEndpoints") return describeVpcEndpoints(params, account.networks, region, account.accountId);
  return ec2Error("UnsupportedOperation", unsupportedMessage("ec2", action || "(no Action)"));
}

// ---- STS (query protocol, XML) ----------------------------------------------------------------

const STS_NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";

/** An STS query request: GetCallerIdentity, which the provider makes to learn the account ID. */
export function answerSts(params: URLSearchParams, account: StandInAccount): WireResponse {
  const action = params.get("Action") ?? "";
  if (action === "GetCallerIdentity") {
    return queryResponse(
      STS_NAMESPACE,
      "GetCallerIdentity",
      `    <Arn>arn:aws:iam::${account.accountId}:user/seedstack-stand-in</Arn>\n    <UserId>AIDASTANDINEXAMPLE0001</UserId>\n    <Account>${account.accountId}</Account>`,
    );
  }
  return queryError(STS_NAMESPACE, "UnsupportedOperation", unsupportedMessage("sts", action || "(no Action)"));
}

// ---- SSM (JSON 1.1) ---------------------------------------------------------------------------

/** The public parameters AWS publishes for the latest Amazon Linux 2023 AMI of each architecture. */
const AL2023_PARAMETER = /^\/aws\/service\/ami-amazon-linux-latest\/al2023-ami-(kernel-default|kernel-6\.\d+|minimal-kernel-default)-(x86_64|arm64)$/;

/** An SSM JSON 1.1 request (`X-Amz-Target: AmazonSSM.<Action>`). */
export function answerSsm(target: string, body: string, region: string, account: StandInAccount): WireResponse {
  const action = target.replace(/^AmazonSSM\./, "");
  if (action !== "GetParameter") return jsonError("UnknownOperationException", unsupportedMessage("ssm", action));
  let name: unknown;
  try {
    name = (JSON.parse(body) as { Name?: unknown }).Name;
  } catch {
    return jsonError("SerializationException", "Start of structure or map found where not expected.");
  }
  if (typeof name !== "string" || !AL2023_PARAMETER.test(name)) {
    // SSM's own answer for a name it does not hold: 400 ParameterNotFound with an empty message.
    return jsonError("ParameterNotFound", typeof name === "string" ? `seedstack's AWS stand-in holds no parameter ${name}` : "");
  }
  return jsonResponse({
    Parameter: {
      ARN: `arn:aws:ssm:${region}::parameter${name}`,
      DataType: "text",
      LastModifiedDate: 1735689600.0,
      Name: name,
      Type: "String",
      Value: account.amiId,
      Version: 101,
    },
  });
}

