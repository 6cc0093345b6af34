/**
 * The Terraform state bucket the bootstrap stack creates (as `cdk bootstrap` creates its staging
 * bucket): versioned so a bad write can be undone, encrypted, private, TLS only, old versions
 * expired after a while, and protected from `terraform destroy` (it holds every stack's state,
 * and the long-lived stacks' state holds TLS private keys).
 */
import { Construct } from "constructs";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket/index.js";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block/index.js";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls/index.js";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration/index.js";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning/index.js";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration/index.js";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy/index.js";
import { tlsOnlyBucketPolicy } from "../modules/tls-only-bucket-policy.js";

/** Days an overwritten or deleted state version is kept: time enough to notice and roll back. */
export const STATE_NONCURRENT_VERSION_DAYS = 90;

/** Props of a {@link StateBucket}. */
export interface StateBucketProps {
  /**
   * The bucket's name. Bucket names are global: `cdk bootstrap`'s convention of the account and
   * region in the name (`<prefix>-tfstate-<account>-<region>`) makes it unique and known at plan
   * time, so the policies that name it can be read in the plan.
   */
  readonly bucketName: string;
  /**
   * Days old state versions are kept.
   * @default 90 days
   */
  readonly noncurrentVersionDays?: number;
}

/** A private, versioned, encrypted, TLS-only bucket for Terraform state. */
export class StateBucket extends Construct {
  /** The bucket. */
  public readonly bucket: S3Bucket;
  /** Its name. */
  public readonly bucketName: string;
  /** Its ARN (a token). */
  public readonly bucketArn: string;

  constructor(scope: Construct, id: string, props: StateBucketProps) {
    super(scope, id);
    this.bucket = new S3Bucket(this, "bucket", {
      bucket: props.bucketName,
      tags: { Name: props.bucketName },
      lifecycle: { preventDestroy: true },
    });
    this.bucketName = this.bucket.bucket;
    this.bucketArn = this.bucket.arn;
    const publicAccessBlock = new S3BucketPublicAccessBlock(this, "public-access-block", {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "ownership", { bucket: this.bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } });
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket: this.bucket.id,
      // SSE-S3: the S3 backend's `encrypt = true` asks for it too; no KMS key to pay for or grant.
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
    });
    new S3BucketVersioningA(this, "versioning", { bucket: this.bucket.id, versioningConfiguration: { status: "Enabled" } });
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket: this.bucket.id,
      rule: [
        {
          id: "expire-old-state-versions",
          status: "Enabled",
          filter: [{ prefix: "" }],
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionDays ?? STATE_NONCURRENT_VERSION_DAYS }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    });
    new S3BucketPolicy(this, "tls-only", {
      bucket: this.bucket.id,
      policy: tlsOnlyBucketPolicy(this.bucket.arn),
      dependsOn: [publicAccessBlock],
    });
  }
}
