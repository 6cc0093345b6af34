/**
 * The few facts of a synthesized stack (cdktf.out/stacks/<name>/cdk.tf.json) the PR comment's
 * diagram and cost estimate need, and nothing else: load balancers, listeners, target groups,
 * instances or Auto Scaling groups, databases, VPC endpoints, and which security group lets which
 * other group (or the internet) in on which port.
 *
 * It reads only the JSON cdktf writes; references between resources are terraform interpolations
 * (`"${aws_security_group.lb_sg_ADA6ADBE.id}"`), resolved here to resource addresses. Anything
 * unexpected is skipped with a note rather than failing the run: a diagram is a courtesy.
 */

/** A terraform resource address, `type.name`. */
export type Address = string;

/** An `aws_lb`. */
export interface LoadBalancerFact {
  readonly address: Address;
  /** Its physical name, e.g. `seedstack-pr-12-alb`. */
  readonly label: string;
  /** The security groups it is in. */
  readonly securityGroups: readonly Address[];
}

/** An `aws_lb_listener` and its default action. */
export interface ListenerFact {
  readonly address: Address;
  readonly port: number;
  /** `HTTP` or `HTTPS`. */
  readonly protocol: string;
  /** The load balancer it listens on. */
  readonly loadBalancer?: Address;
  /** Target group the default action forwards to. */
  readonly forwardsTo?: Address;
  /** Port the default action redirects to. */
  readonly redirectsTo?: string;
}

/** An `aws_lb_target_group`. */
export interface TargetGroupFact {
  readonly address: Address;
  readonly label: string;
  /** The port targets receive traffic on. */
  readonly port?: number;
  /** The health check's path, e.g. `/status`. */
  readonly healthPath?: string;
}

/** An `aws_instance`, with the target groups it is attached to. */
export interface InstanceFact {
  readonly address: Address;
  readonly label: string;
  /** EC2 instance type, e.g. `t3.micro`. */
  readonly instanceType: string;
  readonly securityGroups: readonly Address[];
  readonly targetGroups: readonly Address[];
}

/** An `aws_autoscaling_group`; instance type and security groups come from its launch template. */
export interface AutoScalingGroupFact extends InstanceFact {
  /** Desired capacity (the minimum when unset). */
  readonly desired: number;
  readonly min: number;
  readonly max: number;
}

/** An `aws_db_instance`. */
export interface DatabaseFact {
  readonly address: Address;
  readonly label: string;
  /** e.g. `postgres`. */
  readonly engine: string;
  /** e.g. `db.t4g.micro`. */
  readonly instanceClass: string;
  readonly storageGb: number;
  readonly multiAz: boolean;
  readonly securityGroups: readonly Address[];
}

/** An `aws_vpc_endpoint`: interface endpoints cost per availability zone (one per subnet). */
export interface VpcEndpointFact {
  readonly address: Address;
  /** `Interface` or `Gateway`. */
  readonly type: string;
  readonly subnetCount: number;
}

/** An ingress rule: `from` (a group, or a CIDR) may reach `to` on `port` (`8080`, `1024-2048`, `all`). */
export interface SecurityGroupEdge {
  readonly from: Address | { readonly cidr: string };
  readonly to: Address;
  readonly port: string;
}

/** What the diagram and the cost estimate are drawn from. */
export interface StackFacts {
  readonly loadBalancers: readonly LoadBalancerFact[];
  readonly listeners: readonly ListenerFact[];
  readonly targetGroups: readonly TargetGroupFact[];
  readonly instances: readonly InstanceFact[];
  readonly autoScalingGroups: readonly AutoScalingGroupFact[];
  readonly databases: readonly DatabaseFact[];
  readonly vpcEndpoints: readonly VpcEndpointFact[];
  readonly securityGroupEdges: readonly SecurityGroupEdge[];
  /** Resource labels by security group address, for edge labels. */
  readonly securityGroupNames: Readonly<Record<Address, string>>;
  /** The AWS provider's region (`provider.aws[0].region`), when the stack names one. */
  readonly region?: string;
}

type Json = Record<string, unknown>;

function obj(v: unknown): Json | undefined {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
}
function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}
function num(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "string" && /^\d+$/.test(v)) return Number(v);
  return undefined;
}
function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined ? [] : [v];
}

const REFERENCE = /^\$\{([a-z][a-z0-9_]*)\.([A-Za-z0-9_-]+)(?:\.[a-z_]+)?\}$/;

/** The address a `"${type.name.attr}"` interpolation points at, or undefined for anything else. */
export function referencedAddress(value: unknown): Address | undefined {
  const m = typeof value === "string" ? REFERENCE.exec(value) : null;
  return m ? `${m[1]}.${m[2]}` : undefined;
}

function refs(v: unknown): Address[] {
  return list(v).map(referencedAddress).filter((a): a is Address => a !== undefined);
}

/**
 * What to call a resource in the diagram: its physical name (`seedstack-classic-alb`), else its
 * Name tag, else the construct path cdktf records, without the stack (`web/server-0`).
 */
function labelOf(address: Address, body: Json): string {
  const name = str(body.name) ?? str(obj(body.tags)?.Name);
  if (name !== undefined && !name.includes("${")) return name;
  const path = str(obj(obj(body["//"])?.metadata)?.path);
  if (path !== undefined) return path.split("/").slice(1).join("/") || path;
  return address;
}

/** Reads the facts out of a parsed cdk.tf.json. Throws only when `stack` is not a terraform JSON object. */
export function stackFacts(stack: unknown): StackFacts {
  const root = obj(stack);
  if (root === undefined) throw new Error("the synthesized stack is not a JSON object");
  const resources = obj(root.resource) ?? {};
  const ofType = (type: string): [Address, Json][] =>
    Object.entries(obj(resources[type]) ?? {}).flatMap(([name, body]) => (obj(body) ? [[`${type}.${name}`, obj(body)!] as [Address, Json]] : []));
  const bodyOf = (address: Address | undefined): Json | undefined => {
    if (address === undefined) return undefined;
    const [type, name] = address.split(".", 2) as [string, string];
    return obj(obj(resources[type])?.[name]);
  };

  const loadBalancers = ofType("aws_lb").map(([address, b]) => ({ address, label: labelOf(address, b), securityGroups: refs(b.security_groups) }));
  const listeners = ofType("aws_lb_listener").map(([address, b]): ListenerFact => {
    const action = obj(list(b.default_action)[0]);
    const forwardsTo = referencedAddress(action?.target_group_arn);
    const redirectsTo = str(obj(list(action?.redirect)[0])?.port);
    const loadBalancer = referencedAddress(b.load_balancer_arn);
    return {
      address,
      port: num(b.port) ?? 0,
      protocol: str(b.protocol) ?? "HTTP",
      ...(loadBalancer ? { loadBalancer } : {}),
      ...(forwardsTo ? { forwardsTo } : {}),
      ...(redirectsTo ? { redirectsTo } : {}),
    };
  });
  const targetGroups = ofType("aws_lb_target_group").map(([address, b]): TargetGroupFact => {
    const port = num(b.port);
    const healthPath = str(obj(list(b.health_check)[0])?.path);
    return { address, label: labelOf(address, b), ...(port !== undefined ? { port } : {}), ...(healthPath ? { healthPath } : {}) };
  });

  const attachments = ofType("aws_lb_target_group_attachment");
  const instances = ofType("aws_instance").map(([address, b]): InstanceFact => ({
    address,
    label: labelOf(address, b),
    instanceType: str(b.instance_type) ?? "unknown",
    securityGroups: refs(b.vpc_security_group_ids),
    targetGroups: attachments.filter(([, a]) => referencedAddress(a.target_id) === address).map(([, a]) => referencedAddress(a.target_group_arn)).filter((t): t is Address => t !== undefined),
  }));

  const asgAttachments = ofType("aws_autoscaling_attachment");
  const autoScalingGroups = ofType("aws_autoscaling_group").map(([address, b]): AutoScalingGroupFact => {
    const template = bodyOf(referencedAddress(obj(list(b.launch_template)[0])?.id));
    const templateGroups = [...refs(template?.vpc_security_group_ids), ...list(template?.network_interfaces).flatMap((n) => refs(obj(n)?.security_groups))];
    const attachedGroups = asgAttachments.filter(([, a]) => referencedAddress(a.autoscaling_group_name) === address).map(([, a]) => referencedAddress(a.lb_target_group_arn));
    const min = num(b.min_size) ?? 0;
    return {
      address,
      label: labelOf(address, b),
      instanceType: str(template?.instance_type) ?? "unknown",
      securityGroups: templateGroups,
      targetGroups: [...refs(b.target_group_arns), ...attachedGroups].filter((t): t is Address => t !== undefined),
      desired: num(b.desired_capacity) ?? min,
      min,
      max: num(b.max_size) ?? min,
    };
  });

  const databases = ofType("aws_db_instance").map(([address, b]): DatabaseFact => ({
    address,
    label: labelOf(address, b),
    engine: str(b.engine) ?? "database",
    instanceClass: str(b.instance_class) ?? "unknown",
    storageGb: num(b.allocated_storage) ?? 0,
    multiAz: b.multi_az === true,
    securityGroups: refs(b.vpc_security_group_ids),
  }));

  const vpcEndpoints = ofType("aws_vpc_endpoint").map(([address, b]) => ({ address, type: str(b.vpc_endpoint_type) ?? "Gateway", subnetCount: list(b.subnet_ids).length }));

  const securityGroupNames: Record<Address, string> = {};
  for (const [address, b] of ofType("aws_security_group")) securityGroupNames[address] = labelOf(address, b);

  const securityGroupEdges: SecurityGroupEdge[] = [];
  for (const [, b] of ofType("aws_vpc_security_group_ingress_rule")) {
    const to = referencedAddress(b.security_group_id);
    if (to === undefined) continue;
    const fromPort = num(b.from_port);
    const toPort = num(b.to_port);
    const port = fromPort === undefined ? "all" : fromPort === toPort || toPort === undefined ? String(fromPort) : `${fromPort}-${toPort}`;
    const group = referencedAddress(b.referenced_security_group_id);
    const cidr = str(b.cidr_ipv4) ?? str(b.cidr_ipv6);
    if (group !== undefined) securityGroupEdges.push({ from: group, to, port });
    else if (cidr !== undefined) securityGroupEdges.push({ from: { cidr }, to, port });
  }

  const region = str(obj(list(obj(root.provider)?.aws)[0])?.region);
  return { loadBalancers, listeners, targetGroups, instances, autoScalingGroups, databases, vpcEndpoints, securityGroupEdges, securityGroupNames, ...(region ? { region } : {}) };
}
