import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { findPackageRoot } from "../shared/package-root.js";
import { readSeedServerBundle, SEED_SERVER_BUNDLE_RELATIVE_PATH, seedServerBundlePath } from "./bundle-path.js";

const repoRoot = dirname(dirname(fileURLToPath(import.meta.url)));

test("the bundle path is <package root>/dist/bundle/seed-server.mjs", () => {
  assert.is(seedServerBundlePath(), join(repoRoot, "dist", "bundle", "seed-server.mjs"));
});

test("the package root is the nearest package.json named seedstack, skipping others on the way", () => {
  const dir = mkdtempSync(join(tmpdir(), "seedstack-root-"));
  try {
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "seedstack" }));
    const nested = join(dir, "dist", "seed-server");
    mkdirSync(nested, { recursive: true });
    writeFileSync(join(dir, "dist", "package.json"), JSON.stringify({ name: "something-else" }));
    writeFileSync(join(nested, "package.json"), "{ not json");
    assert.is(findPackageRoot(nested), dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("outside the package there is a clear error", () => {
  const dir = mkdtempSync(join(tmpdir(), "seedstack-none-"));
  try {
    assert.throws(() => findPackageRoot(dir), (err: Error) => err.message.startsWith('could not find the seedstack package root: no package.json named "seedstack" above'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("reading a missing bundle says where it looked and how to build it", () => {
  const missing = join(tmpdir(), "seedstack-no-such-dir", SEED_SERVER_BUNDLE_RELATIVE_PATH);
  assert.throws(() => readSeedServerBundle(missing), (err: Error) => err.message === `seed-server bundle not found at ${missing}: run \`npm run build:bundle\``);
});

test("reading an existing bundle returns its bytes", () => {
  const dir = mkdtempSync(join(tmpdir(), "seedstack-bundle-"));
  try {
    const file = join(dir, "b.mjs");
    writeFileSync(file, "console.log(1)");
    assert.is(readSeedServerBundle(file).toString(), "console.log(1)");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
