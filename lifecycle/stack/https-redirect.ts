/**
 * The one rule for which listener is the stack's redirect to HTTPS (the smoke test checks that
 * plain HTTP there answers with a redirect): a plain-HTTP listener whose default action redirects
 * to HTTPS. Both engines find it with this, each on its own listeners (local: the ports it bound;
 * terraform: the stack's, on the load balancer's host).
 */
import type { ListenerSpec } from "./stack.js";

/** Whether `listener` is a plain-HTTP listener that redirects to HTTPS. */
export function isHttpsRedirect(listener: Pick<ListenerSpec, "protocol" | "action">): boolean {
  return listener.protocol === "HTTP" && listener.action.type === "redirect" && listener.action.protocol === "HTTPS";
}
