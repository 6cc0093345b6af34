/**
 * What the local engine cannot run, refused before anything starts (ERR_STACK_UNSUPPORTED, each
 * thing named): it emulates one application load balancer with one target group, one server group
 * behind it, one PostgreSQL database, lb_cookie stickiness and one target tracking policy on
 * average CPU. The terraform engine deploys all of these; the stack reader describes them all.
 */
import { LifecycleError } from "../errors.js";
import type { Stack } from "../stack/stack.js";

/** Throws ERR_STACK_UNSUPPORTED naming the first thing in `stack` the local engine cannot run. */
export function checkLocalStack(stack: Stack): void {
  const refuse = (message: string): never => {
    throw new LifecycleError("ERR_STACK_UNSUPPORTED", message);
  };
  const counts: string[] = [];
  if (stack.loadBalancers.length > 1) counts.push(`${stack.loadBalancers.length} load balancers (the local engine runs one)`);
  if (stack.targetGroups.length > 1) counts.push(`${stack.targetGroups.length} target groups (the local engine runs one)`);
  if (counts.length > 0) refuse(`stack "${stack.name}" (${stack.file}) has ${counts.join("; ")}`);

  const lb = stack.loadBalancer;
  if ((lb.type ?? "application") !== "application") refuse(`stack "${stack.name}": ${lb.address} is a ${lb.type} load balancer; the local engine runs application load balancers`);
  const tg = stack.targetGroup;
  if (tg.protocol !== "HTTP") refuse(`${tg.address} speaks ${tg.protocol}; the local engine runs HTTP target groups`);
  for (const l of lb.listeners) if (l.protocol !== "HTTP" && l.protocol !== "HTTPS") refuse(`${l.address} speaks ${l.protocol}; the local engine runs HTTP and HTTPS listeners`);
  if (tg.healthCheck.protocol === "TCP") refuse(`${tg.address}'s health check speaks TCP; the local engine checks over HTTP`);
  if (tg.stickiness?.type !== undefined && tg.stickiness.type !== "lb_cookie") refuse(`${tg.address}.stickiness.type is ${tg.stickiness.type}; the local engine runs lb_cookie stickiness`);

  const groups = stack.serverGroups.filter((g) => g.targetGroup === tg.address);
  if (groups.length > 1) refuse(`${groups.length} ${groups.every((g) => g.kind === "auto-scaling") ? "Auto Scaling groups" : "server groups (Auto Scaling groups, attached instances)"} serve ${tg.address}; the local engine runs one`);
  const servers = stack.servers;
  if (servers.kind === "auto-scaling") {
    const policies = servers.scalingPolicies ?? [];
    if (policies.length > 1) refuse(`${policies.length} target tracking policies on ${servers.address}; the local engine models one`);
    const policy = policies[0];
    if (policy?.metric === "customized") refuse(`${policy.address} tracks a customized metric; the local engine models ASGAverageCPUUtilization`);
    if (policy && policy.metric !== "ASGAverageCPUUtilization") refuse(`${policy.address} tracks ${policy.metric}; the local engine models ASGAverageCPUUtilization`);
  }

  if (stack.databases.length > 1) refuse(`${stack.databases.length} databases; the local engine runs one`);
  const db = stack.database;
  if (db && db.engine !== "postgres") refuse(`${db.address} runs ${db.engine}; the local engine runs PostgreSQL`);
}
