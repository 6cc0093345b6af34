/**
 * ArtifactBucket: a private, encrypted, TLS-only S3 bucket holding the seed-server bundle that
 * every web server downloads at boot.
 *
 * The bundle is uploaded under a content-addressed key (`seed-server/<sha256-12>.mjs`) and its
 * SHA-256 is exposed as `contentHash`; the compute constructs put that hash in their user data,
 * so a new bundle means new user data, which means replaced instances.
 */
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { basename, resolve } from "node:path";
import { Construct } from "constructs";
import { AssetType, TerraformAsset } from "cdktf";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket/index.js";
import { S3Object } from "@cdktf/provider-aws/lib/s3-object/index.js";
import type { IGrantable, IServerArtifact } from "./contracts.js";
import { DEFAULT_NAME_PREFIX, physicalName, validateGeneratedName, validateNamePrefix } from "./naming.js";
import { seedServerBundlePath } from "../seed-server/bundle-path.js";
import { hardenBucket, validateNoncurrentVersionDays } from "./bucket-hardening.js";

/** Props for {@link ArtifactBucket}. */
export interface ArtifactBucketProps {
  /**
   * Prefix of every physical name (the bucket's generated name starts with `<namePrefix>-artifacts-`).
   * @default "seedstack"
   */
  readonly namePrefix?: string;
  /**
   * Path of the file to upload as the server bundle.
   * @default the seed-server bundle this package ships (`dist/bundle/seed-server.mjs`; in a clone of the repository, `npm run build:bundle` builds it)
   */
  readonly bundlePath?: string;
  /**
   * Let `terraform destroy` delete the bucket even while it still holds objects and old versions.
   * Turn on for short-lived environments (one per pull request); leave off where the bucket's
   * history matters.
   * @default off: destroy fails on a non-empty bucket, so artifacts are never lost by accident
   */
  readonly forceDestroy?: boolean;
  /**
   * Days an overwritten or deleted object version is kept before S3 expires it.
   * @default 30 days
   */
  readonly noncurrentVersionDays?: number;
}

/** Key prefix of uploaded bundles; the key's file name is the first 12 hex digits of the SHA-256. */
export const BUNDLE_KEY_PREFIX = "seed-server/";

/**
 * A private S3 bucket for the seed-server bundle, and the bundle in it.
 *
 * Security baseline: all four public access blocks (CKV_AWS_53..56), default SSE-S3 encryption
 * (CKV_AWS_19), versioning, BucketOwnerEnforced ownership (ACLs disabled) and a bucket policy
 * that denies every request not made over TLS (`aws:SecureTransport` = false).
 *
 * @example
 * const artifacts = new ArtifactBucket(this, "artifacts", { namePrefix: "pr-12", forceDestroy: true });
 * artifacts.grantRead(servers.role);
 */
export class ArtifactBucket extends Construct implements IServerArtifact {
  /** The bucket resource. */
  public readonly bucket: S3Bucket;
  /** The uploaded bundle object. */
  public readonly object: S3Object;
  /** Bucket name (a token: Terraform generates it from the `<namePrefix>-artifacts-` prefix). */
  public readonly bucketName: string;
  /** Bucket ARN (a token). */
  public readonly bucketArn: string;
  /** Object key of the bundle, `seed-server/<first 12 hex digits of its SHA-256>.mjs`. */
  public readonly objectKey: string;
  /** SHA-256 of the bundle, 64 lowercase hex digits, computed at synth time. */
  public readonly contentHash: string;
  /** Absolute path of the bundle file that was uploaded. */
  public readonly bundlePath: string;

  /**
   * @param scope parent construct
   * @param id construct id (stable: changing it replaces the bucket)
   * @param props options; all optional
   */
  constructor(scope: Construct, id: string, props: ArtifactBucketProps = {}) {
    super(scope, id);
    const namePrefix = props.namePrefix ?? DEFAULT_NAME_PREFIX;
    validateNamePrefix(namePrefix, "ArtifactBucket");
    const noncurrentDays = props.noncurrentVersionDays ?? 30;
    // Before the bundle is read: a bad option is reported as such, whatever the bundle's state.
    validateNoncurrentVersionDays("ArtifactBucket", noncurrentDays);

    this.bundlePath = resolve(props.bundlePath ?? seedServerBundlePath());
    const bundle = readBundle(this.bundlePath, props.bundlePath === undefined);
    this.contentHash = createHash("sha256").update(bundle).digest("hex");
    this.objectKey = `${BUNDLE_KEY_PREFIX}${this.contentHash.slice(0, 12)}.mjs`;

    // S3 bucket names are global across every AWS account, so a deterministic name could already
    // be taken by a stranger; a Terraform-generated suffix avoids that. bucket_prefix allows 37
    // characters; the longest namePrefix (20) gives 31.
    const bucketPrefix = validateGeneratedName("ArtifactBucket", namePrefix, "S3 bucket", `${physicalName(namePrefix, "artifacts", 36)}-`);
    this.bucket = new S3Bucket(this, "bucket", {
      bucketPrefix,
      forceDestroy: props.forceDestroy ?? false,
      tags: { Name: physicalName(namePrefix, "artifacts", 63) },
    });
    this.bucketName = this.bucket.bucket;
    this.bucketArn = this.bucket.arn;

    const { encryption, policy } = hardenBucket(this, "ArtifactBucket", this.bucket, {
      noncurrentVersionDays: noncurrentDays,
      lifecycleRuleId: "expire-old-versions",
    });

    // TerraformAsset copies the bundle into the synthesized stack directory, so `terraform plan`
    // works from cdktf.out alone (CI uploads that directory, not the source tree).
    const asset = new TerraformAsset(this, "bundle", {
      path: this.bundlePath,
      type: AssetType.FILE,
      assetHash: this.contentHash,
    });
    this.object = new S3Object(this, "bundle-object", {
      bucket: this.bucket.id,
      key: this.objectKey,
      source: asset.path,
      // Re-upload if the file changes under the same key (the key already carries the hash).
      sourceHash: this.contentHash,
      contentType: "text/javascript",
      tags: { Name: physicalName(namePrefix, "seed-server-bundle", 63) },
      dependsOn: [encryption, policy],
    });
  }

  /** Let `grantee` read the bundle object (GetObject on exactly its key) and nothing else. */
  public grantRead(grantee: IGrantable): void {
    grantee.grantObjectRead(this.bucketArn, this.objectKey);
  }
}

/** Read the bundle, or throw an error that says where it was looked for and how to make it. */
function readBundle(path: string, isDefault: boolean): Buffer {
  let isFile = false;
  try {
    isFile = statSync(path).isFile();
  } catch {
    isFile = false;
  }
  if (!isFile) {
    const hint = isDefault
      ? "build it with `npm run build:bundle`, or pass bundlePath"
      : "bundlePath must name an existing file";
    throw new Error(`ArtifactBucket: server bundle not found at ${path} (${basename(path)}); ${hint}`);
  }
  return readFileSync(path);
}
