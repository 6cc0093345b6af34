/**
 * One seedstack environment as a cdktf stack: network, artifact bucket, optional database, web
 * servers of the environment's topology, and the load balancer in front of them, with the outputs
 * a user and the GitHub Action need.
 *
 * The classic and autoscaled stacks differ only in their servers (classic.ts, autoscaled.ts); a
 * PR stack is either of them built from an ephemeral StackEnvironment (environment.ts).
 */
import { Annotations, Aspects, TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import { Network } from "../modules/network.js";
import { ExistingNetwork } from "../modules/existing-network.js";
import { ArtifactBucket } from "../modules/artifact-bucket.js";
import { Database } from "../modules/database.js";
import { LoadBalancer } from "../modules/load-balancer.js";
import type { CertificateSource } from "../modules/certificate.js";
import type { ILoadBalancerTarget } from "../modules/contracts.js";
import type { SeedstackConfig, Topology } from "./config.js";
import type { StackEnvironment } from "./environment.js";
import { addStateBackend } from "./backend.js";
import { LaunchedInstanceTags } from "./launched-instance-tags.js";
import { classicServers } from "./classic.js";
import { autoscaledServers } from "./autoscaled.js";
import type { ServersFactory } from "./topology-parts.js";

export type { ServersFactory, TopologyParts } from "./topology-parts.js";

/** The servers factory of each topology. */
export const TOPOLOGY_SERVERS: Readonly<Record<Topology, ServersFactory>> = {
  classic: classicServers,
  autoscaled: autoscaledServers,
};

/** Seconds an ephemeral environment's load balancer lets a deregistering server finish requests. */
export const EPHEMERAL_DEREGISTRATION_DELAY_SECONDS = 5;
/** Days an ephemeral environment keeps old bundle versions. */
export const EPHEMERAL_NONCURRENT_VERSION_DAYS = 1;
/** Days of automated database backups in an ephemeral environment (the least RDS allows with backups on). */
export const EPHEMERAL_BACKUP_RETENTION_DAYS = 1;

/** Props of a {@link SeedstackStack}. */
export interface SeedstackStackProps {
  /** Who the stack is: name, name prefix, tags, ephemeral or not (environment.ts). */
  readonly environment: StackEnvironment;
  /** The app's validated configuration. */
  readonly config: SeedstackConfig;
  /**
   * The seed-server bundle file to upload.
   * @default the built bundle, dist/bundle/seed-server.mjs (main.ts builds it before synth)
   */
  readonly bundlePath?: string;
}

/**
 * A complete environment. Construct IDs (`network`, `artifacts`, `database`, `web`, `lb`) are a
 * public contract: changing one replaces real resources.
 *
 * Outputs: `url`, `alb_dns_name`, `target_group_arn`, `instance_ids` (classic) or `asg_name`
 * (autoscaled), `certificate_pem` (self-signed TLS), `database_endpoint` (with a database).
 */
export class SeedstackStack extends TerraformStack {
  /** Who the stack is. */
  public readonly environment: StackEnvironment;
  /**
   * The network: a VPC of its own (`Network`), or for a pull-request stack with an existing VPC
   * configured (SEEDSTACK_VPC_ID / SEEDSTACK_VPC_TAGS) that VPC looked up (`ExistingNetwork`).
   */
  public readonly network: Network | ExistingNetwork;
  /** The artifact bucket holding the seed-server bundle. */
  public readonly artifacts: ArtifactBucket;
  /** The database, when the configuration asks for one. */
  public readonly database?: Database;
  /** The servers. */
  public readonly servers: ILoadBalancerTarget;
  /** The load balancer. */
  public readonly loadBalancer: LoadBalancer;

  /**
   * @param scope the app
   * @param props environment, configuration and (for tests) the bundle to upload
   */
  constructor(scope: Construct, props: SeedstackStackProps) {
    const { environment, config } = props;
    super(scope, environment.stackName);
    this.environment = environment;
    const namePrefix = environment.namePrefix;
    const ephemeral = environment.ephemeral;
    // PR environments are always destroyable; long-lived ones unless deletion protection is off.
    const destroyable = ephemeral || !config.deletionProtection;

    new AwsProvider(this, "aws", { region: config.region, defaultTags: [{ tags: { ...environment.tags } }] });
    addStateBackend(this, config.state, config.namePrefix, environment.stackName);
    Aspects.of(this).add(new LaunchedInstanceTags(environment.tags));

    this.network = networkFor(this, config, environment);
    this.artifacts = new ArtifactBucket(this, "artifacts", {
      namePrefix,
      ...(props.bundlePath !== undefined ? { bundlePath: props.bundlePath } : {}),
      // Versioning keeps old bundles after their objects are deleted, so without force_destroy a
      // destroy stops at a non-empty bucket.
      forceDestroy: destroyable,
      ...(ephemeral ? { noncurrentVersionDays: EPHEMERAL_NONCURRENT_VERSION_DAYS } : {}),
    });

    if (config.database) {
      this.database = new Database(this, "database", {
        network: this.network,
        namePrefix,
        ...(ephemeral
          ? { ephemeral: true, backupRetentionDays: EPHEMERAL_BACKUP_RETENTION_DAYS }
          : { deletionProtection: config.deletionProtection }),
      });
    }

    const parts = TOPOLOGY_SERVERS[environment.topology](this, {
      network: this.network,
      artifact: this.artifacts,
      ...(this.database ? { database: this.database } : {}),
      instanceType: config.instanceType,
      namePrefix,
      ...(config.permissionsBoundary !== undefined ? { permissionsBoundary: config.permissionsBoundary } : {}),
    }, config);
    this.servers = parts.servers;

    this.loadBalancer = new LoadBalancer(this, "lb", {
      network: this.network,
      targets: this.servers,
      namePrefix,
      allowedCidrs: config.allowedCidrs,
      ...(config.tls === "http" ? { protocol: "http" as const } : { protocol: "https" as const, certificate: certificateSource(config, environment) }),
      ...(ephemeral ? { deregistrationDelay: EPHEMERAL_DEREGISTRATION_DELAY_SECONDS } : {}),
      ...parts.loadBalancer,
    });

    this.addOutputs(config);
  }

  private addOutputs(config: SeedstackConfig): void {
    const lb = this.loadBalancer;
    // With an existing ACM certificate the certificate names the user's domain, not the ALB.
    const domain = siteDomain(config, this.environment);
    const url = config.tls === "acm-arn" && domain !== undefined ? `https://${domain}` : lb.url;
    new TerraformOutput(this, "url", { value: url, description: "Where the seed server answers (GET / returns the seed)" });
    new TerraformOutput(this, "alb_dns_name", { value: lb.dnsName, description: "DNS name of the load balancer" });
    new TerraformOutput(this, "target_group_arn", { value: lb.targetGroup.arn, description: "ARN of the servers' target group" });
    if (lb.certificatePem !== undefined) {
      new TerraformOutput(this, "certificate_pem", {
        value: lb.certificatePem,
        description: "The self-signed certificate (public); trust exactly it with `curl --cacert`",
      });
    }
    if (this.database) {
      new TerraformOutput(this, "database_endpoint", {
        value: this.database.instance.endpoint,
        description: "host:port of the PostgreSQL database (reachable only from the web servers)",
      });
    }
  }
}

/**
 * A pull-request stack goes into the existing VPC when one is configured (one VPC for every PR
 * instead of one each: the VPC quota). The long-lived stacks keep their own: moving them would
 * replace their load balancer, servers and database.
 */
function networkFor(stack: TerraformStack, config: SeedstackConfig, environment: StackEnvironment): Network | ExistingNetwork {
  const namePrefix = environment.namePrefix;
  if (environment.ephemeral && config.existingVpc !== undefined) {
    const existing = config.existingVpc;
    return new ExistingNetwork(stack, "network", {
      namePrefix,
      vpc: existing.vpc,
      publicSubnets: existing.publicSubnets,
      privateSubnets: existing.privateSubnets,
      natGateway: existing.natGateway,
      ...(existing.zoneCount !== undefined ? { zoneCount: existing.zoneCount } : {}),
      // Servers go only into private subnets in zones that offer their type, as in a Network.
      instanceType: config.instanceType,
    });
  }
  if (config.existingVpc !== undefined) {
    // Said at synth (cdktf prints a stack's warnings), so a user who set it for this stack is not surprised by a VPC of its own.
    Annotations.of(stack).addWarning(`SEEDSTACK_VPC_* place pull-request stacks only: ${environment.stackName} keeps a VPC of its own (moving a long-lived stack would replace its load balancer, servers and database)`);
  }
  // Only zones that offer the servers' instance type: not every zone has every type.
  return new Network(stack, "network", { namePrefix, instanceType: config.instanceType });
}

/**
 * The stack's own site name under SEEDSTACK_DOMAIN: `classic` serves the domain itself, every other
 * stack a subdomain named after it (`autoscaled.<domain>`, `pr-12.<domain>`). One name per stack,
 * so stacks never fight over one alias record, and destroying a PR removes only its own records.
 */
export function siteDomain(config: SeedstackConfig, environment: StackEnvironment): string | undefined {
  if (config.domain === undefined) return undefined;
  return environment.stackName === "classic" ? config.domain : `${environment.stackName}.${config.domain}`;
}

/** The LoadBalancer certificate for an HTTPS TLS mode. */
function certificateSource(config: SeedstackConfig, environment: StackEnvironment): CertificateSource {
  switch (config.tls) {
    case "acm-arn":
      return { kind: "acm-arn", arn: config.certificateArn! };
    case "acm-dns":
      return { kind: "acm-dns", domainName: siteDomain(config, environment)!, hostedZoneId: config.hostedZoneId! };
    default:
      return { kind: "self-signed" };
  }
}
