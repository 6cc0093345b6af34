/** How lifecycle events appear in the step's log: one line each. */
import type { LifecycleEvent } from "./lifecycle-port.js";
import type { LogPort } from "./ports.js";
import { redact } from "./report/redact.js";

/** Logs every lifecycle event as one line (private key blocks removed); remembers nothing. */
export function logEvent(log: LogPort, event: LifecycleEvent): void {
  if (event.kind === "phase") log.info(redact(`[${event.at}] ${event.phase}: ${event.state}${event.message ? ` (${event.message})` : ""}`, []));
  else if (event.kind === "log") (event.level === "warning" ? log.warning : log.info)(redact(event.message, []));
  else log.info(`[${event.at}] resources of ${event.record.environment ?? event.record.stack} may exist from now on; saved for the post step`);
}
