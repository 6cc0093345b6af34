/**
 * The state-bucket sweep's report (lifecycle/terraform/state-bucket-sweep.ts) as the Action's
 * SweepResult: one row per pull-request state with destroyed / kept / failed and the reason (a
 * state locked by a holder seen running is kept, not failed), and
 * the lines for the job summary below the table (questions GitHub did not answer, locks cleared,
 * hand-overs, the orphan report). Pure, so it is tested without S3 or terraform.
 */
import type { StateBucketSweepReport } from "../../lifecycle/index.js";
import type { SweepResult, SweptEnvironment } from "./lifecycle-port.js";

/** `report` as a SweepResult; `environmentName` names a stack as the Action does; `orphanLines` go into the notes. */
export function sweepResultOf(report: StateBucketSweepReport, environmentName: (stack: string) => string, orphanLines: readonly string[]): SweepResult {
  const swept: SweptEnvironment[] = report.decisions.map((d) => {
    const done = report.destroyed.find((x) => x.name === d.state.stackName);
    const expiresAt = d.expiresAt.toISOString();
    if (!d.destroy || !done) return { environment: environmentName(d.state.stackName), expiresAt, action: "kept", message: d.why };
    if (done.result.ok) return { environment: environmentName(d.state.stackName), expiresAt, action: "destroyed", message: d.why };
    // Locked by a holder seen running (a close run destroying it right now, a deploy): left alone
    // and reported, not a failure of the sweep; the next sweep looks again. A holder nothing can
    // tell about stays a failure (such a lock never clears itself).
    if (done.lockHolderRunning) {
      return { environment: environmentName(d.state.stackName), expiresAt, action: "kept", message: `${d.why}; ${done.result.failure.message}; the next sweep looks again` };
    }
    const kept = done.handedOver ? "; kept for the next sweep" : "; kept";
    return { environment: environmentName(d.state.stackName), expiresAt, action: "failed", message: `${d.why}; ${done.result.failure.reason}: ${done.result.failure.message}${kept}` };
  });
  const notes = [
    ...report.problems.map((p) => `problem: ${p}`),
    ...report.destroyed.flatMap((d) => (d.clearedLock ? [`cleared the lock of ${d.name}: ${d.clearedLock}`] : [])),
    ...orphanLines,
  ];
  return { swept, ...(notes.length > 0 ? { notes } : {}) };
}
