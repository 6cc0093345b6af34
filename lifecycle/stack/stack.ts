/**
 * The typed picture of a synthesized stack: what the lifecycle, its engines and the Action's report
 * need from `cdk.tf.json`, read once by read-stack.ts. Everything after the edge works on these
 * types, never on the raw JSON. It describes what the stack holds; what an engine cannot run is the
 * engine's to say (`EnvironmentEngine.check`).
 *
 * Resource addresses (`aws_security_group.web_sg_BBC30E6E`) identify things, as Terraform does.
 */

/** A terraform resource address, `<type>.<name>`. */
export type Address = string;

/** What the seed server's user data configures (port, store, drain), as the instance would run it. */
export interface UserDataFacts {
  /** The port the app listens on (`PORT=` in the user data). */
  readonly port: number;
  /** Where the seed is kept. */
  readonly store: "memory" | "postgres";
  /** Seconds the server drains after SIGTERM. */
  readonly drainSeconds: number;
  /** `LOG_LEVEL`. */
  readonly logLevel: string;
  /** PostgreSQL database name and user, when the store is postgres. */
  readonly database?: { readonly name: string; readonly user: string; readonly port: number };
}

/** One EC2 instance of the stack. */
export interface InstanceSpec {
  readonly address: Address;
  /** Its Name tag, or its resource name. */
  readonly name: string;
  readonly securityGroups: readonly Address[];
  /** Literal subnet CIDR when resolvable, for modelled private addresses. */
  readonly subnetCidr?: string;
  readonly userData: UserDataFacts;
  /** The port its attachment registers it on (the attachment's `port`, else the target group's). */
  readonly targetPort: number;
  /** EC2 instance type. @default "unknown" (not written) */
  readonly instanceType?: string;
}

/** One `aws_instance` of the stack, whether a target group has it or not: what the cost counts. */
export interface Ec2InstanceSpec {
  /** Its resource address, `aws_instance.<name>`. */
  readonly address: Address;
  /** Its Name tag, or its address. */
  readonly name: string;
  /** EC2 instance type: its `instance_type`, else its launch template's. @default "unknown" (neither written) */
  readonly instanceType: string;
  /** The target groups it is attached to, in file order; empty when none. */
  readonly targetGroups: readonly Address[];
}

/** One `aws_autoscaling_group` of the stack, whether it serves a target group or not: what the cost counts. */
export interface AutoScalingGroupSpec {
  /** Its resource address, `aws_autoscaling_group.<name>`. */
  readonly address: Address;
  /** Its name (`name`, Name tag, `name_prefix`), or its address. */
  readonly name: string;
  /** Its launch template's instance type. @default "t3.micro" (the modules' default; none written) */
  readonly instanceType: string;
  /** `min_size`. */
  readonly min: number;
  /** `max_size`. */
  readonly max: number;
  /** `desired_capacity`. @default `min` */
  readonly desired: number;
  /** The target groups it serves, in file order; empty when none. */
  readonly targetGroups: readonly Address[];
}

/** The servers of one target group: fixed instances attached to it, or an Auto Scaling group. */
export type ServerGroup = (
  | {
      readonly kind: "instances";
      readonly instances: readonly InstanceSpec[];
      /** The target group's port; each instance keeps its own attachment's port (`InstanceSpec.targetPort`). */
      readonly targetPort: number;
    }
  | {
      readonly kind: "auto-scaling";
      readonly address: Address;
      /** Name of the group; instances are named `<name>-<n>`. */
      readonly name: string;
      readonly min: number;
      readonly max: number;
      readonly desired: number;
      readonly healthCheckType: "EC2" | "ELB";
      readonly gracePeriodSeconds: number;
      readonly securityGroups: readonly Address[];
      readonly subnetCidrs: readonly string[];
      readonly userData: UserDataFacts;
      /** The target group port (the attachment registers instances on it). */
      readonly targetPort: number;
      /** The target tracking policy, when the stack has one (read-scaling-policy.ts). */
      readonly scalingPolicy?: ScalingPolicySpec;
      /** The launch template's instance type, for its vCPUs. @default "t3.micro" */
      readonly instanceType?: string;
      /** The group's default_instance_warmup, seconds (absent: not set). */
      readonly defaultInstanceWarmupSeconds?: number;
      /** Every target tracking policy on the group (`scalingPolicy` is the first). @default none */
      readonly scalingPolicies?: readonly ScalingPolicySpec[];
    }
) & {
  /** The target group these servers are registered with. @default the stack's `targetGroup` */
  readonly targetGroup?: Address;
};

/** A target tracking scaling policy on a predefined metric. */
export interface ScalingPolicySpec {
  readonly address: Address;
  readonly name: string;
  /** The predefined metric type (`ASGAverageCPUUtilization`), or `customized` for a customized metric. */
  readonly metric: string;
  /** The metric's target (a percentage for CPU). */
  readonly targetValue: number;
  readonly disableScaleIn: boolean;
  readonly estimatedWarmupSeconds?: number;
}

/** The target group's health check, with AWS's defaults filled in. */
export interface HealthCheckSpec {
  readonly path: string;
  /** A port number, or the target's traffic port. */
  readonly port: number | "traffic-port";
  readonly protocol: "HTTP" | "HTTPS" | "TCP";
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly healthyThreshold: number;
  readonly unhealthyThreshold: number;
  /** The matcher as written: "200", "200,202", "200-299". */
  readonly matcher: string;
}

/** The protocols of target groups and listeners (ALB: HTTP, HTTPS; NLB: the others). */
export type TrafficProtocol = "HTTP" | "HTTPS" | "TCP" | "TLS" | "UDP" | "TCP_UDP";

/** A target group. */
export interface TargetGroupSpec {
  readonly address: Address;
  readonly name: string;
  readonly port: number;
  readonly protocol: TrafficProtocol;
  readonly healthCheck: HealthCheckSpec;
  readonly deregistrationDelaySeconds: number;
  /** Stickiness, when enabled: its cookie's duration, and its type. */
  readonly stickiness?: { readonly durationSeconds: number; /** @default "lb_cookie" */ readonly type?: string };
}

/** What a listener does with a request. */
export type ListenerAction =
  | { readonly type: "forward" }
  | { readonly type: "redirect"; readonly protocol: "HTTP" | "HTTPS" | "#{protocol}"; readonly port: string; readonly statusCode: 301 | 302 };

/** One listener of a load balancer. */
export interface ListenerSpec {
  readonly address: Address;
  readonly port: number;
  readonly protocol: TrafficProtocol;
  readonly action: ListenerAction;
  /** The target group a forwarding listener sends to. @default the stack's `targetGroup` */
  readonly targetGroup?: Address;
  readonly sslPolicy?: string;
  /** HTTPS: the certificate its `certificate_arn` names (followed to the stack's TLS resources). */
  readonly certificate?: CertificateSpec;
}

/** A load balancer. */
export interface LoadBalancerSpec {
  readonly address: Address;
  readonly name: string;
  /** `load_balancer_type`. @default "application" */
  readonly type?: "application" | "network" | "gateway";
  readonly securityGroups: readonly Address[];
  readonly idleTimeoutSeconds: number;
  readonly subnetCidrs: readonly string[];
  /**
   * How many subnets (availability zones) it is in, one public IPv4 address each for an
   * internet-facing one: the length of a literal `subnets` list (references or IDs) or of its
   * `subnet_mapping` blocks; `"unknown"` when `subnets` is an expression (a data source's list),
   * known only when planned. @default 0 (neither written)
   */
  readonly subnetCount: number | "unknown";
  readonly listeners: readonly ListenerSpec[];
}

/** The self-signed certificate the stack generates (tls_private_key + tls_self_signed_cert). */
export interface CertificateSpec {
  /**
   * What it stands for: the `tls_self_signed_cert` address, or (for a certificate whose key stays
   * in AWS: requested from ACM, or named by ARN) the certificate resource or ARN it stands in for.
   */
  readonly source: string;
  readonly commonName: string;
  readonly organization?: string;
  readonly keyAlgorithm: "ECDSA" | "RSA";
  readonly ecdsaCurve?: "P256" | "P384" | "P521";
  readonly rsaBits?: number;
  readonly validityHours: number;
  readonly serverAuth: boolean;
}

/** The database, when the stack has one. */
export interface DatabaseSpec {
  readonly address: Address;
  readonly engine: string;
  readonly port: number;
  readonly name: string;
  readonly username: string;
  readonly securityGroups: readonly Address[];
  readonly subnetCidrs: readonly string[];
  /** The instance's name for people: its `identifier`, else its Name tag. @default the address */
  readonly identifier?: string;
  /** e.g. `db.t4g.micro`. @default "unknown" (not written) */
  readonly instanceClass?: string;
  /** Allocated storage, GB. @default 0 (not written) */
  readonly storageGb?: number;
  /** A standby in a second availability zone. @default false */
  readonly multiAz?: boolean;
}

/** A VPC endpoint: interface endpoints cost per availability zone (one per subnet). */
export interface VpcEndpointSpec {
  readonly address: Address;
  /** `vpc_endpoint_type`. @default "Gateway" */
  readonly type: "Interface" | "Gateway" | "GatewayLoadBalancer";
  /** How many subnets (availability zones) an interface endpoint has a network interface in. @default 0 */
  readonly subnetCount: number;
}

/** Where a rule's traffic comes from (ingress) or goes to (egress). */
export type RulePeer =
  | { readonly kind: "cidr"; readonly cidr: string }
  | { readonly kind: "group"; readonly group: Address }
  | { readonly kind: "prefix-list"; readonly expression: string }
  /** A CIDR given as an expression we cannot resolve offline; it matches nothing here. */
  | { readonly kind: "unresolved"; readonly expression: string };

/** One security-group rule. */
export interface SecurityGroupRule {
  readonly address: Address;
  readonly direction: "ingress" | "egress";
  readonly group: Address;
  /** "tcp", "udp", "icmp" or "-1" (all). */
  readonly protocol: string;
  readonly fromPort: number;
  readonly toPort: number;
  readonly peer: RulePeer;
  readonly description?: string;
}

/** A security group and its rules. */
export interface SecurityGroupSpec {
  readonly address: Address;
  readonly name: string;
  readonly ingress: readonly SecurityGroupRule[];
  readonly egress: readonly SecurityGroupRule[];
}

/** Where terraform keeps the stack's state (`terraform.backend`): what the lock-holder note and the local-state guard look at. */
export interface BackendSpec {
  /** The backend type: `s3`, `local`, ... @default "local" (no backend written: terraform's default) */
  readonly type: string;
  /** S3: the state bucket. @default absent (not written) */
  readonly bucket?: string;
  /** S3: the state object's key, `<namePrefix>/<stack>/terraform.tfstate` for ours. @default absent */
  readonly key?: string;
  /** S3: the bucket's region. @default absent (terraform takes the provider chain's) */
  readonly region?: string;
  /** S3: locks with a lock file beside the state (`use_lockfile`). @default false */
  readonly useLockfile?: boolean;
  /** S3: locks in this DynamoDB table (`dynamodb_table`). @default absent */
  readonly dynamodbTable?: string;
  /** S3: path-style addressing (`use_path_style`, or its older name `force_path_style`). @default false */
  readonly usePathStyle?: boolean;
}

/** A synthesized stack, as the lifecycle sees it. */
export interface Stack {
  readonly name: string;
  /** The cdk.tf.json it was read from. */
  readonly file: string;
  /** The AWS provider's region, when written as a literal. */
  readonly region?: string;
  /** The AWS provider's default tags (`PR`, `ExpiresAt`, `Stack`...). */
  readonly defaultTags: Readonly<Record<string, string>>;
  /** Where its state is kept. */
  readonly backend: BackendSpec;
  /** Every load balancer, in file order (aws_lb, then aws_alb). */
  readonly loadBalancers: readonly LoadBalancerSpec[];
  /** Every target group, in file order. */
  readonly targetGroups: readonly TargetGroupSpec[];
  /** The servers of every target group (an Auto Scaling group serving two appears under each). */
  readonly serverGroups: readonly ServerGroup[];
  /** The first load balancer: a one-LB stack's only one, the one the local engine runs. */
  readonly loadBalancer: LoadBalancerSpec;
  /** The target group the first forwarding listener of `loadBalancer` sends to (none forwards: the first target group). */
  readonly targetGroup: TargetGroupSpec;
  /** The servers of `targetGroup` (its first server group). */
  readonly servers: ServerGroup;
  /** Every EC2 instance of the stack, each once, attached to a target group or not (`serverGroups` lists only attached ones). */
  readonly instances: readonly Ec2InstanceSpec[];
  /** Every Auto Scaling group of the stack, each once, serving a target group or not. */
  readonly autoScalingGroups: readonly AutoScalingGroupSpec[];
  /** Every database, in file order. */
  readonly databases: readonly DatabaseSpec[];
  /** The first database. */
  readonly database?: DatabaseSpec;
  /** Every VPC endpoint (interface endpoints have an hourly price). */
  readonly vpcEndpoints: readonly VpcEndpointSpec[];
  /** The certificate of the HTTPS listener clients use (each HTTPS listener has its own, `ListenerSpec.certificate`). */
  readonly certificate?: CertificateSpec;
  readonly securityGroups: ReadonlyMap<Address, SecurityGroupSpec>;
  /** The VPC's CIDR block, when literal (rules may reference it). */
  readonly vpcCidr?: string;
  /** Resource count by type, for the summary. */
  readonly resourceCounts: Readonly<Record<string, number>>;
  readonly outputs: readonly string[];
}
