/** The folder registry: the four calls over real files in a temp folder. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { EnvironmentRecord } from "./environment-record.js";
import { folderRegistry } from "./record-registry.js";

const record = (name: string): EnvironmentRecord => ({ version: 1, name, stackDir: `/work/cdktf.out/stacks/${name}`, status: "needs-destroy", reason: "cancelled", createdAt: "2026-12-01T10:00:00.000Z", updatedAt: "2026-12-01T10:00:00.000Z" });

test("write, read, list and remove records; an unreadable file is a problem named, not a crash", async () => {
  const dir = mkdtempSync(join(tmpdir(), "seedstack-registry-"));
  try {
    const registry = folderRegistry(join(dir, "environments"));
    assert.equal((await registry.list()).records, []);
    const where = await registry.write(record("pr-7"));
    await registry.write(record("pr-9"));
    assert.ok(where.endsWith("pr-7.json"), where);
    assert.equal(await registry.read("pr-7"), record("pr-7"));
    writeFileSync(join(dir, "environments", "broken.json"), "{ not json");
    const listed = await registry.list();
    assert.equal(listed.records.map((r) => r.name).sort(), ["pr-7", "pr-9"]);
    assert.is(listed.problems.length, 1);
    assert.match(listed.problems[0]!, /broken\.json/);
    await registry.remove("pr-7");
    await registry.remove("pr-7"); // twice: no error
    assert.is(await registry.read("pr-7"), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
