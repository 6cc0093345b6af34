import { test } from "uvu";
import * as assert from "uvu/assert";
import { Network } from "./network.js";
import { refTo, resourceNamed, resourcesOf, synthStack, assertRejects } from "../test/compute-fixtures.js";
import { parseIpv4Cidr } from "./cidr.js";

const build = (props: ConstructorParameters<typeof Network>[2] = {}) =>
  synthStack((stack) => new Network(stack, "network", props));

/** True when CIDR `inner` lies inside CIDR `outer`. */
function within(inner: string, outer: string): boolean {
  const i = parseIpv4Cidr(inner, "inner");
  const o = parseIpv4Cidr(outer, "outer");
  const size = (p: number) => 2 ** (32 - p);
  return i.prefixLength >= o.prefixLength && i.address >= o.address && i.address + size(i.prefixLength) <= o.address + size(o.prefixLength);
}

function overlaps(a: string, b: string): boolean {
  return within(a, b) || within(b, a);
}

test("defaults: 10.0.0.0/16 VPC with DNS, named with the default prefix", () => {
  const { json, result } = build();
  const vpc = resourceNamed(json, "aws_vpc", "vpc");
  assert.is(vpc.cidr_block, "10.0.0.0/16");
  assert.is(vpc.enable_dns_support, true);
  assert.is(vpc.enable_dns_hostnames, true);
  assert.is(vpc.tags.Name, "seedstack-vpc");
  assert.is(result.cidr, "10.0.0.0/16");
  assert.is(result.namePrefix, "seedstack");
});

test("defaults: two AZs from the aws_availability_zones data source, regular zones only", () => {
  const { json, result } = build();
  const azs = Object.values(json.data?.aws_availability_zones ?? {});
  assert.is(azs.length, 1);
  assert.is((azs[0] as any).state, "available");
  assert.equal((azs[0] as any).filter, [{ name: "opt-in-status", values: ["opt-in-not-required"] }]);
  assert.is(result.availabilityZones.length, 2);
  const subnets = resourcesOf(json, "aws_subnet");
  assert.is(subnets.length, 4);
  // Subnet i, public or private, is in zone element(names, i).
  for (const [name, subnet] of subnets) {
    const index = Number(/-(\d+)_/.exec(name)![1]);
    assert.match(subnet.availability_zone, new RegExp(`^\\$\\{element\\(data\\.aws_availability_zones\\.[^.]+\\.names, ${index}\\)\\}$`));
  }
});

test("defaults: one public and one private subnet per AZ, non-overlapping, inside the VPC, no auto public IPs", () => {
  const { json, result } = build();
  assert.is(result.publicSubnets.length, 2);
  assert.is(result.privateSubnets.length, 2);
  const cidrs = resourcesOf(json, "aws_subnet").map(([, s]) => s.cidr_block as string);
  cidrs.forEach((c) => assert.ok(within(c, "10.0.0.0/16"), `${c} inside the VPC`));
  for (let i = 0; i < cidrs.length; i++) for (let j = i + 1; j < cidrs.length; j++) assert.not.ok(overlaps(cidrs[i]!, cidrs[j]!), `${cidrs[i]} vs ${cidrs[j]}`);
  resourcesOf(json, "aws_subnet").forEach(([, s]) => assert.is(s.map_public_ip_on_launch, false));
  // /24 subnets: public in the first half of the VPC, private in the second.
  assert.is(resourceNamed(json, "aws_subnet", "public-0").cidr_block, "10.0.0.0/24");
  assert.is(resourceNamed(json, "aws_subnet", "public-1").cidr_block, "10.0.1.0/24");
  assert.is(resourceNamed(json, "aws_subnet", "private-0").cidr_block, "10.0.128.0/24");
  assert.is(resourceNamed(json, "aws_subnet", "private-1").cidr_block, "10.0.129.0/24");
  assert.is(resourceNamed(json, "aws_subnet", "private-1").tags.Tier, "private");
  assert.is(resourceNamed(json, "aws_subnet", "public-0").tags.Tier, "public");
});

test("defaults: public subnets route 0.0.0.0/0 to the internet gateway; private subnets have no internet route", () => {
  const { json } = build();
  const igw = refTo(json, "aws_internet_gateway", "igw");
  const publicRt = refTo(json, "aws_route_table", "public-rt");
  const routes = resourcesOf(json, "aws_route").map(([, r]) => r);
  assert.equal(routes, [{ destination_cidr_block: "0.0.0.0/0", gateway_id: igw, route_table_id: publicRt }]);
  for (const i of [0, 1]) {
    const assoc = resourceNamed(json, "aws_route_table_association", `public-rta-${i}`);
    assert.is(assoc.route_table_id, publicRt);
    assert.is(assoc.subnet_id, refTo(json, "aws_subnet", `public-${i}`));
    const privateAssoc = resourceNamed(json, "aws_route_table_association", `private-rta-${i}`);
    assert.is(privateAssoc.route_table_id, refTo(json, "aws_route_table", `private-rt-${i}`));
    assert.is(privateAssoc.subnet_id, refTo(json, "aws_subnet", `private-${i}`));
  }
  assert.is(resourcesOf(json, "aws_nat_gateway").length, 0);
  assert.is(resourcesOf(json, "aws_eip").length, 0);
});

test("defaults: the VPC's default security group is managed with no rules (CKV2_AWS_12)", () => {
  const { json } = build();
  const sg = resourceNamed(json, "aws_default_security_group", "default-sg");
  assert.is(sg.vpc_id, refTo(json, "aws_vpc", "vpc"));
  assert.is(sg.ingress, undefined);
  assert.is(sg.egress, undefined);
});

test("defaults: a free S3 gateway endpoint routed from every private route table, no interface endpoints", () => {
  const { json, result } = build();
  const endpoints = resourcesOf(json, "aws_vpc_endpoint");
  assert.is(endpoints.length, 1);
  const s3 = endpoints[0]![1];
  assert.is(s3.vpc_endpoint_type, "Gateway");
  assert.match(s3.service_name, /^com\.amazonaws\.\$\{data\.aws_region\.[^.]+\.name\}\.s3$/);
  assert.equal(s3.route_table_ids, [refTo(json, "aws_route_table", "private-rt-0"), refTo(json, "aws_route_table", "private-rt-1")]);
  assert.is(result.hasNatGateway, false);
  assert.is(result.systemsManagerReachable, false, "no NAT, no SSM endpoints: Session Manager cannot reach the servers");
  assert.equal(result.interfaceEndpointServices, []);
  assert.is(result.endpointSecurityGroup, undefined);
  assert.is(resourcesOf(json, "aws_security_group").length, 0);
});

test("availabilityZones: literal names are used as given, no data source", () => {
  const { json, result } = build({ availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"] });
  assert.equal(result.availabilityZones, ["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
  assert.is(json.data?.aws_availability_zones, undefined);
  assert.is(resourceNamed(json, "aws_subnet", "private-2").availability_zone, "eu-west-1c");
  assert.is(resourceNamed(json, "aws_subnet", "public-0").availability_zone, "eu-west-1a");
  assert.is(resourcesOf(json, "aws_route_table").length, 4);
});

test("azCount: three AZs from the data source", () => {
  const { json, result } = build({ azCount: 3 });
  assert.is(result.availabilityZones.length, 3);
  assert.is(resourcesOf(json, "aws_subnet").length, 6);
  assert.match(resourceNamed(json, "aws_subnet", "private-2").availability_zone, /names, 2\)/);
});

test("instanceType: zones are the available ones that offer the type, in name order; the VPC refuses to plan with too few", () => {
  const { json } = build({ instanceType: "t3.micro" });
  const offerings = Object.values((json as { data: Record<string, Record<string, any>> }).data.aws_ec2_instance_type_offerings!)[0]!;
  assert.equal([offerings.location_type, offerings.filter], ["availability-zone", [{ name: "instance-type", values: ["t3.micro"] }]]);
  const zone = resourceNamed(json, "aws_subnet", "public-1").availability_zone as string;
  assert.match(zone, /^\$\{element\(sort\(setintersection\(data\.aws_availability_zones\.[^.]+\.names, data\.aws_ec2_instance_type_offerings\.[^.]+\.locations\)\), 1\)\}$/, zone);
  const [precondition] = resourceNamed(json, "aws_vpc", "vpc").lifecycle.precondition;
  assert.match(precondition.condition, /length\(sort\(setintersection\(.*\)\)\) >= 2/);
  assert.match(precondition.error_message, "Network needs 2 availability zones that offer t3.micro");
  // Without it: the first zones by name, no lookup, no precondition.
  const plain = build().json as { data: Record<string, unknown> };
  assert.is(plain.data.aws_ec2_instance_type_offerings, undefined);
  assert.is(resourceNamed(plain as never, "aws_vpc", "vpc").lifecycle, undefined);
  rejects({ instanceType: "large" }, "Network instanceType", '"large"');
});

test("cidr: a small VPC gets smaller subnets that still fit", () => {
  const { json } = build({ cidr: "192.168.4.0/24" });
  const cidrs = resourcesOf(json, "aws_subnet").map(([, s]) => s.cidr_block as string);
  cidrs.forEach((c) => assert.ok(within(c, "192.168.4.0/24"), c));
  assert.is(resourceNamed(json, "aws_subnet", "public-1").cidr_block, "192.168.4.64/26");
  assert.is(resourceNamed(json, "aws_subnet", "private-0").cidr_block, "192.168.4.128/26");
});

test("natGateways single: one NAT in the first public subnet, every private route table uses it", () => {
  const { json, result } = build({ natGateways: "single" });
  const nats = resourcesOf(json, "aws_nat_gateway");
  assert.is(nats.length, 1);
  assert.is(nats[0]![1].subnet_id, refTo(json, "aws_subnet", "public-0"));
  assert.is(nats[0]![1].allocation_id, refTo(json, "aws_eip", "nat-eip-0", "allocation_id"));
  assert.is(resourceNamed(json, "aws_eip", "nat-eip-0").domain, "vpc");
  for (const i of [0, 1]) {
    const route = resourceNamed(json, "aws_route", `private-internet-${i}`);
    assert.is(route.nat_gateway_id, refTo(json, "aws_nat_gateway", "nat-0"));
    assert.is(route.destination_cidr_block, "0.0.0.0/0");
    assert.is(route.route_table_id, refTo(json, "aws_route_table", `private-rt-${i}`));
  }
  assert.is(result.hasNatGateway, true);
  assert.is(result.systemsManagerReachable, true, "Session Manager through the NAT gateway");
  assert.is(result.natGatewayMode, "single");
});

test("natGateways perAz: each AZ routes to the NAT in its own public subnet", () => {
  const { json } = build({ natGateways: "perAz", azCount: 3 });
  assert.is(resourcesOf(json, "aws_nat_gateway").length, 3);
  for (const i of [0, 1, 2]) {
    assert.is(resourceNamed(json, "aws_nat_gateway", `nat-${i}_`).subnet_id, refTo(json, "aws_subnet", `public-${i}`));
    assert.is(resourceNamed(json, "aws_route", `private-internet-${i}`).nat_gateway_id, refTo(json, "aws_nat_gateway", `nat-${i}_`));
  }
});

test("ssmEndpoints: ssm, ssmmessages and ec2messages interface endpoints with private DNS in the private subnets", () => {
  const { json, result } = build({ ssmEndpoints: true });
  assert.is(result.systemsManagerReachable, true, "Session Manager through its three endpoints");
  assert.equal(result.interfaceEndpointServices, ["ssm", "ssmmessages", "ec2messages"]);
  const sg = resourceNamed(json, "aws_security_group", "endpoints-sg");
  for (const service of ["ssm", "ssmmessages", "ec2messages"]) {
    const endpoint = resourceNamed(json, "aws_vpc_endpoint", `endpoint-${service}_`);
    assert.is(endpoint.vpc_endpoint_type, "Interface");
    assert.is(endpoint.private_dns_enabled, true);
    assert.ok(endpoint.service_name.endsWith(`.${service}`));
    assert.equal(endpoint.subnet_ids, [refTo(json, "aws_subnet", "private-0"), refTo(json, "aws_subnet", "private-1")]);
    assert.equal(endpoint.security_group_ids, [refTo(json, "aws_security_group", "endpoints-sg")]);
  }
  assert.is(sg.description, "Interface VPC endpoints: HTTPS from inside the VPC only");
  const rules = resourcesOf(json, "aws_vpc_security_group_ingress_rule");
  assert.is(rules.length, 1);
  const rule = rules[0]![1];
  assert.equal([rule.from_port, rule.to_port, rule.ip_protocol, rule.cidr_ipv4], [443, 443, "tcp", "10.0.0.0/16"]);
  assert.is(rule.security_group_id, refTo(json, "aws_security_group", "endpoints-sg"));
  assert.is(rule.description, "HTTPS from the VPC to AWS API interface endpoints");
  assert.is(resourcesOf(json, "aws_vpc_security_group_egress_rule").length, 0);
});

test("addInterfaceEndpoint is idempotent and shares one endpoint security group", () => {
  const { json, result } = synthStack((stack) => {
    const network = new Network(stack, "network", { namePrefix: "pr-7" });
    const first = network.addInterfaceEndpoint("secretsmanager");
    const second = network.addInterfaceEndpoint("secretsmanager");
    network.addInterfaceEndpoint("ssm");
    return { network, same: first === second };
  });
  assert.ok(result.same);
  assert.equal(result.network.interfaceEndpointServices, ["secretsmanager", "ssm"]);
  assert.is(resourcesOf(json, "aws_vpc_endpoint").length, 3);
  assert.is(resourcesOf(json, "aws_security_group").length, 1);
  assert.is(resourceNamed(json, "aws_security_group", "endpoints-sg").name_prefix, "pr-7-endpoints-");
  assert.is(resourceNamed(json, "aws_vpc_endpoint", "endpoint-secretsmanager").tags.Name, "pr-7-secretsmanager");
});

test("namePrefix is used in Name tags", () => {
  const { json } = build({ namePrefix: "pr-123" });
  assert.is(resourceNamed(json, "aws_vpc", "vpc").tags.Name, "pr-123-vpc");
  assert.is(resourceNamed(json, "aws_subnet", "private-1").tags.Name, "pr-123-private-1");
  assert.is(resourceNamed(json, "aws_internet_gateway", "igw").tags.Name, "pr-123-igw");
});

const rejects = (props: ConstructorParameters<typeof Network>[2], ...fragments: string[]) => assertRejects(build, props, ...fragments);

test("validation: fewer than two AZs, duplicates, bad names, both AZ props", () => {
  rejects({ availabilityZones: ["us-west-2a"] }, "2 to 6", "got 1", "us-west-2a");
  rejects({ availabilityZones: ["us-west-2a", "us-west-2a"] }, "distinct", "us-west-2a");
  rejects({ availabilityZones: ["us-west-2a", "Zone B"] }, "Zone B", "us-east-1a");
  rejects({ availabilityZones: ["us-west-2a", "us-west-2b"], azCount: 2 }, "not both", "azCount 2");
  rejects({ azCount: 1 }, "azCount", "got 1");
  rejects({ azCount: 2.5 }, "azCount", "got 2.5");
  rejects({ azCount: 7 }, "2 to 6", "got 7");
});

test("validation: CIDR syntax, host bits, size and room for the subnets", () => {
  rejects({ cidr: "10.0.0.0" }, "IPv4 CIDR", '"10.0.0.0"');
  rejects({ cidr: "10.0.300.0/16" }, '"10.0.300.0/16"');
  rejects({ cidr: "10.0.1.0/16" }, "host bits", "10.0.0.0/16");
  rejects({ cidr: "10.0.0.0/8" }, "/16 to /28", '"10.0.0.0/8"');
  rejects({ cidr: "10.0.0.0/27" }, "no room", "10.0.0.0/27", "/26");
  rejects({ cidr: "10.0.0.0/26", azCount: 3 }, "no room", "6 subnets", "/25");
});

test("validation: natGateways and namePrefix", () => {
  rejects({ natGateways: "many" as never }, "natGateways", '"many"', '"perAz"');
  rejects({ namePrefix: "Bad_Prefix" }, "namePrefix", "Bad_Prefix");
});

test("validation: addInterfaceEndpoint names the bad service", () => {
  synthStack((stack) => {
    const network = new Network(stack, "network");
    assert.throws(() => network.addInterfaceEndpoint("com.amazonaws.us-east-1.ssm "), /got "com\.amazonaws\.us-east-1\.ssm "/);
    assert.throws(() => network.addInterfaceEndpoint(""), /secretsmanager/);
  });
});

test.run();
