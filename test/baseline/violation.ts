/**
 * What a security-baseline rule reports.
 */
import type { SynthJson } from "../synth-json.js";

/** One finding: which rule, on which resource, and what is wrong in words. */
export interface Violation {
  /** Rule ID: a checkov / trivy ID where one exists (`CKV_AWS_131`), else `SEEDSTACK_<WHAT>`. */
  readonly rule: string;
  /** Terraform address of the offending resource, e.g. `aws_lb.lb_alb_1234`. */
  readonly resource: string;
  /** What is wrong and what is expected. */
  readonly message: string;
}

/** A group of checks over one synthesized stack. */
export type BaselineCheck = (stack: SynthJson) => Violation[];
