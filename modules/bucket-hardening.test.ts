/**
 * hardenBucket: the baseline's bucket settings land on the bucket's owner under the construct IDs
 * every deployed bucket already has (a new level in the path would change every Terraform address,
 * and Terraform would destroy and recreate them), and a bad retention is refused before anything
 * is added. What the settings say is artifact-bucket.test.ts's and bootstrap-stack.test.ts's.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Construct } from "constructs";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket/index.js";
import { hardenBucket } from "./bucket-hardening.js";
import { ArtifactBucket } from "./artifact-bucket.js";
import { synthStack } from "../test/synth-stack.js";
import { resourcesOf } from "../test/synth-json.js";
import { testTempDir } from "../test/temp-dirs.js";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

const HARDENING_TYPES = [
  "aws_s3_bucket_public_access_block",
  "aws_s3_bucket_ownership_controls",
  "aws_s3_bucket_server_side_encryption_configuration",
  "aws_s3_bucket_versioning",
  "aws_s3_bucket_lifecycle_configuration",
  "aws_s3_bucket_policy",
];

test("the settings are the owner's children, under the IDs owners have always used", () => {
  const { json } = synthStack((stack) => {
    const owner = new Construct(stack, "owner");
    hardenBucket(owner, "Owner", new S3Bucket(owner, "bucket", {}), { noncurrentVersionDays: 5, lifecycleRuleId: "rule" });
  });
  const names = resourcesOf(json, ...HARDENING_TYPES).map((r) => r.name.replace(/_[0-9A-F]{8}$/, ""));
  assert.equal(names, ["owner_public-access-block", "owner_ownership", "owner_encryption", "owner_versioning", "owner_lifecycle", "owner_tls-only"]);
});

test("ArtifactBucket keeps the Terraform addresses it had before the settings were shared", () => {
  const bundle = join(testTempDir("bucket-hardening-"), "bundle.mjs");
  writeFileSync(bundle, "console.log('bundle');\n");
  const { json } = synthStack((stack) => new ArtifactBucket(stack, "artifacts", { bundlePath: bundle }));
  // Read from the synthesized stacks of the commit before the extraction.
  assert.equal(resourcesOf(json, "aws_s3_bucket", ...HARDENING_TYPES).map((r) => r.address), [
    "aws_s3_bucket.artifacts_bucket_A41425E9",
    "aws_s3_bucket_public_access_block.artifacts_public-access-block_A0DA185D",
    "aws_s3_bucket_ownership_controls.artifacts_ownership_C9878968",
    "aws_s3_bucket_server_side_encryption_configuration.artifacts_encryption_C1F4F272",
    "aws_s3_bucket_versioning.artifacts_versioning_77526F6F",
    "aws_s3_bucket_lifecycle_configuration.artifacts_lifecycle_85D31407",
    "aws_s3_bucket_policy.artifacts_tls-only_FC8D66AB",
  ]);
});

test("a retention that is not a whole number of days, at least 1, is refused, naming the owner, before anything is added", () => {
  for (const days of [0, -1, 1.5, Number.NaN]) {
    synthStack((stack) => {
      const owner = new Construct(stack, "owner");
      const bucket = new S3Bucket(owner, "bucket", {});
      assert.throws(
        () => hardenBucket(owner, "StateBucket", bucket, { noncurrentVersionDays: days, lifecycleRuleId: "rule" }),
        (e: Error) => e.message === `StateBucket: noncurrentVersionDays must be a whole number of days, at least 1; got ${days}`,
      );
      assert.equal(owner.node.children.map((c) => c.node.id), ["bucket"]);
    });
  }
});

test.run();
