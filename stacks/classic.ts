/**
 * The classic topology (the course's): two web servers, each in its own availability zone, behind
 * the load balancer. With a database they share one seed; without, each keeps its own in memory.
 */
import { Fn, TerraformOutput } from "cdktf";
import { WebServerPair } from "../modules/web-server-pair.js";
import type { ServersFactory } from "./topology-parts.js";

/** Construct ID of the servers in a classic stack (stable: changing it replaces the instances). */
export const CLASSIC_SERVERS_ID = "web";

/** Two EC2 instances (WebServerPair); output `instance_ids`. */
export const classicServers: ServersFactory = (stack, props) => {
  const pair = new WebServerPair(stack, CLASSIC_SERVERS_ID, props);
  new TerraformOutput(stack, "instance_ids", {
    value: Fn.tolist(pair.instances.map((instance) => instance.id)),
    description: "IDs of the web server instances",
  });
  return { servers: pair, loadBalancer: {} };
};
