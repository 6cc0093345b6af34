/**
 * The bootstrap stack as synthesized: only with SEEDSTACK_GITHUB_REPOSITORY, the state bucket's
 * controls (or an existing bucket), the OIDC provider (or an existing one), the boundary on every
 * role the environment stacks create, the outputs, and the security baseline. What the policies
 * allow is ci-policies.test.ts's; the real terraform plan is test/terraform/plan-stacks.test.ts's.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { BOOTSTRAP_EXISTING, BOOTSTRAP_NEW, synthApp, synthBootstrap } from "./test-support.js";
import { loadConfig } from "./config.js";
import { testApp } from "../test/temp-dirs.js";
import { buildBootstrap } from "./app.js";
import { resourcesOf } from "../test/synth-json.js";
import { assertSecurityBaseline } from "../test/security-exceptions.js";
import { STATE_NONCURRENT_VERSION_DAYS } from "./state-bucket.js";

const fresh = synthBootstrap(BOOTSTRAP_NEW);
const existing = synthBootstrap(BOOTSTRAP_EXISTING);
const one = (json: typeof fresh, type: string) => {
  const found = resourcesOf(json, type);
  assert.is(found.length, 1, `${type}: ${found.length}`);
  return found[0]!.attrs;
};

test("synthesized only when SEEDSTACK_GITHUB_REPOSITORY is set", () => {
  assert.is(buildBootstrap(testApp(), loadConfig({ env: { SEEDSTACK_OWNER: "x" } })), undefined);
  assert.is(buildBootstrap(testApp(), loadConfig({ env: { SEEDSTACK_OWNER: "x", ...BOOTSTRAP_NEW } }))?.stackName, "bootstrap");
});

test("a new state bucket: named for account and region, versioned, encrypted, private, TLS only, old versions expired, protected from destroy", () => {
  const bucket = one(fresh, "aws_s3_bucket");
  assert.is(bucket.bucket, "seedstack-tfstate-${data.aws_caller_identity.account.account_id}-us-east-1");
  assert.equal(bucket.lifecycle, { prevent_destroy: true });
  assert.equal(one(fresh, "aws_s3_bucket_versioning").versioning_configuration, { status: "Enabled" });
  assert.is(one(fresh, "aws_s3_bucket_server_side_encryption_configuration").rule[0].apply_server_side_encryption_by_default.sse_algorithm, "AES256");
  const block = one(fresh, "aws_s3_bucket_public_access_block");
  assert.equal([block.block_public_acls, block.block_public_policy, block.ignore_public_acls, block.restrict_public_buckets], [true, true, true, true]);
  const rule = one(fresh, "aws_s3_bucket_lifecycle_configuration").rule[0];
  assert.equal(rule.noncurrent_version_expiration, [{ noncurrent_days: STATE_NONCURRENT_VERSION_DAYS }]);
  const policy = JSON.parse(one(fresh, "aws_s3_bucket_policy").policy);
  assert.equal(policy.Statement[0].Condition, { Bool: { "aws:SecureTransport": "false" } });
  // Its own state cannot live in the bucket it creates.
  assert.equal(Object.keys(fresh.terraform?.backend ?? {}), ["local"]);
});

test("the state bucket keeps the Terraform addresses it had before its settings were shared with ArtifactBucket", () => {
  // A changed address would make Terraform destroy the bucket that holds every stack's state.
  const types = ["aws_s3_bucket", "aws_s3_bucket_public_access_block", "aws_s3_bucket_ownership_controls", "aws_s3_bucket_server_side_encryption_configuration", "aws_s3_bucket_versioning", "aws_s3_bucket_lifecycle_configuration", "aws_s3_bucket_policy"];
  assert.equal(resourcesOf(fresh, ...types).map((r) => r.address), [
    "aws_s3_bucket.state_bucket_803B4E61",
    "aws_s3_bucket_public_access_block.state_public-access-block_ADE6B831",
    "aws_s3_bucket_ownership_controls.state_ownership_D3E5679B",
    "aws_s3_bucket_server_side_encryption_configuration.state_encryption_3FDA0990",
    "aws_s3_bucket_versioning.state_versioning_27DF9ED5",
    "aws_s3_bucket_lifecycle_configuration.state_lifecycle_9EBA48F5",
    "aws_s3_bucket_policy.state_tls-only_D785DC0D",
  ]);
  assert.is(one(fresh, "aws_s3_bucket_lifecycle_configuration").rule[0].id, "expire-old-state-versions");
});

test("an existing state bucket: nothing created, the stack's own state kept there under <prefix>/bootstrap/", () => {
  assert.equal(resourcesOf(existing, "aws_s3_bucket", "aws_s3_bucket_policy", "aws_s3_bucket_versioning"), []);
  const s3 = existing.terraform?.backend?.s3;
  assert.equal([s3?.bucket, s3?.key, s3?.dynamodb_table], ["acme-terraform-state", "seedstack/bootstrap/terraform.tfstate", "acme-terraform-locks"]);
});

test("the GitHub OIDC provider: created for token.actions.githubusercontent.com and sts.amazonaws.com, or an existing one trusted", () => {
  const provider = one(fresh, "aws_iam_openid_connect_provider");
  assert.equal([provider.url, provider.client_id_list], ["https://token.actions.githubusercontent.com", ["sts.amazonaws.com"]]);
  for (const role of resourcesOf(fresh, "aws_iam_role")) assert.equal(role.attrs.depends_on, ["aws_iam_openid_connect_provider.github-oidc"], role.address);
  assert.equal(resourcesOf(existing, "aws_iam_openid_connect_provider"), []);
  assert.match(JSON.stringify(existing.data), "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com");
});

test("outputs: the repository variables, and one line of gh variable set commands for this repository", () => {
  const output = existing.output!;
  assert.equal(Object.keys(output.repository_variables!.value).sort(), [
    "SEEDSTACK_AWS_ROLE_ARN",
    "SEEDSTACK_AWS_SWEEPER_ROLE_ARN",
    "SEEDSTACK_NAME_PREFIX",
    "SEEDSTACK_PERMISSIONS_BOUNDARY",
    "SEEDSTACK_REGION",
    "SEEDSTACK_STATE_BUCKET",
  ]);
  assert.is(output.repository_variables!.value.SEEDSTACK_STATE_BUCKET, "acme-terraform-state");
  const line: string = output.gh_variable_commands!.value;
  assert.not.match(line, "\n");
  const commands = line.split(" && ");
  assert.is(commands.length, 6);
  for (const command of commands) assert.match(command, /^gh variable set SEEDSTACK_[A-Z_]+ --repo acme\/app --body "[^"]+"$/);
  assert.ok(commands.includes('gh variable set SEEDSTACK_REGION --repo acme/app --body "us-east-1"'), line);
});

test("the security baseline accepts the bootstrap stack as it is (no exception needed)", () => {
  assertSecurityBaseline(fresh, { stackName: "bootstrap (new bucket)" });
  assertSecurityBaseline(existing, { stackName: "bootstrap (existing bucket)" });
});

test("with SEEDSTACK_PERMISSIONS_BOUNDARY every role every environment stack creates carries it", () => {
  const boundary = "arn:aws:iam::123456789012:policy/seedstack-permissions-boundary";
  for (const topology of ["classic", "autoscaled"]) {
    const { stacks } = synthApp({ SEEDSTACK_PERMISSIONS_BOUNDARY: boundary, SEEDSTACK_PR_NUMBER: "12", SEEDSTACK_PR_TOPOLOGY: topology, SEEDSTACK_DATABASE: "on" });
    for (const [name, { json }] of stacks) {
      const roles = resourcesOf(json, "aws_iam_role");
      assert.ok(roles.length > 0, name);
      for (const role of roles) assert.is(role.attrs.permissions_boundary, boundary, `${name} ${role.address}`);
    }
  }
  const { stacks } = synthApp({});
  for (const [name, { json }] of stacks) for (const role of resourcesOf(json, "aws_iam_role")) assert.is(role.attrs.permissions_boundary, undefined, `${name} ${role.address}`);
});

test.run();
