/**
 * The environment's cost per hour on paper, a view over the lifecycle's typed `Stack`: its
 * resources priced from a small us-east-1 table (see prices-us-east-1.ts for what is and is not counted).
 */
import type { Stack } from "../../../lifecycle/index.js";
import * as P from "./prices-us-east-1.js";

/** One priced line. */
export interface CostLine {
  readonly item: string;
  readonly quantity: number;
  /** USD per hour for all `quantity` of them. */
  readonly hourly: number;
  /** The quantity is a lower bound (e.g. subnets known only when planned). @default false */
  readonly atLeast?: boolean;
}

/** The estimate: priced lines, their sum, and what the table has no price for. */
export interface CostEstimate {
  readonly lines: readonly CostLine[];
  readonly totalHourly: number;
  /** Resources left out of the total because the table has no price, e.g. `EC2 c7i.large`. */
  readonly unpriced: readonly string[];
  /** Some line's quantity is a lower bound, so the total is one too. @default false */
  readonly atLeast?: boolean;
}

/** AWS requires an Application Load Balancer in at least two subnets (zones); the stacks use two. */
const MIN_ALB_SUBNETS = 2;

/** Root volume size the modules give web servers when the stack does not say (modules/user-data). */
const ROOT_VOLUME_GB = 8;

/** Prices one stack. */
export function estimateCost(stack: Stack): CostEstimate {
  const lines: CostLine[] = [];
  const unpriced: string[] = [];
  const add: AddLine = (item, quantity, unit, what, atLeast = false) => {
    if (quantity <= 0) return;
    if (unit === undefined) unpriced.push(what);
    else lines.push({ item, quantity, hourly: unit * quantity, ...(atLeast ? { atLeast } : {}) });
  };

  const albs = stack.loadBalancers.filter((lb) => (lb.type ?? "application") === "application").length;
  add("Application Load Balancer", albs, P.ALB_HOURLY, "ALB");
  add("Network or gateway load balancer", stack.loadBalancers.length - albs, undefined, "network/gateway load balancer");
  addPublicIpv4(stack, add);

  const instancesByType = new Map<string, number>();
  // Every instance of the stack once, whether a target group has it or not: each is billed.
  const count = (type: string, n: number) => instancesByType.set(type, (instancesByType.get(type) ?? 0) + n);
  for (const i of stack.instances) count(i.instanceType, 1);
  for (const a of stack.autoScalingGroups) count(a.instanceType, a.desired);
  let servers = 0;
  for (const [type, count] of instancesByType) {
    add(`EC2 ${type}`, count, P.EC2_HOURLY[type], `EC2 ${type}`);
    servers += count;
  }
  add(`EBS gp3 root volumes (${ROOT_VOLUME_GB} GB)`, servers, (ROOT_VOLUME_GB * P.EBS_GP3_GB_MONTH) / P.HOURS_PER_MONTH, "EBS");

  for (const d of stack.databases) {
    const [instanceClass, storageGb] = [d.instanceClass ?? "unknown", d.storageGb ?? 0];
    const unit = P.RDS_HOURLY[instanceClass];
    add(`RDS ${instanceClass}${d.multiAz ? " Multi-AZ" : ""}`, 1, unit === undefined ? undefined : unit * (d.multiAz ? 2 : 1), `RDS ${instanceClass}`);
    add(`RDS storage (${storageGb} GB)`, 1, (storageGb * P.RDS_STORAGE_GB_MONTH) / P.HOURS_PER_MONTH, "RDS storage");
    // The modules let RDS manage the master password in Secrets Manager.
    add("Secrets Manager secret (database password)", 1, P.SECRET_MONTH / P.HOURS_PER_MONTH, "secret");
  }

  const interfaceAzs = stack.vpcEndpoints.filter((e) => e.type === "Interface").reduce((sum, e) => sum + Math.max(1, e.subnetCount), 0);
  add("Interface VPC endpoints (per AZ)", interfaceAzs, P.INTERFACE_ENDPOINT_HOURLY, "VPC endpoint");

  const totalHourly = lines.reduce((sum, l) => sum + l.hourly, 0);
  return { lines, totalHourly, unpriced, ...(lines.some((l) => l.atLeast) ? { atLeast: true } : {}) };
}

/** Adds one line: `unit` USD per hour each, or named in `unpriced` (as `what`) when the table has no price. */
type AddLine = (item: string, quantity: number, unit: number | undefined, what: string, atLeast?: boolean) => void;

/**
 * An Application Load Balancer has one public IPv4 address per subnet (availability zone). When
 * its subnets are an expression (a data source's list) the count is known only when planned: an
 * ALB needs at least two zones, the stacks' default, so two are counted and the line says "at least".
 */
function addPublicIpv4(stack: Stack, add: AddLine): void {
  const albs = stack.loadBalancers.filter((lb) => (lb.type ?? "application") === "application");
  const unknown = albs.filter((lb) => lb.subnetCount === "unknown");
  const known = albs.reduce((sum, lb) => sum + (lb.subnetCount === "unknown" ? 0 : lb.subnetCount), 0);
  const quantity = known + unknown.length * MIN_ALB_SUBNETS;
  const note = unknown.length === 0 ? "" : ` (one per subnet; ${unknown.map((lb) => lb.name).join(", ")}: subnets known only when planned, counted as ${MIN_ALB_SUBNETS})`;
  add(`ALB public IPv4 addresses${note}`, quantity, P.PUBLIC_IPV4_HOURLY, "ALB IPv4", unknown.length > 0);
}

/** USD with enough digits for sub-cent hourly prices: `$0.0104`. */
export function usd(amount: number): string {
  return `$${amount.toFixed(amount < 1 ? 4 : 2)}`;
}
