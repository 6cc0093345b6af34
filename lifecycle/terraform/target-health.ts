/**
 * The target group's health as AWS reports it (ELBv2 DescribeTargetHealth), for the lifecycle's
 * wait-healthy phase and the drill's view of the targets. Credentials come from the AWS SDK's
 * default chain (environment, profile, SSO, instance role); the client is passed in, so tests use
 * a mock of it (aws-sdk-client-mock).
 */
import { DescribeTargetHealthCommand, type ElasticLoadBalancingV2Client, type TargetHealthDescription } from "@aws-sdk/client-elastic-load-balancing-v2";
import { LifecycleError, throwIfCancelled } from "../errors.js";
import type { Diagnosis, DiagnosisKind, RunContext, TargetState } from "../events.js";

/** One registered target as AWS reports it. */
export interface ReportedTarget {
  readonly id: string;
  /** AWS's state mapped to the lifecycle's words: unused/unavailable count as unhealthy. */
  readonly state: TargetState;
  /** AWS's own state, reason code and description (`unhealthy`, `Target.ResponseCodeMismatch`, ...). */
  readonly awsState: string;
  readonly reason?: string;
  readonly description?: string;
}

/** AWS's target states in the lifecycle's words. */
export function targetStateOf(awsState: string | undefined): TargetState {
  switch (awsState) {
    case "healthy":
      return "healthy";
    case "initial":
      return "initial";
    case "draining":
      return "draining";
    default:
      // unhealthy, unused (a stopped instance: Target.InvalidState), unavailable, unhealthy.draining
      return "unhealthy";
  }
}

function reported(d: TargetHealthDescription): ReportedTarget {
  const h = d.TargetHealth;
  return {
    id: d.Target?.Id ?? "(no id)",
    state: targetStateOf(h?.State),
    awsState: h?.State ?? "unknown",
    ...(h?.Reason ? { reason: h.Reason } : {}),
    ...(h?.Description ? { description: h.Description } : {}),
  };
}

const KIND_OF_REASON: Readonly<Record<string, DiagnosisKind>> = {
  "Target.ResponseCodeMismatch": "status-mismatch",
  "Target.Timeout": "timeout",
  "Target.FailedHealthChecks": "timeout",
  "Target.InvalidState": "process-exited",
};

/** Plain words for a target that is not healthy, from AWS's reason code and description. */
export function diagnoseReported(t: ReportedTarget): Diagnosis | undefined {
  if (t.state === "healthy" || t.state === "draining") return undefined;
  const kind = KIND_OF_REASON[t.reason ?? ""] ?? "timeout";
  return { target: t.id, kind, message: `${t.id}: ${t.awsState}${t.reason ? ` (${t.reason})` : ""}${t.description ? `: ${t.description}` : ""}` };
}

/** Reads and remembers the target group's health. */
export class TargetHealthWatcher {
  private last: ReportedTarget[] = [];
  private inFlight: Promise<ReportedTarget[]> | undefined;
  private lastReadAt = 0;

  constructor(
    private readonly client: ElasticLoadBalancingV2Client,
    private readonly targetGroupArn: string,
    /** Minimum time between reads for `cached()`. */
    private readonly pollMs: number,
  ) {}

  /** Ask AWS now (one call in flight at a time). */
  read(): Promise<ReportedTarget[]> {
    this.inFlight ??= this.client
      .send(new DescribeTargetHealthCommand({ TargetGroupArn: this.targetGroupArn }))
      .then((out) => {
        this.last = (out.TargetHealthDescriptions ?? []).map(reported);
        this.lastReadAt = Date.now();
        return this.last;
      })
      .finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  /** The last answer, synchronously; starts a new read in the background when it is older than `pollMs`. */
  cached(): ReportedTarget[] {
    if (Date.now() - this.lastReadAt >= this.pollMs && !this.inFlight) this.read().catch(() => undefined); // the next call retries
    return this.last;
  }

  /** Plain-words reasons for each target that is not healthy, from the last answer. */
  diagnose(): Diagnosis[] {
    return this.last.flatMap((t) => diagnoseReported(t) ?? []);
  }

  /**
   * Resolve once `expected` targets are healthy; throw ERR_TARGETS_UNHEALTHY naming each target's
   * state and AWS's reason at the deadline. Reports every change of a target's state.
   */
  async waitHealthy(expected: number, deadlineMs: number, ctx: RunContext): Promise<void> {
    const started = Date.now();
    const deadline = started + deadlineMs;
    const seen = new Map<string, TargetState>();
    let lastError: string | undefined;
    for (;;) {
      throwIfCancelled(ctx.signal);
      try {
        const targets = (await this.read()).filter((t) => t.state !== "draining");
        lastError = undefined;
        for (const t of targets) {
          const before = seen.get(t.id) ?? "initial";
          if (before !== t.state) {
            ctx.onEvent({ type: "target-health", instance: t.id, from: before, to: t.state, ...(t.reason ? { reason: t.reason } : {}), atMs: Date.now() - started });
          }
          seen.set(t.id, t.state);
        }
        const healthy = targets.filter((t) => t.state === "healthy").length;
        if (healthy >= expected) return;
        ctx.onEvent({ type: "progress", phase: "wait-healthy", message: `${healthy} of ${expected} targets healthy (${targets.map((t) => `${t.id}: ${t.awsState}`).join(", ") || "none registered yet"})` });
      } catch (error) {
        if (error instanceof LifecycleError) throw error;
        // Throttling or a network blip: report and ask again; a lasting error ends at the deadline.
        lastError = `DescribeTargetHealth: ${(error as Error).name}: ${(error as Error).message}`;
        ctx.onEvent({ type: "progress", phase: "wait-healthy", message: lastError });
      }
      if (Date.now() + this.pollMs > deadline) {
        const diagnoses = this.diagnose();
        for (const diagnosis of diagnoses) ctx.onEvent({ type: "diagnosis", diagnosis });
        const healthy = this.last.filter((t) => t.state === "healthy").length;
        throw new LifecycleError(
          "ERR_TARGETS_UNHEALTHY",
          `${healthy} of ${expected} targets healthy in target group ${this.targetGroupArn} after ${Math.round((Date.now() - started) / 1000)} s${lastError ? ` (last error: ${lastError})` : ""}${diagnoses.length ? `:\n${diagnoses.map((d) => `  - ${d.message}`).join("\n")}` : ""}`,
        );
      }
      await sleep(this.pollMs, ctx.signal);
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
