/**
 * The seed: an integer of any size, held as its canonical decimal text ("0", "-42", "1234...").
 *
 * This module turns a POST body into a seed, exactly, or into a message saying what is wrong.
 * Decisions (documented in docs/seed-server.md):
 * - Any integer-valued JSON number is accepted and stored exactly, whatever its notation:
 *   `1e3` -> 1000, `100.0` -> 100, `1.5e1` -> 15, `-0` -> 0. JSON has one number type, and
 *   clients legitimately produce these forms (JavaScript writes 1e21 as "1e+21", Python writes
 *   floats as "100.0"). The arithmetic is on decimal digits, never floats.
 * - A number with a fractional part (`1.5`, `1e-1`) is rejected: the seed is an integer.
 * - Strings, booleans, null, arrays and objects are rejected; "100" is not coerced.
 * - A duplicate "num" key is rejected (which one was meant is ambiguous); other keys are ignored.
 * - A number whose exact value has more than MAX_SEED_DIGITS digits is rejected, so `1e999999999`
 *   cannot make the server build a gigabyte string.
 */
import { readJson, JsonSyntaxError, type JsonValue } from "./json-reader.js";

/** Most digits a seed may have (the body limit bounds literal digits anyway; this bounds exponents). */
export const MAX_SEED_DIGITS = 8192;

/** The seed every store starts with. */
export const INITIAL_SEED = "0";

/** A parse outcome: the canonical seed, or a message for a 400 response. */
export type SeedParseResult = { readonly ok: true; readonly seed: string } | { readonly ok: false; readonly message: string };

const EXPECTED = 'expected a JSON object like {"num": 100}';

/** Parse a POST body (already decoded as UTF-8) into a canonical seed. Never throws. */
export function parseSeedBody(body: string): SeedParseResult {
  if (body.trim() === "") return fail(`request body is empty; ${EXPECTED}`);
  let doc: JsonValue;
  try {
    doc = readJson(body);
  } catch (err) {
    if (err instanceof JsonSyntaxError) return fail(`${err.message}; ${EXPECTED}`);
    throw err;
  }
  if (doc.kind !== "object") return fail(`request body must be a JSON object, got ${describe(doc)}; ${EXPECTED}`);
  const nums = doc.entries.filter(([key]) => key === "num");
  if (nums.length === 0) return fail(`missing "num"; ${EXPECTED}`);
  if (nums.length > 1) return fail(`"num" appears ${nums.length} times; give it exactly once`);
  const num = (nums[0] as readonly [string, JsonValue])[1];
  if (num.kind !== "number") return fail(`"num" must be an integer, got ${describe(num)}`);
  return integerFromJsonNumber(num.text);
}

/**
 * The canonical decimal text of a JSON number's exact value when that value is an integer.
 * `text` must match the JSON number grammar (as produced by json-reader).
 */
export function integerFromJsonNumber(text: string): SeedParseResult {
  const m = /^(-?)(0|[1-9][0-9]*)(?:\.([0-9]+))?(?:[eE]([+-]?[0-9]+))?$/.exec(text);
  if (m === null) return fail(`"num" must be an integer, got ${text}`);
  const [, sign = "", intPart = "", fracPart = "", expText = "0"] = m;
  // value = sign * digits * 10^exponent, with digits an integer in decimal text.
  let digits = (intPart + fracPart).replace(/^0+/, "");
  if (digits === "") return { ok: true, seed: "0" }; // zero in any notation, including -0 and 0e99999
  let exponent = BigInt(expText) - BigInt(fracPart.length);
  const trailingZeros = digits.length - digits.replace(/0+$/, "").length;
  digits = digits.slice(0, digits.length - trailingZeros);
  exponent += BigInt(trailingZeros);
  if (exponent < 0n) return fail(`"num" must be an integer, got ${abbreviate(text)} (it has a fractional part)`);
  const totalDigits = BigInt(digits.length) + exponent;
  if (totalDigits > BigInt(MAX_SEED_DIGITS)) {
    return fail(`"num" ${abbreviate(text)} has ${totalDigits} digits; at most ${MAX_SEED_DIGITS} are allowed`);
  }
  return { ok: true, seed: sign + digits + "0".repeat(Number(exponent)) };
}

/** True when `text` is a canonical seed: "0", or an optional "-" and digits without leading zeros. */
export function isCanonicalSeed(text: string): boolean {
  return /^(?:0|-?[1-9][0-9]*)$/.test(text) && text.length <= MAX_SEED_DIGITS + 1;
}

function fail(message: string): SeedParseResult {
  return { ok: false, message };
}

function describe(value: JsonValue): string {
  switch (value.kind) {
    case "string":
      return `a string (${abbreviate(value.source)})`;
    case "boolean":
      return value.source;
    case "null":
      return "null";
    case "array":
      return "an array";
    case "object":
      return "an object";
    case "number":
      return `the number ${abbreviate(value.text)}`;
  }
}

function abbreviate(text: string): string {
  return text.length <= 40 ? text : `${text.slice(0, 37)}...`;
}
