import { test } from "uvu";
import * as assert from "uvu/assert";
import { InstanceRole } from "./instance-role.js";
import { refTo, resourceNamed, resourcesOf, synthStack } from "../test/compute-fixtures.js";

const build = (props: ConstructorParameters<typeof InstanceRole>[2] = {}, grants?: (role: InstanceRole) => void) =>
  synthStack((stack) => {
    const role = new InstanceRole(stack, "role", props);
    grants?.(role);
    return role;
  });

test("defaults: role trusted by the EC2 service only, with the default name prefix", () => {
  const { json } = build();
  const role = resourceNamed(json, "aws_iam_role", "role");
  assert.equal([role.name, role.name_prefix, role.tags.Name], [undefined, "seedstack-web-", "seedstack-web"]);
  const trust = JSON.parse(role.assume_role_policy);
  assert.is(trust.Statement.length, 1);
  assert.is(trust.Statement[0].Effect, "Allow");
  assert.is(trust.Statement[0].Action, "sts:AssumeRole");
  assert.equal(Object.keys(trust.Statement[0].Principal), ["Service"]);
  assert.match(trust.Statement[0].Principal.Service, /^ec2\.\$\{data\.aws_partition\.[^.]+\.dns_suffix\}$/);
});

test("defaults: nothing attached, no inline policy", () => {
  const { json } = build();
  assert.is(resourcesOf(json, "aws_iam_role_policy_attachment").length, 0);
  assert.is(resourcesOf(json, "aws_iam_role_policy").length, 0);
  assert.is(resourceNamed(json, "aws_iam_role", "role").managed_policy_arns, undefined);
});

test("permissionsBoundary: absent by default, set on the role when given; a non-policy ARN is refused by name", () => {
  assert.is(resourceNamed(build().json, "aws_iam_role", "role").permissions_boundary, undefined);
  const boundary = "arn:aws:iam::123456789012:policy/seedstack-permissions-boundary";
  assert.is(resourceNamed(build({ permissionsBoundary: boundary }).json, "aws_iam_role", "role").permissions_boundary, boundary);
  assert.throws(
    () => build({ permissionsBoundary: "arn:aws:iam::123456789012:role/admin" }),
    /InstanceRole permissionsBoundary: expected an IAM policy ARN .*got "arn:aws:iam::123456789012:role\/admin"/,
  );
});

test("ssmManagedInstanceCore: AmazonSSMManagedInstanceCore via the partition, and nothing else attached", () => {
  const { json } = build({ ssmManagedInstanceCore: true });
  const attachments = resourcesOf(json, "aws_iam_role_policy_attachment");
  assert.is(attachments.length, 1);
  assert.match(attachments[0]![1].policy_arn, /^arn:\$\{data\.aws_partition\.[^.]+\.partition\}:iam::aws:policy\/AmazonSSMManagedInstanceCore$/);
  assert.is(attachments[0]![1].role, refTo(json, "aws_iam_role", "role", "name"));
  assert.is(resourcesOf(json, "aws_iam_role_policy").length, 0);
  assert.is(resourceNamed(json, "aws_iam_role", "role").managed_policy_arns, undefined);
});

test("defaults: an instance profile carrying the role", () => {
  const { json } = build();
  const profile = resourceNamed(json, "aws_iam_instance_profile", "profile");
  assert.is(profile.role, refTo(json, "aws_iam_role", "role", "name"));
  assert.equal([profile.name, profile.name_prefix], [undefined, "seedstack-web-"]);
});

test("ssmManagedInstanceCore false attaches nothing", () => {
  const { json } = build({ ssmManagedInstanceCore: false });
  assert.is(resourcesOf(json, "aws_iam_role_policy_attachment").length, 0);
});

test("namePrefix and nameSuffix start the role's and profile's generated names; long ones fit IAM's 38-character name_prefix", () => {
  const { json } = build({ namePrefix: "pr-42", nameSuffix: "asg" });
  assert.is(resourceNamed(json, "aws_iam_role", "role").name_prefix, "pr-42-asg-");
  assert.is(resourceNamed(json, "aws_iam_instance_profile", "profile").name_prefix, "pr-42-asg-");
  const long = build({ namePrefix: "a-twenty-char-prefix", nameSuffix: "x".repeat(60) }).json;
  for (const [type, name] of [["aws_iam_role", "role"], ["aws_iam_instance_profile", "profile"]] as const) {
    const prefix = resourceNamed(long, type, name).name_prefix as string;
    assert.is(prefix.length, 38, prefix);
    assert.ok(prefix.startsWith("a-twenty-char-prefix-x") && prefix.endsWith("-"), prefix);
  }
});

test("grantObjectRead: s3:GetObject on exactly bucketArn/key, once per distinct object", () => {
  const { json } = build({}, (role) => {
    role.grantObjectRead("arn:aws:s3:::my-artifacts", "seed-server/abc.mjs");
    role.grantObjectRead("arn:aws:s3:::my-artifacts", "seed-server/abc.mjs");
  });
  const policies = resourcesOf(json, "aws_iam_role_policy");
  assert.is(policies.length, 1);
  const policy = JSON.parse(policies[0]![1].policy);
  assert.equal(policy.Statement, [{ Sid: "ReadOneObject", Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::my-artifacts/seed-server/abc.mjs" }]);
  assert.is(policies[0]![1].role, refTo(json, "aws_iam_role", "role", "name"));
});

test("grantSecretRead: GetSecretValue only, on exactly one secret", () => {
  const arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1234-AbCdEf";
  const { json, result } = build({}, (role) => {
    role.grantSecretRead(arn);
    role.grantSecretRead(arn);
  });
  const policies = resourcesOf(json, "aws_iam_role_policy");
  assert.is(policies.length, 1);
  const policy = JSON.parse(policies[0]![1].policy);
  assert.equal(policy.Statement, [{ Sid: "ReadOneSecret", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: arn }]);
  assert.equal(result.secretReadArns, [arn]);
});

test("grants accept tokens (ARNs of resources in the same stack)", () => {
  const { json } = synthStack((stack) => {
    const role = new InstanceRole(stack, "role");
    const other = new InstanceRole(stack, "other", { nameSuffix: "other" });
    role.grantObjectRead(other.role.arn, "key.mjs");
    return role;
  });
  const policy = JSON.parse(resourcesOf(json, "aws_iam_role_policy")[0]![1].policy);
  assert.match(policy.Statement[0].Resource, /^\$\{aws_iam_role\.[^.]+\.arn\}\/key\.mjs$/);
});

test("validation: wildcards, bad ARNs, bad suffix and prefix are rejected with what was given", () => {
  synthStack((stack) => {
    const role = new InstanceRole(stack, "role");
    assert.throws(() => role.grantObjectRead("arn:aws:s3:::bucket", "*"), /wildcards.*got "\*"/);
    assert.throws(() => role.grantObjectRead("arn:aws:s3:::bucket", "seed/*.mjs"), /got "seed\/\*\.mjs"/);
    assert.throws(() => role.grantObjectRead("my-bucket", "key"), /S3 bucket ARN.*got "my-bucket"/);
    assert.throws(() => role.grantSecretRead("arn:aws:secretsmanager:us-east-1:123456789012:secret:*"), /no wildcards.*secret:\*"/);
    assert.throws(() => role.grantSecretRead("my-secret"), /got "my-secret"/);
  });
  assert.throws(() => build({ nameSuffix: "Web Role" }), /nameSuffix.*got "Web Role"/);
  assert.throws(() => build({ namePrefix: "UPPER" }), /namePrefix.*"UPPER"/);
});

test.run();
