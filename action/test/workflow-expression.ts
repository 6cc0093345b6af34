/**
 * Test-only STAND-IN for GitHub Actions' expression evaluator, the part the workflows' `if:`
 * conditions use: literals, context paths (`github.event.label.name`, the `*` object filter as in
 * `labels.*.name`), `!`, `==`, `!=`, `&&`, `||`, parentheses and `contains()`. It follows GitHub's
 * documented rules: property names and string comparisons ignore case; values of different types
 * are compared as numbers (null and '' are 0, so a missing property equals ''); `&&` and `||`
 * return an operand; false, 0, '', null and NaN are falsy. Anything else (another function, `<`,
 * indexing) is refused with an error, so a workflow that grows past this subset fails its test
 * instead of being judged wrongly.
 */

/** A value an expression can produce. */
export type ExpressionValue = string | number | boolean | null | ExpressionValue[] | { readonly [key: string]: ExpressionValue };

type Token = { readonly kind: "string" | "number" | "word" | "op"; readonly text: string };

const TOKEN = /\s*(?:'((?:[^']|'')*)'|(-?\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_-]*)|(==|!=|&&|\|\||[!().,*]))/y;

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < source.trimEnd().length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(source);
    if (m === null) throw new Error(`expression stand-in: cannot read ${JSON.stringify(source.slice(at).trimStart().slice(0, 20))} in ${source}`);
    if (m[1] !== undefined) tokens.push({ kind: "string", text: m[1].replace(/''/g, "'") });
    else if (m[2] !== undefined) tokens.push({ kind: "number", text: m[2] });
    else if (m[3] !== undefined) tokens.push({ kind: "word", text: m[3] });
    else tokens.push({ kind: "op", text: m[4]! });
  }
  return tokens;
}

/** GitHub's coercion to a number, for comparing values of different types. */
function toNumber(value: ExpressionValue): number {
  if (value === null) return 0;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "number") return value;
  if (typeof value === "string") return value.trim() === "" ? 0 : Number(value);
  return Number.NaN;
}

function equal(a: ExpressionValue, b: ExpressionValue): boolean {
  if (typeof a === "string" && typeof b === "string") return a.toLowerCase() === b.toLowerCase();
  if (typeof a === "object" && a !== null) return a === b;
  if (typeof b === "object" && b !== null) return false;
  return toNumber(a) === toNumber(b);
}

function truthy(value: ExpressionValue): boolean {
  return !(value === false || value === null || value === "" || (typeof value === "number" && (value === 0 || Number.isNaN(value))));
}

/** `value.name` ignoring case; over an array (the result of a `*` filter) on each element. */
function property(value: ExpressionValue, name: string, filtered: boolean): ExpressionValue {
  if (filtered && Array.isArray(value)) return value.map((v) => property(v, name, false)).filter((v) => v !== null);
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const key = Object.keys(value).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? null : value[key]!;
}

const FUNCTIONS: Record<string, (args: ExpressionValue[]) => ExpressionValue> = {
  contains: ([search, item]) => {
    if (Array.isArray(search)) return search.some((element) => equal(element, item ?? null));
    return String(search ?? "").toLowerCase().includes(String(item ?? "").toLowerCase());
  },
};

/** Evaluate `source` (without `${{ }}`) with `context` (`github`, `vars`, ...). */
export function evaluateExpression(source: string, context: Readonly<Record<string, ExpressionValue>>): ExpressionValue {
  const tokens = tokenize(source);
  let i = 0;
  const peek = (text: string) => tokens[i]?.kind === "op" && tokens[i]!.text === text;
  const expect = (text: string) => {
    if (!peek(text)) throw new Error(`expression stand-in: expected ${text} at token ${i} of ${source}`);
    i++;
  };

  const primary = (): ExpressionValue => {
    const token = tokens[i++];
    if (token === undefined) throw new Error(`expression stand-in: unexpected end of ${source}`);
    if (token.kind === "op" && token.text === "(") {
      const value = or();
      expect(")");
      return value;
    }
    if (token.kind === "string") return token.text;
    if (token.kind === "number") return Number(token.text);
    if (token.kind !== "word") throw new Error(`expression stand-in: unexpected ${token.text} in ${source}`);
    if (token.text === "true" || token.text === "false") return token.text === "true";
    if (token.text === "null") return null;
    if (peek("(")) {
      const fn = FUNCTIONS[token.text.toLowerCase()];
      if (fn === undefined) throw new Error(`expression stand-in: the function ${token.text}() is not part of this stand-in`);
      i++;
      const args: ExpressionValue[] = [];
      while (!peek(")")) {
        args.push(or());
        if (!peek(")")) expect(",");
      }
      i++;
      return fn(args);
    }
    let value: ExpressionValue = property(context as ExpressionValue, token.text, false);
    let filtered = false;
    while (peek(".")) {
      i++;
      const next = tokens[i++];
      if (next?.kind === "op" && next.text === "*") {
        // The object filter: an array's elements (an object's values) as a list.
        value = Array.isArray(value) ? value : typeof value === "object" && value !== null ? Object.values(value) : [];
        filtered = true;
      } else if (next?.kind === "word") {
        value = property(value, next.text, filtered);
      } else {
        throw new Error(`expression stand-in: expected a property name after . in ${source}`);
      }
    }
    return value;
  };
  const unary = (): ExpressionValue => {
    if (peek("!")) {
      i++;
      return !truthy(unary());
    }
    return primary();
  };
  const comparison = (): ExpressionValue => {
    const left = unary();
    if (peek("==") || peek("!=")) {
      const negate = tokens[i++]!.text === "!=";
      return equal(left, unary()) !== negate;
    }
    return left;
  };
  /** Left-associative `operand (op operand)*`; `pick` chooses the result as `&&` or `||` does. */
  const chain = (op: string, operand: () => ExpressionValue, pick: (left: ExpressionValue, right: ExpressionValue) => ExpressionValue) => (): ExpressionValue => {
    let value = operand();
    while (peek(op)) {
      i++;
      value = pick(value, operand());
    }
    return value;
  };
  const and = chain("&&", comparison, (left, right) => (truthy(left) ? right : left));
  const or: () => ExpressionValue = chain("||", and, (left, right) => (truthy(left) ? left : right));

  const value = or();
  if (i !== tokens.length) throw new Error(`expression stand-in: unexpected ${tokens[i]!.text} in ${source}`);
  return value;
}

/** Whether an `if:` condition lets the job or step run. */
export function conditionHolds(source: string, context: Readonly<Record<string, ExpressionValue>>): boolean {
  return truthy(evaluateExpression(source, context));
}
