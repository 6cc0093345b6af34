/**
 * S3 rules: the four public access blocks, default encryption and a TLS-only bucket policy, each
 * found through the separate resources that point at the bucket.
 */
import { block, blocks, isTrue, list, refersTo, resourcesOf, type Attributes, type SynthJson } from "../synth-json.js";
import type { Violation } from "./violation.js";

const PUBLIC_ACCESS_FLAGS: ReadonlyArray<readonly [string, string]> = [
  ["block_public_acls", "CKV_AWS_53"],
  ["block_public_policy", "CKV_AWS_54"],
  ["ignore_public_acls", "CKV_AWS_55"],
  ["restrict_public_buckets", "CKV_AWS_56"],
];

/** Check every aws_s3_bucket in the stack. */
export function checkBuckets(stack: SynthJson): Violation[] {
  const violations: Violation[] = [];
  for (const bucket of resourcesOf(stack, "aws_s3_bucket")) {
    const pointingAt = (type: string) => resourcesOf(stack, type).filter((r) => refersTo(r.attrs.bucket, bucket.type, bucket.name));

    const blocksOfBucket = pointingAt("aws_s3_bucket_public_access_block");
    for (const [flag, rule] of PUBLIC_ACCESS_FLAGS) {
      if (!blocksOfBucket.some((b) => isTrue(b.attrs[flag]))) {
        violations.push({ rule, resource: bucket.address, message: `no aws_s3_bucket_public_access_block with ${flag} = true` });
      }
    }

    const encrypted =
      pointingAt("aws_s3_bucket_server_side_encryption_configuration").some((e) => blocks(e.attrs.rule).some(hasDefaultEncryption)) ||
      blocks(block(bucket.attrs.server_side_encryption_configuration)?.rule).some(hasDefaultEncryption);
    if (!encrypted) {
      violations.push({ rule: "CKV_AWS_19", resource: bucket.address, message: "no default server-side encryption configuration" });
    }

    const policies = [...pointingAt("aws_s3_bucket_policy").map((p) => p.attrs.policy), bucket.attrs.policy];
    if (!policies.some(deniesInsecureTransport)) {
      violations.push({
        rule: "SEEDSTACK_S3_TLS_ONLY",
        resource: bucket.address,
        message: 'no bucket policy denying requests with aws:SecureTransport = "false"',
      });
    }
  }
  return violations;
}

function hasDefaultEncryption(rule: Attributes): boolean {
  const algorithm = block(rule.apply_server_side_encryption_by_default)?.sse_algorithm;
  return typeof algorithm === "string" && ["AES256", "aws:kms", "aws:kms:dsse"].includes(algorithm);
}

/**
 * A JSON policy with a Deny on every S3 action (or all), for everyone, on the bucket and its
 * objects, when aws:SecureTransport is false.
 */
function deniesInsecureTransport(policy: unknown): boolean {
  if (typeof policy !== "string") return false;
  let parsed: Attributes;
  try {
    parsed = JSON.parse(policy) as Attributes;
  } catch {
    return false;
  }
  return list(parsed.Statement).some((raw) => {
    const s = raw as Attributes;
    const actions = list(s.Action).map(String);
    const resources = list(s.Resource).map(String);
    const secureTransport = (s.Condition as Attributes | undefined)?.Bool?.["aws:SecureTransport"];
    return (
      s.Effect === "Deny" &&
      (s.Principal === "*" || (s.Principal as Attributes | undefined)?.AWS === "*") &&
      actions.some((a) => a === "*" || a === "s3:*") &&
      resources.some((r) => r.endsWith("/*")) &&
      resources.some((r) => !r.endsWith("/*")) &&
      String(secureTransport) === "false"
    );
  });
}
