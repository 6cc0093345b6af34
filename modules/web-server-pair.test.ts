import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import type { TerraformStack } from "cdktf";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group/index.js";
import { Network } from "./network.js";
import { ArtifactBucket } from "./artifact-bucket.js";
import { WebServerPair, type WebServerPairProps } from "./web-server-pair.js";
import type { ILoadBalancerTarget } from "./contracts.js";
import { fixtureArtifact, FixtureDatabase, refTo, resourceNamed, resourcesOf, synthStack, type SynthJson, assertRejects } from "../test/compute-fixtures.js";

type Extra = Partial<Omit<WebServerPairProps, "network">> & { networkProps?: ConstructorParameters<typeof Network>[2] };

function build(extra: Extra = {}, after?: (pair: WebServerPair, stack: TerraformStack) => void) {
  return synthStack((stack) => {
    const { networkProps, ...props } = extra;
    const network = new Network(stack, "network", networkProps);
    const pair = new WebServerPair(stack, "web", { network, artifact: fixtureArtifact, ...props });
    after?.(pair, stack);
    return { pair, network };
  });
}

const instances = (json: SynthJson) => resourcesOf(json, "aws_instance").map(([, i]) => i);
const egressRules = (json: SynthJson) => resourcesOf(json, "aws_vpc_security_group_egress_rule").filter(([n]) => n.startsWith("web_")).map(([, r]) => r);

/** The PORT the user data's environment file gives the server. */
function userDataPort(userData: string): number {
  const match = /^PORT='(\d+)'$/m.exec(userData);
  assert.ok(match, "user data sets PORT");
  assert.ok(/^PORT=\$PORT$/m.test(userData), "the environment file passes PORT through");
  return Number(match![1]);
}

test("defaults: two instances in the first two private subnets (different AZs), t3.micro, latest AL2023 x86_64", () => {
  const { json, result } = build();
  const list = instances(json);
  assert.is(list.length, 2);
  assert.is(result.pair.instances.length, 2);
  assert.equal(list.map((i) => i.subnet_id), [refTo(json, "aws_subnet", "private-0"), refTo(json, "aws_subnet", "private-1")]);
  list.forEach((i) => assert.is(i.instance_type, "t3.micro"));
  const ami = Object.entries(json.data?.aws_ssm_parameter ?? {});
  assert.is(ami.length, 1);
  assert.is((ami[0]![1] as any).name, "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64");
  list.forEach((i) => assert.is(i.ami, `\${data.aws_ssm_parameter.${ami[0]![0]}.insecure_value}`));
  assert.equal(list.map((i) => i.tags.Name), ["seedstack-web-0", "seedstack-web-1"]);
});

test("defaults: hardening on every instance (IMDSv2 hop 1, encrypted gp3 root, no public IP, instance profile)", () => {
  const { json } = build();
  for (const i of instances(json)) {
    assert.equal(i.metadata_options, { http_endpoint: "enabled", http_tokens: "required", http_put_response_hop_limit: 1, instance_metadata_tags: "disabled" });
    assert.equal(i.root_block_device, { volume_type: "gp3", volume_size: 8, encrypted: true, delete_on_termination: true });
    assert.is(i.associate_public_ip_address, false);
    assert.is(i.iam_instance_profile, refTo(json, "aws_iam_instance_profile", "web_role_profile", "name"));
    assert.equal(i.vpc_security_group_ids, [refTo(json, "aws_security_group", "web_sg")]);
    assert.is(i.user_data_replace_on_change, true);
    assert.equal(i.lifecycle, { create_before_destroy: true });
  }
});

test("defaults: instances boot after the S3 gateway endpoint exists", () => {
  const { json } = build();
  const s3 = resourcesOf(json, "aws_vpc_endpoint").find(([n]) => n.includes("s3-endpoint"))![0];
  instances(json).forEach((i) => assert.ok(i.depends_on.includes(`aws_vpc_endpoint.${s3}`)));
});

test("user data: valid bash that starts the server on the pair's port (default 8080, and an explicit port)", () => {
  for (const port of [undefined, 9090]) {
    const { json, result } = build(port ? { port } : {});
    assert.is(result.pair.port, port ?? 8080);
    for (const i of instances(json)) {
      const check = spawnSync("bash", ["-n"], { input: i.user_data, encoding: "utf8" });
      assert.is(check.status, 0, check.stderr);
      assert.is(userDataPort(i.user_data), result.pair.port);
      assert.ok(i.user_data.includes(`BUNDLE_SHA256='${fixtureArtifact.contentHash}'`));
      assert.match(i.user_data, /^SEED_STORE=memory$/m);
    }
  }
});

test("role: reads exactly the artifact object, nothing else without a database; no SSM core where SSM cannot be reached", () => {
  const { json } = build();
  const policies = resourcesOf(json, "aws_iam_role_policy").map(([, p]) => JSON.parse(p.policy));
  assert.is(policies.length, 1);
  assert.equal(policies[0].Statement[0].Action, ["s3:GetObject"]);
  assert.is(policies[0].Statement[0].Resource, `${fixtureArtifact.bucketArn}/${fixtureArtifact.objectKey}`);
  // The default network has no NAT and no SSM endpoints: Session Manager cannot reach the servers.
  assert.is(resourcesOf(json, "aws_iam_role_policy_attachment").length, 0);
  assert.is(resourceNamed(json, "aws_iam_role", "web_role").name_prefix, "seedstack-web-");
});

test("SSM core is attached exactly where Session Manager can reach the servers: NAT, or the three SSM endpoints", () => {
  const ssmCore = (extra: Extra) =>
    resourcesOf(build(extra).json, "aws_iam_role_policy_attachment").map(([, a]) => String(a.policy_arn).replace(/^.*:policy\//, ""));
  assert.equal(ssmCore({ networkProps: { ssmEndpoints: true } }), ["AmazonSSMManagedInstanceCore"]);
  assert.equal(ssmCore({ networkProps: { natGateways: "single" } }), ["AmazonSSMManagedInstanceCore"]);
  assert.equal(ssmCore({ networkProps: { natGateways: "none", ssmEndpoints: false } }), []);
  // One endpoint of the three is not enough for Session Manager.
  const onlySsm = synthStack((stack) => {
    const network = new Network(stack, "network");
    network.addInterfaceEndpoint("ssm");
    new WebServerPair(stack, "web", { network, artifact: fixtureArtifact });
  });
  assert.is(resourcesOf(onlySsm.json, "aws_iam_role_policy_attachment").length, 0);
});

test("security group: described, no ingress, HTTPS egress only to the S3 prefix list and the VPC", () => {
  const { json } = build();
  const sg = resourceNamed(json, "aws_security_group", "web_sg");
  assert.equal([sg.name, sg.name_prefix, sg.tags.Name], [undefined, "seedstack-web-", "seedstack-web"]);
  assert.is(sg.description, "seedstack web servers: ingress only from the load balancer; HTTPS egress to S3 and VPC endpoints");
  assert.is(sg.ingress, undefined);
  assert.is(sg.egress, undefined);
  assert.is(resourcesOf(json, "aws_vpc_security_group_ingress_rule").length, 0);
  const rules = egressRules(json);
  assert.is(rules.length, 2);
  assert.equal(rules.map((r) => r.description).sort(), [
    "HTTPS to S3 (seed-server bundle, AL2023 package repositories) via the gateway endpoint",
    "HTTPS to interface VPC endpoints (Systems Manager, Secrets Manager) inside the VPC",
  ]);
  rules.forEach((r) => {
    assert.equal([r.ip_protocol, r.from_port, r.to_port], ["tcp", 443, 443]);
    assert.is(r.security_group_id, refTo(json, "aws_security_group", "web_sg"));
  });
  const s3 = rules.find((r) => r.prefix_list_id)!;
  assert.is(s3.prefix_list_id, refTo(json, "aws_vpc_endpoint", "s3-endpoint", "prefix_list_id"));
  const vpc = rules.find((r) => r.cidr_ipv4)!;
  assert.is(vpc.cidr_ipv4, refTo(json, "aws_vpc", "vpc", "cidr_block"));
  assert.not.ok(rules.some((r) => r.cidr_ipv4 === "0.0.0.0/0"));
});

test("with a NAT gateway the servers may also reach public AWS APIs over HTTPS", () => {
  const { json } = build({ networkProps: { natGateways: "single" } });
  const internet = egressRules(json).filter((r) => r.cidr_ipv4 === "0.0.0.0/0");
  assert.is(internet.length, 1);
  assert.equal([internet[0]!.from_port, internet[0]!.to_port], [443, 443]);
});

test("count: instance i goes to private subnet i mod AZs; a single instance is allowed", () => {
  const three = build({ count: 3 }).json;
  assert.equal(instances(three).map((i) => i.subnet_id), ["private-0", "private-1", "private-0"].map((s) => refTo(three, "aws_subnet", s)));
  const threeAzs = build({ count: 3, networkProps: { azCount: 3 } }).json;
  assert.equal(instances(threeAzs).map((i) => i.subnet_id), ["private-0", "private-1", "private-2"].map((s) => refTo(threeAzs, "aws_subnet", s)));
  assert.is(instances(build({ count: 1 }).json).length, 1);
});

test("options: Graviton type picks the arm64 image; explicit AMI skips the lookup; sizes, drain, log level, prefix", () => {
  const arm = build({ instanceType: "t4g.micro" }).json;
  assert.is((Object.values(arm.data!.aws_ssm_parameter!)[0] as any).name, "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64");
  instances(arm).forEach((i) => assert.is(i.instance_type, "t4g.micro"));

  const pinned = build({ amiId: "ami-0123456789abcdef0", rootVolumeSize: 16, drainSeconds: 5, logLevel: "debug", namePrefix: "pr-9" }).json;
  assert.is(pinned.data?.aws_ssm_parameter, undefined);
  for (const i of instances(pinned)) {
    assert.is(i.ami, "ami-0123456789abcdef0");
    assert.is(i.root_block_device.volume_size, 16);
    assert.match(i.user_data, /^DRAIN_SECONDS='5'$/m);
    assert.match(i.user_data, /^LOG_LEVEL='debug'$/m);
  }
  assert.equal(instances(pinned).map((i) => i.tags.Name), ["pr-9-web-0", "pr-9-web-1"]);
  assert.is(resourceNamed(pinned, "aws_security_group", "web_sg").name_prefix, "pr-9-web-");
  assert.is(resourceNamed(pinned, "aws_iam_role", "web_role").name_prefix, "pr-9-web-");
});

test("ebs_optimized only on types that are EBS-optimized by default: a t2.micro (no EBS optimization) still launches", () => {
  instances(build().json).forEach((i) => assert.is(i.ebs_optimized, true, "t3.micro"));
  instances(build({ instanceType: "t2.micro" }).json).forEach((i) => assert.is(i.ebs_optimized, undefined, "t2.micro"));
});

test("ILoadBalancerTarget: port and health check path, one attachment per instance on the app port", () => {
  const { json, result } = build({ port: 9000, healthCheckPath: "/healthz" }, (pair, stack) => {
    const tg = new LbTargetGroup(stack, "tg", { port: pair.port, protocol: "HTTP", vpcId: pair.network.vpc.id });
    const target: ILoadBalancerTarget = pair;
    target.attachToTargetGroup(tg);
  });
  assert.is(result.pair.healthCheckPath, "/healthz");
  const attachments = resourcesOf(json, "aws_lb_target_group_attachment").map(([, a]) => a);
  assert.is(attachments.length, 2);
  attachments.forEach((a, i) => {
    assert.is(a.port, 9000);
    assert.is(a.target_group_arn, refTo(json, "aws_lb_target_group", "tg", "arn"));
    assert.is(a.target_id, refTo(json, "aws_instance", `server-${i}`));
  });
  instances(json).forEach((i) => assert.is(userDataPort(i.user_data), 9000));
});

test("attachToTargetGroup twice (two target groups) keeps construct IDs unique", () => {
  const { json } = build({}, (pair, stack) => {
    for (const id of ["tg-a", "tg-b"]) pair.attachToTargetGroup(new LbTargetGroup(stack, id, { port: pair.port, protocol: "HTTP", vpcId: pair.network.vpc.id }));
  });
  assert.is(resourcesOf(json, "aws_lb_target_group_attachment").length, 4);
});

test("database: allowFrom(pair), secret read, PostgreSQL egress to the database group, Secrets Manager endpoint without NAT", () => {
  let db: FixtureDatabase | undefined;
  const { json, result } = synthStack((stack) => {
    const network = new Network(stack, "network");
    db = new FixtureDatabase(stack, "db", network);
    return new WebServerPair(stack, "web", { network, artifact: fixtureArtifact, database: db });
  });
  assert.equal(db!.allowedFrom, [result]);
  const secretPolicy = resourcesOf(json, "aws_iam_role_policy").map(([, p]) => JSON.parse(p.policy).Statement[0]).find((s) => s.Sid === "ReadOneSecret");
  assert.is(secretPolicy.Resource, db!.connection.secretArn);
  const dbRules = egressRules(json).filter((r) => r.from_port === 5432);
  assert.equal(dbRules.map((r) => r.referenced_security_group_id), [refTo(json, "aws_security_group", "db_sg")]);
  assert.equal(dbRules.map((r) => r.description), ["PostgreSQL to the database security group"]);
  const endpoint = resourcesOf(json, "aws_vpc_endpoint").find(([n]) => n.includes("endpoint-secretsmanager"));
  assert.ok(endpoint, "secretsmanager interface endpoint");
  // Booting needs the bundle and the secret: the role's policies exist before the instances do.
  const permissions = [
    ...resourcesOf(json, "aws_iam_role_policy").map(([n]) => `aws_iam_role_policy.${n}`),
    ...resourcesOf(json, "aws_iam_role_policy_attachment").map(([n]) => `aws_iam_role_policy_attachment.${n}`),
  ];
  assert.is(permissions.length, 2, "bundle read, secret read (no SSM core without NAT or SSM endpoints)");
  for (const i of instances(json)) {
    assert.ok(i.depends_on.includes(`aws_vpc_endpoint.${endpoint![0]}`));
    for (const p of permissions) assert.ok(i.depends_on.includes(p), p);
    assert.match(i.user_data, /^SEED_STORE=postgres$/m);
    assert.ok(i.user_data.includes(`PGHOST='${db!.connection.host}'`));
    assert.match(i.user_data, /^PGSSLMODE=require$/m);
    assert.is(spawnSync("bash", ["-n"], { input: i.user_data }).status, 0);
  }
});

test("database with NAT: no Secrets Manager endpoint (the NAT reaches the public API)", () => {
  const { json } = synthStack((stack) => {
    const network = new Network(stack, "network", { natGateways: "single" });
    return new WebServerPair(stack, "web", { network, artifact: fixtureArtifact, database: new FixtureDatabase(stack, "db", network) });
  });
  assert.not.ok(resourcesOf(json, "aws_vpc_endpoint").some(([n]) => n.includes("secretsmanager")));
});

test("database: one PostgreSQL egress rule, to the database security group", () => {
  const { json } = synthStack((stack) => {
    const network = new Network(stack, "network");
    return new WebServerPair(stack, "web", { network, artifact: fixtureArtifact, database: new FixtureDatabase(stack, "db", network) });
  });
  const dbRules = egressRules(json).filter((r) => r.from_port === 5432);
  assert.is(dbRules.length, 1);
  assert.is(dbRules[0]!.referenced_security_group_id, refTo(json, "aws_security_group", "db_sg"));
});

test("with the real ArtifactBucket: boots after the upload, reads exactly its object, verifies its hash", () => {
  const { json, result } = synthStack((stack) => {
    const network = new Network(stack, "network");
    const artifact = new ArtifactBucket(stack, "artifacts");
    return { artifact, pair: new WebServerPair(stack, "web", { network, artifact }) };
  });
  const objectName = resourcesOf(json, "aws_s3_object")[0]![0];
  const bucketArn = refTo(json, "aws_s3_bucket", "artifacts", "arn");
  for (const i of instances(json)) {
    assert.ok(i.depends_on.includes(`aws_s3_object.${objectName}`));
    assert.ok(i.user_data.includes(`BUNDLE_SHA256='${result.artifact.contentHash}'`));
    assert.ok(i.user_data.includes(`OBJECT_KEY='${result.artifact.objectKey}'`));
    assert.ok(i.user_data.includes(`BUCKET='${refTo(json, "aws_s3_bucket", "artifacts", "bucket")}'`));
  }
  const reads = resourcesOf(json, "aws_iam_role_policy").map(([, p]) => JSON.parse(p.policy).Statement[0].Resource);
  assert.equal(reads, [`${bucketArn}/${result.artifact.objectKey}`]);
});

const rejects = (extra: Extra, ...fragments: string[]) => assertRejects(build, extra, ...fragments);

test("validation: count, port, health check path, drain, instance type, volume, log level, prefix", () => {
  rejects({ count: 0 }, "WebServerPair", "count", "got 0");
  rejects({ count: 21 }, "1 to 20", "got 21");
  rejects({ count: 1.5 }, "got 1.5");
  rejects({ port: 0 }, "port", "got 0");
  rejects({ port: 65536 }, "65535", "got 65536");
  rejects({ port: 22 }, "port 22", "SSH");
  rejects({ port: 5432 }, "PostgreSQL");
  rejects({ healthCheckPath: "status" }, "healthCheckPath", '"status"');
  rejects({ healthCheckPath: "/sta tus" }, '"/sta tus"');
  rejects({ drainSeconds: -1 }, "drainSeconds", "got -1");
  rejects({ drainSeconds: 3601 }, "got 3601");
  rejects({ instanceType: "large" }, "instanceType", '"large"');
  rejects({ rootVolumeSize: 2 }, "rootVolumeSize", "got 2");
  rejects({ logLevel: "verbose" as never }, "logLevel", '"verbose"');
  rejects({ namePrefix: "Web_1" }, "WebServerPair", "namePrefix", '"Web_1"');
});

test.run();
