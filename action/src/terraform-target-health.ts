/**
 * Before the smoke test on engine terraform: wait until the load balancer's target group reports
 * its targets healthy, as `seedstack run --engine terraform` does (lifecycle/terraform's
 * TargetHealthWatcher over the AWS SDK's ELBv2 DescribeTargetHealth, credentials from the usual
 * chain). A fresh apply registers instances that are still booting; smoke-testing before they are
 * healthy would fail a good environment.
 *
 * Only stacks that output `target_group_arn` (every seedstack stack does) are waited for; for
 * others (the terraform_data fixtures of the tests) the wait is skipped and said so.
 */
import type { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { RunContext } from "../../lifecycle/events.js";
import { regionOfStack } from "../../lifecycle/terraform/terraform-engine.js";
import type { Outputs } from "../../lifecycle/terraform/json.js";

/** How long a fresh environment may take to turn healthy: a cold boot is budgeted at about 5 min. */
export const TARGETS_HEALTHY_DEADLINE_MS = 10 * 60_000;
const POLL_MS = 10_000;

/** What the wait found: healthy, skipped (and why), or the failure in plain words. */
export type TargetWait = { readonly status: "healthy" } | { readonly status: "skipped"; readonly why: string } | { readonly status: "failed"; readonly message: string };

/** Options of waitForTargets; the client and timings are for tests. */
export interface TargetWaitOptions {
  readonly expectedTargets: number;
  readonly stackJson: unknown;
  readonly ctx: RunContext;
  /** @default a client for the stack's region, closed afterwards */
  readonly client?: ElasticLoadBalancingV2Client;
  /** @default 10 minutes */
  readonly deadlineMs?: number;
  /** @default 10 s */
  readonly pollMs?: number;
}

/** Wait for `expectedTargets` healthy targets in the `target_group_arn` output's group. */
export async function waitForTargets(outputs: Outputs, options: TargetWaitOptions): Promise<TargetWait> {
  const arn = outputs.target_group_arn?.value;
  if (typeof arn !== "string" || arn === "") return { status: "skipped", why: "the stack has no target_group_arn output to wait on" };
  const [{ ElasticLoadBalancingV2Client }, { TargetHealthWatcher }] = await Promise.all([
    import("@aws-sdk/client-elastic-load-balancing-v2"),
    import("../../lifecycle/terraform/target-health.js"),
  ]);
  const region = regionOfStack(options.stackJson);
  const client = options.client ?? new ElasticLoadBalancingV2Client(region ? { region } : {});
  try {
    const watcher = new TargetHealthWatcher(client, arn, options.pollMs ?? POLL_MS);
    await watcher.waitHealthy(options.expectedTargets, options.deadlineMs ?? TARGETS_HEALTHY_DEADLINE_MS, options.ctx);
    return { status: "healthy" };
  } catch (error) {
    return { status: "failed", message: (error as Error).message };
  } finally {
    if (options.client === undefined) client.destroy();
  }
}
