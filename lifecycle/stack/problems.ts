/**
 * Schema-like reading of untyped JSON that collects every problem instead of stopping at the
 * first, so a broken stack is reported in one message (Miniflare's validateOptions, cdktf's
 * terraform-json.ts). Terraform accepts numbers and booleans as strings ("30", "true"); so do we.
 */

/** Problems found so far, each naming where (`aws_lb_target_group.tg.health_check.interval`). */
export class Problems {
  readonly list: string[] = [];
  add(where: string, message: string): void {
    this.list.push(`${where}: ${message}`);
  }
}

/** A JSON object, or undefined (with a problem) when `value` is not one. */
export function objectAt(value: unknown, where: string, problems: Problems): Record<string, unknown> | undefined {
  if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  problems.add(where, `expected an object, got ${describe(value)}`);
  return undefined;
}

/** cdktf writes single nested blocks either as an object or as a one-element list. */
export function blockAt(value: unknown, where: string, problems: Problems): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) {
    if (value.length === 0) return undefined;
    if (value.length > 1) problems.add(where, `expected one block, got ${value.length}`);
    return objectAt(value[0], where, problems);
  }
  return objectAt(value, where, problems);
}

/** A whole number in [min, max], from a number or a numeric string; `fallback` when absent. */
export function integerAt(
  obj: Record<string, unknown>,
  key: string,
  where: string,
  problems: Problems,
  range: { min: number; max: number },
  fallback?: number,
): number {
  const value = obj[key];
  if (value === undefined || value === null) {
    if (fallback !== undefined) return fallback;
    problems.add(`${where}.${key}`, "is missing");
    return Number.NaN;
  }
  const n = typeof value === "number" ? value : typeof value === "string" && /^-?\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n < range.min || n > range.max) {
    problems.add(`${where}.${key}`, `expected a whole number from ${range.min} to ${range.max}, got ${describe(value)}`);
    return Number.NaN;
  }
  return n;
}

/** A string, one of `allowed` when given; `fallback` when absent. */
export function stringAt(obj: Record<string, unknown>, key: string, where: string, problems: Problems, fallback?: string, allowed?: readonly string[]): string {
  const value = obj[key];
  if (value === undefined || value === null) {
    if (fallback !== undefined) return fallback;
    problems.add(`${where}.${key}`, "is missing");
    return "";
  }
  if (typeof value !== "string" && typeof value !== "number") {
    problems.add(`${where}.${key}`, `expected a string, got ${describe(value)}`);
    return "";
  }
  const s = String(value);
  if (allowed && !allowed.includes(s)) {
    problems.add(`${where}.${key}`, `expected one of ${allowed.join(", ")}, got ${JSON.stringify(s)}`);
    return "";
  }
  return s;
}

/** A boolean from true/false or "true"/"false"; `fallback` when absent. */
export function booleanAt(obj: Record<string, unknown>, key: string, where: string, problems: Problems, fallback: boolean): boolean {
  const value = obj[key];
  if (value === undefined || value === null) return fallback;
  if (value === true || value === "true") return true;
  if (value === false || value === "false") return false;
  problems.add(`${where}.${key}`, `expected true or false, got ${describe(value)}`);
  return fallback;
}

/** A list of strings (empty when absent). */
export function stringListAt(obj: Record<string, unknown>, key: string, where: string, problems: Problems): string[] {
  const value = obj[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
    problems.add(`${where}.${key}`, `expected a list of strings, got ${describe(value)}`);
    return [];
  }
  return value as string[];
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
