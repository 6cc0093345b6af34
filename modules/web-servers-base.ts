/**
 * What WebServerPair and AutoScaledWebServers share: props and their validation, the instance
 * role with least privilege, the servers' security group with described, narrow egress, the
 * database wiring, the AMI and the user data. Each subclass only decides how instances are launched
 * and how they join a target group.
 */
import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import type { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group/index.js";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group/index.js";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule/index.js";
import type { IDatabase, ILoadBalancerTarget, INetwork, IServerArtifact } from "./contracts.js";
import { DEFAULT_NAME_PREFIX, validateNamePrefix } from "./naming.js";
import { InstanceRole } from "./instance-role.js";
import { LOG_LEVELS, renderUserData, type LogLevel } from "./user-data.js";
import { securityGroupName, securityGroupNamePrefix } from "./security-group-name.js";
import {
  DEFAULT_INSTANCE_TYPE,
  DEFAULT_ROOT_VOLUME_GIB,
  latestAl2023AmiId,
  validateInstanceType,
  validateRootVolumeSize,
} from "./instance-hardening.js";

/** Ports never used for the app: SSH, RDP and the usual database ports (admin ports, CKV_AWS_24/25). */
export const RESERVED_PORTS: ReadonlyMap<number, string> = new Map([
  [22, "SSH"],
  [3389, "RDP"],
  [3306, "MySQL"],
  [5432, "PostgreSQL"],
]);

/** Props shared by WebServerPair and AutoScaledWebServers. */
export interface WebServersProps {
  /** Where the servers run: they go into `network.privateSubnets`. */
  readonly network: INetwork;
  /** The seed-server bundle each server downloads (read access to that one object is granted). */
  readonly artifact: IServerArtifact;
  /**
   * A database for the servers: they get `database.allowFrom(this)` (ingress on the database and
   * read access to its secret), egress to it on its port, and the connection in their environment
   * (`SEED_STORE=postgres`, PG* variables, `PGSSLMODE=require`). With a `Network` without NAT, an
   * interface endpoint for Secrets Manager is added (about $14.60/month in two AZs).
   * @default no database: each server keeps its seed in memory
   */
  readonly database?: IDatabase;
  /**
   * EC2 instance type; a Graviton type (e.g. `t4g.micro`) selects the arm64 image.
   * @default "t3.micro" (x86, free-tier eligible)
   */
  readonly instanceType?: string;
  /**
   * Port the seed server listens on and the load balancer's target group sends to (1-65535; not
   * 22, 3389, 3306 or 5432).
   * @default 8080
   */
  readonly port?: number;
  /**
   * Path that answers 200 while a server is healthy; the target group's health check.
   * @default "/status"
   */
  readonly healthCheckPath?: string;
  /**
   * Seconds a server keeps serving after SIGTERM while /status answers 503, so the load balancer
   * stops routing to it first (0-3600). With the LoadBalancer's health check (2 failures x 5 s)
   * 15 s covers detection plus a margin.
   * @default 15 seconds
   */
  readonly drainSeconds?: number;
  /**
   * Permissions boundary (an IAM policy ARN) of the servers' instance role; see InstanceRoleProps.
   * @default no permissions boundary
   */
  readonly permissionsBoundary?: string;
  /**
   * Seed server log level.
   * @default "info"
   */
  readonly logLevel?: LogLevel;
  /**
   * AMI ID to run (it must be Amazon Linux 2023 or compatible: the user data uses dnf and systemd).
   * @default the latest Amazon Linux 2023 for the instance type's architecture, from the public SSM
   * parameter; a new AMI release then replaces instances on the next apply
   */
  readonly amiId?: string;
  /**
   * Root volume size in GiB (encrypted gp3 either way).
   * @default 8 GiB, the size of the AL2023 image
   */
  readonly rootVolumeSize?: number;
  /**
   * Prefix of physical names and Name tags.
   * @default "seedstack"
   */
  readonly namePrefix?: string;
}

/** Validated settings, defaults applied. */
export interface ResolvedWebServerSettings {
  readonly instanceType: string;
  readonly port: number;
  readonly healthCheckPath: string;
  readonly drainSeconds: number;
  readonly logLevel: LogLevel;
  readonly rootVolumeSize: number;
  readonly namePrefix: string;
}

/** Apply defaults and validate the shared props; errors name `where`, the prop and the value. */
export function resolveWebServerSettings(props: WebServersProps, where: string): ResolvedWebServerSettings {
  const namePrefix = props.namePrefix ?? DEFAULT_NAME_PREFIX;
  validateNamePrefix(namePrefix, where);
  const instanceType = props.instanceType ?? DEFAULT_INSTANCE_TYPE;
  validateInstanceType(instanceType, where);
  const port = props.port ?? 8080;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${where}: port must be a whole number from 1 to 65535; got ${port}`);
  }
  const reserved = RESERVED_PORTS.get(port);
  if (reserved) throw new Error(`${where}: port ${port} is the ${reserved} port; choose another app port (e.g. 8080)`);
  const healthCheckPath = props.healthCheckPath ?? "/status";
  if (!/^\/[A-Za-z0-9._~!$&'()*+,;=:@/%-]*$/.test(healthCheckPath) || healthCheckPath.length > 1024) {
    throw new Error(`${where}: healthCheckPath must start with "/" and be at most 1024 URL-path characters; got ${JSON.stringify(healthCheckPath)}`);
  }
  const drainSeconds = props.drainSeconds ?? 15;
  if (!Number.isInteger(drainSeconds) || drainSeconds < 0 || drainSeconds > 3600) {
    throw new Error(`${where}: drainSeconds must be a whole number from 0 to 3600; got ${drainSeconds}`);
  }
  const logLevel = props.logLevel ?? "info";
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new Error(`${where}: logLevel must be one of ${LOG_LEVELS.join(", ")}; got ${JSON.stringify(logLevel)}`);
  }
  const rootVolumeSize = props.rootVolumeSize ?? DEFAULT_ROOT_VOLUME_GIB;
  validateRootVolumeSize(rootVolumeSize, where);
  if (props.network.privateSubnets.length === 0) throw new Error(`${where}: the network has no private subnets`);
  return { instanceType, port, healthCheckPath, drainSeconds, logLevel, rootVolumeSize, namePrefix };
}

/**
 * Base of the web server constructs: everything except launching instances and joining a target
 * group. Construct IDs created here: `role`, `sg`, `egress-*`, `ami`, `region`, `s3-prefix-list`.
 */
export abstract class WebServersBase extends Construct implements ILoadBalancerTarget {
  /** The security group every server is in: no ingress until a LoadBalancer (or Database) adds some. */
  public readonly securityGroup: SecurityGroup;
  /** The servers' instance role. */
  public readonly role: InstanceRole;
  /** The port the seed server listens on. */
  public readonly port: number;
  /** The path that answers 200 while a server is healthy. */
  public readonly healthCheckPath: string;
  /** The instance type. */
  public readonly instanceType: string;
  /** The AMI ID (a token when looked up). */
  public readonly amiId: string;
  /** The rendered user data script (bash). */
  public readonly userData: string;
  /** Seconds a server drains after SIGTERM. */
  public readonly drainSeconds: number;
  /** Root volume size in GiB. */
  public readonly rootVolumeSize: number;
  /** Prefix of physical names. */
  public readonly namePrefix: string;
  /** The network the servers run in. */
  public readonly network: INetwork;
  /** The database, when one was given. */
  public readonly database?: IDatabase;
  /** Resources that must exist before a server boots (VPC endpoints its user data uses, the bundle). */
  protected readonly bootDependencies: ITerraformDependable[] = [];

  /** Everything a server needs before it boots: bootDependencies plus the role's permissions. */
  protected bootPrerequisites(): ITerraformDependable[] {
    return [...this.bootDependencies, ...this.role.permissions];
  }
  /** How many target groups the servers have joined (keeps attachment construct IDs unique). */
  protected attachedTargetGroups = 0;

  protected constructor(scope: Construct, id: string, props: WebServersProps, where: string, nameSuffix: string) {
    super(scope, id);
    const settings = resolveWebServerSettings(props, where);
    this.port = settings.port;
    this.healthCheckPath = settings.healthCheckPath;
    this.instanceType = settings.instanceType;
    this.drainSeconds = settings.drainSeconds;
    this.rootVolumeSize = settings.rootVolumeSize;
    this.namePrefix = settings.namePrefix;
    this.network = props.network;
    this.database = props.database;

    // Boot only after the bundle is uploaded.
    if (props.artifact.object) this.bootDependencies.push(props.artifact.object);

    // Systems Manager's policy only where Session Manager can reach the servers (issue 8, item 12).
    this.role = new InstanceRole(this, "role", {
      namePrefix: this.namePrefix,
      nameSuffix,
      ssmManagedInstanceCore: props.network.systemsManagerReachable,
      ...(props.permissionsBoundary !== undefined ? { permissionsBoundary: props.permissionsBoundary } : {}),
    });
    this.role.grantObjectRead(props.artifact.bucketArn, props.artifact.objectKey);

    this.securityGroup = new SecurityGroup(this, "sg", {
      namePrefix: securityGroupNamePrefix(this.namePrefix, nameSuffix),
      description: "seedstack web servers: ingress only from the load balancer; HTTPS egress to S3 and VPC endpoints",
      vpcId: props.network.vpc.id,
      tags: { Name: securityGroupName(this.namePrefix, nameSuffix) },
    });
    this.addHttpsEgress(props.network);

    if (props.database) this.connectDatabase(props.database, props.network);

    this.userData = renderUserData({
      artifact: props.artifact,
      port: this.port,
      drainSeconds: this.drainSeconds,
      logLevel: settings.logLevel,
      database: props.database?.connection,
    });
    this.amiId = props.amiId ?? latestAl2023AmiId(this, "ami", this.instanceType);
  }

  /** Register the servers with a target group. Called by LoadBalancer. */
  public abstract attachToTargetGroup(targetGroup: LbTargetGroup): void;

  private egress(id: string, description: string, rule: { fromPort: number; toPort?: number; cidrIpv4?: string; prefixListId?: string; referencedSecurityGroupId?: string }) {
    new VpcSecurityGroupEgressRule(this, id, {
      securityGroupId: this.securityGroup.id,
      description,
      ipProtocol: "tcp",
      fromPort: rule.fromPort,
      toPort: rule.toPort ?? rule.fromPort,
      cidrIpv4: rule.cidrIpv4,
      prefixListId: rule.prefixListId,
      referencedSecurityGroupId: rule.referencedSecurityGroupId,
    });
  }

  private addHttpsEgress(network: INetwork): void {
    this.bootDependencies.push(network.s3Endpoint);
    this.egress("egress-s3", "HTTPS to S3 (seed-server bundle, AL2023 package repositories) via the gateway endpoint", {
      fromPort: 443,
      prefixListId: network.s3PrefixListId,
    });
    this.egress("egress-vpc-https", "HTTPS to interface VPC endpoints (Systems Manager, Secrets Manager) inside the VPC", {
      fromPort: 443,
      cidrIpv4: network.vpc.cidrBlock,
    });
    if (network.hasNatGateway) {
      this.egress("egress-internet-https", "HTTPS to public AWS APIs through the NAT gateway", { fromPort: 443, cidrIpv4: "0.0.0.0/0" });
    }
  }

  private connectDatabase(database: IDatabase, network: INetwork): void {
    const dbPort = database.connection.port;
    this.egress("egress-database", "PostgreSQL to the database security group", {
      fromPort: dbPort,
      referencedSecurityGroupId: database.securityGroup.id,
    });
    if (!network.hasNatGateway) {
      // Without NAT the password can only be fetched through a Secrets Manager interface endpoint.
      this.bootDependencies.push(network.addInterfaceEndpoint("secretsmanager"));
    }
    database.allowFrom(this);
  }
}
