/**
 * A small, strict JSON reader (RFC 8259) that keeps numbers as their source text.
 *
 * Why not JSON.parse: it turns every number into a float64, so 2^53 + 1 silently becomes 2^53,
 * and Node 20's reviver does not expose the source text (that arrived in V8 11.4; Node 20 ships
 * 11.3). The seed must be exact, so numbers stay text here and seed-value.ts does exact decimal
 * arithmetic on them.
 */

/** A parsed JSON value. Numbers keep their exact source text; every value keeps its source span. */
export type JsonValue =
  | { readonly kind: "number"; readonly text: string; readonly source: string }
  | { readonly kind: "string"; readonly value: string; readonly source: string }
  | { readonly kind: "boolean"; readonly value: boolean; readonly source: string }
  | { readonly kind: "null"; readonly source: string }
  | { readonly kind: "array"; readonly source: string }
  | { readonly kind: "object"; readonly entries: ReadonlyArray<readonly [string, JsonValue]>; readonly source: string };

/** Malformed JSON. `position` is the 0-based character offset where reading failed. */
export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(`malformed JSON at character ${position}: ${message}`);
    this.name = "JsonSyntaxError";
  }
}

/** Deepest nesting accepted; a seed body is one flat object, and this keeps recursion bounded. */
export const MAX_JSON_DEPTH = 32;

const NUMBER_PATTERN = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

/** Parse one JSON document (surrounding whitespace allowed). Throws JsonSyntaxError. */
export function readJson(text: string): JsonValue {
  const reader = new Reader(text);
  reader.skipWhitespace();
  const value = reader.value(0);
  reader.skipWhitespace();
  if (reader.pos < text.length) reader.fail(`unexpected ${describeChar(text, reader.pos)} after the JSON value`);
  return value;
}

class Reader {
  pos = 0;
  constructor(private readonly text: string) {}

  fail(message: string, at: number = this.pos): never {
    throw new JsonSyntaxError(message, at);
  }

  skipWhitespace(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      // JSON whitespace is exactly space, tab, line feed and carriage return.
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) this.pos++;
      else break;
    }
  }

  value(depth: number): JsonValue {
    if (depth > MAX_JSON_DEPTH) this.fail(`nested deeper than ${MAX_JSON_DEPTH} levels`);
    const start = this.pos;
    const c = this.text[this.pos];
    switch (c) {
      case "{":
        return this.object(depth);
      case "[":
        return this.array(depth);
      case '"': {
        const value = this.string();
        return { kind: "string", value, source: this.text.slice(start, this.pos) };
      }
      case "t":
        this.literal("true");
        return { kind: "boolean", value: true, source: "true" };
      case "f":
        this.literal("false");
        return { kind: "boolean", value: false, source: "false" };
      case "n":
        this.literal("null");
        return { kind: "null", source: "null" };
      default: {
        NUMBER_PATTERN.lastIndex = this.pos;
        const match = NUMBER_PATTERN.exec(this.text);
        if (match === null) {
          this.fail(c === undefined ? "unexpected end of input, expected a value" : `unexpected ${describeChar(this.text, this.pos)}, expected a value`);
        }
        this.pos += match[0].length;
        // "01" or "1.": the pattern stopped early; the following character is an error, reported here
        // so the message is about the number rather than a missing comma.
        const next = this.text.charCodeAt(this.pos);
        if ((next >= 0x30 && next <= 0x39) || next === 0x2e || next === 0x65 || next === 0x45) {
          this.fail(`invalid number ${JSON.stringify(this.text.slice(start, this.pos + 1))} (no leading zeros, digits required after "." and "e")`);
        }
        return { kind: "number", text: match[0], source: match[0] };
      }
    }
  }

  literal(word: string): void {
    if (!this.text.startsWith(word, this.pos)) this.fail(`unexpected ${describeChar(this.text, this.pos)}, expected a value`);
    this.pos += word.length;
  }

  object(depth: number): JsonValue {
    const start = this.pos;
    this.pos++; // {
    const entries: Array<readonly [string, JsonValue]> = [];
    this.skipWhitespace();
    if (this.text[this.pos] === "}") {
      this.pos++;
      return { kind: "object", entries, source: this.text.slice(start, this.pos) };
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.pos] !== '"') this.fail(`expected a quoted key, got ${describeChar(this.text, this.pos)}`);
      const key = this.string();
      this.skipWhitespace();
      if (this.text[this.pos] !== ":") this.fail(`expected ':' after key ${JSON.stringify(key)}, got ${describeChar(this.text, this.pos)}`);
      this.pos++;
      this.skipWhitespace();
      entries.push([key, this.value(depth + 1)]);
      this.skipWhitespace();
      const c = this.text[this.pos];
      if (c === ",") {
        this.pos++;
        continue;
      }
      if (c === "}") {
        this.pos++;
        return { kind: "object", entries, source: this.text.slice(start, this.pos) };
      }
      this.fail(`expected ',' or '}' in object, got ${describeChar(this.text, this.pos)}`);
    }
  }

  array(depth: number): JsonValue {
    const start = this.pos;
    this.pos++; // [
    this.skipWhitespace();
    if (this.text[this.pos] === "]") {
      this.pos++;
      return { kind: "array", source: this.text.slice(start, this.pos) };
    }
    for (;;) {
      this.skipWhitespace();
      this.value(depth + 1);
      this.skipWhitespace();
      const c = this.text[this.pos];
      if (c === ",") {
        this.pos++;
        continue;
      }
      if (c === "]") {
        this.pos++;
        return { kind: "array", source: this.text.slice(start, this.pos) };
      }
      this.fail(`expected ',' or ']' in array, got ${describeChar(this.text, this.pos)}`);
    }
  }

  /** Reads a string starting at the opening quote; returns its decoded value. */
  string(): string {
    const t = this.text;
    this.pos++; // opening quote
    let out = "";
    let chunkStart = this.pos;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 0x22) {
        out += t.slice(chunkStart, this.pos);
        this.pos++;
        return out;
      }
      if (c < 0x20) this.fail("control character in string (must be escaped)");
      if (c === 0x5c) {
        out += t.slice(chunkStart, this.pos);
        out += this.escape();
        chunkStart = this.pos;
        continue;
      }
      this.pos++;
    }
    return this.fail("unterminated string");
  }

  escape(): string {
    const e = this.text[this.pos + 1];
    const simple: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
    if (e !== undefined && e in simple) {
      this.pos += 2;
      return simple[e] as string;
    }
    if (e === "u") {
      const hex = this.text.slice(this.pos + 2, this.pos + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail("invalid \\u escape (needs 4 hex digits)");
      this.pos += 6;
      return String.fromCharCode(parseInt(hex, 16));
    }
    return this.fail(`invalid escape ${JSON.stringify("\\" + (e ?? ""))}`);
  }
}

function describeChar(text: string, pos: number): string {
  const c = text[pos];
  return c === undefined ? "end of input" : JSON.stringify(c);
}
