/**
 * EC2 settings shared by every web server, whether a plain instance (WebServerPair) or a launch
 * template (AutoScaledWebServers): the Amazon Linux 2023 image, IMDSv2, and an encrypted root volume.
 * One place, so the two can never drift apart on the security baseline.
 */
import { Construct } from "constructs";
import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter/index.js";

/** The instance type used when none is given: x86, burstable, free-tier eligible in most accounts. */
export const DEFAULT_INSTANCE_TYPE = "t3.micro";

/** CPU architectures AL2023 is published for. */
export type Architecture = "x86_64" | "arm64";

/** Public SSM parameter path of the latest AL2023 AMI, without the architecture suffix. */
export const AL2023_AMI_PARAMETER_PREFIX = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-";

/** The root device name of Amazon Linux 2023 AMIs (needed to override the root volume in a launch template). */
export const AL2023_ROOT_DEVICE_NAME = "/dev/xvda";

const INSTANCE_TYPE_PATTERN = /^([a-z]+)(\d+)([a-z-]*)\.([a-z0-9]+)$/;

/**
 * Check an EC2 instance type's shape (`family+generation+attributes.size`, e.g. `t3.micro`,
 * `m7gd.large`); throws naming what was given.
 */
export function validateInstanceType(instanceType: string, where: string): void {
  if (!INSTANCE_TYPE_PATTERN.test(instanceType)) {
    throw new Error(`${where}: instanceType must look like "t3.micro" or "t4g.small"; got ${JSON.stringify(instanceType)}`);
  }
}

/**
 * The CPU architecture of an instance type: arm64 for AWS Graviton (a `g` right after the
 * generation digit: t4g, m7g, c7gn, r8g, x2gd, im4gn; and the first-generation a1), x86_64 otherwise
 * (note g4dn and g5 are x86 GPU families: their `g` is the family, not the attribute).
 */
export function architectureOf(instanceType: string): Architecture {
  const match = INSTANCE_TYPE_PATTERN.exec(instanceType);
  if (!match) throw new Error(`architectureOf: not an instance type: ${JSON.stringify(instanceType)}`);
  const [, family, , attributes] = match;
  if (family === "a" || attributes!.startsWith("g")) return "arm64";
  return "x86_64";
}

/**
 * Instance families (family letters + generation) that are not EBS-optimized by default: t1 and t2
 * do not support EBS optimization at all, and the other previous-generation families support it
 * only on some sizes, where it is off unless asked for. Asking for it on a type that does not
 * support it fails the launch ("EBS-optimized instances are not supported for your requested
 * configuration"); see https://docs.aws.amazon.com/ebs/latest/userguide/ebs-optimized.html.
 */
const NOT_EBS_OPTIMIZED_BY_DEFAULT: ReadonlySet<string> = new Set([
  "t1", "t2", "m1", "m2", "m3", "c1", "c3", "g2", "i2", "r3", "cc2", "cg1", "cr1", "hi1", "hs1",
]);

/**
 * Whether `instanceType` is EBS-optimized by default (every current-generation type). The
 * constructs set `ebs_optimized` only for these, where it is a no-op that documents the intent
 * (checkov CKV_AWS_135); for the others they leave it to AWS, so a `t2.micro` still launches.
 */
export function isEbsOptimizedByDefault(instanceType: string): boolean {
  const match = INSTANCE_TYPE_PATTERN.exec(instanceType);
  if (!match) throw new Error(`isEbsOptimizedByDefault: not an instance type: ${JSON.stringify(instanceType)}`);
  const [, family, generation, attributes] = match;
  return !(attributes === "" && NOT_EBS_OPTIMIZED_BY_DEFAULT.has(`${family}${generation}`));
}

/** The public SSM parameter holding the latest AL2023 AMI ID for this instance type's architecture. */
export function al2023AmiParameterName(instanceType: string): string {
  return `${AL2023_AMI_PARAMETER_PREFIX}${architectureOf(instanceType)}`;
}

/**
 * Look up the latest AL2023 AMI for `instanceType` (a `data "aws_ssm_parameter"`), returning the
 * AMI ID token. Note: a new AMI release changes the ID, which replaces plain instances (and rolls an
 * Auto Scaling group) on the next apply; pass an explicit AMI to the constructs to pin it.
 */
export function latestAl2023AmiId(scope: Construct, id: string, instanceType: string): string {
  return new DataAwsSsmParameter(scope, id, { name: al2023AmiParameterName(instanceType) }).insecureValue;
}

/**
 * Instance metadata options: IMDSv2 session tokens required, and a hop limit of 1 so the tokens
 * cannot be fetched from a container or forwarded host (CKV_AWS_79, CKV_AWS_341). Same shape for
 * `aws_instance` and `aws_launch_template`.
 */
export const IMDSV2_METADATA_OPTIONS = {
  httpEndpoint: "enabled",
  httpTokens: "required",
  httpPutResponseHopLimit: 1,
  instanceMetadataTags: "disabled",
} as const;

/** Default root volume size in GiB: AL2023 AMIs are 8 GiB; Node and the bundle need little more. */
export const DEFAULT_ROOT_VOLUME_GIB = 8;

/** Root volume for `aws_instance.root_block_device`: encrypted gp3 (CKV_AWS_8), deleted with the instance. */
export function rootBlockDevice(sizeGiB: number = DEFAULT_ROOT_VOLUME_GIB) {
  return { volumeType: "gp3", volumeSize: sizeGiB, encrypted: true, deleteOnTermination: true };
}

/**
 * The same root volume as a launch template block device mapping. No scanner checks launch
 * templates for encryption, so seedstack's own policy test does. The provider types these
 * flags as strings.
 */
export function launchTemplateRootVolume(sizeGiB: number = DEFAULT_ROOT_VOLUME_GIB) {
  return {
    deviceName: AL2023_ROOT_DEVICE_NAME,
    ebs: { volumeType: "gp3", volumeSize: sizeGiB, encrypted: "true", deleteOnTermination: "true" },
  };
}

/** Check a root volume size: AL2023 needs at least 8 GiB; gp3 allows up to 16384. */
export function validateRootVolumeSize(sizeGiB: number, where: string): void {
  if (!Number.isInteger(sizeGiB) || sizeGiB < DEFAULT_ROOT_VOLUME_GIB || sizeGiB > 16384) {
    throw new Error(`${where}: rootVolumeSize must be a whole number of GiB from ${DEFAULT_ROOT_VOLUME_GIB} (the AL2023 image size) to 16384; got ${sizeGiB}`);
  }
}
