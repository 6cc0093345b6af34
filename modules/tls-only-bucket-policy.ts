/**
 * The S3 bucket policy that refuses every request not made over TLS.
 *
 * A Deny on `aws:SecureTransport` = "false" for every principal and every S3 action, on the bucket
 * and its objects: the standard fix for checkov CKV_AWS_70-style "enforce TLS" findings and the
 * baseline's "TLS-only bucket policy".
 */

/** Sid of the TLS-only statement; the security-baseline checker looks for a statement like it. */
export const TLS_ONLY_SID = "DenyInsecureTransport";

/**
 * The policy document as a JSON string. `bucketArn` may be a token: cdktf renders it inside the
 * string as a Terraform interpolation, which Terraform resolves at plan time.
 */
export function tlsOnlyBucketPolicy(bucketArn: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: TLS_ONLY_SID,
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  });
}
