/**
 * A target's health as the ALB keeps it: a pure threshold state machine. Probe results write it;
 * routing only reads it (undici's balanced-pool bug #4839 came from mixing the two).
 *
 * As AWS defines it: a newly registered target is `initial`; `healthyThreshold` consecutive
 * successes make it `healthy`; `unhealthyThreshold` consecutive failures make it `unhealthy`
 * (from `initial` too); one result of the other kind resets the count.
 */
import type { TargetState } from "../../events.js";

/** The thresholds of the target group's health check. */
export interface Thresholds {
  readonly healthyThreshold: number;
  readonly unhealthyThreshold: number;
}

/** One target's health record. */
export interface TargetHealth {
  readonly state: Exclude<TargetState, "draining">;
  readonly consecutiveSuccesses: number;
  readonly consecutiveFailures: number;
  /** Why the last probe failed (kept until a success). */
  readonly reason?: string;
}

/** A freshly registered target. */
export const INITIAL_HEALTH: TargetHealth = { state: "initial", consecutiveSuccesses: 0, consecutiveFailures: 0 };

/** The record after one probe result. */
export function recordProbe(health: TargetHealth, result: { ok: true } | { ok: false; reason: string }, t: Thresholds): TargetHealth {
  if (result.ok) {
    const successes = health.consecutiveSuccesses + 1;
    return { state: successes >= t.healthyThreshold ? "healthy" : health.state, consecutiveSuccesses: successes, consecutiveFailures: 0 };
  }
  const failures = health.consecutiveFailures + 1;
  return { state: failures >= t.unhealthyThreshold ? "unhealthy" : health.state, consecutiveSuccesses: 0, consecutiveFailures: failures, reason: result.reason };
}

/** Whether a health-check status code satisfies the matcher ("200", "200,202", "200-299"). */
export function matcherAccepts(matcher: string, status: number): boolean {
  return matcher.split(",").some((part) => {
    const [low, high] = part.split("-").map(Number);
    return high === undefined ? status === low : status >= low! && status <= high;
  });
}
