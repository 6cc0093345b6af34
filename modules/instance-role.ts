/**
 * InstanceRole: the IAM role and instance profile web servers run as, granting nothing by default
 * (Systems Manager's policy only when asked for), and then exactly one resource per grant.
 */
import { Construct } from "constructs";
import { Token, type ITerraformDependable } from "cdktf";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role/index.js";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy/index.js";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment/index.js";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile/index.js";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition/index.js";
import type { IGrantable } from "./contracts.js";
import { DEFAULT_NAME_PREFIX, physicalName, validateNamePrefix } from "./naming.js";

/** AWS limit on IAM role names. */
const ROLE_NAME_MAX = 64;
/** The provider's limit on an IAM role's `name_prefix` (64 minus its 26-character unique suffix). */
const ROLE_NAME_PREFIX_MAX = 38;

/** An IAM managed policy ARN, customer-managed (`arn:aws:iam::123456789012:policy/x`) or AWS-managed. */
const IAM_POLICY_ARN = /^arn:aws[a-z-]*:iam::(\d{12}|aws):policy\/[\w+=,.@\/-]{1,512}$/;

/** Properties of an {@link InstanceRole}. */
export interface InstanceRoleProps {
  /**
   * Prefix of the role's and profile's physical names.
   * @default "seedstack"
   */
  readonly namePrefix?: string;
  /**
   * What follows the prefix in the physical names (`<prefix>-<nameSuffix>`); must differ between
   * roles of one account, so two server groups in one stack pass different suffixes.
   * @default "web"
   */
  readonly nameSuffix?: string;
  /**
   * Attach the AWS-managed AmazonSSMManagedInstanceCore policy so Session Manager (shell access
   * without SSH or open ports) and patching work. Turn it on only where the instances can reach
   * Systems Manager (a NAT gateway, or the ssm, ssmmessages and ec2messages endpoints); elsewhere
   * it grants `ssm:GetParameter(s)` on every parameter for nothing. The web server constructs
   * decide it from `INetwork.systemsManagerReachable`.
   * @default not attached
   */
  readonly ssmManagedInstanceCore?: boolean;
  /**
   * ARN of the IAM policy that caps what the role can ever do (its permissions boundary), such as
   * the one the bootstrap stack creates. Where CI may create roles only with a boundary attached
   * (`iam:PermissionsBoundary`), this is required for the role to be created at all.
   * @default no permissions boundary
   */
  readonly permissionsBoundary?: string;
}

/**
 * An EC2 instance role (trusted by ec2.amazonaws.com only) with its instance profile (CKV2_AWS_41).
 * Grants are inline policies scoped to exactly one ARN each; no *FullAccess policy is ever attached.
 *
 * ```ts
 * const role = new InstanceRole(this, "role", { namePrefix: "pr-42" });
 * role.grantObjectRead(artifact.bucketArn, artifact.objectKey);
 * ```
 */
export class InstanceRole extends Construct implements IGrantable {
  /** The IAM role. */
  public readonly role: IamRole;
  /** The instance profile that carries the role onto instances and launch templates. */
  public readonly instanceProfile: IamInstanceProfile;
  /** ARNs this role may read secrets from, in grant order. */
  public readonly secretReadArns: string[] = [];
  /** `bucketArn/objectKey` ARNs this role may read, in grant order. */
  public readonly objectReadArns: string[] = [];
  /**
   * The policies and attachments granted so far: instances depend on them, so they never boot with a
   * role that cannot yet read their bundle or secret.
   */
  public readonly permissions: ITerraformDependable[] = [];

  constructor(scope: Construct, id: string, props: InstanceRoleProps = {}) {
    super(scope, id);
    const prefix = props.namePrefix ?? DEFAULT_NAME_PREFIX;
    validateNamePrefix(prefix, "InstanceRole");
    const suffix = props.nameSuffix ?? "web";
    if (!/^[a-z0-9][a-z0-9-]*$/.test(suffix)) {
      throw new Error(`InstanceRole nameSuffix must be lowercase letters, digits and hyphens; got ${JSON.stringify(suffix)}`);
    }
    if (props.permissionsBoundary !== undefined && !Token.isUnresolved(props.permissionsBoundary) && !IAM_POLICY_ARN.test(props.permissionsBoundary)) {
      throw new Error(`InstanceRole permissionsBoundary: expected an IAM policy ARN (arn:<partition>:iam::<account>:policy/<name>); got ${JSON.stringify(props.permissionsBoundary)}`);
    }
    const partition = new DataAwsPartition(this, "partition");

    this.role = new IamRole(this, "role", {
      // Generated names (name_prefix) for the role, its profile and its policies: instances are
      // create-before-destroy, so these are too, and a replacement must not reuse the old name.
      namePrefix: `${physicalName(prefix, suffix, ROLE_NAME_PREFIX_MAX - 1)}-`,
      description: "seedstack web server instances: read their bundle (and database secret), Systems Manager",
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "Ec2AssumesRole",
            Effect: "Allow",
            // ec2.amazonaws.com (ec2.amazonaws.com.cn in China): the service principal via the partition's DNS suffix.
            Principal: { Service: `ec2.${partition.dnsSuffix}` },
            Action: "sts:AssumeRole",
          },
        ],
      }),
      ...(props.permissionsBoundary !== undefined ? { permissionsBoundary: props.permissionsBoundary } : {}),
      tags: { Name: physicalName(prefix, suffix, ROLE_NAME_MAX) },
    });

    if (props.ssmManagedInstanceCore ?? false) {
      const ssmCore = new IamRolePolicyAttachment(this, "ssm-core", {
        role: this.role.name,
        policyArn: `arn:${partition.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore`,
      });
      this.permissions.push(ssmCore);
    }

    this.instanceProfile = new IamInstanceProfile(this, "profile", {
      namePrefix: `${physicalName(prefix, suffix, ROLE_NAME_PREFIX_MAX - 1)}-`,
      role: this.role.name,
      tags: { Name: physicalName(prefix, suffix, ROLE_NAME_MAX) },
    });
  }

  /**
   * Allow `secretsmanager:GetSecretValue` on this one secret: all the boot script and its refresh
   * timer call (no DescribeSecret, no listing).
   * Enough for RDS-managed master secrets, which use the AWS-managed `aws/secretsmanager` KMS key
   * (a customer-managed key would also need kms:Decrypt on that key). Repeating a grant is a no-op.
   */
  public grantSecretRead(secretArn: string): void {
    if (!Token.isUnresolved(secretArn) && !/^arn:[a-z-]+:secretsmanager:[a-z0-9-]+:\d{12}:secret:[^*?]+$/.test(secretArn)) {
      throw new Error(`InstanceRole.grantSecretRead: expected one Secrets Manager secret ARN (arn:<partition>:secretsmanager:<region>:<account>:secret:<name>, no wildcards); got ${JSON.stringify(secretArn)}`);
    }
    if (this.secretReadArns.includes(secretArn)) return;
    this.secretReadArns.push(secretArn);
    this.addInlinePolicy(`read-secret-${this.secretReadArns.length - 1}`, "ReadOneSecret", ["secretsmanager:GetSecretValue"], secretArn);
  }

  /**
   * Allow `s3:GetObject` on exactly `${bucketArn}/${objectKey}`: no listing, no other key.
   * Repeating a grant is a no-op.
   */
  public grantObjectRead(bucketArn: string, objectKey: string): void {
    if (!Token.isUnresolved(bucketArn) && !/^arn:[a-z-]+:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucketArn)) {
      throw new Error(`InstanceRole.grantObjectRead: expected an S3 bucket ARN (arn:<partition>:s3:::<bucket>); got ${JSON.stringify(bucketArn)}`);
    }
    if (!Token.isUnresolved(objectKey) && (objectKey.length === 0 || /[*?]/.test(objectKey) || objectKey.startsWith("/"))) {
      throw new Error(`InstanceRole.grantObjectRead: expected one object key without wildcards or a leading "/"; got ${JSON.stringify(objectKey)}`);
    }
    const objectArn = `${bucketArn}/${objectKey}`;
    if (this.objectReadArns.includes(objectArn)) return;
    this.objectReadArns.push(objectArn);
    this.addInlinePolicy(`read-object-${this.objectReadArns.length - 1}`, "ReadOneObject", ["s3:GetObject"], objectArn);
  }

  private addInlinePolicy(id: string, sid: string, actions: string[], resource: string): void {
    const policy = new IamRolePolicy(this, id, {
      namePrefix: `${id}-`,
      role: this.role.name,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Sid: sid, Effect: "Allow", Action: actions, Resource: resource }],
      }),
    });
    this.permissions.push(policy);
  }
}
