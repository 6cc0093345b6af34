/**
 * README.md documents every setting in one table; this keeps the table and the code's
 * SETTINGS list (the source of the error messages) from drifting apart.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { SETTINGS } from "./config.js";
import { findPackageRoot } from "../shared/package-root.js";

const docs = readFileSync(join(findPackageRoot(), "README.md"), "utf8");

/** Rows of the configuration table (from its header to the first non-table line), by variable name. */
const lines = docs.split("\n");
const header = lines.findIndex((line) => line.startsWith("| Variable | Context key |"));
const end = lines.findIndex((line, i) => i > header && !line.startsWith("|"));
const rows = new Map(
  lines
    .slice(header + 2, end)
    .map((line) => {
      const cells = line.split(" | ").map((cell) => cell.replace(/^\| /, "").replace(/ \|$/, "").trim());
      return [cells[0]!.replace(/`/g, ""), cells] as const;
    }),
);

test("every setting has a row with its context key, default, allowed values and description", () => {
  assert.ok(header >= 0 && rows.size > 0, "README.md has no configuration table (header `| Variable | Context key |`)");
  for (const spec of Object.values(SETTINGS)) {
    const cells = rows.get(spec.env);
    assert.ok(cells, `README.md has no row for ${spec.env}`);
    assert.equal(cells, [`\`${spec.env}\``, `\`${spec.context}\``, spec.default, spec.allowed, spec.description], spec.env);
  }
});

test("the table documents no setting the code does not have", () => {
  const known = new Set<string>(Object.values(SETTINGS).map((s) => s.env));
  for (const name of rows.keys()) assert.ok(known.has(name), `README.md documents unknown setting ${name}`);
});

test.run();
