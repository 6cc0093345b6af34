/**
 * The settings every bucket seedstack creates gets (the security baseline's S3 line): all four
 * public access blocks (CKV_AWS_53..56), BucketOwnerEnforced ownership (ACLs disabled), default
 * SSE-S3 encryption (CKV_AWS_19), versioning with old versions expired after a while, and a bucket
 * policy that denies every request not made over TLS.
 *
 * A function, not a construct: the resources are added to the bucket's owner under the IDs the
 * owners have always used (`public-access-block`, `ownership`, `encryption`, `versioning`,
 * `lifecycle`, `tls-only`). A construct of its own would add a level to every construct path and
 * so change every Terraform address: Terraform would destroy and recreate the settings of every
 * bucket already deployed.
 */
import type { Construct } from "constructs";
import type { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket/index.js";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block/index.js";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls/index.js";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration/index.js";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning/index.js";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration/index.js";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy/index.js";
import { tlsOnlyBucketPolicy } from "./tls-only-bucket-policy.js";

/** What {@link hardenBucket} needs to know beyond the bucket. */
export interface BucketHardeningProps {
  /** Days an overwritten or deleted object version is kept before S3 expires it (no default: each bucket's owner chooses). */
  readonly noncurrentVersionDays: number;
  /**
   * ID of the lifecycle rule. Part of the deployed configuration: changing it is an in-place
   * update of every deployed bucket's lifecycle (no default: each owner keeps the one it has).
   */
  readonly lifecycleRuleId: string;
}

/** The hardening resources that an object written to the bucket must wait for. */
export interface BucketHardening {
  /** Default encryption; objects written before it exists are stored unencrypted. */
  readonly encryption: S3BucketServerSideEncryptionConfigurationA;
  /** The TLS-only bucket policy; objects written before it exists could be read over plain HTTP. */
  readonly policy: S3BucketPolicy;
}

/**
 * Add the baseline's settings for `bucket` to `scope` (the construct that owns the bucket).
 * `owner` names that construct in the error thrown for a bad `noncurrentVersionDays`.
 */
export function hardenBucket(scope: Construct, owner: string, bucket: S3Bucket, props: BucketHardeningProps): BucketHardening {
  validateNoncurrentVersionDays(owner, props.noncurrentVersionDays);
  const publicAccessBlock = new S3BucketPublicAccessBlock(scope, "public-access-block", {
    bucket: bucket.id,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  new S3BucketOwnershipControls(scope, "ownership", { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } });
  const encryption = new S3BucketServerSideEncryptionConfigurationA(scope, "encryption", {
    bucket: bucket.id,
    // SSE-S3: encrypted at rest with no KMS key to pay for or to grant the instances (the S3
    // backend's `encrypt = true` asks for it too).
    rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
  });
  new S3BucketVersioningA(scope, "versioning", { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } });
  new S3BucketLifecycleConfiguration(scope, "lifecycle", {
    bucket: bucket.id,
    rule: [
      {
        id: props.lifecycleRuleId,
        status: "Enabled",
        filter: [{ prefix: "" }],
        noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionDays }],
        abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
      },
    ],
  });
  const policy = new S3BucketPolicy(scope, "tls-only", {
    bucket: bucket.id,
    policy: tlsOnlyBucketPolicy(bucket.arn),
    // S3 rejects a policy write while the public access block is being changed.
    dependsOn: [publicAccessBlock],
  });
  return { encryption, policy };
}

/** Throw, naming `owner`, unless `days` is a whole number of days, at least 1. */
export function validateNoncurrentVersionDays(owner: string, days: number): void {
  if (!Number.isInteger(days) || days < 1) {
    throw new Error(`${owner}: noncurrentVersionDays must be a whole number of days, at least 1; got ${days}`);
  }
}
