import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { findAwsCredentials } from "./aws-credentials.js";

const home = mkdtempSync(join(tmpdir(), "seedstack-aws-home-"));
test.after(() => rmSync(home, { recursive: true, force: true }));

test("nothing configured: no credentials", () => {
  assert.is(findAwsCredentials({}, home), undefined);
  assert.is(findAwsCredentials({ AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE" }, home), undefined, "a key ID without its secret is not a credential");
});

test("environment sources the SDK's default chain reads", () => {
  assert.is(findAwsCredentials({ AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE", AWS_SECRET_ACCESS_KEY: "s" }, home), "AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY");
  assert.is(findAwsCredentials({ AWS_PROFILE: "dev" }, home), "profile dev (AWS_PROFILE)");
  assert.is(findAwsCredentials({ AWS_WEB_IDENTITY_TOKEN_FILE: "/t", AWS_ROLE_ARN: "arn:aws:iam::123456789012:role/ci" }, home), "web identity (AWS_WEB_IDENTITY_TOKEN_FILE)");
  assert.is(findAwsCredentials({ AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: "/v2/credentials/x" }, home), "container credentials");
});

test("a default profile in ~/.aws/credentials or ~/.aws/config (or the files the environment names); other profiles alone do not count", () => {
  mkdirSync(join(home, ".aws"));
  writeFileSync(join(home, ".aws", "config"), "[profile dev]\nregion = eu-west-2\n");
  assert.is(findAwsCredentials({}, home), undefined, "only a named profile, and AWS_PROFILE unset");
  writeFileSync(join(home, ".aws", "config"), "[profile default]\nsso_session = corp\n");
  assert.is(findAwsCredentials({}, home), `the default profile in ${join(home, ".aws", "config")}`);
  const elsewhere = join(home, "creds");
  writeFileSync(elsewhere, "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n");
  assert.is(findAwsCredentials({ AWS_SHARED_CREDENTIALS_FILE: elsewhere }, home), `the default profile in ${elsewhere}`);
});

test.run();
