import { test } from "uvu";
import * as assert from "uvu/assert";
import { assertSecurityBaseline, plainHttpCourseModeWaivers } from "../test/security-exceptions.js";
import type { StackJson } from "./test-support.js";
import { stackNamed, synthApp, TEST_CERTIFICATE_ARN } from "./test-support.js";

/** The configurations every stack is synthesized and policy-checked under. */
const CONFIGURATIONS: ReadonlyArray<{ readonly label: string; readonly env: Record<string, string> }> = [
  { label: "defaults (self-signed, no database)", env: {} },
  { label: "self-signed, database, PR copy of classic", env: { SEEDSTACK_DATABASE: "on", SEEDSTACK_PR_NUMBER: "12" } },
  { label: "plain HTTP, database, PR copy of autoscaled", env: { SEEDSTACK_TLS: "http", SEEDSTACK_DATABASE: "on", SEEDSTACK_PR_NUMBER: "13", SEEDSTACK_PR_TOPOLOGY: "autoscaled" } },
  { label: "acm-arn with a domain, PR", env: { SEEDSTACK_TLS: "acm-arn", SEEDSTACK_CERTIFICATE_ARN: TEST_CERTIFICATE_ARN, SEEDSTACK_DOMAIN: "seed.example.com", SEEDSTACK_PR_NUMBER: "14" } },
  {
    label: "acm-dns, database, restricted clients, PR copy of autoscaled",
    env: {
      SEEDSTACK_TLS: "acm-dns",
      SEEDSTACK_DOMAIN: "seed.example.com",
      SEEDSTACK_HOSTED_ZONE_ID: "Z0123456789ABCDEFGHIJ",
      SEEDSTACK_DATABASE: "on",
      SEEDSTACK_ALLOWED_CIDRS: "203.0.113.0/24",
      SEEDSTACK_PR_NUMBER: "15",
      SEEDSTACK_PR_TOPOLOGY: "autoscaled",
    },
  },
];

test("the app synthesizes classic and autoscaled always, and pr-<n> when a PR number is given", () => {
  assert.equal([...synthApp().stacks.keys()], ["classic", "autoscaled"]);
  assert.equal([...synthApp({ SEEDSTACK_PR_NUMBER: "42" }).stacks.keys()], ["classic", "autoscaled", "pr-42"]);
});

for (const { label, env } of CONFIGURATIONS) {
  test(`security baseline holds for every stack: ${label}`, () => {
    const { config, stacks } = synthApp(env);
    assert.is(stacks.size, config.prNumber === undefined ? 2 : 3);
    // The plain-HTTP waiver only where plain HTTP was chosen: elsewhere it would match nothing,
    // and assertSecurityBaseline rejects unused waivers.
    const waivers = config.tls === "http" ? plainHttpCourseModeWaivers() : [];
    for (const [name, { json }] of stacks) assertSecurityBaseline(json, { waivers, stackName: `${name} (${label})` });
  });
}

test("the plain-HTTP stacks really need their waiver (the policy test is not vacuous)", () => {
  const { stacks } = synthApp({ SEEDSTACK_TLS: "http" });
  assert.throws(() => assertSecurityBaseline(stackNamed(stacks, "classic")), /CKV_AWS_2/);
});

/**
 * Attributes that hold a resource's own name in its AWS namespace, or the prefix Terraform
 * generates it from. Values that are references (`${...}`) are skipped: they name another resource.
 */
const NAME_ATTRIBUTES = ["name", "name_prefix", "bucket", "bucket_prefix", "identifier", "identifier_prefix"];

/** The fixed names among them; a prefix gets a unique suffix from Terraform, so equal prefixes never collide. */
const FIXED_NAME_ATTRIBUTES = ["name", "bucket", "identifier"];

/**
 * Resource types whose name is unique only within a parent that is itself uniquely named (a
 * policy within its Auto Scaling group or role), so equal names in two PRs cannot collide.
 */
const PARENT_SCOPED_NAMES = new Set(["aws_autoscaling_policy", "aws_iam_role_policy"]);

/** Every literal fixed physical name in a stack, as `type: value`. */
function physicalNames(json: StackJson): string[] {
  const names: string[] = [];
  for (const [type, resources] of Object.entries(json.resource ?? {})) {
    if (PARENT_SCOPED_NAMES.has(type)) continue;
    for (const attrs of Object.values(resources)) {
      for (const key of FIXED_NAME_ATTRIBUTES) {
        const value = attrs[key];
        if (typeof value === "string" && !value.includes("${")) names.push(`${type}: ${value}`);
      }
    }
  }
  return names;
}

test("two PR environments share no resource name", () => {
  for (const topology of ["classic", "autoscaled"]) {
    const env = { SEEDSTACK_DATABASE: "on", SEEDSTACK_PR_TOPOLOGY: topology };
    const a = physicalNames(stackNamed(synthApp({ ...env, SEEDSTACK_PR_NUMBER: "1" }).stacks, "pr-1"));
    const b = physicalNames(stackNamed(synthApp({ ...env, SEEDSTACK_PR_NUMBER: "11" }).stacks, "pr-11"));
    // The fixed names left (everything else is generated from a prefix): the autoscaled copy's
    // launch template and group, so the check below compares something.
    if (topology === "autoscaled") assert.equal([...a].sort(), ["aws_autoscaling_group: seedstack-pr-1-asg", "aws_launch_template: seedstack-pr-1-asg"]);
    const shared = a.filter((name) => b.includes(name));
    assert.equal(shared, [], `${topology}: names shared by pr-1 and pr-11`);
    // ...and the long-lived stacks do not collide with a PR either.
    const classicNames = physicalNames(stackNamed(synthApp(env).stacks, "classic"));
    assert.equal(classicNames.filter((name) => a.includes(name)), [], `${topology}: names shared by classic and pr-1`);
  }
});

/** AWS's limits on the names we set, by `type.attribute`. */
const NAME_LIMITS: Readonly<Record<string, number>> = {
  "aws_lb.name": 32,
  "aws_lb.name_prefix": 6,
  "aws_lb_target_group.name": 32,
  "aws_lb_target_group.name_prefix": 6,
  "aws_db_instance.identifier": 63,
  "aws_db_instance.identifier_prefix": 37,
  "aws_db_subnet_group.name": 255,
  "aws_db_subnet_group.name_prefix": 229,
  "aws_db_parameter_group.name": 255,
  "aws_db_parameter_group.name_prefix": 229,
  "aws_iam_role_policy.name_prefix": 102,
  "aws_security_group.name_prefix": 100,
  "aws_s3_bucket.bucket_prefix": 37,
  "aws_iam_role.name": 64,
  "aws_iam_role.name_prefix": 38,
  "aws_iam_instance_profile.name": 128,
  "aws_iam_instance_profile.name_prefix": 102,
  "aws_security_group.name": 255,
  "aws_launch_template.name": 128,
  "aws_autoscaling_group.name": 255,
};

test("with the longest name prefix and PR number, every name fits AWS's limit", () => {
  const env = { SEEDSTACK_NAME_PREFIX: "abcdefghi", SEEDSTACK_PR_NUMBER: "9999999", SEEDSTACK_DATABASE: "on" };
  let checked = 0;
  for (const topology of ["classic", "autoscaled"]) {
    const { stacks } = synthApp({ ...env, SEEDSTACK_PR_TOPOLOGY: topology });
    for (const [stackName, { json }] of stacks) {
      for (const [type, resources] of Object.entries(json.resource ?? {})) {
        for (const attrs of Object.values(resources)) {
          for (const key of NAME_ATTRIBUTES) {
            const limit = NAME_LIMITS[`${type}.${key}`];
            const value = attrs[key];
            if (limit === undefined || typeof value !== "string") continue;
            checked++;
            assert.ok(value.length <= limit, `${stackName}: ${type}.${key} ${JSON.stringify(value)} is ${value.length} characters; AWS allows ${limit}`);
          }
        }
      }
    }
  }
  assert.ok(checked >= 20, `only ${checked} names checked`);
});

test("state: local by default, one file per stack", () => {
  const { stacks } = synthApp({ SEEDSTACK_PR_NUMBER: "5" });
  for (const [name, { json }] of stacks) {
    const backend = json.terraform!.backend!;
    assert.equal(Object.keys(backend), ["local"]);
    assert.ok(String(backend.local!.path).endsWith(`terraform.${name}.tfstate`), backend.local!.path);
  }
});

test("state: S3 with encryption and the S3 lock file, one key per stack and PR", () => {
  const { stacks } = synthApp({ SEEDSTACK_STATE_BUCKET: "my-tf-state", SEEDSTACK_PR_NUMBER: "5" });
  for (const [name, { json }] of stacks) {
    assert.equal(json.terraform!.backend, {
      s3: { bucket: "my-tf-state", key: `seedstack/${name}/terraform.tfstate`, region: "us-east-1", encrypt: true, use_lockfile: true },
    });
  }
});

test("state: S3 with a DynamoDB lock table and its own region instead of the lock file", () => {
  const { stacks } = synthApp({
    SEEDSTACK_STATE_BUCKET: "my-tf-state",
    SEEDSTACK_STATE_REGION: "us-west-2",
    SEEDSTACK_STATE_LOCK_TABLE: "tf-locks",
    SEEDSTACK_NAME_PREFIX: "course",
  });
  assert.equal(stackNamed(stacks, "classic").terraform!.backend, {
    s3: { bucket: "my-tf-state", key: "course/classic/terraform.tfstate", region: "us-west-2", encrypt: true, dynamodb_table: "tf-locks" },
  });
});

test.run();
