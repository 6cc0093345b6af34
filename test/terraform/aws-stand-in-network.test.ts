/**
 * The AWS STAND-IN's pretend VPCs (aws-stand-in-network.ts) on the wire: EC2's 2016-11-15 XML for
 * DescribeVpcs, DescribeVpcAttribute, DescribeRouteTables, DescribeSubnets, DescribePrefixLists and
 * DescribeVpcEndpoints, with their filters, and EC2's own errors for unknown IDs and filters. The
 * real provider reading these answers is plan-stacks.test.ts's "existing VPC" configuration.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { startAwsStandIn, type AwsStandIn } from "./aws-stand-in.js";
import { SHARED_VPC_ID } from "./aws-stand-in-network.js";

let standIn: AwsStandIn;

test.before(async () => {
  standIn = await startAwsStandIn();
});
test.after(async () => {
  await standIn.close();
});

/** A SigV4 Authorization header's scope (the stand-in reads it; it does not check signatures). */
function auth(region: string): string {
  return `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20250131/${region}/ec2/aws4_request, SignedHeaders=host;x-amz-date, Signature=${"0".repeat(64)}`;
}

async function ec2(body: string, region = "us-east-1"): Promise<{ status: number; xml: string }> {
  const res = await fetch(standIn.url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8", authorization: auth(region) },
    body: `Version=2016-11-15&${body}`,
  });
  return { status: res.status, xml: await res.text() };
}

const all = (xml: string, element: string) => [...xml.matchAll(new RegExp(`<${element}>([^<]*)</${element}>`, "g"))].map((m) => m[1]);

test("DescribeVpcs: the 2016-11-15 XML; by tag filter, by VpcId, none for a tag nobody has; an unknown ID is InvalidVpcID.NotFound", async () => {
  const byTag = await ec2("Action=DescribeVpcs&Filter.1.Name=tag:Name&Filter.1.Value.1=seedstack-shared");
  assert.is(byTag.status, 200);
  assert.match(byTag.xml, '<DescribeVpcsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">');
  assert.equal(all(byTag.xml, "vpcId"), [SHARED_VPC_ID]);
  assert.match(byTag.xml, `<item><vpcId>${SHARED_VPC_ID}</vpcId><ownerId>123456789012</ownerId><state>available</state><cidrBlock>10.20.0.0/16</cidrBlock>`);
  assert.match(byTag.xml, "<tagSet><item><key>Name</key><value>seedstack-shared</value></item><item><key>Team</key><value>web</value></item></tagSet>");
  assert.match(byTag.xml, "<isDefault>false</isDefault>");

  const byId = await ec2(`Action=DescribeVpcs&VpcId.1=${SHARED_VPC_ID}`);
  assert.equal(all(byId.xml, "vpcId"), [SHARED_VPC_ID]);
  const both = await ec2("Action=DescribeVpcs");
  assert.equal(all(both.xml, "vpcId").length, 2);
  const none = await ec2("Action=DescribeVpcs&Filter.1.Name=tag:Name&Filter.1.Value.1=nobody");
  assert.is(none.status, 200);
  assert.not.match(none.xml, "<item>");

  const unknown = await ec2("Action=DescribeVpcs&VpcId.1=vpc-00000000000000000");
  assert.is(unknown.status, 400);
  assert.match(unknown.xml, "<Code>InvalidVpcID.NotFound</Code><Message>The vpc ID 'vpc-00000000000000000' does not exist");
  const badFilter = await ec2("Action=DescribeVpcs&Filter.1.Name=colour&Filter.1.Value.1=red");
  assert.is(badFilter.status, 400);
  assert.match(badFilter.xml, "<Code>InvalidParameterValue</Code><Message>The filter 'colour' is invalid");
});

test("DescribeVpcAttribute and DescribeRouteTables: one attribute per call, the VPC's main table", async () => {
  const dns = await ec2(`Action=DescribeVpcAttribute&VpcId=${SHARED_VPC_ID}&Attribute=enableDnsHostnames`);
  assert.is(dns.status, 200);
  assert.match(dns.xml, `<vpcId>${SHARED_VPC_ID}</vpcId>\n<enableDnsHostnames><value>true</value></enableDnsHostnames>`);
  const metrics = await ec2(`Action=DescribeVpcAttribute&VpcId=${SHARED_VPC_ID}&Attribute=enableNetworkAddressUsageMetrics`);
  assert.match(metrics.xml, "<enableNetworkAddressUsageMetrics><value>false</value></enableNetworkAddressUsageMetrics>");
  const bad = await ec2(`Action=DescribeVpcAttribute&VpcId=${SHARED_VPC_ID}&Attribute=colour`);
  assert.is(bad.status, 400);

  const main = await ec2(`Action=DescribeRouteTables&Filter.1.Name=vpc-id&Filter.1.Value.1=${SHARED_VPC_ID}&Filter.2.Name=association.main&Filter.2.Value.1=true`);
  assert.is(main.status, 200);
  assert.equal(all(main.xml, "routeTableId"), ["rtb-0d000000000000001", "rtb-0d000000000000001"], "the table and its main association");
  assert.equal(all(main.xml, "vpcId"), [SHARED_VPC_ID]);
  assert.match(main.xml, "<destinationCidrBlock>10.20.0.0/16</destinationCidrBlock><gatewayId>local</gatewayId>");
  assert.match(main.xml, "<main>true</main>");
  assert.not.match(main.xml, "<subnetId>");
});

test("DescribeRouteTables: explicit subnet associations only (a subnet on the main table has none); the S3 gateway endpoint's route in its tables, found by the prefix list", async () => {
  const explicit = await ec2(`Action=DescribeRouteTables&Filter.1.Name=vpc-id&Filter.1.Value.1=${SHARED_VPC_ID}&Filter.2.Name=association.subnet-id&Filter.2.Value.1=subnet-0b000000000000003`);
  assert.is(explicit.status, 200);
  assert.equal(all(explicit.xml, "routeTableId"), ["rtb-0d000000000000003", "rtb-0d000000000000003"]);
  assert.match(explicit.xml, "<subnetId>subnet-0b000000000000003</subnetId><main>false</main>");
  const implicit = await ec2("Action=DescribeRouteTables&Filter.1.Name=association.subnet-id&Filter.1.Value.1=subnet-0b000000000000004");
  assert.is(implicit.status, 200);
  assert.not.match(implicit.xml, "<item>", "subnet ...004 uses the main table: no explicit association");

  const prefixLists = await ec2("Action=DescribePrefixLists&Filter.1.Name=prefix-list-name&Filter.1.Value.1=com.amazonaws.us-east-1.s3");
  const [s3List] = all(prefixLists.xml, "prefixListId");
  const routed = await ec2(`Action=DescribeRouteTables&Filter.1.Name=vpc-id&Filter.1.Value.1=${SHARED_VPC_ID}&Filter.2.Name=route.destination-prefix-list-id&Filter.2.Value.1=${s3List}`);
  assert.is(routed.status, 200);
  // The main table and private b's; not the public table, not private b2's (...005).
  assert.equal([...new Set(all(routed.xml, "routeTableId"))], ["rtb-0d000000000000001", "rtb-0d000000000000003"]);
  assert.match(routed.xml, `<destinationPrefixListId>${s3List}</destinationPrefixListId><gatewayId>vpce-0c000000000000002</gatewayId><state>active</state>`);
  const publicTable = await ec2("Action=DescribeRouteTables&RouteTableId.1=rtb-0d000000000000002");
  assert.match(publicTable.xml, "<destinationCidrBlock>0.0.0.0/0</destinationCidrBlock><gatewayId>igw-0e000000000000001</gatewayId>");
  assert.not.match(publicTable.xml, "destinationPrefixListId");

  const unknown = await ec2("Action=DescribeRouteTables&RouteTableId.1=rtb-00000000000000000");
  assert.is(unknown.status, 400);
  assert.match(unknown.xml, "<Code>InvalidRouteTableID.NotFound</Code>");
});

test("DescribeSubnets: vpc-id and tag filters combine (AND), SubnetId.N, zones of the signing region; an unknown ID is InvalidSubnetID.NotFound", async () => {
  const publicOnes = await ec2(`Action=DescribeSubnets&Filter.1.Name=vpc-id&Filter.1.Value.1=${SHARED_VPC_ID}&Filter.2.Name=tag:Tier&Filter.2.Value.1=public`);
  assert.is(publicOnes.status, 200);
  assert.match(publicOnes.xml, '<DescribeSubnetsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">');
  // The other VPC's subnet is tagged Tier=public too: the vpc-id filter keeps it out.
  assert.equal(all(publicOnes.xml, "subnetId"), ["subnet-0a000000000000001", "subnet-0a000000000000002", "subnet-0a000000000000008"]);
  assert.equal(all(publicOnes.xml, "availabilityZone"), ["us-east-1a", "us-east-1b", "us-east-1c"]);
  assert.match(publicOnes.xml, "<subnetArn>arn:aws:ec2:us-east-1:123456789012:subnet/subnet-0a000000000000001</subnetArn>");
  assert.match(publicOnes.xml, "<availabilityZoneId>use1-az1</availabilityZoneId>");
  assert.match(publicOnes.xml, "<mapPublicIpOnLaunch>false</mapPublicIpOnLaunch>");

  const anyPublic = await ec2("Action=DescribeSubnets&Filter.1.Name=tag:Tier&Filter.1.Value.1=public");
  assert.equal(all(anyPublic.xml, "subnetId").length, 4);

  const byId = await ec2("Action=DescribeSubnets&SubnetId.1=subnet-0b000000000000004", "eu-west-2");
  assert.equal(all(byId.xml, "subnetId"), ["subnet-0b000000000000004"]);
  assert.equal(all(byId.xml, "availabilityZone"), ["eu-west-2c"]);
  assert.equal(all(byId.xml, "vpcId"), [SHARED_VPC_ID]);

  const unknown = await ec2("Action=DescribeSubnets&SubnetId.1=subnet-00000000000000000");
  assert.is(unknown.status, 400);
  assert.match(unknown.xml, "<Code>InvalidSubnetID.NotFound</Code><Message>The subnet ID 'subnet-00000000000000000' does not exist");
});

test("DescribePrefixLists: the region's S3 list by name; DescribeVpcEndpoints: the VPC's Secrets Manager endpoint, none for another service, the S3 gateway endpoint by type", async () => {
  const s3 = await ec2("Action=DescribePrefixLists&Filter.1.Name=prefix-list-name&Filter.1.Value.1=com.amazonaws.eu-west-2.s3", "eu-west-2");
  assert.is(s3.status, 200);
  assert.equal(all(s3.xml, "prefixListName"), ["com.amazonaws.eu-west-2.s3"]);
  assert.match(s3.xml, /<prefixListId>pl-[0-9a-f]{8}<\/prefixListId>/);

  const endpoint = await ec2(
    `Action=DescribeVpcEndpoints&Filter.1.Name=vpc-id&Filter.1.Value.1=${SHARED_VPC_ID}&Filter.2.Name=service-name&Filter.2.Value.1=com.amazonaws.us-east-1.secretsmanager&Filter.3.Name=vpc-endpoint-state&Filter.3.Value.1=available`,
  );
  assert.is(endpoint.status, 200);
  assert.equal(all(endpoint.xml, "vpcEndpointId"), ["vpce-0c000000000000001"]);
  assert.match(endpoint.xml, "<vpcEndpointType>Interface</vpcEndpointType>");
  assert.match(endpoint.xml, "<privateDnsEnabled>true</privateDnsEnabled>");
  const other = await ec2(`Action=DescribeVpcEndpoints&Filter.1.Name=vpc-id&Filter.1.Value.1=${SHARED_VPC_ID}&Filter.2.Name=service-name&Filter.2.Value.1=com.amazonaws.us-east-1.ssm`);
  assert.is(other.status, 200);
  assert.not.match(other.xml, "<item>");

  const gateway = await ec2(`Action=DescribeVpcEndpoints&Filter.1.Name=vpc-id&Filter.1.Value.1=${SHARED_VPC_ID}&Filter.2.Name=vpc-endpoint-type&Filter.2.Value.1=Gateway`);
  assert.equal(all(gateway.xml, "vpcEndpointId"), ["vpce-0c000000000000002"]);
  assert.match(gateway.xml, "<serviceName>com.amazonaws.us-east-1.s3</serviceName>");
  assert.match(gateway.xml, "<routeTableIdSet><item>rtb-0d000000000000001</item><item>rtb-0d000000000000003</item></routeTableIdSet><subnetIdSet/>");
  const interfaces = await ec2(`Action=DescribeVpcEndpoints&Filter.1.Name=vpc-endpoint-type&Filter.1.Value.1=Interface`);
  assert.equal(all(interfaces.xml, "vpcEndpointId"), ["vpce-0c000000000000001"]);
});

test.run();
