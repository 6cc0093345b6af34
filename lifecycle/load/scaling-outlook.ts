/**
 * Before a load starts: can it make the Auto Scaling group scale out at all? Said up front, in
 * plain words, so that a load never runs silently against a group that cannot scale:
 * - a CPU target a single-threaded seed server cannot exceed (one busy thread on a t3.micro's
 *   2 vCPUs reads at most 50%, and the high alarm needs more than the target);
 * - a target far above what a load reaches locally, where the load balancer in seedstack's own
 *   process is the bottleneck long before the seed server is busy;
 * - a load that ends before the first instance's warm-up and the high alarm's datapoints are over.
 * Each names what to change: the stack's SEEDSTACK_TARGET_CPU setting (the target lives in the
 * synthesized stack, which the local engine reads), --duration or --speedup.
 */
import type { GroupView } from "../local/scaling-group.js";

/**
 * The target recommended for the local engine: loads measured on a 2-core machine drive the one
 * seed server to 6-22% when the machine is otherwise idle, but to 1-2% when other work shares it;
 * an idle server (health checks only) reads under 0.5% even at --speedup 30, below the low alarm's
 * 0.9% (90% of 1%). docs/console.md has the measurements.
 */
export const LOCAL_TARGET_CPU = 1;

/**
 * Above this, a target is unlikely to be crossed locally: the most a load drove one seed server
 * to on this project's 2-core machines, the load balancer sharing them (docs/console.md).
 */
export const LOCAL_REACH_PERCENT = 20;

/** What the outlook reads of the group: its policy, instance type and clock. */
export type GroupOutlookInput = Pick<GroupView, "policy" | "vcpus" | "instanceType" | "warmupMs" | "periodMs" | "alarms" | "members">;

/**
 * The warnings for a load of `durationSeconds` starting at `now` against the group `g`; empty when
 * the group can scale out (or has no target tracking policy, so nothing to expect).
 */
export function scalingOutlook(g: GroupOutlookInput, durationSeconds: number, now: number, attached = false): string[] {
  const p = g.policy;
  if (!p || g.members.length === 0) return [];
  const warnings: string[] = [];
  // Attached to a running `up`, the stack is synthesized already: its target changes with a new `up`, or a load of its own.
  const shortcut = attached ? `, or \`load --own --target-cpu ${LOCAL_TARGET_CPU}\` for an environment of its own` : ` (or \`load --target-cpu ${LOCAL_TARGET_CPU}\`)`;
  const fix = `To watch the group scale on this machine, synthesize the stack with a target it can reach: SEEDSTACK_TARGET_CPU=${LOCAL_TARGET_CPU}${shortcut}; docs/console.md says why.`;
  const oneThread = 100 / g.vcpus;
  if (p.targetValue >= oneThread) {
    warnings.push(
      `the target of ${p.targetValue}% CPU is out of reach: the seed server is a single-threaded Node.js process, and one busy thread on a ${g.instanceType}'s ${g.vcpus} vCPUs reads at most ${fmt(oneThread)}%, while the high alarm needs more than ${p.targetValue}%. The group will not scale out under this load. ${fix}`,
    );
  } else if (p.targetValue > LOCAL_REACH_PERCENT) {
    warnings.push(
      `the target of ${p.targetValue}% CPU is probably out of reach locally: the load balancer runs in seedstack's own process and is the bottleneck long before the seed server is busy (loads measured on 2 cores drive it to at most about ${LOCAL_REACH_PERCENT}%). ${fix}`,
    );
  }
  // The metric has no datapoint until an instance is past its warm-up; then the high alarm needs its datapoints.
  const warmupLeftMs = Math.max(0, Math.min(...g.members.map((m) => m.launchedAt + g.warmupMs)) - now);
  const earliestMs = warmupLeftMs + g.alarms.highDatapoints * g.periodMs;
  if (durationSeconds * 1000 < earliestMs) {
    warnings.push(
      `this load ends before the group can scale out: an instance's CPU counts toward the metric only after its warm-up (${fmt(warmupLeftMs / 1000)} s left), and the high alarm then needs ${g.alarms.highDatapoints} datapoints of ${fmt(g.periodMs / 1000)} s (60 s / --speedup), ${fmt(earliestMs / 1000)} s in all. Give --duration ${Math.ceil(earliestMs / 1000) + Math.ceil((2 * g.periodMs) / 1000)} or more, or a faster clock (--speedup).`,
    );
  }
  return warnings;
}

/** A number of seconds or percent without noise: 50, 2.5, 0.33. */
const fmt = (n: number): string => String(Number(n.toFixed(n < 10 ? 2 : 1)));
