/**
 * The failover drill's handle on a real environment: "the process dies" is an EC2 StopInstances
 * of the victim (the ALB's health check then fails and the target goes unused), and recovery is
 * StartInstances (the instance keeps its ID, so its registration in the target group stays and it
 * becomes healthy again once its app answers). "The app stops answering while its process lives"
 * needs a shell on the instance, which this engine does not use: that mode is skipped.
 */
import { StartInstancesCommand, StopInstancesCommand, type EC2Client } from "@aws-sdk/client-ec2";
import type { DrillControl, FailureMode } from "../probes/failover-drill.js";
import type { TargetHealthWatcher } from "./target-health.js";

/** Drill modes the terraform engine can cause, and why the other is skipped. */
export const EC2_DRILL_MODES: readonly FailureMode[] = ["process-dies"];
export const EC2_DRILL_MODES_WHY = "stopping the app while its instance runs needs a shell on the instance (SSM), which seedstack does not use";

/** DrillControl over EC2 and the target group's reported health. */
export function ec2DrillControl(ec2: EC2Client, health: TargetHealthWatcher): DrillControl {
  const only = (mode: FailureMode) => {
    if (!EC2_DRILL_MODES.includes(mode)) throw new Error(`drill mode ${mode} is not available on the terraform engine: ${EC2_DRILL_MODES_WHY}`);
  };
  return {
    targets: () => health.cached().map((t) => ({ id: t.id, state: t.state })),
    async fail(id, mode) {
      only(mode);
      await ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    },
    async recover(id, mode) {
      only(mode);
      await ec2.send(new StartInstancesCommand({ InstanceIds: [id] }));
    },
  };
}
