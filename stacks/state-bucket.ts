/**
 * The Terraform state bucket the bootstrap stack creates (as `cdk bootstrap` creates its staging
 * bucket): versioned so a bad write can be undone, encrypted, private, TLS only, old versions
 * expired after a while, and protected from `terraform destroy` (it holds every stack's state,
 * and the long-lived stacks' state holds TLS private keys).
 */
import { Construct } from "constructs";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket/index.js";
import { hardenBucket } from "../modules/bucket-hardening.js";

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
    hardenBucket(this, "StateBucket", this.bucket, {
      noncurrentVersionDays: props.noncurrentVersionDays ?? STATE_NONCURRENT_VERSION_DAYS,
      lifecycleRuleId: "expire-old-state-versions",
    });
  }
}
