/**
 * A pull-request stack placed in an existing VPC (SEEDSTACK_VPC_TAGS) has no aws_vpc or aws_subnet
 * resources, only data sources: the reader must still read it, whole, for the local engine (which
 * never needed AWS's addresses: it falls back to its own loopback addresses), not crash on it.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { removeSynthFixtures, synthFixture } from "../test-support/synth-fixture.js";
import { readStack } from "./read-stack.js";

const test = suite("read-stack: a PR stack in an existing VPC");
test.after(() => removeSynthFixtures());

test("servers, load balancer, database and their security-group paths are read; subnet and VPC addresses are simply unknown", async () => {
  const outdir = await synthFixture({ SEEDSTACK_PR_NUMBER: "16", SEEDSTACK_DATABASE: "on", SEEDSTACK_VPC_TAGS: "Name=seedstack-shared" });
  const stack = readStack(outdir, "pr-16");
  assert.is(stack.resourceCounts.aws_vpc, undefined, "the VPC is looked up, not created");
  assert.is(stack.vpcCidr, undefined);
  assert.equal(stack.loadBalancer.subnetCidrs, []);
  assert.is(stack.loadBalancer.subnetCount, 2, "one looked-up subnet per zone, each a reference: a literal list");
  assert.is(stack.servers.kind, "instances");
  if (stack.servers.kind !== "instances") return;
  assert.equal(stack.servers.instances.map((i) => i.name), ["seedstack-pr-16-web-0", "seedstack-pr-16-web-1"]);
  assert.ok(stack.servers.instances.every((i) => i.subnetCidr === undefined));
  assert.is(stack.database?.engine, "postgres");
  assert.equal(stack.database?.subnetCidrs, []);
  // The paths the local engine enforces are group to group, as with a VPC of the stack's own.
  const web = stack.servers.instances[0]!.securityGroups[0]!;
  const db = stack.database!.securityGroups[0]!;
  const lb = stack.loadBalancer.securityGroups[0]!;
  assert.ok(stack.securityGroups.get(web)!.ingress.some((r) => r.fromPort === 8080 && r.peer.kind === "group" && r.peer.group === lb));
  assert.ok(stack.securityGroups.get(db)!.ingress.some((r) => r.fromPort === 5432 && r.peer.kind === "group" && r.peer.group === web));
  // "HTTPS inside the VPC" names the looked-up VPC's cidr_block: unknown here, kept as an expression.
  const unresolved = stack.securityGroups.get(web)!.egress.flatMap((r) => (r.peer.kind === "unresolved" ? [r.peer.expression] : []));
  assert.is(unresolved.length, 1);
  assert.match(unresolved[0]!, /^\$\{data\.aws_vpc\.[^.]+\.cidr_block\}$/);
});

test.run();
