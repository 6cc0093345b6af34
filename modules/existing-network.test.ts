import { test } from "uvu";
import * as assert from "uvu/assert";
import { ExistingNetwork, type ExistingNetworkProps } from "./existing-network.js";
import { assertRejects, synthStack, type SynthJson } from "../test/compute-fixtures.js";

const TAGGED: ExistingNetworkProps = { vpc: { tags: { Name: "shared" } } };
const build = (props: ExistingNetworkProps = TAGGED) => synthStack((stack) => new ExistingNetwork(stack, "network", props));

// Synthesized JSON is untyped by nature; the tests check the shape of what they read.
type Attrs = Record<string, any>;

/** Every data source of `type`, as [logical name, attributes]. */
function data(json: SynthJson, type: string): Array<[string, Attrs]> {
  return Object.entries(json.data?.[type] ?? {}) as Array<[string, Attrs]>;
}

/** The one data source of `type` whose logical name contains `idPart`. */
function dataNamed(json: SynthJson, type: string, idPart: string): [string, Attrs] {
  const found = data(json, type).filter(([name]) => name.includes(`_${idPart}_`));
  assert.is(found.length, 1, `one ${type} named like ${idPart}: ${found.map(([n]) => n).join(", ")}`);
  return found[0]!;
}

test("creates nothing: no VPC, subnet, gateway, route, endpoint or default security group resource", () => {
  const { json } = build();
  assert.equal(Object.keys(json.resource), []);
  assert.equal(Object.keys(json.data ?? {}).sort(), ["aws_prefix_list", "aws_region", "aws_route_tables", "aws_subnet", "aws_subnets", "aws_vpc"]);
});

test("VPC by tags: an aws_vpc data source with exactly those tags; by ID: with the ID", () => {
  const [, byTags] = dataNamed(build().json, "aws_vpc", "vpc");
  assert.equal(byTags, { tags: { Name: "shared" } });
  const [, byId] = dataNamed(build({ vpc: { id: "vpc-0123456789abcdef0" } }).json, "aws_vpc", "vpc");
  assert.equal(byId, { id: "vpc-0123456789abcdef0" });
});

test("subnets by tags (default Tier=public / Tier=private): aws_subnets filtered by the looked-up VPC and the tags", () => {
  const { json } = build();
  const [vpcName] = dataNamed(json, "aws_vpc", "vpc");
  const [, publicLookup] = dataNamed(json, "aws_subnets", "public-lookup");
  assert.equal(publicLookup.filter, [
    { name: "vpc-id", values: [`\${data.aws_vpc.${vpcName}.id}`] },
    { name: "tag:Tier", values: ["public"] },
  ]);
  const [, privateLookup] = dataNamed(json, "aws_subnets", "private-lookup");
  assert.equal(privateLookup.filter[1], { name: "tag:Tier", values: ["private"] });

  const custom = build({ ...TAGGED, publicSubnets: { tags: { Network: "edge", Env: "preview" } } }).json;
  assert.equal(dataNamed(custom, "aws_subnets", "public-lookup")[1].filter.slice(1), [
    { name: "tag:Network", values: ["edge"] },
    { name: "tag:Env", values: ["preview"] },
  ]);
});

test("tag lookup: each candidate read for its zone and VPC; the servers' subnets one per zone, the first two zones holding a load-balancer subnet; the load balancer's in the servers' zones", () => {
  const { json, result } = build();
  const [lookupName] = dataNamed(json, "aws_subnets", "public-lookup");
  const [candidatesName, candidates] = dataNamed(json, "aws_subnet", "public-candidates");
  assert.is(candidates.for_each, `\${toset(data.aws_subnets.${lookupName}.ids)}`);
  assert.is(candidates.id, "${each.value}");
  assert.match(candidates.lifecycle.postcondition[0].condition, /self\.vpc_id == data\.aws_vpc\.[^.]+\.id/);
  assert.match(candidates.lifecycle.postcondition[0].error_message, "public subnet ${self.id} is in ${self.vpc_id}, not in the network's VPC");

  const publicByZone = `{ for key, val in data.aws_subnet.${candidatesName}: val.availability_zone => val.id... }`;
  const [privateCandidatesName] = dataNamed(json, "aws_subnet", "private-candidates");
  const privateByZone = `{ for key, val in data.aws_subnet.${privateCandidatesName}: val.availability_zone => val.id... }`;
  assert.is(result.privateSubnets.length, 2);
  assert.is(result.publicSubnets.length, 2);
  for (const i of [0, 1]) {
    const [privateName, privateSubnet] = dataNamed(json, "aws_subnet", `private-${i}`);
    // Each zone's first subnet, kept when the zone holds a public candidate, in zone-name order.
    const usable = `keys(${publicByZone})`;
    assert.is(privateSubnet.id, `\${element(matchkeys([ for key, val in ${privateByZone}: sort(val)[0]], keys(${privateByZone}), ${usable}), ${i})}`);
    const [precondition] = privateSubnet.lifecycle.precondition;
    assert.is(precondition.condition, `\${(length(matchkeys(keys(${privateByZone}), keys(${privateByZone}), ${usable})) >= 2)}`);
    assert.match(
      precondition.error_message,
      "ExistingNetwork needs private subnets with the tags Tier=private in at least 2 availability zones of the VPC that hold a load-balancer subnet with the tags Tier=public (a load balancer sends no traffic to servers in a zone it has no subnet in); found them in ${length(keys(",
    );
    assert.match(precondition.error_message, /of them with a load-balancer subnet$/);
    // The load balancer's subnet in the same zone: that zone's first public candidate.
    const [, publicSubnet] = dataNamed(json, "aws_subnet", `public-${i}`);
    assert.is(publicSubnet.id, `\${element(sort(${publicByZone}[data.aws_subnet.${privateName}.availability_zone]), 0)}`);
    assert.is(publicSubnet.lifecycle, undefined, "the servers' choice already made sure the zone holds one");
  }
});

test("zoneCount: three zones, three subnets per tier; fewer than two or more than six refused", () => {
  const { json, result } = build({ ...TAGGED, zoneCount: 3 });
  assert.is(result.publicSubnets.length, 3);
  assert.is(result.privateSubnets.length, 3);
  assert.is(result.availabilityZones.length, 3);
  assert.match(dataNamed(json, "aws_subnet", "private-2")[1].lifecycle.precondition[0].condition, ">= 3)}");
  assert.match(dataNamed(json, "aws_subnet", "public-2")[1].id, "private-2_");
  assertRejects((zoneCount: number) => build({ ...TAGGED, zoneCount }), 1, "zoneCount", "from 2 to 6", "got 1");
  assertRejects((zoneCount: number) => build({ ...TAGGED, zoneCount }), 7, "got 7");
  assertRejects((zoneCount: number) => build({ ...TAGGED, zoneCount }), 2.5, "got 2.5");
});

test("subnets by IDs: every ID read and checked to be in the VPC, all of them used, in as many zones as IDs, each where the load balancer has a subnet", () => {
  const ids = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210", "subnet-01234567"];
  const { json, result } = build({ vpc: { id: "vpc-01234567" }, privateSubnets: { ids } });
  const [, candidates] = dataNamed(json, "aws_subnet", "private-candidates");
  assert.is(candidates.for_each, `\${toset(${JSON.stringify(ids).replace(/,/g, ", ")})}`);
  assert.ok(candidates.lifecycle.postcondition[0].condition.includes("self.vpc_id"));
  assert.is(data(json, "aws_subnets").length, 1, "only the public tier is looked up by tags");
  assert.is(result.privateSubnets.length, 3);
  const [, first] = dataNamed(json, "aws_subnet", "private-0");
  assert.match(first.lifecycle.precondition[0].condition, ")) == 3)}");
  assert.match(first.lifecycle.precondition[0].error_message, "ExistingNetwork: the 3 private subnets given must be in 3 different availability zones");
  const [publicCandidatesName] = dataNamed(json, "aws_subnet", "public-candidates");
  assert.equal(first.lifecycle.postcondition, [
    {
      condition: `\${contains(keys({ for key, val in data.aws_subnet.${publicCandidatesName}: val.availability_zone => val.id... }), self.availability_zone)}`,
      error_message:
        "ExistingNetwork: private subnet ${self.id} is in ${self.availability_zone}, where the load balancer has no subnet with the tags Tier=public: it would send the servers there no traffic; give public subnets in the servers' zones",
    },
  ]);
  assert.is(result.publicSubnets.length, 3, "one load-balancer subnet per server zone");
  const publicIds = ["subnet-0123456789abcdef1", "subnet-0123456789abcdef2"];
  const both = build({ vpc: { id: "vpc-01234567" }, publicSubnets: { ids: publicIds }, privateSubnets: { ids } });
  assert.is(both.result.publicSubnets.length, 2, "given public IDs are all used, however many private ones");
  assert.match(dataNamed(both.json, "aws_subnet", "public-0")[1].lifecycle.precondition[0].error_message, "ExistingNetwork: the 2 public subnets given must be in 2 different availability zones");
  assert.match(dataNamed(both.json, "aws_subnet", "private-0")[1].lifecycle.postcondition[0].error_message, "where the load balancer has no subnet among the public subnets given");
  // The zones the constructs see are the private subnets' (tokens, known when terraform plans).
  assert.ok(result.availabilityZones.every((zone) => zone.includes("TOKEN")));
});

test("S3: the region's AWS-managed prefix list; no NAT by default; with natGateway, NAT and Session Manager", () => {
  const { json, result } = build();
  const [, prefixList] = dataNamed(json, "aws_prefix_list", "s3-prefix-list");
  assert.match(prefixList.name, /^com\.amazonaws\.\$\{data\.aws_region\.[^.]+\.name\}\.s3$/);
  assert.is(result.hasNatGateway, false);
  assert.is(result.systemsManagerReachable, false);
  assert.equal(result.internetAccess, []);
  const nat = build({ ...TAGGED, natGateway: true }).result;
  assert.is(nat.hasNatGateway, true);
  assert.is(nat.systemsManagerReachable, true);
});

test("instanceType by tags: the private subnets come from the zones that offer it (the lookup Network makes) and hold a load-balancer subnet", () => {
  const { json } = build({ ...TAGGED, instanceType: "t3.small" });
  const [offeringsName, offerings] = dataNamed(json, "aws_ec2_instance_type_offerings", "offerings");
  assert.equal([offerings.location_type, offerings.filter], ["availability-zone", [{ name: "instance-type", values: ["t3.small"] }]]);
  const [candidatesName] = dataNamed(json, "aws_subnet", "private-candidates");
  const byZone = `{ for key, val in data.aws_subnet.${candidatesName}: val.availability_zone => val.id... }`;
  const publicByZone = `{ for key, val in data.aws_subnet.${dataNamed(json, "aws_subnet", "public-candidates")[0]}: val.availability_zone => val.id... }`;
  const locations = `data.aws_ec2_instance_type_offerings.${offeringsName}.locations`;
  for (const i of [0, 1]) {
    const [, subnet] = dataNamed(json, "aws_subnet", `private-${i}`);
    // Each zone's first subnet, kept when its zone is among the offering ones, in zone-name order.
    const usable = `setintersection(${locations}, keys(${publicByZone}))`;
    assert.is(subnet.id, `\${element(matchkeys([ for key, val in ${byZone}: sort(val)[0]], keys(${byZone}), ${usable}), ${i})}`);
    const [precondition] = subnet.lifecycle.precondition;
    assert.is(precondition.condition, `\${(length(matchkeys(keys(${byZone}), keys(${byZone}), ${usable})) >= 2)}`);
    assert.match(precondition.error_message, "ExistingNetwork needs private subnets with the tags Tier=private in at least 2 availability zones of the VPC that offer t3.small and hold a load-balancer subnet with the tags Tier=public");
    assert.match(precondition.error_message, `, \${length(matchkeys(keys(${byZone}), keys(${byZone}), ${locations}))} offering t3.small, `);
    assert.match(precondition.error_message, "of those with a load-balancer subnet; or choose another instance type (SEEDSTACK_INSTANCE_TYPE)");
    assert.is(subnet.lifecycle.postcondition, undefined, "by tags the zones are chosen, not checked afterwards");
  }
  const [, publicSubnet] = dataNamed(json, "aws_subnet", "public-0");
  assert.not.match(publicSubnet.id, "instance_type_offerings", "the load balancer's subnets follow the servers' zones, not the type itself");
  assert.is(build().json.data?.aws_ec2_instance_type_offerings, undefined, "without instanceType no lookup");
});

test("instanceType by IDs: each private subnet's zone must offer it, or the plan stops naming the subnet, its zone and the type", () => {
  const { json } = build({ ...TAGGED, instanceType: "t3.micro", privateSubnets: { ids: ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"] } });
  const [offeringsName] = dataNamed(json, "aws_ec2_instance_type_offerings", "offerings");
  for (const i of [0, 1]) {
    const [, subnet] = dataNamed(json, "aws_subnet", `private-${i}`);
    assert.is(subnet.lifecycle.postcondition.length, 2, "the type's zone, then the load balancer's");
    const [postcondition] = subnet.lifecycle.postcondition;
    assert.is(postcondition.condition, `\${contains(data.aws_ec2_instance_type_offerings.${offeringsName}.locations, self.availability_zone)}`);
    assert.is(
      postcondition.error_message,
      "ExistingNetwork: private subnet ${self.id} is in ${self.availability_zone}, which does not offer t3.micro (not every zone offers every type): give subnets in zones that do, or choose another instance type (SEEDSTACK_INSTANCE_TYPE)",
    );
    assert.match(subnet.lifecycle.precondition[0].condition, ")) == 2)}", "still: as many zones as IDs");
  }
  assertRejects((instanceType: string) => build({ ...TAGGED, instanceType }), "large", "ExistingNetwork instanceType", '"large"');
});

test("without NAT: the VPC's route tables routing S3 are looked up, and each private subnet's table must be one of them (its own, else the main table)", () => {
  const { json, result } = build();
  const [vpcName] = dataNamed(json, "aws_vpc", "vpc");
  const [prefixListName] = dataNamed(json, "aws_prefix_list", "s3-prefix-list");
  const [routedName, routed] = dataNamed(json, "aws_route_tables", "s3-routed-tables");
  assert.equal(routed, {
    vpc_id: `\${data.aws_vpc.${vpcName}.id}`,
    filter: [{ name: "route.destination-prefix-list-id", values: [`\${data.aws_prefix_list.${prefixListName}.id}`] }],
  });
  assert.is(result.s3RouteCheck?.subnetTables.length, 2);
  for (const i of [0, 1]) {
    const [subnetName] = dataNamed(json, "aws_subnet", `private-${i}`);
    const [, table] = dataNamed(json, "aws_route_tables", `private-${i}-route-table`);
    assert.equal(table.filter, [{ name: "association.subnet-id", values: [`\${data.aws_subnet.${subnetName}.id}`] }]);
    const effective = `element(concat(self.ids, [data.aws_vpc.${vpcName}.main_route_table_id]), 0)`;
    const [postcondition] = table.lifecycle.postcondition;
    assert.is(postcondition.condition, `\${contains(data.aws_route_tables.${routedName}.ids, ${effective})}`);
    assert.match(postcondition.error_message, `ExistingNetwork: private subnet \${data.aws_subnet.${subnetName}.id} uses route table \${${effective}}, which has no route to S3 through a gateway endpoint`);
    assert.match(postcondition.error_message, "or, if the private subnets reach the internet through a NAT gateway, say so (natGateway; SEEDSTACK_VPC_NAT=on)");
  }
  dataNamed(build({ ...TAGGED, zoneCount: 3 }).json, "aws_route_tables", "private-2-route-table"); // one per private subnet
  const nat = build({ ...TAGGED, natGateway: true });
  assert.is(nat.json.data?.aws_route_tables, undefined, "with a NAT gateway S3 is reached through it: nothing to check");
  assert.is(nat.result.s3RouteCheck, undefined);
});

test("addInterfaceEndpoint looks the VPC's endpoint up (never creates one: private DNS allows one per VPC), once per service", () => {
  const again = synthStack((stack) => {
    const network = new ExistingNetwork(stack, "network", TAGGED);
    const first = network.addInterfaceEndpoint("secretsmanager");
    assert.is(network.addInterfaceEndpoint("secretsmanager"), first);
    return network;
  });
  assert.equal(Object.keys(again.json.resource), []);
  const [, endpoint] = dataNamed(again.json, "aws_vpc_endpoint", "endpoint-secretsmanager");
  assert.match(endpoint.vpc_id, /^\$\{data\.aws_vpc\.[^.]+\.id\}$/);
  assert.match(endpoint.service_name, /\.secretsmanager$/);
  assert.is(endpoint.state, "available");
  assert.equal(endpoint.filter, [{ name: "vpc-endpoint-type", values: ["Interface"] }]);
  assert.equal(again.result.interfaceEndpointServices, ["secretsmanager"]);
  assert.equal(build().result.interfaceEndpointServices, [], "none until asked for");
  assert.throws(() => again.result.addInterfaceEndpoint("com.amazonaws.us-east-1.ssm "), /got "com\.amazonaws\.us-east-1\.ssm "/);
});

test("bad selections are refused at synth time, naming what was given", () => {
  const attempt = (props: ExistingNetworkProps) => build(props);
  assertRejects(attempt, { vpc: { id: "vpc-xyz" } }, "ExistingNetwork vpc", '"vpc-xyz" is not a VPC ID');
  assertRejects(attempt, { vpc: { tags: {} } }, "ExistingNetwork vpc", "at least one tag");
  assertRejects(attempt, { vpc: { id: "vpc-01234567", tags: { Name: "x" } } as never }, "either id or tags");
  assertRejects(attempt, { ...TAGGED, publicSubnets: { ids: ["subnet-01234567"] } }, "ExistingNetwork publicSubnets", "at least 2 subnets", "got 1: subnet-01234567");
  assertRejects(attempt, { ...TAGGED, privateSubnets: { ids: ["subnet-01234567", "subnet-01234567"] } }, "subnet-01234567 is given twice");
  assertRejects(attempt, { ...TAGGED, privateSubnets: { ids: ["subnet-01234567", "sg-01234567"] } }, '"sg-01234567" is not a subnet ID');
  assertRejects(attempt, { ...TAGGED, privateSubnets: { tags: { "bad,key": "x" } } }, 'tag key "bad,key"');
  assertRejects(attempt, { ...TAGGED, namePrefix: "Bad Prefix" }, "ExistingNetwork");
});

test.run();
