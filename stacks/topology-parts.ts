/**
 * The seam between a stack and its topology: what a topology (classic.ts, autoscaled.ts) builds
 * into a stack, and what it needs of the load balancer. A file of its own so the topologies and
 * the stack that picks one import it, not each other.
 */
import type { TerraformStack } from "cdktf";
import type { LoadBalancerProps } from "../modules/load-balancer.js";
import type { ILoadBalancerTarget } from "../modules/contracts.js";
import type { WebServersProps } from "../modules/web-servers-base.js";
import type { SeedstackConfig } from "./config.js";

/** What a topology adds to a stack: its servers, and what it needs of the load balancer. */
export interface TopologyParts {
  /** The servers the load balancer sends traffic to. */
  readonly servers: ILoadBalancerTarget;
  /** Load balancer options the topology needs (e.g. stickiness). */
  readonly loadBalancer: Pick<LoadBalancerProps, "stickiness">;
}

/**
 * Builds a topology's servers (and its own outputs) in `stack`, from the props every topology
 * shares and the settings only some read (the autoscaled one's CPU target).
 */
export type ServersFactory = (stack: TerraformStack, props: WebServersProps, config: Pick<SeedstackConfig, "targetCpu">) => TopologyParts;
