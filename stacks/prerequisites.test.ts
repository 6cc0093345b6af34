/**
 * Issue 8, item 8: `npm run cdktf -- deploy classic` checks Terraform and AWS credentials before
 * cdktf starts, and says what to install or set.
 *
 * Stand-ins: a `terraform` script that answers `terraform version -json` in Terraform's own JSON
 * (the shape `terraform version -json` prints: {"terraform_version": ..., "platform": ...,
 * "provider_selections": {}, "terraform_outdated": ...}) for versions not installed here; and
 * AWS shared config / credentials files in AWS's INI format in a temp HOME. The real Terraform
 * on this machine (1.11.4) is used where it is on PATH.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { findPackageRoot } from "../shared/package-root.js";
import { testTempDir } from "../test/temp-dirs.js";
import { prerequisiteReport } from "./prerequisites.js";
import { findExecutable, terraformProblem, versionAtLeast } from "./terraform-version.js";
import { awsCredentialsReport } from "./aws-credentials.js";

const root = findPackageRoot();

/** A directory holding a stand-in `terraform` that reports `version`. */
function terraformStandIn(version: string): string {
  const bin = testTempDir("tf-bin-");
  const json = JSON.stringify({ terraform_version: version, platform: "linux_amd64", provider_selections: {}, terraform_outdated: true });
  writeFileSync(join(bin, "terraform"), `#!/bin/sh\n[ "$1 $2" = "version -json" ] && echo '${json}' && exit 0\nexit 1\n`);
  chmodSync(join(bin, "terraform"), 0o755);
  return bin;
}

/** An empty HOME, optionally with ~/.aws/credentials and ~/.aws/config. */
function awsHome(files: { credentials?: string; config?: string } = {}): string {
  const home = testTempDir("aws-home-");
  mkdirSync(join(home, ".aws"));
  if (files.credentials !== undefined) writeFileSync(join(home, ".aws", "credentials"), files.credentials);
  if (files.config !== undefined) writeFileSync(join(home, ".aws", "config"), files.config);
  return home;
}

test("Terraform: missing from PATH names the install page and TERRAFORM_BINARY_NAME", () => {
  const problem = terraformProblem({ PATH: testTempDir("empty-path-") });
  assert.ok(problem?.startsWith('Terraform 1.10 or newer is needed, and "terraform" was not found (PATH). Install it from https://developer.hashicorp.com/terraform/install'), problem);
  assert.ok(terraformProblem({ PATH: "", TERRAFORM_BINARY_NAME: "/nowhere/terraform" })?.includes("(TERRAFORM_BINARY_NAME=/nowhere/terraform)"));
});

test("Terraform: 1.9 is too old for the S3 lock file; 1.10.0 and the real one on PATH pass", () => {
  const old = terraformStandIn("1.9.8");
  assert.ok(terraformProblem({ PATH: old })?.includes("is Terraform 1.9.8; the stacks need 1.10 or newer"));
  assert.is(terraformProblem({ PATH: terraformStandIn("1.10.0") }), undefined);
  const real = findExecutable("terraform", process.env);
  assert.ok(real, "terraform is on PATH on this machine");
  assert.is(terraformProblem({ PATH: process.env.PATH }), undefined);
});

test("versions compare numerically", () => {
  assert.ok(versionAtLeast("1.10.0", "1.10.0"));
  assert.ok(versionAtLeast("1.11.4", "1.10.0"));
  assert.ok(versionAtLeast("2.0.0", "1.10.0"));
  assert.not.ok(versionAtLeast("1.9.10", "1.10.0"));
  assert.ok(versionAtLeast("1.10.0-beta1", "1.10.0"));
});

test("AWS credentials: each source of the usual chain is recognised", () => {
  const none = { HOME: awsHome() };
  assert.is(awsCredentialsReport({ ...none, AWS_ACCESS_KEY_ID: "AKIAEXAMPLE", AWS_SECRET_ACCESS_KEY: "secret" }).source, "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
  assert.match(awsCredentialsReport({ ...none, AWS_WEB_IDENTITY_TOKEN_FILE: "/tmp/token", AWS_ROLE_ARN: "arn:aws:iam::123456789012:role/ci" }).source ?? "", /^web identity/);
  assert.match(awsCredentialsReport({ ...none, AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: "/v2/credentials/abc" }).source ?? "", /^container credentials/);
  const keys = awsHome({ credentials: "[default]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = secret\n" });
  assert.is(awsCredentialsReport({ HOME: keys }).source, `profile "default" in ${join(keys, ".aws", "credentials")}: keys`);
  const sso = awsHome({ config: "[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Admin\n\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\n" });
  assert.match(awsCredentialsReport({ HOME: sso, AWS_PROFILE: "dev" }).source ?? "", /profile "dev" in .*config: SSO \(if its session has expired: aws sso login\)/);
  const role = awsHome({ config: "[profile ops]\nrole_arn = arn:aws:iam::123456789012:role/ops\nsource_profile = default\n" });
  assert.match(awsCredentialsReport({ HOME: role, AWS_PROFILE: "ops" }).source ?? "", /a role or credential process/);
  const elsewhere = join(awsHome(), "creds.ini");
  writeFileSync(elsewhere, "[ci]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = s\n");
  assert.is(awsCredentialsReport({ HOME: awsHome(), AWS_SHARED_CREDENTIALS_FILE: elsewhere, AWS_PROFILE: "ci" }).source, `profile "ci" in ${elsewhere}: keys`);
});

test("AWS credentials: a half-set key pair and a profile that does not exist are stopped, saying what to set", () => {
  const half = awsCredentialsReport({ HOME: awsHome(), AWS_ACCESS_KEY_ID: "AKIAEXAMPLE" });
  assert.equal(half.problems, ["AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not; set both (and AWS_SESSION_TOKEN for temporary keys), or unset it to use a profile."]);
  const home = awsHome({ config: "[profile other]\nregion = us-east-1\n" });
  const [missing] = awsCredentialsReport({ HOME: home, AWS_PROFILE: "dev" }).problems;
  assert.ok(missing?.startsWith(`AWS_PROFILE=dev, but neither ${join(home, ".aws", "credentials")} nor ${join(home, ".aws", "config")} defines credentials for profile "dev"`), missing);
  assert.ok(missing?.includes("`aws configure --profile dev`"));
  // A profile with only a region is not a credential source either.
  assert.is(awsCredentialsReport({ HOME: awsHome({ config: "[default]\nregion = us-east-1\n" }) }).warnings.length, 1);
});

test("AWS credentials: nothing found is a warning that says instance profiles cannot be checked", () => {
  const report = awsCredentialsReport({ HOME: awsHome() });
  assert.equal(report.problems, []);
  assert.is(report.warnings.length, 1);
  assert.match(report.warnings[0]!, /^no AWS credentials found/);
  assert.match(report.warnings[0]!, /unless this machine has an EC2 instance profile, which cannot be checked from here/);
});

test("only deploy, destroy, diff and plan are checked; synth and list are not", () => {
  const bare = { PATH: testTempDir("empty-path-"), HOME: awsHome() };
  for (const command of ["deploy", "destroy", "diff", "plan"]) assert.is(prerequisiteReport(command, bare).problems.length, 1, command);
  for (const command of ["synth", "list", "get", undefined]) assert.equal(prerequisiteReport(command, bare), { problems: [], warnings: [] }, String(command));
});

test("npm run cdktf -- deploy classic without terraform: stopped before cdktf, with what to install", () => {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("SEEDSTACK_") && !key.startsWith("AWS_")));
  const run = spawnSync(process.execPath, ["--import", "tsx", "stacks/cdktf-cli.ts", "deploy", "classic"], {
    cwd: root,
    encoding: "utf8",
    env: { ...inherited, PATH: testTempDir("empty-path-"), HOME: awsHome() },
  });
  assert.is(run.status, 1, run.stdout + run.stderr);
  assert.match(run.stderr, /^seedstack: warning: no AWS credentials found/m);
  assert.match(run.stderr, /^seedstack: cdktf deploy cannot run on this machine yet:\n {2}- Terraform 1\.10 or newer is needed, and "terraform" was not found \(PATH\)\. Install it from https:\/\/developer\.hashicorp\.com\/terraform\/install/m);
  assert.not.match(run.stdout + run.stderr, /execvp|cdktf encountered/, "cdktf never started");
});

test.run();
