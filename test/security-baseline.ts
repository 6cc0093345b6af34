/**
 * The security baseline of DESIGN.md, checked over a synthesized stack (cdk.tf.json).
 *
 * Rule IDs are checkov / trivy IDs where a scanner has the rule, so a finding here can be looked
 * up; rules no scanner has (launch-template volumes, the ALB -> servers -> database chain, the
 * TLS-only bucket policy, managed RDS passwords) are named `SEEDSTACK_<WHAT>`.
 *
 * This function reports everything, including findings that are accepted by design; filtering
 * those is the job of `assertSecurityBaseline` in security-exceptions.ts.
 */
import { toSynthJson, type SynthJson } from "./synth-json.js";
import type { BaselineCheck, Violation } from "./baseline/violation.js";
import { checkLoadBalancers } from "./baseline/alb.js";
import { checkCompute } from "./baseline/ec2.js";
import { checkIam } from "./baseline/iam.js";
import { checkSecurityGroups } from "./baseline/security-groups.js";
import { checkDatabases } from "./baseline/rds.js";
import { checkBuckets } from "./baseline/s3.js";

export type { Violation } from "./baseline/violation.js";
export type { SynthJson } from "./synth-json.js";

/** Every check group, in report order. */
export const BASELINE_CHECKS: readonly BaselineCheck[] = [
  checkLoadBalancers,
  checkCompute,
  checkIam,
  checkSecurityGroups,
  checkDatabases,
  checkBuckets,
];

/**
 * All baseline violations in a synthesized stack, accepted exceptions included.
 * @param synth the parsed cdk.tf.json, or its text (as `Testing.synth` returns it)
 */
export function checkSecurityBaseline(synth: SynthJson | string): Violation[] {
  const stack = toSynthJson(synth);
  return BASELINE_CHECKS.flatMap((check) => check(stack));
}
