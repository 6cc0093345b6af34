/**
 * The stack's provider and backend: as the stacks app synthesizes them (local state, S3 with the
 * lock file, S3 with a DynamoDB table), the same in the full Stack, and readable from a stack the
 * full reader refuses (the terraform layer destroys whatever is there).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { LifecycleError } from "../errors.js";
import { removeSynthFixtures, stackJson, synthFixture } from "../test-support/synth-fixture.js";
import { parseStack, readStack } from "./read-stack.js";
import { readStackSettings, stackSettingsOf } from "./read-stack-settings.js";

const test = suite("read-stack-settings");
test.after(() => removeSynthFixtures());

const BUCKET = { SEEDSTACK_STATE_BUCKET: "acme-state", SEEDSTACK_PR_NUMBER: "12" };

test("the backend as synthesized: local by default; S3 with the lock file; S3 with a DynamoDB table in its own region", async () => {
  assert.equal(readStack(await synthFixture(), "classic").backend, { type: "local" });
  const pr = readStack(await synthFixture(BUCKET), "pr-12");
  assert.equal(pr.backend, { type: "s3", bucket: "acme-state", key: "seedstack/pr-12/terraform.tfstate", region: "us-east-1", useLockfile: true });
  assert.equal([pr.defaultTags.PR, typeof pr.defaultTags.ExpiresAt], ["12", "string"]);
  const locked = readStack(await synthFixture({ SEEDSTACK_STATE_BUCKET: "acme-state", SEEDSTACK_STATE_REGION: "us-west-2", SEEDSTACK_STATE_LOCK_TABLE: "tf-locks", SEEDSTACK_NAME_PREFIX: "course" }), "classic");
  assert.equal(locked.backend, { type: "s3", bucket: "acme-state", key: "course/classic/terraform.tfstate", region: "us-west-2", dynamodbTable: "tf-locks" });
});

test("the full Stack carries exactly the settings the terraform layer reads", async () => {
  const json = await stackJson("pr-12", BUCKET);
  const { backend, region, defaultTags } = parseStack(json, "pr-12", "x.json");
  assert.equal({ backend, region, defaultTags }, stackSettingsOf(json));
});

test("settings of a stack the full reader refuses, and of something that is not a stack", () => {
  const dir = mkdtempSync(join(tmpdir(), "seedstack-settings-"));
  try {
    // Not one of our stacks (no load balancer), but terraform can still run it: its settings are read.
    const notOurs = {
      terraform: { backend: { s3: { bucket: "b", key: "p/pr-3/terraform.tfstate", use_path_style: true } } },
      provider: { aws: { region: "eu-west-1", default_tags: { tags: { PR: "3", Count: 3 } } } },
      resource: { terraform_data: { x: { input: "x" } } },
    };
    writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify(notOurs));
    assert.throws(() => parseStack(notOurs, "pr-3", "x.json"), (e: LifecycleError) => e.code === "ERR_STACK_INVALID");
    assert.equal(readStackSettings(dir), { region: "eu-west-1", defaultTags: { PR: "3" }, backend: { type: "s3", bucket: "b", key: "p/pr-3/terraform.tfstate", usePathStyle: true } });

    assert.is(readStackSettings(join(dir, "missing")), undefined, "no cdk.tf.json");
    mkdirSync(join(dir, "broken"));
    writeFileSync(join(dir, "broken", "cdk.tf.json"), "{ not json");
    assert.is(readStackSettings(join(dir, "broken")), undefined, "not JSON");
    for (const json of [null, "text", [], { terraform: { backend: "s3" } }]) assert.equal(stackSettingsOf(json), { defaultTags: {}, backend: { type: "local" } }, JSON.stringify(json));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
