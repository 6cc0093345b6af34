/**
 * Terraform references inside synthesized JSON: `${aws_security_group.web_sg_BBC30E6E.id}`.
 * The JSON names other resources this way; we follow the ones whose meaning we need (which group a
 * rule belongs to, which instance an attachment registers) and leave every other expression alone.
 */
import type { Address } from "./stack.js";

/** A whole-string reference to one resource attribute. */
export interface Reference {
  readonly address: Address;
  readonly type: string;
  readonly name: string;
  readonly attribute: string;
}

const WHOLE_REFERENCE = /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z0-9_.[\]]+)\}$/;

/** The reference `value` consists of, or undefined when it is a literal or a larger expression. */
export function parseReference(value: unknown): Reference | undefined {
  if (typeof value !== "string") return undefined;
  const m = WHOLE_REFERENCE.exec(value);
  if (!m || m[1] === "data" || m[1] === "var" || m[1] === "local") return undefined;
  return { address: `${m[1]}.${m[2]}`, type: m[1]!, name: m[2]!, attribute: m[3]! };
}

/** Whether `value` contains any terraform expression. */
export function isExpression(value: unknown): boolean {
  return typeof value === "string" && value.includes("${");
}
