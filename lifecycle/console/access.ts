/**
 * Who may use the console: it listens on loopback only; a request must name the console itself in
 * its Host header (a page on another site that resolves its own name to 127.0.0.1, DNS rebinding,
 * sends its own name there and is refused); and every request carries the per-run token printed in
 * the console's URL (query `token`, or the `X-Seedstack-Token` header for controls). The token is
 * compared in constant time.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

/** A fresh per-run token (192 bits, URL-safe). */
export function newToken(): string {
  return randomBytes(24).toString("base64url");
}

/** Whether the Host header names this console: 127.0.0.1, localhost or [::1] with its port. */
export function hostAllowed(host: string | undefined, port: number): boolean {
  if (!host) return false;
  return host === `127.0.0.1:${port}` || host === `localhost:${port}` || host === `[::1]:${port}`;
}

/** Whether `given` is the token. */
export function tokenMatches(given: string | undefined | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Why a request is refused (status and message), or undefined when it may go on. */
export function refusal(req: IncomingMessage, port: number, token: string): { status: number; message: string } | undefined {
  if (!hostAllowed(req.headers.host, port)) return { status: 421, message: `the Host header ${JSON.stringify(req.headers.host ?? "")} does not name this console (127.0.0.1:${port})` };
  const url = new URL(req.url ?? "/", `http://127.0.0.1:${port}`);
  const given = (req.headers["x-seedstack-token"] as string | undefined) ?? url.searchParams.get("token");
  if (!tokenMatches(given, token)) return { status: 403, message: "this console needs the token from the URL seedstack printed (console: http://127.0.0.1:…/?token=…)" };
  // A control is a POST from the page itself: a browser always sends Origin on it.
  const origin = req.headers.origin;
  if (req.method === "POST" && origin !== undefined && !hostAllowed(origin.replace(/^http:\/\//, ""), port)) return { status: 403, message: `controls are accepted from the console's own page only, not from ${origin}` };
  return undefined;
}
