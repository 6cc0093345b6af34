/**
 * The interfaces through which seedstack's constructs are wired to each other.
 *
 * Constructs take each other ("pass constructs, not strings"); these interfaces name
 * exactly what one construct needs of another, so that e.g. a LoadBalancer can front either a
 * WebServerPair or an AutoScaledWebServers group, and tests can see the seams.
 */
import type { SecurityGroup } from "@cdktf/provider-aws/lib/security-group/index.js";
import type { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group/index.js";
import type { ITerraformDependable } from "cdktf";

/**
 * What constructs use of a VPC: an `aws_vpc` resource (`Network`) or an `aws_vpc` data source
 * (`ExistingNetwork`) both have it.
 */
export interface IVpcReference {
  /** The VPC's ID (a token). */
  readonly id: string;
  /** The VPC's primary IPv4 CIDR block (a token): rules that mean "inside the VPC" use it. */
  readonly cidrBlock: string;
}

/** What constructs use of a subnet: an `aws_subnet` resource or data source both have it. */
export interface ISubnetReference {
  /** The subnet's ID (a token). */
  readonly id: string;
}

/**
 * What a construct needs of the network it is placed in. Implemented by `Network` (a VPC of its
 * own) and `ExistingNetwork` (a VPC and subnets looked up by ID or tags).
 */
export interface INetwork {
  /** The VPC. */
  readonly vpc: IVpcReference;
  /** One public subnet per availability zone (the load balancer's). */
  readonly publicSubnets: readonly ISubnetReference[];
  /** One private subnet per availability zone (the servers' and the database's). */
  readonly privateSubnets: readonly ISubnetReference[];
  /**
   * The availability zone names, one per subnet pair (`ExistingNetwork`: of its private subnets).
   * Literal names when the user gave them;
   * otherwise tokens resolved by Terraform (a data source), in which case only their count is
   * known at synth time.
   */
  readonly availabilityZones: readonly string[];
  /** Whether private subnets reach the internet through a NAT gateway (then public AWS APIs are reachable). */
  readonly hasNatGateway: boolean;
  /**
   * Whether instances in the private subnets can reach AWS Systems Manager, so Session Manager
   * works: through a NAT gateway, or through interface endpoints for ssm, ssmmessages and
   * ec2messages. Servers get the AmazonSSMManagedInstanceCore policy only when this is true
   * (otherwise it would grant ssm:GetParameter(s) on * for nothing). Read when the servers are
   * created: add the endpoints before.
   */
  readonly systemsManagerReachable: boolean;
  /** The region's S3 prefix list, routed through the VPC's S3 gateway endpoint (for egress rules). */
  readonly s3PrefixListId: string;
  /** The S3 gateway endpoint: instances that fetch from S3 at boot depend on it. */
  readonly s3Endpoint: ITerraformDependable;
  /**
   * What makes the public subnets reachable from the internet (the internet gateway, the public
   * default route and its subnet associations). An internet-facing load balancer depends on them:
   * ELB refuses to create one in a VPC whose internet gateway is not attached yet
   * ("InvalidSubnet: VPC ... has no internet gateway"), and on destroy the gateway cannot be
   * detached while the load balancer still holds public addresses.
   * Empty for a network whose gateway exists already (nothing to wait for).
   */
  readonly internetAccess: readonly ITerraformDependable[];
  /**
   * Ensure an interface endpoint for `com.amazonaws.<region>.<service>` exists (idempotent) and return
   * it, e.g. "secretsmanager" so servers without NAT can read the database password at boot.
   */
  addInterfaceEndpoint(service: string): ITerraformDependable;
}

/** An IAM principal that can be granted read access. Implemented by `InstanceRole`. */
export interface IGrantable {
  /** Allow reading one Secrets Manager secret (GetSecretValue) and nothing else. */
  grantSecretRead(secretArn: string): void;
  /** Allow reading one S3 object (GetObject on exactly that key) and nothing else. */
  grantObjectRead(bucketArn: string, objectKey: string): void;
}

/** The seed-server bundle as stored in S3. Implemented by `ArtifactBucket`. */
export interface IServerArtifact {
  /** Bucket name (a token). */
  readonly bucketName: string;
  /** Bucket ARN (a token). */
  readonly bucketArn: string;
  /** Object key of the bundle; contains the content hash, so a new bundle is a new key. */
  readonly objectKey: string;
  /** SHA-256 of the bundle in hex; part of the user data, so a new bundle replaces instances. */
  readonly contentHash: string;
  /** The upload of the bundle, when Terraform makes it: servers boot only after it. */
  readonly object?: ITerraformDependable;
}

/** Web servers: a security group, a role, and an app port. WebServerPair, AutoScaledWebServers. */
export interface IWebServers {
  /** The security group every server is in. */
  readonly securityGroup: SecurityGroup;
  /** The servers' instance role. */
  readonly role: IGrantable;
  /** The port the seed server listens on. */
  readonly port: number;
  /** The path that answers 200 while the server is healthy. */
  readonly healthCheckPath: string;
}

/** Something a LoadBalancer can send traffic to. */
export interface ILoadBalancerTarget extends IWebServers {
  /**
   * Register the servers with a target group (instance attachments, or an Auto Scaling
   * attachment). Called by LoadBalancer; does not touch security groups.
   */
  attachToTargetGroup(targetGroup: LbTargetGroup): void;
}

/** How web servers reach the database. Produced by `Database`. */
export interface DatabaseConnection {
  /** Endpoint host name (a token). */
  readonly host: string;
  /** Port. */
  readonly port: number;
  /** Database name. */
  readonly databaseName: string;
  /** Master user name. */
  readonly username: string;
  /** ARN of the Secrets Manager secret (RDS-managed) holding `{"username","password"}`. */
  readonly secretArn: string;
}

/** A database that web servers can be allowed to use. Implemented by `Database`. */
export interface IDatabase {
  /** What the servers need to connect. */
  readonly connection: DatabaseConnection;
  /** The database's security group: the servers' egress rule on the database port targets it. */
  readonly securityGroup: SecurityGroup;
  /**
   * Let these servers connect: an ingress rule from their security group on the database port,
   * and read access to the secret for their role. Nothing else.
   */
  allowFrom(servers: IWebServers): void;
}
