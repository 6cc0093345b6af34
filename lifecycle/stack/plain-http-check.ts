/**
 * What a visitor who types the load balancer's name without `https://` should meet, as the stack
 * implies it: a stack that serves HTTPS (an HTTPS listener, or a plain-HTTP listener redirecting
 * to one) must answer plain HTTP with a redirect that leads to it (CKV2_AWS_20). So its plain-HTTP
 * listener is checked whatever it does: one that forwards to the targets serves the app in plain
 * text, and the check fails rather than going missing. A stack without a plain-HTTP listener, or
 * one that serves plain HTTP only, has nothing to check: the reason is listed as a skipped check.
 */
import type { ListenerSpec, Stack } from "./stack.js";

/** The plain-HTTP listener the smoke test must find redirecting to HTTPS, or why none is checked. */
export type PlainHttpCheck = { readonly listener: ListenerSpec } | { readonly skipped: string };

/** Decide from the stack's listeners: port 80 (what a browser tries), else a redirecting one, else the lowest. */
export function plainHttpCheckOf(stack: Pick<Stack, "loadBalancer">): PlainHttpCheck {
  const listeners = stack.loadBalancer.listeners;
  const redirectsToHttps = (l: ListenerSpec) => l.action.type === "redirect" && l.action.protocol === "HTTPS";
  const servesHttps = listeners.some((l) => l.protocol === "HTTPS" || redirectsToHttps(l));
  const plain = listeners.filter((l) => l.protocol === "HTTP").sort((a, b) => a.port - b.port);
  if (!servesHttps) return { skipped: "the stack serves plain HTTP only (no HTTPS listener): there is nothing to redirect to" };
  if (plain.length === 0) return { skipped: "the stack has no plain-HTTP listener: nothing answers http://, so nothing is served in plain text" };
  return { listener: plain.find((l) => l.port === 80) ?? plain.find(redirectsToHttps) ?? plain[0]! };
}
