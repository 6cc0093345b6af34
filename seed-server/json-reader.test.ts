import { test } from "uvu";
import * as assert from "uvu/assert";
import { JsonSyntaxError, MAX_JSON_DEPTH, readJson } from "./json-reader.js";

function syntaxError(text: string): JsonSyntaxError {
  try {
    readJson(text);
  } catch (err) {
    if (err instanceof JsonSyntaxError) return err;
    throw err;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
}

test("numbers keep their exact source text", () => {
  const doc = readJson('{"a": 123456789012345678901234567890, "b": -1.50e+3}');
  assert.is(doc.kind, "object");
  if (doc.kind !== "object") return;
  assert.equal(
    doc.entries.map(([k, v]) => [k, v.kind === "number" ? v.text : v.kind]),
    [
      ["a", "123456789012345678901234567890"],
      ["b", "-1.50e+3"],
    ],
  );
});

test("agrees with JSON.parse on which documents are valid", () => {
  const samples = [
    '{"a":1}', "[]", "{}", '"x"', "true", "null", "-0", "1.5e-3", '{"a":[1,2,{"b":null}]}', '"\\u00e9\\n\\"\\/"',
    "01", "1.", ".5", "-", "+1", "[1,]", '{"a":1,}', "{a:1}", "'x'", '"\t"', "[1 2]", '{"a" 1}', "tru", "nul", "1e", "1e+",
    '"\\x"', '"\\u12"', "[", '{"a":', "", "NaN", "Infinity", "[1]]", '"abc',
  ];
  for (const text of samples) {
    let nativeOk = true;
    try {
      JSON.parse(text);
    } catch {
      nativeOk = false;
    }
    let oursOk = true;
    try {
      readJson(text);
    } catch (err) {
      if (!(err instanceof JsonSyntaxError)) throw err;
      oursOk = false;
    }
    assert.is(oursOk, nativeOk, `disagreement on ${JSON.stringify(text)}`);
  }
});

test("strings are decoded, escapes included", () => {
  const doc = readJson('"a\\u0062c\\n\\t\\\\\\"é"');
  assert.equal(doc.kind === "string" ? doc.value : undefined, 'abc\n\t\\"é');
});

test("errors say where and what", () => {
  const err = syntaxError('{"a": 1 "b": 2}');
  assert.is(err.position, 8);
  assert.match(err.message, /malformed JSON at character 8: expected ',' or '}' in object, got "\\""/);
  assert.match(syntaxError("").message, /unexpected end of input/);
  assert.match(syntaxError('"abc').message, /unterminated string/);
});

test("nesting is bounded so hostile bodies cannot exhaust the stack", () => {
  readJson("[".repeat(MAX_JSON_DEPTH) + "]".repeat(MAX_JSON_DEPTH));
  assert.match(syntaxError("[".repeat(10_000) + "]".repeat(10_000)).message, new RegExp(`nested deeper than ${MAX_JSON_DEPTH}`));
});

test.run();
