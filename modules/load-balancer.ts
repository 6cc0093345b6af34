/**
 * LoadBalancer: an internet-facing Application Load Balancer in front of web servers, with TLS
 * (HTTPS on 443, HTTP 80 redirecting to it), a fast-failover health check and optional sticky
 * sessions.
 */
import { Construct } from "constructs";
import { Token } from "cdktf";
import { Lb } from "@cdktf/provider-aws/lib/lb/index.js";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener/index.js";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group/index.js";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group/index.js";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule/index.js";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule/index.js";
import type { ILoadBalancerTarget, INetwork } from "./contracts.js";
import { DEFAULT_NAME_PREFIX, lbNamePrefix, validateGeneratedName, validateNamePrefix } from "./naming.js";
import { securityGroupNamePrefix } from "./security-group-name.js";
import { LoadBalancerCertificate, type CertificateSource } from "./certificate.js";
import {
  DEFAULT_TLS_POLICY,
  resolveHealthCheck,
  splitAllowedCidrs,
  validateDeregistrationDelay,
  validateIdleTimeout,
  validateLbName,
  validateStickiness,
  validateTlsPolicy,
  type HealthCheckOptions,
  type ResolvedHealthCheck,
  type StickinessOptions,
} from "./load-balancer-options.js";

/**
 * `"https"`: HTTPS on 443 with a certificate, and HTTP on 80 answering 301 to HTTPS.
 * `"http"`: plain HTTP on 80 only. INSECURE: traffic is unencrypted. Exists for course autograders
 * that connect over plain HTTP; a stack using it must waive the HTTPS rules in its policy test.
 */
export type LoadBalancerProtocol = "https" | "http";

/** Props for {@link LoadBalancer}. */
export interface LoadBalancerProps {
  /** The network; the load balancer goes into its public subnets (at least two AZs). */
  readonly network: INetwork;
  /**
   * Servers to send traffic to. More can be added with `addTargets`; all targets share one target
   * group, so they must use the same port and health-check path.
   * @default no targets yet: the listener answers 503 until `addTargets` is called
   */
  readonly targets?: ILoadBalancerTarget | readonly ILoadBalancerTarget[];
  /**
   * Listener protocol, see {@link LoadBalancerProtocol}.
   * @default "https": HTTPS on 443, HTTP 80 redirects to it
   */
  readonly protocol?: LoadBalancerProtocol;
  /**
   * The HTTPS certificate (only with protocol "https").
   * @default a self-signed certificate naming the load balancer's DNS name (see `certificatePem`)
   */
  readonly certificate?: CertificateSource;
  /**
   * TLS policy of the HTTPS listener; must be a TLS 1.3 policy with a TLS 1.2 or 1.3 minimum.
   * @default "ELBSecurityPolicy-TLS13-1-2-2021-06"
   */
  readonly sslPolicy?: string;
  /**
   * Client CIDR blocks allowed to reach ports 443 and 80 (IPv4 or IPv6).
   * @default anyone on IPv4 ("0.0.0.0/0"); the load balancer is IPv4-only
   */
  readonly allowedCidrs?: readonly string[];
  /**
   * Seconds a deregistering target keeps serving in-flight requests (0-3600). Use a few seconds
   * for short-lived environments so scale-in and destroy do not wait.
   * @default 30 seconds (AWS's own default is 300)
   */
  readonly deregistrationDelay?: number;
  /**
   * Sticky sessions: the load balancer's cookie keeps a client on one target for `duration` seconds.
   * @default no stickiness: requests are spread over healthy targets
   */
  readonly stickiness?: StickinessOptions;
  /**
   * Health check timing.
   * @default every 5 s, 4 s timeout, 2 failures to mark unhealthy, 2 successes to recover (a dead target stops getting traffic after about 10 s)
   */
  readonly healthCheck?: HealthCheckOptions;
  /**
   * Seconds an idle connection stays open (1-4000). Keep the servers' keep-alive timeout above it.
   * @default 60 seconds
   */
  readonly idleTimeout?: number;
  /**
   * Explicit ALB name, at most 32 characters. A fixed name cannot be replaced in place: Terraform
   * creates the replacement first (the self-signed certificate is create-before-destroy, and that
   * reaches the ALB), and AWS refuses a second ALB of the same name. Leave it unset unless
   * something outside the stack needs the name.
   * @default a name AWS-unique by construction: the first 5 characters of `namePrefix`, a hyphen
   * and a suffix Terraform generates (`name_prefix`); the Name tag is "<namePrefix>-alb"
   */
  readonly name?: string;
  /**
   * Prefix of every physical name and Name tag.
   * @default "seedstack"
   */
  readonly namePrefix?: string;
  /**
   * Refuse `terraform destroy` of the ALB until turned off again.
   * @default off: the ALB holds no data and is recreated in minutes
   */
  readonly deletionProtection?: boolean;
}

/**
 * An internet-facing Application Load Balancer over the network's public subnets.
 *
 * - Security: drops invalid header fields (CKV_AWS_131); HTTPS with a TLS 1.3 policy
 *   (CKV_AWS_103) and HTTP redirecting to it (CKV_AWS_2, CKV2_AWS_20); its own security group
 *   accepting 443/80 from `allowedCidrs` and sending only to its targets' group on their port.
 * - Health check: `GET <target.healthCheckPath>` must answer 200. With the defaults a target that
 *   stops answering is taken out of rotation after unhealthyThreshold x interval = 2 x 5 s = 10 s
 *   (plus up to one 4 s timeout); see `failureDetectionSeconds`.
 *
 * ```ts
 * const lb = new LoadBalancer(this, "lb", { network, targets: servers, namePrefix: "pr-12" });
 * new TerraformOutput(this, "url", { value: lb.url });
 * ```
 */
export class LoadBalancer extends Construct {
  /** The Application Load Balancer. */
  public readonly alb: Lb;
  /** The load balancer's security group. */
  public readonly securityGroup: SecurityGroup;
  /** The listener that forwards to the targets (HTTPS 443, or HTTP 80 in "http" mode). */
  public readonly listener: LbListener;
  /** The HTTP 80 listener that redirects to HTTPS; undefined in "http" mode (then `listener` is on 80). */
  public readonly redirectListener?: LbListener;
  /** The listener protocol in use. */
  public readonly protocol: LoadBalancerProtocol;
  /** The ALB's name (AWS limit 32 characters): the explicit `name`, or a token for the generated one. */
  public readonly name: string;
  /** The readable name of the load balancer, "<namePrefix>-alb": its Name tag and how descriptions refer to it. */
  public readonly label: string;
  /** The load balancer's DNS name (a token). */
  public readonly dnsName: string;
  /** Where clients connect: `https://<domain or DNS name>` or `http://<DNS name>` (a token). */
  public readonly url: string;
  /** The certificate (undefined in "http" mode). */
  public readonly certificate?: LoadBalancerCertificate;
  /**
   * PEM of the self-signed certificate, for clients to trust exactly this certificate
   * (`curl --cacert lb.pem https://...`). Undefined for ACM certificates and "http" mode.
   */
  public readonly certificatePem?: string;
  /** Health check settings in effect. */
  public readonly healthCheck: ResolvedHealthCheck;
  /**
   * Seconds until a target that stops answering is taken out of rotation: unhealthyThreshold x
   * intervalSeconds (10 with the defaults), plus up to one timeout.
   */
  public readonly failureDetectionSeconds: number;
  /** Deregistration delay in seconds. */
  public readonly deregistrationDelay: number;
  /** Sticky-session settings, if enabled. */
  public readonly stickiness?: StickinessOptions;

  private readonly network: INetwork;
  private readonly namePrefix: string;
  private readonly targetList: ILoadBalancerTarget[] = [];
  private readonly wiredGroups = new Set<string>();
  private group?: LbTargetGroup;
  /** Port and health-check path of the target group (set with it). */
  private groupTarget?: { readonly port: number; readonly path: string };

  /**
   * @param scope parent construct
   * @param id construct id (stable: changing it replaces the load balancer)
   * @param props network, targets and options
   */
  constructor(scope: Construct, id: string, props: LoadBalancerProps) {
    super(scope, id);
    this.network = props.network;
    this.namePrefix = props.namePrefix ?? DEFAULT_NAME_PREFIX;
    validateNamePrefix(this.namePrefix, "LoadBalancer");
    this.protocol = props.protocol ?? "https";
    if (this.protocol !== "https" && this.protocol !== "http") {
      throw new Error(`LoadBalancer protocol must be "https" or "http"; got ${JSON.stringify(props.protocol)}`);
    }
    if (this.protocol === "http" && (props.certificate !== undefined || props.sslPolicy !== undefined)) {
      throw new Error(
        `LoadBalancer protocol "http" serves plain HTTP, so certificate and sslPolicy do not apply; got ${props.certificate !== undefined ? "certificate" : "sslPolicy"}. Use protocol "https" or drop them`,
      );
    }
    const sslPolicy = validateTlsPolicy(props.sslPolicy ?? DEFAULT_TLS_POLICY);
    const cidrs = splitAllowedCidrs(props.allowedCidrs ?? ["0.0.0.0/0"]);
    this.healthCheck = resolveHealthCheck(props.healthCheck);
    this.failureDetectionSeconds = this.healthCheck.unhealthyThreshold * this.healthCheck.intervalSeconds;
    this.deregistrationDelay = validateDeregistrationDelay(props.deregistrationDelay ?? 30);
    this.stickiness = props.stickiness === undefined ? undefined : validateStickiness(props.stickiness);
    const idleTimeout = validateIdleTimeout(props.idleTimeout ?? 60);
    const explicitName = props.name === undefined ? undefined : validateLbName("ALB name", props.name);
    const generatedPrefix = validateGeneratedName("LoadBalancer", this.namePrefix, "load balancer", lbNamePrefix(this.namePrefix));
    const label = (this.label = `${this.namePrefix}-alb`);
    validatePublicSubnets(props.network);

    this.securityGroup = new SecurityGroup(this, "sg", {
      namePrefix: securityGroupNamePrefix(this.namePrefix, "alb"),
      // The same in both protocols: a new description replaces the group, which the ALB still uses,
      // so switching a running stack between "http" and "https" would hang on DependencyViolation.
      description: `Load balancer ${label}: clients on 443 and 80; to web servers on their port only`,
      vpcId: props.network.vpc.id,
      tags: { Name: `${this.namePrefix}-alb` },
    });
    const ports = this.protocol === "https" ? [443, 80] : [80];
    for (const port of ports) {
      const what = port === 443 ? "HTTPS from clients" : this.protocol === "https" ? "HTTP from clients (redirected to HTTPS)" : "HTTP from clients (plain-HTTP mode)";
      const add = (cidr: string, family: "v4" | "v6", i: number) =>
        new VpcSecurityGroupIngressRule(this, `in-${port}-${family}-${i}`, {
          securityGroupId: this.securityGroup.id,
          description: `${what} ${cidr}`,
          ipProtocol: "tcp",
          fromPort: port,
          toPort: port,
          ...(family === "v4" ? { cidrIpv4: cidr } : { cidrIpv6: cidr }),
          tags: { Name: `${this.namePrefix}-alb-in-${port}` },
        });
      cidrs.ipv4.forEach((c, i) => add(c, "v4", i));
      cidrs.ipv6.forEach((c, i) => add(c, "v6", i));
    }

    this.alb = new Lb(this, "alb", {
      ...(explicitName !== undefined ? { name: explicitName } : { namePrefix: generatedPrefix }),
      loadBalancerType: "application",
      internal: false,
      subnets: props.network.publicSubnets.map((s) => s.id),
      securityGroups: [this.securityGroup.id],
      dropInvalidHeaderFields: true,
      idleTimeout,
      enableDeletionProtection: props.deletionProtection ?? false,
      tags: { Name: explicitName ?? label },
      // An internet-facing ALB can only be created once the VPC's internet gateway is attached
      // (otherwise "InvalidSubnet: VPC ... has no internet gateway"), and must be gone before the
      // gateway is detached on destroy. Nothing else orders the two.
      ...(props.network.internetAccess.length > 0
        ? { dependsOn: [...props.network.internetAccess] }
        : {}),
    });
    this.dnsName = this.alb.dnsName;
    this.name = explicitName ?? this.alb.name;

    // Until a target is registered the listener answers 503; addTargets switches it to forward.
    const noTargets = [
      { type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "503", messageBody: "no targets registered" } },
    ];
    if (this.protocol === "https") {
      this.certificate = new LoadBalancerCertificate(this, "certificate", {
        source: props.certificate ?? { kind: "self-signed" },
        alb: this.alb,
        namePrefix: this.namePrefix,
      });
      this.certificatePem = this.certificate.certificatePem;
      this.listener = new LbListener(this, "https", {
        loadBalancerArn: this.alb.arn,
        port: 443,
        protocol: "HTTPS",
        sslPolicy,
        certificateArn: this.certificate.certificateArn,
        defaultAction: noTargets,
        tags: { Name: `${this.namePrefix}-https` },
      });
      // One construct ID for the port-80 listener in both protocols, so switching protocol updates
      // its action in place instead of creating a second listener on 80 (DuplicateListener).
      this.redirectListener = new LbListener(this, "http", {
        loadBalancerArn: this.alb.arn,
        port: 80,
        protocol: "HTTP",
        defaultAction: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
        tags: { Name: `${this.namePrefix}-http` },
      });
      this.url = `https://${this.certificate.domainName ?? this.dnsName}`;
    } else {
      this.listener = new LbListener(this, "http", {
        loadBalancerArn: this.alb.arn,
        port: 80,
        protocol: "HTTP",
        defaultAction: noTargets,
        tags: { Name: `${this.namePrefix}-http` },
      });
      this.url = `http://${this.dnsName}`;
    }

    const initial = props.targets === undefined ? [] : Array.isArray(props.targets) ? props.targets : [props.targets as ILoadBalancerTarget];
    for (const target of initial) this.addTargets(target);
  }

  /** The target group; exists once a target has been registered. */
  public get targetGroup(): LbTargetGroup {
    if (!this.group) {
      throw new Error(`LoadBalancer ${this.node.path} has no target group yet: pass targets or call addTargets first`);
    }
    return this.group;
  }

  /** The registered targets, in registration order. */
  public get targets(): readonly ILoadBalancerTarget[] {
    return [...this.targetList];
  }

  /**
   * Send traffic to `target`: registers it with the target group (created on the first call, on
   * the target's port and health-check path) and adds exactly two security-group rules: ingress on
   * the target's group from the load balancer's group on the target's port, and the matching
   * egress on the load balancer's group.
   */
  public addTargets(target: ILoadBalancerTarget): void {
    validateTarget(target);
    if (this.targetList.includes(target)) {
      throw new Error(`LoadBalancer ${this.node.path}: this target is already registered`);
    }
    const group = this.group ?? this.createTargetGroup(target);
    const { port, path } = this.groupTarget!;
    if (target.port !== port || target.healthCheckPath !== path) {
      throw new Error(
        `LoadBalancer: all targets share one target group on port ${port} with health check ${JSON.stringify(path)}; ` +
          `got a target on port ${target.port} with health check ${JSON.stringify(target.healthCheckPath)}`,
      );
    }
    const index = this.targetList.length;
    this.targetList.push(target);
    target.attachToTargetGroup(group);

    // One pair of rules per target security group (AWS rejects duplicate rules).
    const groupKey = target.securityGroup.node.path;
    if (this.wiredGroups.has(groupKey)) return;
    this.wiredGroups.add(groupKey);
    new VpcSecurityGroupIngressRule(this, `target-${index}-in`, {
      securityGroupId: target.securityGroup.id,
      description: `App port ${target.port} from load balancer ${this.label} only`,
      ipProtocol: "tcp",
      fromPort: target.port,
      toPort: target.port,
      referencedSecurityGroupId: this.securityGroup.id,
      tags: { Name: `${this.namePrefix}-servers-from-alb` },
    });
    new VpcSecurityGroupEgressRule(this, `target-${index}-out`, {
      securityGroupId: this.securityGroup.id,
      description: `To web servers on app port ${target.port}`,
      ipProtocol: "tcp",
      fromPort: target.port,
      toPort: target.port,
      referencedSecurityGroupId: target.securityGroup.id,
      tags: { Name: `${this.namePrefix}-alb-to-servers` },
    });
  }

  private createTargetGroup(target: ILoadBalancerTarget): LbTargetGroup {
    const hc = this.healthCheck;
    this.groupTarget = { port: target.port, path: target.healthCheckPath };
    this.group = new LbTargetGroup(this, "targets", {
      // A generated name: a replacement (a new port, a new VPC) is created before the old group is
      // deleted, which a fixed name would make impossible (DuplicateTargetGroupName).
      namePrefix: lbNamePrefix(this.namePrefix),
      port: target.port,
      protocol: "HTTP",
      targetType: "instance",
      vpcId: this.network.vpc.id,
      deregistrationDelay: String(this.deregistrationDelay),
      healthCheck: {
        enabled: true,
        path: target.healthCheckPath,
        port: "traffic-port",
        protocol: "HTTP",
        matcher: "200",
        interval: hc.intervalSeconds,
        timeout: hc.timeoutSeconds,
        healthyThreshold: hc.healthyThreshold,
        unhealthyThreshold: hc.unhealthyThreshold,
      },
      ...(this.stickiness ? { stickiness: { enabled: true, type: "lb_cookie", cookieDuration: this.stickiness.duration } } : {}),
      tags: { Name: `${this.namePrefix}-targets` },
      lifecycle: { createBeforeDestroy: true },
    });
    this.listener.putDefaultAction([{ type: "forward", targetGroupArn: this.group.arn }]);
    return this.group;
  }
}

/** An ALB needs subnets in two AZs or more; check what is known at synth time. */
function validatePublicSubnets(network: INetwork): void {
  const zones = network.availabilityZones;
  if (network.publicSubnets.length < 2) {
    throw new Error(
      `LoadBalancer needs subnets in at least 2 availability zones; got ${network.publicSubnets.length} public subnet(s)` +
        (zones.length > 0 && zones.every((z) => !Token.isUnresolved(z)) ? `: ${zones.join(", ")}` : ""),
    );
  }
  if (zones.length > 0 && zones.every((z) => !Token.isUnresolved(z))) {
    const distinct = [...new Set(zones)];
    if (distinct.length < 2) {
      throw new Error(`LoadBalancer needs subnets in at least 2 availability zones; got ${distinct.length}: ${distinct.join(", ")}`);
    }
  }
}

function validateTarget(target: ILoadBalancerTarget): void {
  if (!Number.isInteger(target.port) || target.port < 1 || target.port > 65535) {
    throw new Error(`LoadBalancer target port must be a whole number from 1 to 65535; got ${target.port}`);
  }
  if (typeof target.healthCheckPath !== "string" || !target.healthCheckPath.startsWith("/") || target.healthCheckPath.length > 1024) {
    throw new Error(`LoadBalancer target healthCheckPath must start with "/" (at most 1024 characters); got ${JSON.stringify(target.healthCheckPath)}`);
  }
}
