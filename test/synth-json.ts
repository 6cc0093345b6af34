/**
 * Reading a synthesized stack (the parsed cdk.tf.json): resources by type, nested blocks,
 * and Terraform references between resources.
 *
 * cdktf writes a nested block either as an object or as a one-element array depending on the
 * provider schema; `blocks()` and `block()` hide that difference from the rules.
 */

/** Attributes of one resource or data source, as synthesized. */
// Synthesized JSON is untyped by nature; the rules check the shape of what they read.
export type Attributes = Record<string, any>;

/** The parts of a synthesized cdk.tf.json the checks read. */
export interface SynthJson {
  /** `resource.<type>.<name>` = attributes. */
  readonly resource?: Record<string, Record<string, Attributes>>;
  /** `data.<type>.<name>` = attributes. */
  readonly data?: Record<string, Record<string, Attributes>>;
}

/** One resource with its Terraform address (`aws_lb.lb_alb_1234`). */
export interface Resource {
  /** The resource type, e.g. `aws_lb`. */
  readonly type: string;
  /** The logical name cdktf gave it. */
  readonly name: string;
  /** `type.name`, how Terraform and the violations refer to it. */
  readonly address: string;
  /** Its synthesized attributes. */
  readonly attrs: Attributes;
}

/** Parse synth output given as a string (from `Testing.synth`) or pass an object through. */
export function toSynthJson(synth: string | SynthJson): SynthJson {
  return typeof synth === "string" ? (JSON.parse(synth) as SynthJson) : synth;
}

/** Every resource of the given types, in synthesized order. */
export function resourcesOf(stack: SynthJson, ...types: string[]): Resource[] {
  return types.flatMap((type) =>
    Object.entries(stack.resource?.[type] ?? {}).map(([name, attrs]) => ({ type, name, address: `${type}.${name}`, attrs })),
  );
}

/** Every data source of the given type. */
export function dataSourcesOf(stack: SynthJson, type: string): Resource[] {
  return Object.entries(stack.data?.[type] ?? {}).map(([name, attrs]) => ({
    type,
    name,
    address: `data.${type}.${name}`,
    attrs,
  }));
}

/** A nested block's entries, whether synthesized as an object, an array, or absent. */
export function blocks(value: unknown): Attributes[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).filter((v): v is Attributes => typeof v === "object" && v !== null);
}

/** The first entry of a single nested block, or undefined. */
export function block(value: unknown): Attributes | undefined {
  return blocks(value)[0];
}

/** A list attribute as an array (absent -> empty). */
export function list(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** True for `true` or `"true"` (Terraform accepts both). */
export function isTrue(value: unknown): boolean {
  return value === true || value === "true";
}

/**
 * True when `value` (a string, or any string in a list) holds a Terraform reference to the
 * resource `type.name`, e.g. `${aws_s3_bucket.artifacts_bucket_1A2B.id}`.
 */
export function refersTo(value: unknown, type: string, name: string): boolean {
  const pattern = new RegExp(`\\$\\{[^}]*\\b${escapeRegExp(type)}\\.${escapeRegExp(name)}\\b`);
  return list(value).some((v) => typeof v === "string" && pattern.test(v));
}

/** The resources of `type` that `value` refers to. */
export function referencedResources(stack: SynthJson, value: unknown, type: string): Resource[] {
  return resourcesOf(stack, type).filter((r) => refersTo(value, type, r.name));
}

/** Number from a number or numeric string; NaN when absent or not numeric. */
export function num(value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value === "string" && value.trim() !== "" && !value.includes("${")) return Number(value);
  return NaN;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
