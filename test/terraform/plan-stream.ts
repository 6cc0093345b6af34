/**
 * Reading `terraform plan -json`: terraform's machine-readable UI stream, one JSON object per line
 * (https://developer.hashicorp.com/terraform/internals/machine-readable-ui). We read the planned
 * changes, the summary and the diagnostics; the human-readable plan is in each line's @message.
 */

/** One resource instance the plan would change. */
export interface PlannedChange {
  /** `aws_lb.lb_alb_3A88C95E`, or `aws_route53_record.x["seed.example.com"]` for an instance of a for_each. */
  readonly addr: string;
  /** `resource_type` from the stream. */
  readonly type: string;
  /** The resource name without an instance key. */
  readonly name: string;
  /** create, update, delete, replace, read, noop. */
  readonly action: string;
}

/** A warning or error terraform reported. */
export interface Diagnostic {
  readonly severity: "error" | "warning";
  readonly summary: string;
  readonly detail: string;
  /** The resource address, when terraform names one. */
  readonly address?: string;
}

/** What a plan stream said. */
export interface PlanStream {
  readonly changes: readonly PlannedChange[];
  /** `change_summary`: counts, or undefined when the plan never got that far. */
  readonly summary: { add: number; change: number; remove: number } | undefined;
  readonly diagnostics: readonly Diagnostic[];
  /** The summary line terraform prints ("Plan: 52 to add, 0 to change, 0 to destroy."). */
  readonly summaryMessage: string | undefined;
}

/** Parse the stream; lines that are not JSON (none expected) are ignored. */
export function parsePlanStream(stdout: string): PlanStream {
  const changes: PlannedChange[] = [];
  const diagnostics: Diagnostic[] = [];
  let summary: PlanStream["summary"];
  let summaryMessage: string | undefined;
  for (const line of stdout.split("\n")) {
    if (!line.startsWith("{")) continue;
    let message: any;
    try {
      message = JSON.parse(line);
    } catch {
      continue;
    }
    if (message.type === "planned_change") {
      const resource = message.change.resource;
      changes.push({ addr: resource.addr, type: resource.resource_type, name: resource.resource_name, action: message.change.action });
    } else if (message.type === "change_summary") {
      summary = { add: message.changes.add, change: message.changes.change, remove: message.changes.remove };
      summaryMessage = message["@message"];
    } else if (message.type === "diagnostic") {
      diagnostics.push({
        severity: message.diagnostic.severity,
        summary: message.diagnostic.summary,
        detail: message.diagnostic.detail ?? "",
        ...(message.diagnostic.address ? { address: message.diagnostic.address } : {}),
      });
    }
  }
  return { changes, summary, diagnostics, summaryMessage };
}
