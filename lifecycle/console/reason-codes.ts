/**
 * A target's health as the target group's Targets tab shows it: the state, and the reason code and
 * description in AWS's own words (Elastic Load Balancing's TargetHealth.Reason and .Description),
 * derived from the local load balancer's last probe.
 */
import type { TargetView } from "../local/alb/load-balancer.js";

/** AWS's reason, when the state has one. */
export interface TargetReason {
  readonly code: string;
  readonly description: string;
}

/** The reason code and description of a target in the Targets tab (healthy targets have none). */
export function targetReason(t: Pick<TargetView, "state" | "lastProbe">): TargetReason | undefined {
  switch (t.state) {
    case "healthy":
      return undefined;
    case "initial":
      return { code: "Elb.InitialHealthChecking", description: "Initial health checks in progress" };
    case "draining":
      return { code: "Target.DeregistrationInProgress", description: "Target deregistration is in progress" };
    case "unhealthy": {
      const p = t.lastProbe;
      if (p && !p.ok && p.kind === "timeout") return { code: "Target.Timeout", description: "Request timed out" };
      if (p && !p.ok && p.kind === "status") return { code: "Target.ResponseCodeMismatch", description: `Health checks failed with these codes: [${p.status}]` };
      return { code: "Target.FailedHealthChecks", description: "Health checks failed" };
    }
  }
}

/** A target that is registered nowhere any more (scaled in, terminated): the Targets tab's `unused`. */
export const NOT_REGISTERED: TargetReason = { code: "Target.NotRegistered", description: "Target is not registered to the target group" };
