/**
 * The Auto Scaling topology: a launch template and an Auto Scaling group (min 1, max 2, desired 1)
 * that keeps average CPU at SEEDSTACK_TARGET_CPU (default 50%), behind the load balancer with sticky sessions, so a client keeps
 * talking to the server that holds its seed when the group has scaled out.
 */
import { TerraformOutput } from "cdktf";
import { AutoScaledWebServers } from "../modules/auto-scaled-web-servers.js";
import type { ServersFactory } from "./topology-parts.js";

/** Construct ID of the servers in an autoscaled stack (stable: changing it replaces the group). */
export const AUTOSCALED_SERVERS_ID = "web";

/** Sizes of the group; its CPU target is the `targetCpu` setting (SEEDSTACK_TARGET_CPU, default 50%). */
export const AUTOSCALED_CAPACITY = { minSize: 1, maxSize: 2, desiredCapacity: 1 } as const;

/** How long the load balancer's cookie keeps a client on one server: one day (the ALB's own default). */
export const STICKINESS_SECONDS = 86_400;

/** An Auto Scaling group of seed servers (AutoScaledWebServers); output `asg_name`. */
export const autoscaledServers: ServersFactory = (stack, props, config) => {
  const servers = new AutoScaledWebServers(stack, AUTOSCALED_SERVERS_ID, { ...props, ...AUTOSCALED_CAPACITY, targetCpuUtilization: config.targetCpu });
  new TerraformOutput(stack, "asg_name", {
    value: servers.autoScalingGroup.name,
    description: "Name of the Auto Scaling group",
  });
  return { servers, loadBalancer: { stickiness: { duration: STICKINESS_SECONDS } } };
};
