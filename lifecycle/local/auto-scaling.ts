/**
 * The Auto Scaling group's health replacement: an instance whose server is down, or (with ELB
 * health checks) that the load balancer marks unhealthy, is terminated once its grace period has
 * passed (deregistered first, so in-flight requests drain) and a new one is launched, keeping the
 * desired capacity within min/max. Scaling policies (CPU target tracking) are scaling-group.ts.
 */
import type { LifecycleEvent, TargetState } from "../events.js";

/** What the group watches and does, supplied by the engine. */
export interface AutoScalingPorts {
  /** The desired capacity now (target tracking changes it). */
  desired(): number;
  readonly max: number;
  readonly healthCheckType: "EC2" | "ELB";
  readonly graceMs: number;
  readonly checkEveryMs: number;
  /** Instances in service (not terminating). */
  inService(): ReadonlyArray<{ readonly id: string; readonly launchedAt: number; readonly down: boolean }>;
  targetState(id: string): TargetState | undefined;
  /** Take the instance out of service now; deregister and stop it in the background. */
  terminate(id: string): void;
  /** Launch one more instance; resolves with its ID. */
  launch(): Promise<string>;
  onEvent(event: LifecycleEvent): void;
}

/** Start watching; returns the stopper. */
export function startAutoScaling(ports: AutoScalingPorts): () => void {
  const timer = setInterval(() => {
    for (const i of ports.inService()) {
      const unhealthy = ports.healthCheckType === "ELB" && ports.targetState(i.id) === "unhealthy";
      if (!(i.down || unhealthy) || Date.now() - i.launchedAt < ports.graceMs) continue;
      ports.onEvent({ type: "scaling", action: "terminate", instance: i.id, reason: i.down ? "the instance's server is down" : "it failed the load balancer's health checks after the grace period" });
      ports.terminate(i.id);
      const remaining = ports.inService().length;
      if (remaining < ports.desired() && remaining < ports.max) {
        void ports.launch().then(
          (id) => ports.onEvent({ type: "scaling", action: "launch", instance: id, reason: `replacing ${i.id} (desired capacity ${ports.desired()})` }),
          () => undefined,
        );
      }
    }
  }, ports.checkEveryMs);
  return () => clearInterval(timer);
}
