/**
 * Policy test: the security baseline over every module's stacks (defaults and each option that
 * changes resources) and over the full topologies. Only the accepted exceptions in
 * security-exceptions.ts pass without a waiver; the plain-HTTP course mode carries its waivers.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { TerraformStack } from "cdktf";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule/index.js";
import { Network } from "../modules/network.js";
import { ArtifactBucket } from "../modules/artifact-bucket.js";
import { LoadBalancer, type LoadBalancerProps } from "../modules/load-balancer.js";
import { Database, type DatabaseProps } from "../modules/database.js";
import { WebServerPair } from "../modules/web-server-pair.js";
import { AutoScaledWebServers } from "../modules/auto-scaled-web-servers.js";
import { ACCEPTED_EXCEPTIONS, assertSecurityBaseline, plainHttpCourseModeWaivers, type Waiver } from "./security-exceptions.js";
import { checkSecurityBaseline } from "./security-baseline.js";
import { autoscaledTopology, classicTopology, fixtureBundlePath } from "./fixtures.js";
import { FixtureTarget } from "./fixture-target.js";
import { synthStack } from "./synth-stack.js";

interface PolicyCase {
  readonly name: string;
  readonly build: (stack: TerraformStack) => unknown;
  readonly waivers?: readonly Waiver[];
}

const ACM_ARN = "arn:aws:acm:us-east-1:123456789012:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0";
const twoZones = ["us-east-1a", "us-east-1b"];
const artifact = (s: TerraformStack) => new ArtifactBucket(s, "artifacts", { bundlePath: fixtureBundlePath() });

function lbWithFixture(extra: Partial<LoadBalancerProps>) {
  return (s: TerraformStack) => {
    const network = new Network(s, "network");
    new LoadBalancer(s, "lb", { network, targets: new FixtureTarget(s, "servers", { network }), ...extra });
  };
}
/** A Database allowed from real servers (the checker only trusts groups that servers actually use). */
function dbWithServers(extra: Partial<DatabaseProps>) {
  return (s: TerraformStack) => {
    const network = new Network(s, "network");
    const database = new Database(s, "db", { network, ...extra });
    new WebServerPair(s, "web", { network, artifact: artifact(s), database });
  };
}

const CASES: PolicyCase[] = [
  // Network
  { name: "Network defaults", build: (s) => new Network(s, "network") },
  { name: "Network with literal AZs, one NAT gateway and SSM endpoints", build: (s) => new Network(s, "network", { availabilityZones: twoZones, natGateways: "single", ssmEndpoints: true }) },
  { name: "Network with a NAT gateway per AZ over three AZs", build: (s) => new Network(s, "network", { azCount: 3, natGateways: "perAz" }) },
  // ArtifactBucket
  { name: "ArtifactBucket defaults", build: artifact },
  { name: "ArtifactBucket with forceDestroy", build: (s) => new ArtifactBucket(s, "artifacts", { bundlePath: fixtureBundlePath(), forceDestroy: true, namePrefix: "pr-1" }) },
  // LoadBalancer
  { name: "LoadBalancer defaults (self-signed)", build: lbWithFixture({}) },
  { name: "LoadBalancer with an ACM ARN", build: lbWithFixture({ certificate: { kind: "acm-arn", arn: ACM_ARN } }) },
  { name: "LoadBalancer with ACM DNS validation (zone name)", build: lbWithFixture({ certificate: { kind: "acm-dns", domainName: "app.example.com", zoneName: "example.com" } }) },
  { name: "LoadBalancer with ACM DNS validation (zone ID)", build: lbWithFixture({ certificate: { kind: "acm-dns", domainName: "app.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ" } }) },
  { name: "LoadBalancer sticky, TLS 1.3 only, restricted clients", build: lbWithFixture({ stickiness: { duration: 600 }, sslPolicy: "ELBSecurityPolicy-TLS13-1-3-2021-06", allowedCidrs: ["203.0.113.0/24", "2001:db8::/32"], deregistrationDelay: 0 }) },
  { name: "LoadBalancer without targets", build: (s) => new LoadBalancer(s, "lb", { network: new Network(s, "network") }) },
  { name: "LoadBalancer in plain-HTTP course mode", build: lbWithFixture({ protocol: "http" }), waivers: plainHttpCourseModeWaivers() },
  // Database
  { name: "Database defaults", build: dbWithServers({}) },
  { name: "Database ephemeral, multi-AZ, IAM auth", build: dbWithServers({ ephemeral: true, multiAz: true, iamAuthentication: true, engineMajorVersion: 16 }) },
  { name: "Database without any servers allowed", build: (s) => new Database(s, "db", { network: new Network(s, "network") }) },
  // Compute, alone
  { name: "WebServerPair alone", build: (s) => new WebServerPair(s, "web", { network: new Network(s, "network"), artifact: artifact(s) }) },
  { name: "AutoScaledWebServers alone", build: (s) => new AutoScaledWebServers(s, "web", { network: new Network(s, "network"), artifact: artifact(s) }) },
  // Full topologies
  { name: "classic topology", build: (s) => classicTopology(s) },
  { name: "classic topology, ephemeral PR copy with ACM DNS", build: (s) => classicTopology(s, { namePrefix: "pr-42", ephemeral: true, loadBalancer: { certificate: { kind: "acm-dns", domainName: "pr-42.dev.example.com", zoneName: "dev.example.com" } } }) },
  { name: "classic topology in plain-HTTP course mode", build: (s) => classicTopology(s, { loadBalancer: { protocol: "http", certificate: undefined } }), waivers: plainHttpCourseModeWaivers() },
  { name: "classic topology with NAT and SSM endpoints", build: (s) => classicTopology(s, { network: { natGateways: "single", ssmEndpoints: true } }) },
  { name: "autoscaled topology", build: (s) => autoscaledTopology(s) },
  { name: "autoscaled topology, ephemeral, NAT per AZ", build: (s) => autoscaledTopology(s, { namePrefix: "pr-7", ephemeral: true, network: { natGateways: "perAz" } }) },
];

for (const c of CASES) {
  test(`security baseline: ${c.name}`, () => {
    const { json } = synthStack(c.build);
    assertSecurityBaseline(json, { stackName: c.name, waivers: c.waivers ?? [] });
  });
}

test("the full topologies trip exactly the accepted exceptions before filtering (the checker sees them)", () => {
  const builds: Array<(s: TerraformStack) => unknown> = [(s) => classicTopology(s), (s) => autoscaledTopology(s)];
  for (const build of builds) {
    const { json } = synthStack(build);
    const raw = checkSecurityBaseline(json).map((v) => `${v.rule} ${v.resource.split(".")[0]}`).sort();
    assert.equal(raw, ["AVD-AWS-0053 aws_lb", "CKV_AWS_260 aws_vpc_security_group_ingress_rule"]);
    const accepted = ACCEPTED_EXCEPTIONS.map((e) => e.rule).sort();
    assert.equal([...new Set(raw.map((r) => r.split(" ")[0]))].sort(), accepted);
  }
});

test("the policy test fails a topology with a hole in it (SSH open on the web servers)", () => {
  const { json } = synthStack((s) => {
    const { servers } = classicTopology(s);
    new VpcSecurityGroupIngressRule(s, "debug-ssh", {
      securityGroupId: servers.securityGroup.id,
      description: "temporary debugging",
      ipProtocol: "tcp",
      fromPort: 22,
      toPort: 22,
      cidrIpv4: "0.0.0.0/0",
    });
  });
  assert.throws(
    () => assertSecurityBaseline(json, { stackName: "classic + ssh" }),
    (e: Error) => e.message.includes("CKV_AWS_24") && e.message.includes("SEEDSTACK_SERVER_INGRESS") && e.message.includes("debug-ssh"),
  );
});

test.run();
