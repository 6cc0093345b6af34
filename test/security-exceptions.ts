/**
 * The ONE list of security-baseline findings seedstack accepts, each with its reason, and the
 * assertion every stack test uses.
 *
 * Two kinds of acceptance:
 * - ACCEPTED_EXCEPTIONS: true of every seedstack environment by design (a public web entry point
 *   is internet-facing). Each is scoped as narrowly as the JSON allows.
 * - Waivers: opted into by one stack, with its own reason, e.g. the plain-HTTP course mode
 *   (`plainHttpCourseModeWaivers`). A waiver that matches nothing is an error, so stale waivers
 *   cannot pile up.
 */
import { checkSecurityBaseline, type Violation } from "./security-baseline.js";
import { refersTo, resourcesOf, toSynthJson, type SynthJson } from "./synth-json.js";

/** A finding accepted for every stack, within a stated scope. */
export interface AcceptedException {
  /** The rule ID it accepts. */
  readonly rule: string;
  /** Where it applies, in words. */
  readonly scope: string;
  /** Why it is accepted. */
  readonly reason: string;
  /** True when this exception covers `violation` in `stack`. */
  appliesTo(violation: Violation, stack: SynthJson): boolean;
}

/** A per-stack acceptance of one rule, optionally on one resource. */
export interface Waiver {
  /** The rule ID waived. */
  readonly rule: string;
  /** Terraform address of the one resource it covers (e.g. `aws_lb_listener.lb_http_1234`); all resources when omitted. */
  readonly resource?: string;
  /** Why this stack accepts it; required, shown in reports. */
  readonly reason: string;
}

/** Options of {@link assertSecurityBaseline}. */
export interface AssertBaselineOptions {
  /** This stack's waivers. @default none */
  readonly waivers?: readonly Waiver[];
  /** Name used in the error report. @default "stack" */
  readonly stackName?: string;
}

/** Findings that every seedstack environment trips by design. */
export const ACCEPTED_EXCEPTIONS: readonly AcceptedException[] = [
  {
    rule: "AVD-AWS-0053",
    scope: "application load balancers",
    reason:
      "The ALB is the environment's public entry point: it must be internet-facing. Everything behind it " +
      "(servers, database) is in private subnets and accepts only the tier in front of it.",
    appliesTo: (v) => v.resource.startsWith("aws_lb.") || v.resource.startsWith("aws_alb."),
  },
  {
    rule: "CKV_AWS_260",
    scope: "a load balancer's own security group and its rules",
    reason:
      "Port 80 stays open on the load balancer so plain-HTTP visitors get a 301 redirect to HTTPS " +
      "(the HTTP listener forwards nothing). No other group may open port 80 to the world.",
    appliesTo: (v, stack) => belongsToLoadBalancerGroup(v.resource, stack),
  },
];

/**
 * Waivers for a stack that opts into the plain-HTTP course mode (`LoadBalancer` with
 * `protocol: "http"`), which serves traffic unencrypted because course autograders connect over
 * plain HTTP. Insecure by design; never use it for real data.
 */
export function plainHttpCourseModeWaivers(
  reason = "Course mode: the autograder connects over plain HTTP, so the listener serves HTTP on port 80 (insecure by design)",
): Waiver[] {
  return [
    { rule: "CKV_AWS_2", reason },
    { rule: "CKV2_AWS_20", reason },
  ];
}

/** Violations that neither an accepted exception nor a waiver covers, and waivers that matched nothing. */
export function unacceptedViolations(
  synth: SynthJson | string,
  waivers: readonly Waiver[] = [],
): { violations: Violation[]; unusedWaivers: Waiver[] } {
  const stack = toSynthJson(synth);
  for (const w of waivers) {
    if (typeof w.reason !== "string" || w.reason.trim() === "") {
      throw new Error(`security waiver for ${w.rule}${w.resource ? ` on ${w.resource}` : ""} has no reason; every waiver must say why`);
    }
  }
  const used = new Set<Waiver>();
  const violations = checkSecurityBaseline(stack).filter((v) => {
    if (ACCEPTED_EXCEPTIONS.some((e) => e.rule === v.rule && e.appliesTo(v, stack))) return false;
    const waiver = waivers.find((w) => w.rule === v.rule && (w.resource === undefined || w.resource === v.resource));
    if (waiver) {
      used.add(waiver);
      return false;
    }
    return true;
  });
  return { violations, unusedWaivers: waivers.filter((w) => !used.has(w)) };
}

/**
 * Throw a readable report when the stack has baseline violations beyond the accepted exceptions
 * and its own waivers, or when one of its waivers matches nothing.
 * @param synth the parsed cdk.tf.json, or its text
 */
export function assertSecurityBaseline(synth: SynthJson | string, options: AssertBaselineOptions = {}): void {
  const { violations, unusedWaivers } = unacceptedViolations(synth, options.waivers ?? []);
  if (violations.length === 0 && unusedWaivers.length === 0) return;
  const name = options.stackName ?? "stack";
  const lines = [`Security baseline failed for ${name}:`];
  if (violations.length > 0) {
    lines.push(`  ${violations.length} violation${violations.length === 1 ? "" : "s"}:`);
    for (const v of violations) lines.push(`    ${v.rule.padEnd(26)} ${v.resource}: ${v.message}`);
  }
  if (unusedWaivers.length > 0) {
    lines.push(`  ${unusedWaivers.length} waiver${unusedWaivers.length === 1 ? "" : "s"} matched nothing (remove them):`);
    for (const w of unusedWaivers) lines.push(`    ${w.rule}${w.resource ? ` on ${w.resource}` : ""}: ${w.reason}`);
  }
  lines.push("  Fix the resource, or if the finding is intended, add a waiver with its reason (see test/security-exceptions.ts).");
  throw new Error(lines.join("\n"));
}

/** True when `address` is a security group attached to a load balancer, or a rule of one. */
function belongsToLoadBalancerGroup(address: string, stack: SynthJson): boolean {
  const lbGroups = resourcesOf(stack, "aws_security_group").filter((g) =>
    resourcesOf(stack, "aws_lb", "aws_alb").some((lb) => refersTo(lb.attrs.security_groups, g.type, g.name)),
  );
  if (lbGroups.some((g) => g.address === address)) return true;
  const rule = resourcesOf(stack, "aws_security_group_rule", "aws_vpc_security_group_ingress_rule").find((r) => r.address === address);
  return rule !== undefined && lbGroups.some((g) => refersTo(rule.attrs.security_group_id, g.type, g.name));
}
