/** How the lifecycle's events appear in the step's log: one line each, warnings for what went wrong. */
import type { LifecycleEvent } from "./lifecycle-port.js";
import type { LogPort } from "./ports.js";
import { redact } from "./report/redact.js";

/** The line for one event and its level; undefined for events the log does not show (the summary table, the plan: both are in the report). */
export function eventLine(e: LifecycleEvent): { readonly level: "info" | "warning"; readonly message: string } | undefined {
  switch (e.type) {
    case "phase":
      return { level: e.status === "failed" ? "warning" : "info", message: `${e.phase}: ${e.status === "start" ? "started" : e.status === "done" ? "succeeded" : "failed"}${e.detail ? ` (${e.detail})` : ""}` };
    case "progress":
      return { level: "info", message: `${e.phase}: ${e.message}` };
    case "check":
      return { level: e.ok ? "info" : "warning", message: `${e.ok ? "✓" : "✗"} ${e.name}: ${e.detail}` };
    case "diagnosis":
      return { level: "warning", message: e.diagnosis.message };
    case "hop-denied":
      return { level: "warning", message: `${e.hop}: ${e.message}` };
    case "instance-started":
      return { level: "info", message: `instance ${e.instance} (${e.name}) started: pid ${e.pid} at ${e.address}` };
    case "instance-exited":
      // The drill's own kill is expected on every run: a log line, not a `::warning::` annotation.
      if (e.deliberate) return { level: "info", message: `instance ${e.instance} ended on purpose (signal ${e.signal ?? "none"}, code ${e.code})` };
      return { level: "warning", message: `instance ${e.instance} exited (code ${e.code}, signal ${e.signal}): ${e.lastLines.join(" | ")}` };
    case "listener":
      return { level: "info", message: `${e.protocol} listener (stack port ${e.stackPort}) at ${e.url}` };
    case "target-health":
      return { level: "info", message: `target ${e.instance}: ${e.from} -> ${e.to}${e.reason ? ` (${e.reason})` : ""}` };
    case "resources-may-exist":
      return { level: "info", message: `resources of ${e.stack} may exist from now on; saved for the post step` };
    default:
      return undefined;
  }
}

/** Logs one lifecycle event (private key blocks removed); remembers nothing. */
export function logEvent(log: LogPort, event: LifecycleEvent): void {
  const line = eventLine(event);
  if (line) (line.level === "warning" ? log.warning : log.info)(redact(line.message, []));
}
