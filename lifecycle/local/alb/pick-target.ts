/**
 * The routing policy: round robin over healthy targets; as AWS does, over every registered target
 * when none is healthy ("fail open"); draining targets get no new requests. A sticky request goes
 * to its target while that target is routable. Whether anything is routable and which target is
 * next are separate questions (undici #4839): `routable` answers the first, `pickTarget` moves
 * the cursor.
 */
import type { TargetState } from "../../events.js";

/** What routing needs to know about a target. */
export interface RoutingTarget {
  readonly id: string;
  readonly state: TargetState;
}

/** The round-robin position, owned by the load balancer. */
export interface Cursor {
  next: number;
}

/** The targets a new request may go to: healthy ones, or every non-draining one when none is healthy. */
export function routable<T extends RoutingTarget>(targets: readonly T[]): readonly T[] {
  const registered = targets.filter((t) => t.state !== "draining");
  const healthy = registered.filter((t) => t.state === "healthy");
  return healthy.length > 0 ? healthy : registered;
}

/** The target for one request, or undefined when none is registered (the ALB answers 503). */
export function pickTarget<T extends RoutingTarget>(targets: readonly T[], cursor: Cursor, stickyId?: string): T | undefined {
  const candidates = routable(targets);
  if (candidates.length === 0) return undefined;
  if (stickyId !== undefined) {
    const sticky = candidates.find((t) => t.id === stickyId);
    if (sticky) return sticky;
  }
  const target = candidates[cursor.next % candidates.length]!;
  cursor.next = (cursor.next + 1) % 1_000_000;
  return target;
}
