/**
 * Load-balancer cookie stickiness: the ALB sets `AWSALB` (and `AWSALBCORS`, the same value with
 * SameSite=None; Secure for cross-origin requests) naming the target, with the target group's
 * duration, and routes a request carrying it to that target while the target is healthy.
 * AWS encrypts the value; ours is the target ID with an HMAC, so a client cannot forge one.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** Issues and reads stickiness cookies for one load balancer. */
export interface StickinessCookies {
  /** The Set-Cookie headers that pin a client to `targetId`. */
  setCookies(targetId: string, now?: Date): string[];
  /** The target a request's Cookie header names, if the cookie is genuine. */
  targetOf(cookieHeader: string | undefined): string | undefined;
}

/** Cookies lasting `durationSeconds`. */
export function stickinessCookies(durationSeconds: number): StickinessCookies {
  const key = randomBytes(32);
  const sign = (id: string) => createHmac("sha256", key).update(id).digest("base64url").slice(0, 22);
  return {
    setCookies(targetId, now = new Date()) {
      const value = `${Buffer.from(targetId).toString("base64url")}.${sign(targetId)}`;
      const expires = new Date(now.getTime() + durationSeconds * 1000).toUTCString();
      return [`AWSALB=${value}; Expires=${expires}; Path=/`, `AWSALBCORS=${value}; Expires=${expires}; Path=/; SameSite=None; Secure`];
    },
    targetOf(cookieHeader) {
      const m = cookieHeader ? /(?:^|;\s*)AWSALB=([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)/.exec(cookieHeader) : null;
      if (!m) return undefined;
      const id = Buffer.from(m[1]!, "base64url").toString();
      const expected = Buffer.from(sign(id));
      const given = Buffer.from(m[2]!);
      return expected.length === given.length && timingSafeEqual(expected, given) ? id : undefined;
    },
  };
}
