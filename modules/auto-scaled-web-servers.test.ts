import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import type { TerraformStack } from "cdktf";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group/index.js";
import { Network } from "./network.js";
import { AutoScaledWebServers, type AutoScaledWebServersProps } from "./auto-scaled-web-servers.js";
import { fixtureArtifact, FixtureDatabase, refTo, resourceNamed, resourcesOf, synthStack, type SynthJson, assertRejects } from "../test/compute-fixtures.js";
import { SECRET_TO_PASSWORD_PROGRAM } from "./user-data.js";

type Extra = Partial<Omit<AutoScaledWebServersProps, "network">> & { networkProps?: ConstructorParameters<typeof Network>[2] };

function build(extra: Extra = {}, after?: (servers: AutoScaledWebServers, stack: TerraformStack) => void) {
  return synthStack((stack) => {
    const { networkProps, ...props } = extra;
    const network = new Network(stack, "network", networkProps);
    const servers = new AutoScaledWebServers(stack, "web", { network, artifact: fixtureArtifact, ...props });
    after?.(servers, stack);
    return servers;
  });
}

const launchTemplate = (json: SynthJson) => resourceNamed(json, "aws_launch_template", "launch-template");
const group = (json: SynthJson) => resourceNamed(json, "aws_autoscaling_group", "web_asg");

/**
 * The script inside `${base64encode("...")}`, decoded the way Terraform reads an HCL string
 * literal: \\ \" \n escapes, and $${ for a literal ${.
 */
function decodeBase64Expression(expression: string): string {
  const match = /^\$\{base64encode\("([\s\S]*)"\)\}$/.exec(expression);
  assert.ok(match, `a base64encode expression: ${expression.slice(0, 60)}`);
  let out = "";
  const body = match![1]!;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === "\\") {
      const next = body[++i]!;
      out += next === "n" ? "\n" : next === "t" ? "\t" : next === "r" ? "\r" : next;
    } else if (c === '"') {
      assert.unreachable(`unescaped quote at ${i}: the HCL string would end early`);
    } else if (body.startsWith("$${", i)) {
      out += "${";
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

test("defaults: group of 1 (min 1, max 2) across every private subnet, ELB health checks with 300 s grace", () => {
  const { json, result } = build();
  const asg = group(json);
  assert.equal([asg.min_size, asg.desired_capacity, asg.max_size], [1, 1, 2]);
  assert.equal([result.minSize, result.desiredCapacity, result.maxSize], [1, 1, 2]);
  assert.equal(asg.vpc_zone_identifier, [refTo(json, "aws_subnet", "private-0"), refTo(json, "aws_subnet", "private-1")]);
  assert.is(asg.health_check_type, "ELB");
  // A cold boot installs Node.js and fetches the bundle: 284 s budgeted (boot-budget.ts), rounded up.
  assert.is(asg.health_check_grace_period, 300);
  assert.is(asg.default_instance_warmup, 300);
  assert.is(asg.name, "seedstack-asg");
  assert.equal(asg.tag, [{ key: "Name", value: "seedstack-asg", propagate_at_launch: true }]);
  assert.equal(asg.lifecycle.ignore_changes, ["desired_capacity", "target_group_arns", "load_balancers"]);
});

test("defaults: the group follows the launch template's latest version and rolls with instance refresh (launch before terminate)", () => {
  const { json } = build();
  const asg = group(json);
  assert.equal(asg.launch_template, {
    id: refTo(json, "aws_launch_template", "launch-template"),
    version: refTo(json, "aws_launch_template", "launch-template", "latest_version"),
  });
  assert.equal(asg.instance_refresh, { strategy: "Rolling", preferences: { min_healthy_percentage: 100, max_healthy_percentage: 200, skip_matching: true } });
});

test("defaults: launch template hardening (IMDSv2 hop 1, encrypted gp3 root, no public IP, instance profile, own SG)", () => {
  const { json } = build();
  const lt = launchTemplate(json);
  assert.is(lt.name, "seedstack-asg");
  assert.is(lt.instance_type, "t3.micro");
  assert.match(lt.image_id, /^\$\{data\.aws_ssm_parameter\.[^.]+\.insecure_value\}$/);
  assert.is((Object.values(json.data!.aws_ssm_parameter!)[0] as any).name, "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64");
  assert.equal(lt.metadata_options, { http_endpoint: "enabled", http_tokens: "required", http_put_response_hop_limit: 1, instance_metadata_tags: "disabled" });
  assert.equal(lt.block_device_mappings, [{ device_name: "/dev/xvda", ebs: { volume_type: "gp3", volume_size: 8, encrypted: "true", delete_on_termination: "true" } }]);
  assert.equal(lt.network_interfaces, [
    { device_index: 0, associate_public_ip_address: "false", delete_on_termination: "true", security_groups: [refTo(json, "aws_security_group", "web_sg")] },
  ]);
  assert.is(lt.vpc_security_group_ids, undefined);
  assert.equal(lt.iam_instance_profile, { arn: refTo(json, "aws_iam_instance_profile", "profile", "arn") });
  assert.equal(lt.tag_specifications.map((t: any) => t.resource_type), ["instance", "volume"]);
});

test("user data: base64 of the same script the pair runs, valid bash, PORT = the group's port", () => {
  for (const port of [8080, 3000]) {
    const { json, result } = build({ port });
    const script = decodeBase64Expression(launchTemplate(json).user_data);
    assert.is(script, result.userData);
    assert.is(spawnSync("bash", ["-n"], { input: script }).status, 0);
    assert.match(script, new RegExp(`^PORT='${port}'$`, "m"));
    assert.match(script, /^PORT=\$PORT$/m);
  }
});

test("user data with tokens (a real bucket name) and a database survives the HCL string escaping", () => {
  const { json, result } = synthStack((stack) => {
    const network = new Network(stack, "network");
    const artifact = { ...fixtureArtifact, bucketName: network.vpc.id };
    return new AutoScaledWebServers(stack, "web", { network, artifact, database: new FixtureDatabase(stack, "db", network) });
  });
  const script = decodeBase64Expression(launchTemplate(json).user_data);
  assert.match(script, /^BUCKET='\$\{aws_vpc\.[^.]+\.id\}'$/m, "the token became a Terraform reference");
  // Apart from the reference, the script is exactly what was rendered (quotes and backslashes intact).
  const withoutReference = script.replace(/\$\{aws_vpc\.[^.]+\.id\}/, "BUCKET_NAME");
  assert.is(withoutReference, result.userData.replace(/^BUCKET='.*'$/m, "BUCKET='BUCKET_NAME'"));
  assert.ok(script.includes(SECRET_TO_PASSWORD_PROGRAM), "the node program's backslashes and quotes are intact");
  assert.is(spawnSync("bash", ["-n"], { input: script }).status, 0);
});

test("scaling: target tracking on average CPU, 50% by default, configurable", () => {
  const { json } = build();
  const policy = resourceNamed(json, "aws_autoscaling_policy", "cpu-target");
  assert.is(policy.policy_type, "TargetTrackingScaling");
  assert.is(policy.autoscaling_group_name, refTo(json, "aws_autoscaling_group", "web_asg", "name"));
  assert.equal(policy.target_tracking_configuration, { predefined_metric_specification: { predefined_metric_type: "ASGAverageCPUUtilization" }, target_value: 50 });
  assert.is(resourceNamed(build({ targetCpuUtilization: 70 }).json, "aws_autoscaling_policy", "cpu-target").target_tracking_configuration.target_value, 70);
});

test("options: sizes, grace period, refresh percentage, Graviton, AMI, volume, prefix", () => {
  const { json } = build({
    minSize: 2, desiredCapacity: 3, maxSize: 6, healthCheckGracePeriod: 420, instanceRefreshMinHealthyPercentage: 50,
    instanceType: "t4g.small", amiId: "ami-0123456789abcdef0", rootVolumeSize: 20, namePrefix: "pr-77",
  });
  const asg = group(json);
  assert.equal([asg.min_size, asg.desired_capacity, asg.max_size, asg.health_check_grace_period], [2, 3, 6, 420]);
  assert.equal(asg.instance_refresh.preferences, { min_healthy_percentage: 50, max_healthy_percentage: 150, skip_matching: true });
  const lt = launchTemplate(json);
  assert.is(lt.instance_type, "t4g.small");
  assert.is(lt.image_id, "ami-0123456789abcdef0");
  assert.is(json.data?.aws_ssm_parameter, undefined);
  assert.is(lt.block_device_mappings[0].ebs.volume_size, 20);
  assert.is(lt.name, "pr-77-asg");
  assert.is(asg.name, "pr-77-asg");
  assert.is(resourceNamed(json, "aws_security_group", "web_sg").name_prefix, "pr-77-asg-");
  assert.is(resourceNamed(json, "aws_iam_role", "web_role").name_prefix, "pr-77-asg-");
  const armDefault = build({ instanceType: "m7g.medium" }).json;
  assert.is((Object.values(armDefault.data!.aws_ssm_parameter!)[0] as any).name, "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64");
  assert.equal([group(build({ minSize: 3 }).json).max_size, group(build({ minSize: 3 }).json).desired_capacity], [3, 3], "maxSize and desired follow a larger minSize");
});

test("launch template ebs_optimized only on types that are EBS-optimized by default: t2 launches still work", () => {
  assert.is(launchTemplate(build().json).ebs_optimized, "true");
  assert.is(launchTemplate(build({ instanceType: "t2.small" }).json).ebs_optimized, undefined);
});

test("attachToTargetGroup: an aws_autoscaling_attachment per target group", () => {
  const { json } = build({}, (servers, stack) => {
    for (const id of ["tg-a", "tg-b"]) servers.attachToTargetGroup(new LbTargetGroup(stack, id, { port: servers.port, protocol: "HTTP", vpcId: servers.network.vpc.id }));
  });
  const attachments = resourcesOf(json, "aws_autoscaling_attachment").map(([, a]) => a);
  assert.equal(attachments.map((a) => a.lb_target_group_arn).sort(), [refTo(json, "aws_lb_target_group", "tg-a", "arn"), refTo(json, "aws_lb_target_group", "tg-b", "arn")]);
  attachments.forEach((a) => assert.is(a.autoscaling_group_name, refTo(json, "aws_autoscaling_group", "web_asg", "name")));
});

test("shares the pair's least privilege: one object, no SSM core without a way to SSM; security group egress HTTPS to S3 and the VPC", () => {
  const { json } = build();
  const policies = resourcesOf(json, "aws_iam_role_policy").map(([, p]) => JSON.parse(p.policy).Statement[0]);
  assert.equal(policies, [{ Sid: "ReadOneObject", Effect: "Allow", Action: ["s3:GetObject"], Resource: `${fixtureArtifact.bucketArn}/${fixtureArtifact.objectKey}` }]);
  assert.is(resourcesOf(json, "aws_iam_role_policy_attachment").length, 0);
  const egress = resourcesOf(json, "aws_vpc_security_group_egress_rule").map(([, r]) => r);
  assert.equal(egress.map((r) => [r.from_port, r.to_port]), [[443, 443], [443, 443]]);
  assert.is(resourcesOf(json, "aws_vpc_security_group_ingress_rule").length, 0);
});

test("database: allowFrom(servers) and the group boots after the Secrets Manager endpoint", () => {
  let db: FixtureDatabase | undefined;
  const { json, result } = synthStack((stack) => {
    const network = new Network(stack, "network");
    db = new FixtureDatabase(stack, "db", network);
    return new AutoScaledWebServers(stack, "web", { network, artifact: fixtureArtifact, database: db });
  });
  assert.equal(db!.allowedFrom, [result]);
  const endpoint = resourcesOf(json, "aws_vpc_endpoint").find(([n]) => n.includes("endpoint-secretsmanager"))!;
  assert.ok(group(json).depends_on.includes(`aws_vpc_endpoint.${endpoint[0]}`));
});

const rejects = (extra: Extra, ...fragments: string[]) => assertRejects(build, extra, ...fragments);

test("validation: min <= desired <= max, ranges, and the shared props", () => {
  rejects({ minSize: 2, desiredCapacity: 1, maxSize: 3 }, "minSize <= desiredCapacity <= maxSize", "minSize 2", "desiredCapacity 1", "maxSize 3");
  rejects({ minSize: 1, desiredCapacity: 4, maxSize: 3 }, "desiredCapacity 4", "maxSize 3");
  rejects({ minSize: 3, maxSize: 2 }, "minSize 3", "maxSize 2");
  rejects({ maxSize: 0 }, "maxSize", "got 0");
  rejects({ maxSize: 101 }, "maxSize", "got 101");
  rejects({ minSize: -1 }, "minSize", "got -1");
  rejects({ healthCheckGracePeriod: -5 }, "healthCheckGracePeriod", "got -5");
  rejects({ targetCpuUtilization: 0 }, "targetCpuUtilization", "got 0");
  rejects({ targetCpuUtilization: 150 }, "got 150");
  rejects({ instanceRefreshMinHealthyPercentage: 101 }, "instanceRefreshMinHealthyPercentage", "got 101");
  rejects({ port: 3389 }, "AutoScaledWebServers", "RDP");
  rejects({ instanceType: "t3" }, "AutoScaledWebServers", '"t3"');
});

test.run();
