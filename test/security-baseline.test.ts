/**
 * The security-baseline checker, tested on small synthesized stacks that break one rule at a time
 * (and on compliant ones, so it can also wrongly fail).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Fn, type TerraformStack } from "cdktf";
import { Vpc } from "@cdktf/provider-aws/lib/vpc/index.js";
import { Subnet } from "@cdktf/provider-aws/lib/subnet/index.js";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group/index.js";
import { SecurityGroup, type SecurityGroupConfig } from "@cdktf/provider-aws/lib/security-group/index.js";
import { SecurityGroupRule } from "@cdktf/provider-aws/lib/security-group-rule/index.js";
import { VpcSecurityGroupIngressRule, type VpcSecurityGroupIngressRuleConfig } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule/index.js";
import { Lb, type LbConfig } from "@cdktf/provider-aws/lib/lb/index.js";
import { LbListener, type LbListenerConfig } from "@cdktf/provider-aws/lib/lb-listener/index.js";
import { LbTargetGroup, type LbTargetGroupConfig } from "@cdktf/provider-aws/lib/lb-target-group/index.js";
import { Instance, type InstanceConfig } from "@cdktf/provider-aws/lib/instance/index.js";
import { LaunchTemplate, type LaunchTemplateConfig } from "@cdktf/provider-aws/lib/launch-template/index.js";
import { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group/index.js";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role/index.js";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment/index.js";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy/index.js";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document/index.js";
import { DbInstance, type DbInstanceConfig } from "@cdktf/provider-aws/lib/db-instance/index.js";
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group/index.js";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket/index.js";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block/index.js";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy/index.js";
import { checkSecurityBaseline, type Violation } from "./security-baseline.js";
import { assertSecurityBaseline, plainHttpCourseModeWaivers, unacceptedViolations } from "./security-exceptions.js";
import { synthStack } from "./synth-stack.js";
import type { SynthJson } from "./synth-json.js";
import { writeFileSync } from "node:fs";
import { testTempDir } from "./temp-dirs.js";
import { join } from "node:path";
import { ArtifactBucket } from "../modules/artifact-bucket.js";

/** `rule resource-type` pairs found, sorted: resource logical names are cdktf-generated. */
function found(json: SynthJson): string[] {
  return checkSecurityBaseline(json).map((v) => `${v.rule} ${v.resource.split(".")[0]}`).sort();
}
function rules(json: SynthJson): string[] {
  return [...new Set(checkSecurityBaseline(json).map((v) => v.rule))].sort();
}
function only(build: (s: TerraformStack) => unknown): SynthJson {
  return synthStack(build).json;
}

// ---------- a compliant network + ALB, then one change at a time ----------

interface AlbParts {
  readonly lb?: Partial<LbConfig>;
  readonly https?: Partial<LbListenerConfig>;
  readonly http?: Partial<LbListenerConfig>;
  readonly tg?: Partial<LbTargetGroupConfig>;
}

function vpcWithDefaults(s: TerraformStack, publicIps = false) {
  const vpc = new Vpc(s, "vpc", { cidrBlock: "10.0.0.0/16" });
  new DefaultSecurityGroup(s, "default-sg", { vpcId: vpc.id });
  const subnets = ["a", "b"].map(
    (az, i) => new Subnet(s, `subnet-${i}`, { vpcId: vpc.id, cidrBlock: `10.0.${i}.0/24`, availabilityZone: `us-east-1${az}`, mapPublicIpOnLaunch: publicIps }),
  );
  return { vpc, subnets };
}

function albStack(parts: AlbParts = {}) {
  return only((s) => {
    const { vpc, subnets } = vpcWithDefaults(s);
    const sg = new SecurityGroup(s, "lb-sg", { description: "Load balancer", vpcId: vpc.id });
    const lb = new Lb(s, "lb", { subnets: subnets.map((x) => x.id), securityGroups: [sg.id], dropInvalidHeaderFields: true, ...parts.lb });
    const tg = new LbTargetGroup(s, "tg", { port: 8080, protocol: "HTTP", vpcId: vpc.id, healthCheck: { path: "/status", enabled: true }, ...parts.tg });
    new LbListener(s, "https", {
      loadBalancerArn: lb.arn,
      port: 443,
      protocol: "HTTPS",
      sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
      certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc",
      defaultAction: [{ type: "forward", targetGroupArn: tg.arn }],
      ...parts.https,
    });
    new LbListener(s, "http", {
      loadBalancerArn: lb.arn,
      port: 80,
      protocol: "HTTP",
      defaultAction: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
      ...parts.http,
    });
  });
}

test("ALB: a compliant load balancer only trips the accepted internet-facing finding", () => {
  assert.equal(found(albStack()), ["AVD-AWS-0053 aws_lb"]);
  assert.equal(found(albStack({ lb: { internal: true } })), []);
});

// Each weakened stack below trips exactly its rule, next to the compliant stack's accepted
// internet-facing finding (AVD-AWS-0053): nothing less, nothing else.
const INTERNET_FACING = "AVD-AWS-0053 aws_lb";

test("ALB: CKV_AWS_131 when invalid header fields are not dropped", () => {
  assert.equal(found(albStack({ lb: { dropInvalidHeaderFields: false } })), [INTERNET_FACING, "CKV_AWS_131 aws_lb"]);
  assert.equal(found(albStack({ lb: { dropInvalidHeaderFields: undefined } })), [INTERNET_FACING, "CKV_AWS_131 aws_lb"]);
});

test("ALB: CKV_AWS_2 and CKV2_AWS_20 when HTTP forwards instead of redirecting", () => {
  const json = only((s) => {
    const { vpc, subnets } = vpcWithDefaults(s);
    const lb = new Lb(s, "lb", { subnets: subnets.map((x) => x.id), dropInvalidHeaderFields: true, internal: true });
    const tg = new LbTargetGroup(s, "tg", { port: 8080, protocol: "HTTP", vpcId: vpc.id, healthCheck: { path: "/status" } });
    new LbListener(s, "http", { loadBalancerArn: lb.arn, port: 80, protocol: "HTTP", defaultAction: [{ type: "forward", targetGroupArn: tg.arn }] });
  });
  assert.equal(found(json), ["CKV2_AWS_20 aws_lb", "CKV_AWS_2 aws_lb_listener"]);
  // A redirect to plain HTTP elsewhere is not a redirect to HTTPS.
  const toHttp = albStack({ http: { defaultAction: [{ type: "redirect", redirect: { protocol: "HTTP", port: "8080", statusCode: "HTTP_301" } }] } });
  assert.equal(found(toHttp), [INTERNET_FACING, "CKV2_AWS_20 aws_lb", "CKV_AWS_2 aws_lb_listener"]);
});

test("ALB: CKV_AWS_103 for an old or missing TLS policy, not for newer TLS 1.3 ones", () => {
  for (const old of ["ELBSecurityPolicy-2016-08", "ELBSecurityPolicy-TLS13-1-1-2021-06", undefined]) {
    assert.equal(found(albStack({ https: { sslPolicy: old } })), [INTERNET_FACING, "CKV_AWS_103 aws_lb_listener"], String(old));
  }
  const missing = checkSecurityBaseline(albStack({ https: { sslPolicy: undefined } })).find((v) => v.rule === "CKV_AWS_103");
  assert.ok(missing?.message.includes("ELBSecurityPolicy-2016-08"), missing?.message);
  for (const newer of ["ELBSecurityPolicy-TLS13-1-3-2021-06", "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09", "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04"]) {
    assert.equal(found(albStack({ https: { sslPolicy: newer } })), [INTERNET_FACING], newer);
  }
});

test("ALB: CKV_AWS_261 for a target group without a health-check path or with the check off", () => {
  for (const healthCheck of [{ enabled: true }, { path: "/status", enabled: false }, undefined]) {
    assert.equal(found(albStack({ tg: { healthCheck } })), [INTERNET_FACING, "CKV_AWS_261 aws_lb_target_group"], JSON.stringify(healthCheck));
  }
});

// ---------- compute ----------

interface ComputeParts {
  readonly instance?: Partial<InstanceConfig>;
  readonly template?: Partial<LaunchTemplateConfig>;
  readonly publicSubnets?: boolean;
  readonly asg?: boolean;
}

function computeStack(parts: ComputeParts = {}) {
  return only((s) => {
    const { vpc, subnets } = vpcWithDefaults(s, parts.publicSubnets ?? false);
    const sg = new SecurityGroup(s, "web-sg", { description: "Web servers", vpcId: vpc.id });
    new Instance(s, "server", {
      ami: "ami-123",
      instanceType: "t3.micro",
      subnetId: subnets[0]!.id,
      vpcSecurityGroupIds: [sg.id],
      iamInstanceProfile: "web-profile",
      associatePublicIpAddress: false,
      metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1, httpEndpoint: "enabled" },
      rootBlockDevice: { encrypted: true, volumeType: "gp3" },
      ...parts.instance,
    });
    const template = new LaunchTemplate(s, "template", {
      imageId: "ami-123",
      vpcSecurityGroupIds: [sg.id],
      iamInstanceProfile: { name: "web-profile" },
      metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 },
      blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", volumeType: "gp3" } }],
      ...parts.template,
    });
    if (parts.asg) {
      new AutoscalingGroup(s, "asg", { minSize: 1, maxSize: 2, vpcZoneIdentifier: subnets.map((x) => x.id), launchTemplate: { id: template.id } });
    }
  });
}

test("EC2: compliant instance and launch template pass", () => {
  assert.equal(found(computeStack({ asg: true })), []);
});

test("EC2: CKV_AWS_79 / CKV_AWS_341 without IMDSv2 or with a hop limit above 1, on both", () => {
  const loose = computeStack({
    instance: { metadataOptions: { httpTokens: "optional", httpPutResponseHopLimit: 1 } },
    template: { metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 2 } },
  });
  assert.equal(found(loose), ["CKV_AWS_341 aws_launch_template", "CKV_AWS_79 aws_instance"]);
  const none = computeStack({ instance: { metadataOptions: undefined }, template: { metadataOptions: undefined } });
  assert.equal(found(none), ["CKV_AWS_341 aws_instance", "CKV_AWS_341 aws_launch_template", "CKV_AWS_79 aws_instance", "CKV_AWS_79 aws_launch_template"]);
});

test("EC2: CKV_AWS_8 for unencrypted root volumes, on instances and launch templates", () => {
  assert.equal(found(computeStack({ instance: { rootBlockDevice: { volumeType: "gp3" } } })), ["CKV_AWS_8 aws_instance"]);
  assert.equal(found(computeStack({ instance: { rootBlockDevice: undefined } })), ["CKV_AWS_8 aws_instance"]);
  assert.equal(found(computeStack({ template: { blockDeviceMappings: [] } })), ["CKV_AWS_8 aws_launch_template"]);
  assert.equal(
    found(computeStack({ template: { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "false" } }] } })),
    ["CKV_AWS_8 aws_launch_template"],
  );
});

test("EC2: CKV_AWS_88 for public IPs, explicit or inherited from the subnet", () => {
  assert.equal(found(computeStack({ instance: { associatePublicIpAddress: true } })), ["CKV_AWS_88 aws_instance"]);
  // Subnets that map public IPs: the explicit false on the instance wins; the ASG has no say.
  assert.equal(found(computeStack({ publicSubnets: true, asg: true })), ["CKV_AWS_88 aws_autoscaling_group"]);
  assert.equal(found(computeStack({ publicSubnets: true, instance: { associatePublicIpAddress: undefined } })), ["CKV_AWS_88 aws_instance"]);
  assert.equal(
    found(computeStack({ template: { networkInterfaces: [{ associatePublicIpAddress: "true", deviceIndex: 0 }], vpcSecurityGroupIds: undefined } })),
    ["CKV_AWS_88 aws_launch_template"],
  );
});

test("EC2: CKV2_AWS_41 without an instance profile", () => {
  assert.equal(found(computeStack({ instance: { iamInstanceProfile: undefined }, template: { iamInstanceProfile: undefined } })), [
    "CKV2_AWS_41 aws_instance",
    "CKV2_AWS_41 aws_launch_template",
  ]);
});

// ---------- IAM ----------

function iamStack(build: (s: TerraformStack, role: IamRole) => void) {
  return only((s) => {
    const role = new IamRole(s, "role", {
      assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] }),
    });
    build(s, role);
  });
}
const policy = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });

test("IAM: least-privilege policies pass", () => {
  const json = iamStack((s, role) => {
    new IamRolePolicyAttachment(s, "ssm", { role: role.name, policyArn: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore" });
    new IamRolePolicy(s, "read", {
      role: role.id,
      policy: policy({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::bucket/seed-server/abc.mjs" }),
    });
  });
  assert.equal(found(json), []);
});

test("IAM: *FullAccess and AdministratorAccess managed policies are refused", () => {
  const json = iamStack((s, role) => {
    new IamRolePolicyAttachment(s, "s3", { role: role.name, policyArn: "arn:aws:iam::aws:policy/AmazonS3FullAccess" });
    new IamRolePolicyAttachment(s, "admin", { role: role.name, policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" });
  });
  assert.equal(found(json), ["CKV_AWS_274 aws_iam_role_policy_attachment", "SEEDSTACK_IAM_FULL_ACCESS aws_iam_role_policy_attachment"]);
});

test("IAM: wildcard actions and S3 on every resource, in JSON policies and policy documents", () => {
  const inline = iamStack((s, role) => {
    new IamRolePolicy(s, "s3-star", { role: role.id, policy: policy({ Effect: "Allow", Action: ["s3:*"], Resource: "arn:aws:s3:::bucket/*" }) });
    new IamRolePolicy(s, "star", { role: role.id, policy: policy({ Effect: "Allow", Action: "*", Resource: "arn:aws:s3:::bucket" }) });
    new IamRolePolicy(s, "any-object", { role: role.id, policy: policy({ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }) });
    new IamRolePolicy(s, "deny-is-fine", { role: role.id, policy: policy({ Effect: "Deny", Action: "*", Resource: "*" }) });
  });
  assert.equal(rules(inline), ["CKV_AWS_355", "CKV_AWS_63", "SEEDSTACK_IAM_S3_WILDCARD"]);
  const document = iamStack((s, role) => {
    const doc = new DataAwsIamPolicyDocument(s, "doc", { statement: [{ actions: ["s3:*"], resources: ["*"] }] });
    new IamRolePolicy(s, "from-doc", { role: role.id, policy: doc.json });
  });
  assert.equal(rules(document), ["CKV_AWS_355", "SEEDSTACK_IAM_S3_WILDCARD"]);
});

test("IAM: a policy the checker cannot read is reported, not silently passed", () => {
  const json = iamStack((s, role) => {
    new IamRolePolicy(s, "hcl", { role: role.id, policy: Fn.jsonencode({ Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }) });
  });
  assert.equal(rules(json), ["SEEDSTACK_IAM_UNREADABLE"]);
});

// ---------- security groups ----------

function sgStack(build: (s: TerraformStack, vpc: Vpc) => void, withDefaultSg = true) {
  return only((s) => {
    const vpc = withDefaultSg ? vpcWithDefaults(s).vpc : new Vpc(s, "vpc", { cidrBlock: "10.0.0.0/16" });
    build(s, vpc);
  });
}
const ingressRule = (s: TerraformStack, id: string, sg: SecurityGroup, extra: Partial<VpcSecurityGroupIngressRuleConfig>) =>
  new VpcSecurityGroupIngressRule(s, id, { securityGroupId: sg.id, ipProtocol: "tcp", description: "described", ...extra });

test("SG: CKV_AWS_23 for groups and rules without descriptions, in all three rule styles", () => {
  const json = sgStack((s, vpc) => {
    new SecurityGroup(s, "undescribed", { vpcId: vpc.id });
    const sg = new SecurityGroup(s, "inline", {
      vpcId: vpc.id,
      description: "inline rules",
      ingress: [{ fromPort: 443, toPort: 443, protocol: "tcp", cidrBlocks: ["10.0.0.0/8"] }],
    } as SecurityGroupConfig);
    new SecurityGroupRule(s, "classic", { type: "ingress", securityGroupId: sg.id, fromPort: 8443, toPort: 8443, protocol: "tcp", cidrBlocks: ["10.0.0.0/8"] });
    ingressRule(s, "modern", sg, { fromPort: 9443, toPort: 9443, cidrIpv4: "10.0.0.0/8", description: " " });
  });
  assert.equal(found(json), [
    "CKV_AWS_23 aws_security_group",
    "CKV_AWS_23 aws_security_group",
    "CKV_AWS_23 aws_security_group_rule",
    "CKV_AWS_23 aws_vpc_security_group_ingress_rule",
  ]);
});

test("SG: descriptions with characters EC2 rejects at apply time are reported", () => {
  const json = sgStack((s, vpc) => {
    const sg = new SecurityGroup(s, "sg", { vpcId: vpc.id, description: "the servers' group" });
    ingressRule(s, "amp", sg, { fromPort: 443, toPort: 443, cidrIpv4: "10.0.0.0/8", description: "HTTPS & more" });
    ingressRule(s, "ok", sg, { fromPort: 8443, toPort: 8443, cidrIpv4: "10.0.0.0/8", description: `From \${aws_security_group.x.name} (ok): 10.0.0.0/8; [a]+{b}!$*#@=` });
    new SecurityGroup(s, "amp-group", { vpcId: vpc.id, description: "A & B are fine in group descriptions" });
  });
  const found = checkSecurityBaseline(json).filter((v) => v.rule === "SEEDSTACK_SG_DESCRIPTION_CHARS");
  assert.equal(found.map((v) => v.resource.split(".")[0]).sort(), ["aws_security_group", "aws_vpc_security_group_ingress_rule"]);
  assert.equal(found.map((v) => /uses "(.)"/.exec(v.message)?.[1]).sort(), ["&", "'"], found.map((v) => v.message).join("\n"));
});

test("SG: admin ports open to the world are found whichever way the rule is written", () => {
  const json = sgStack((s, vpc) => {
    const sg = new SecurityGroup(s, "sg", {
      vpcId: vpc.id,
      description: "bad",
      ingress: [{ fromPort: 3389, toPort: 3389, protocol: "tcp", cidrBlocks: ["0.0.0.0/0"], description: "rdp" }],
    } as SecurityGroupConfig);
    ingressRule(s, "ssh", sg, { fromPort: 22, toPort: 22, cidrIpv4: "0.0.0.0/0" });
    new SecurityGroupRule(s, "pg", { type: "ingress", securityGroupId: sg.id, fromPort: 5432, toPort: 5432, protocol: "tcp", ipv6CidrBlocks: ["::/0"], description: "pg" });
    ingressRule(s, "all", sg, { ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" });
    ingressRule(s, "http", sg, { fromPort: 80, toPort: 80, cidrIpv4: "0.0.0.0/0" });
    ingressRule(s, "ssh-private", sg, { fromPort: 22, toPort: 22, cidrIpv4: "10.0.0.0/8" });
  });
  assert.equal(found(json), [
    "CKV_AWS_24 aws_vpc_security_group_ingress_rule",
    "CKV_AWS_25 aws_security_group",
    "CKV_AWS_260 aws_vpc_security_group_ingress_rule",
    "CKV_AWS_277 aws_vpc_security_group_ingress_rule",
    "SEEDSTACK_SG_ADMIN_PORT aws_security_group_rule",
  ]);
  const range = sgStack((s, vpc) => {
    const sg = new SecurityGroup(s, "sg", { vpcId: vpc.id, description: "range" });
    ingressRule(s, "low", sg, { fromPort: 0, toPort: 1024, cidrIpv4: "0.0.0.0/0" });
  });
  const messages = checkSecurityBaseline(range).map((v) => v.message).join("\n");
  for (const port of [20, 21, 22, 23, 80]) assert.ok(messages.includes(`port ${port} is open`), `port ${port}: ${messages}`);
});

test("SG: CKV2_AWS_12 when the VPC's default group is not managed empty", () => {
  assert.equal(found(sgStack(() => undefined, false)), ["CKV2_AWS_12 aws_vpc"]);
  const withRules = only((s) => {
    const vpc = new Vpc(s, "vpc", { cidrBlock: "10.0.0.0/16" });
    new DefaultSecurityGroup(s, "default", { vpcId: vpc.id, ingress: [{ fromPort: 0, toPort: 0, protocol: "-1", cidrBlocks: ["10.0.0.0/16"] }] });
  });
  assert.equal(found(withRules), ["CKV2_AWS_12 aws_default_security_group"]);
});

test("SG: web servers accept only the load balancer's group on the app port; the database only the servers'", () => {
  const build = (serverIngress: Partial<VpcSecurityGroupIngressRuleConfig> | "from-lb", dbFrom: "servers" | "lb") =>
    only((s) => {
      const { vpc, subnets } = vpcWithDefaults(s);
      const lbSg = new SecurityGroup(s, "lb-sg", { vpcId: vpc.id, description: "lb" });
      const webSg = new SecurityGroup(s, "web-sg", { vpcId: vpc.id, description: "web" });
      const dbSg = new SecurityGroup(s, "db-sg", { vpcId: vpc.id, description: "db" });
      new Lb(s, "lb", { subnets: subnets.map((x) => x.id), securityGroups: [lbSg.id], dropInvalidHeaderFields: true, internal: true });
      new LbTargetGroup(s, "tg", { port: 8080, protocol: "HTTP", vpcId: vpc.id, healthCheck: { path: "/status" } });
      new Instance(s, "server", {
        ami: "ami-1",
        instanceType: "t3.micro",
        subnetId: subnets[0]!.id,
        vpcSecurityGroupIds: [webSg.id],
        iamInstanceProfile: "p",
        associatePublicIpAddress: false,
        metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 },
        rootBlockDevice: { encrypted: true },
      });
      new DbInstance(s, "db", { ...goodDb(s), vpcSecurityGroupIds: [dbSg.id] });
      ingressRule(s, "web-in", webSg, serverIngress === "from-lb" ? { fromPort: 8080, toPort: 8080, referencedSecurityGroupId: lbSg.id } : serverIngress);
      ingressRule(s, "db-in", dbSg, { fromPort: 5432, toPort: 5432, referencedSecurityGroupId: (dbFrom === "servers" ? webSg : lbSg).id });
    });
  assert.equal(found(build("from-lb", "servers")), []);
  assert.equal(found(build({ fromPort: 8080, toPort: 8080, cidrIpv4: "10.0.0.0/16" }, "servers")), ["SEEDSTACK_SERVER_INGRESS aws_vpc_security_group_ingress_rule"]);
  assert.equal(found(build("from-lb", "lb")), ["SEEDSTACK_DB_INGRESS aws_vpc_security_group_ingress_rule"]);
  const wrongPort = only((s) => {
    const { vpc, subnets } = vpcWithDefaults(s);
    const lbSg = new SecurityGroup(s, "lb-sg", { vpcId: vpc.id, description: "lb" });
    const webSg = new SecurityGroup(s, "web-sg", { vpcId: vpc.id, description: "web" });
    new Lb(s, "lb", { subnets: subnets.map((x) => x.id), securityGroups: [lbSg.id], dropInvalidHeaderFields: true, internal: true });
    new LbTargetGroup(s, "tg", { port: 8080, protocol: "HTTP", vpcId: vpc.id, healthCheck: { path: "/status" } });
    new LaunchTemplate(s, "lt", {
      vpcSecurityGroupIds: [webSg.id],
      iamInstanceProfile: { name: "p" },
      metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 },
      blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true" } }],
    });
    ingressRule(s, "web-in", webSg, { fromPort: 22, toPort: 22, referencedSecurityGroupId: lbSg.id });
  });
  assert.equal(found(wrongPort), ["SEEDSTACK_SERVER_INGRESS aws_vpc_security_group_ingress_rule"]);
});

// ---------- RDS ----------

function goodDb(s: TerraformStack): DbInstanceConfig {
  const pg = new DbParameterGroup(s, `pg-${s.node.children.length}`, { family: "postgres17", parameter: [{ name: "rds.force_ssl", value: "1" }] });
  return {
    instanceClass: "db.t4g.micro",
    engine: "postgres",
    storageEncrypted: true,
    publiclyAccessible: false,
    manageMasterUserPassword: true,
    backupRetentionPeriod: 7,
    parameterGroupName: pg.name,
  };
}
const dbStack = (change: (base: DbInstanceConfig, s: TerraformStack) => DbInstanceConfig) =>
  only((s) => new DbInstance(s, "db", change(goodDb(s), s)));

test("RDS: a compliant instance passes", () => {
  assert.equal(found(dbStack((b) => b)), []);
});

test("RDS: each missing control is its own violation", () => {
  const cases: Array<[(b: DbInstanceConfig, s: TerraformStack) => DbInstanceConfig, string]> = [
    [(b) => ({ ...b, storageEncrypted: false }), "CKV_AWS_16"],
    [(b) => ({ ...b, publiclyAccessible: true }), "CKV_AWS_17"],
    [(b) => ({ ...b, manageMasterUserPassword: undefined, password: "hunter2hunter2" }), "SEEDSTACK_RDS_MANAGED_PASSWORD"],
    [(b) => ({ ...b, backupRetentionPeriod: 0 }), "CKV_AWS_133"],
    [(b) => ({ ...b, backupRetentionPeriod: undefined }), "CKV_AWS_133"],
    [(b) => ({ ...b, parameterGroupName: undefined }), "CKV2_AWS_69"],
    [(b, s) => ({ ...b, parameterGroupName: new DbParameterGroup(s, "lax", { family: "postgres17", parameter: [{ name: "rds.force_ssl", value: "0" }] }).name }), "CKV2_AWS_69"],
  ];
  for (const [change, rule] of cases) assert.equal(found(dbStack(change)), [`${rule} aws_db_instance`], rule);
});

// ---------- S3 ----------

const bundleDir = testTempDir("baseline-bundle-");
const bundle = join(bundleDir, "bundle.mjs");
writeFileSync(bundle, "export {};\n");

test("S3: a bare bucket misses all four public access blocks, encryption and the TLS-only policy", () => {
  const json = only((s) => new S3Bucket(s, "bucket", {}));
  assert.equal(rules(json), ["CKV_AWS_19", "CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56", "SEEDSTACK_S3_TLS_ONLY"]);
});

test("S3: the ArtifactBucket passes; one weakened control is reported alone", () => {
  assert.equal(found(only((s) => new ArtifactBucket(s, "artifacts", { bundlePath: bundle }))), []);
  const partial = only((s) => {
    const b = new S3Bucket(s, "bucket", { serverSideEncryptionConfiguration: { rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } } } });
    new S3BucketPublicAccessBlock(s, "pab", { bucket: b.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: false, restrictPublicBuckets: true });
    new S3BucketPolicy(s, "policy", {
      bucket: b.id,
      policy: policy({ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [b.arn, `${b.arn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } }),
    });
  });
  assert.equal(rules(partial), ["CKV_AWS_55"]);
  const noCondition = only((s) => {
    const b = new S3Bucket(s, "bucket", {});
    new S3BucketPolicy(s, "policy", { bucket: b.id, policy: policy({ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [b.arn, `${b.arn}/*`] }) });
  });
  // A deny without the aws:SecureTransport condition is no TLS-only policy: the same findings as a bare bucket.
  assert.equal(rules(noCondition), ["CKV_AWS_19", "CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56", "SEEDSTACK_S3_TLS_ONLY"]);
});

// ---------- exceptions and waivers ----------

test("assertSecurityBaseline: accepted exceptions pass; anything else throws a readable report", () => {
  assertSecurityBaseline(albStack());
  const bad = albStack({ lb: { dropInvalidHeaderFields: false }, https: { sslPolicy: "ELBSecurityPolicy-2016-08" } });
  assert.throws(
    () => assertSecurityBaseline(bad, { stackName: "demo" }),
    (e: Error) =>
      e.message.startsWith("Security baseline failed for demo:") &&
      e.message.includes("2 violations") &&
      /CKV_AWS_131\s+aws_lb\.lb\w*: drop_invalid_header_fields/.test(e.message) &&
      e.message.includes("CKV_AWS_103") &&
      !e.message.includes("AVD-AWS-0053"),
  );
});

test("CKV_AWS_260 is accepted on the load balancer's own group only", () => {
  const build = (onLb: boolean) =>
    only((s) => {
      const { vpc, subnets } = vpcWithDefaults(s);
      const lbSg = new SecurityGroup(s, "lb-sg", { vpcId: vpc.id, description: "lb" });
      const other = new SecurityGroup(s, "other-sg", { vpcId: vpc.id, description: "other" });
      new Lb(s, "lb", { subnets: subnets.map((x) => x.id), securityGroups: [lbSg.id], dropInvalidHeaderFields: true });
      ingressRule(s, "http", onLb ? lbSg : other, { fromPort: 80, toPort: 80, cidrIpv4: "0.0.0.0/0" });
    });
  assertSecurityBaseline(build(true));
  assert.equal(unacceptedViolations(build(false)).violations.map((v: Violation) => v.rule), ["CKV_AWS_260"]);
});

test("waivers: the plain-HTTP course mode passes only with its waivers; stale or unexplained waivers throw", () => {
  const plainHttp = only((s) => {
    const { vpc, subnets } = vpcWithDefaults(s);
    const lb = new Lb(s, "lb", { subnets: subnets.map((x) => x.id), dropInvalidHeaderFields: true });
    const tg = new LbTargetGroup(s, "tg", { port: 8080, protocol: "HTTP", vpcId: vpc.id, healthCheck: { path: "/status" } });
    new LbListener(s, "http", { loadBalancerArn: lb.arn, port: 80, protocol: "HTTP", defaultAction: [{ type: "forward", targetGroupArn: tg.arn }] });
  });
  assert.throws(() => assertSecurityBaseline(plainHttp), /CKV_AWS_2 /);
  assertSecurityBaseline(plainHttp, { waivers: plainHttpCourseModeWaivers() });
  assert.throws(
    () => assertSecurityBaseline(albStack(), { waivers: plainHttpCourseModeWaivers("course mode") }),
    (e: Error) => e.message.includes("2 waivers matched nothing") && e.message.includes("CKV_AWS_2: course mode"),
  );
  assert.throws(() => assertSecurityBaseline(plainHttp, { waivers: [{ rule: "CKV_AWS_2", reason: " " }, { rule: "CKV2_AWS_20", reason: "x" }] }), /has no reason/);
  // A waiver for one resource does not cover another.
  const listener = checkSecurityBaseline(plainHttp).find((v) => v.rule === "CKV_AWS_2")!.resource;
  assertSecurityBaseline(plainHttp, { waivers: [{ rule: "CKV_AWS_2", resource: listener, reason: "course" }, { rule: "CKV2_AWS_20", reason: "course" }] });
  assert.throws(
    () => assertSecurityBaseline(plainHttp, { waivers: [{ rule: "CKV_AWS_2", resource: "aws_lb_listener.other", reason: "course" }, { rule: "CKV2_AWS_20", reason: "course" }] }),
    (e: Error) => e.message.includes(`CKV_AWS_2`) && e.message.includes(listener),
  );
});

test.run();
