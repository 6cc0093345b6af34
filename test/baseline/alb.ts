/**
 * Load balancer rules: HTTPS or a redirect to it, a modern TLS policy, dropped invalid headers,
 * health-checked target groups, and the (accepted) internet-facing finding.
 */
import { block, blocks, isTrue, referencedResources, resourcesOf, type Resource, type SynthJson } from "../synth-json.js";
import type { Violation } from "./violation.js";

/**
 * TLS 1.3 policies whose minimum protocol is TLS 1.2 or 1.3 (ELBSecurityPolicy-TLS13-1-2-2021-06
 * and newer, including the Res, Ext, FIPS and PQ variants). TLS13-1-0 / TLS13-1-1 still accept
 * TLS 1.0 / 1.1, so they do not count as modern here.
 */
const MODERN_TLS_POLICY = /^ELBSecurityPolicy-TLS13-1-[23]-[A-Za-z0-9-]+$/;

/** Check every ALB, listener and target group in the stack. */
export function checkLoadBalancers(stack: SynthJson): Violation[] {
  const violations: Violation[] = [];
  const listeners = resourcesOf(stack, "aws_lb_listener", "aws_alb_listener");

  for (const lb of resourcesOf(stack, "aws_lb", "aws_alb")) {
    const type = lb.attrs.load_balancer_type ?? "application";
    if (type !== "application") continue;
    if (!isTrue(lb.attrs.drop_invalid_header_fields)) {
      violations.push({
        rule: "CKV_AWS_131",
        resource: lb.address,
        message: `drop_invalid_header_fields is ${JSON.stringify(lb.attrs.drop_invalid_header_fields)}; expected true`,
      });
    }
    if (!isTrue(lb.attrs.internal)) {
      violations.push({ rule: "AVD-AWS-0053", resource: lb.address, message: "load balancer is internet-facing (internal is not true)" });
    }
    const own = listeners.filter((l) => referencedResources(stack, l.attrs.load_balancer_arn, lb.type).some((r) => r.name === lb.name));
    const plain = own.filter((l) => isPlainHttp(l));
    if (plain.length > 0) {
      violations.push({
        rule: "CKV2_AWS_20",
        resource: lb.address,
        message: `HTTP listener ${plain.map((l) => l.address).join(", ")} does not redirect to HTTPS`,
      });
    }
  }

  for (const listener of listeners) {
    const protocol = String(listener.attrs.protocol ?? "HTTP").toUpperCase();
    if (isPlainHttp(listener)) {
      violations.push({
        rule: "CKV_AWS_2",
        resource: listener.address,
        message: "listener serves plain HTTP; expected HTTPS, or HTTP whose default action redirects to HTTPS",
      });
    }
    if (protocol === "HTTPS" || protocol === "TLS") {
      const policy = listener.attrs.ssl_policy;
      if (typeof policy !== "string" || !MODERN_TLS_POLICY.test(policy)) {
        violations.push({
          rule: "CKV_AWS_103",
          resource: listener.address,
          message:
            `ssl_policy is ${JSON.stringify(policy)}${policy === undefined ? " (AWS then uses ELBSecurityPolicy-2016-08)" : ""}; ` +
            "expected ELBSecurityPolicy-TLS13-1-2-2021-06 or newer (a TLS13-1-2 or TLS13-1-3 policy)",
        });
      }
    }
  }

  for (const tg of resourcesOf(stack, "aws_lb_target_group", "aws_alb_target_group")) {
    if (tg.attrs.target_type === "lambda") continue;
    const health = block(tg.attrs.health_check);
    const path = health?.path;
    const protocol = String(health?.protocol ?? tg.attrs.protocol ?? "HTTP").toUpperCase();
    if (!health || health.enabled === false || ((protocol === "HTTP" || protocol === "HTTPS") && (typeof path !== "string" || path === ""))) {
      violations.push({
        rule: "CKV_AWS_261",
        resource: tg.address,
        message: `target group has no enabled health check with a path (health_check ${JSON.stringify(health ?? null)})`,
      });
    }
  }
  return violations;
}

/** An HTTP listener whose default action is anything but a redirect to HTTPS. */
function isPlainHttp(listener: Resource): boolean {
  const protocol = String(listener.attrs.protocol ?? "HTTP").toUpperCase();
  if (protocol !== "HTTP") return false;
  const actions = blocks(listener.attrs.default_action);
  const redirects = actions.length > 0 && actions.every((a) => a.type === "redirect" && String(block(a.redirect)?.protocol ?? "").toUpperCase() === "HTTPS");
  return !redirects;
}
