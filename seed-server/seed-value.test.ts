import { test } from "uvu";
import * as assert from "uvu/assert";
import { integerFromJsonNumber, isCanonicalSeed, MAX_SEED_DIGITS, parseSeedBody } from "./seed-value.js";

/**
 * The random tests draw from a seeded generator so a failure can be replayed: the seed is in every
 * failure message, and SEED=<n> reruns with it. A new seed each run keeps exploring new cases.
 */
const PRNG_SEED = prngSeed(process.env.SEED);

function prngSeed(fromEnv: string | undefined): number {
  if (fromEnv === undefined || fromEnv === "") return Math.floor(Math.random() * 2 ** 32);
  if (!/^[0-9]{1,10}$/.test(fromEnv) || Number(fromEnv) >= 2 ** 32) throw new Error(`SEED must be a whole number from 0 to 4294967295; got ${JSON.stringify(fromEnv)}`);
  return Number(fromEnv);
}

/** mulberry32: a small, well-known 32-bit generator; returns floats in [0, 1) like Math.random. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A failure message naming the case and how to replay it. */
function replay(what: string): string {
  return `${what} (random cases from SEED=${PRNG_SEED}; rerun with SEED=${PRNG_SEED} to replay)`;
}

function seedOf(body: string): string {
  const result = parseSeedBody(body);
  if (!result.ok) throw new Error(`expected ${body} to parse, got: ${result.message}`);
  return result.seed;
}

function messageOf(body: string): string {
  const result = parseSeedBody(body);
  if (result.ok) throw new Error(`expected ${body} to be rejected, got seed ${result.seed}`);
  return result.message;
}

test("plain integers come back as canonical decimal text", () => {
  assert.is(seedOf('{"num": 100}'), "100");
  assert.is(seedOf('{"num":0}'), "0");
  assert.is(seedOf('{"num": -42}'), "-42");
  assert.is(seedOf(' \n\t{ "num" : 7 }\r\n'), "7");
});

test("integers beyond 2^53 are exact (JSON.parse would round them)", () => {
  const beyond = (2n ** 53n + 1n).toString();
  assert.is(seedOf(`{"num": ${beyond}}`), beyond);
  assert.is.not(String(JSON.parse(`{"num": ${beyond}}`).num), beyond, "sanity: JSON.parse loses this one");
  const huge = "-" + "9".repeat(500);
  assert.is(seedOf(`{"num": ${huge}}`), huge);
});

test("random big integers round-trip exactly", () => {
  const random = seededRandom(PRNG_SEED);
  for (let i = 0; i < 200; i++) {
    const digits = 1 + Math.floor(random() * 300);
    let n = BigInt(Math.floor(random() * 9) + 1);
    for (let d = 1; d < digits; d++) n = n * 10n + BigInt(Math.floor(random() * 10));
    if (random() < 0.5) n = -n;
    assert.is(seedOf(`{"num": ${n}}`), n.toString(), replay(`${n}`));
  }
});

test("integer-valued exponent and fraction forms are accepted exactly", () => {
  assert.is(seedOf('{"num": 1e3}'), "1000");
  assert.is(seedOf('{"num": 1E+3}'), "1000");
  assert.is(seedOf('{"num": 100.0}'), "100");
  assert.is(seedOf('{"num": 1.5e1}'), "15");
  assert.is(seedOf('{"num": 12300e-2}'), "123");
  assert.is(seedOf('{"num": -2.50e2}'), "-250");
  assert.is(seedOf('{"num": 1e+21}'), "1" + "0".repeat(21), "JSON.stringify(1e21) writes it this way");
  assert.is(seedOf('{"num": 0.000e5}'), "0");
});

test("every spelling of zero is 0, including -0", () => {
  for (const zero of ["0", "-0", "0.0", "-0.0e10", "0e-5", "0e99999999999999999999"]) assert.is(seedOf(`{"num": ${zero}}`), "0", zero);
});

test("exponent forms agree with BigInt arithmetic", () => {
  const random = seededRandom(PRNG_SEED + 1);
  for (let i = 0; i < 200; i++) {
    const mantissa = BigInt(Math.floor(random() * 1e6));
    const exp = Math.floor(random() * 30);
    const expected = mantissa * 10n ** BigInt(exp);
    assert.is(seedOf(`{"num": ${mantissa}e${exp}}`), expected.toString(), replay(`${mantissa}e${exp}`));
  }
});

test("fractions are rejected with a message naming the value", () => {
  assert.match(messageOf('{"num": 1.5}'), /"num" must be an integer, got 1\.5/);
  assert.match(messageOf('{"num": 1e-1}'), /fractional part/);
  assert.match(messageOf('{"num": 100.01e1}'), /fractional part/);
});

test("non-numbers are rejected, never coerced", () => {
  assert.match(messageOf('{"num": "100"}'), /"num" must be an integer, got a string \("100"\)/);
  assert.match(messageOf('{"num": true}'), /got true/);
  assert.match(messageOf('{"num": false}'), /got false/);
  assert.match(messageOf('{"num": null}'), /got null/);
  assert.match(messageOf('{"num": [1]}'), /got an array/);
  assert.match(messageOf('{"num": {"value": 1}}'), /got an object/);
});

test("the body must be an object with exactly one num", () => {
  assert.match(messageOf("100"), /must be a JSON object, got the number 100/);
  assert.match(messageOf("[100]"), /must be a JSON object, got an array/);
  assert.match(messageOf('"x"'), /must be a JSON object, got a string/);
  assert.match(messageOf("{}"), /missing "num"/);
  assert.match(messageOf('{"number": 1}'), /missing "num"/);
  assert.match(messageOf('{"num": 1, "num": 2}'), /"num" appears 2 times/);
  assert.match(messageOf('{"num": 1, "n\\u0075m": 2}'), /appears 2 times/, "escaped keys are compared decoded");
  assert.match(messageOf(""), /request body is empty/);
  assert.match(messageOf("   "), /request body is empty/);
});

test("other keys are ignored", () => {
  assert.is(seedOf('{"note": "hi", "num": 5, "extra": [1, {"a": null}]}'), "5");
});

test("malformed JSON is reported with its position", () => {
  assert.match(messageOf('{"num": 100'), /malformed JSON at character 11/);
  assert.match(messageOf('{"num": 01}'), /malformed JSON.*invalid number "01"/);
  assert.match(messageOf("{'num': 1}"), /malformed JSON/);
  assert.match(messageOf('{"num": +1}'), /malformed JSON/);
  assert.match(messageOf('{"num": NaN}'), /malformed JSON/);
  assert.match(messageOf('{"num": 1,}'), /malformed JSON/);
  assert.match(messageOf('{"num": 1} x'), /after the JSON value/);
});

test("an exponent cannot make a seed longer than MAX_SEED_DIGITS", () => {
  assert.match(messageOf('{"num": 1e999999999}'), new RegExp(`at most ${MAX_SEED_DIGITS} are allowed`));
  assert.is(seedOf(`{"num": 1e${MAX_SEED_DIGITS - 1}}`).length, MAX_SEED_DIGITS);
  assert.not.ok(integerFromJsonNumber(`1e${MAX_SEED_DIGITS}`).ok);
});

test("isCanonicalSeed accepts exactly the canonical forms", () => {
  for (const ok of ["0", "7", "-7", "100", "-" + "9".repeat(300)]) assert.ok(isCanonicalSeed(ok), ok);
  for (const bad of ["", "-0", "007", "+1", "1.0", "1e3", " 1", "abc"]) assert.not.ok(isCanonicalSeed(bad), bad);
});

test.run();
