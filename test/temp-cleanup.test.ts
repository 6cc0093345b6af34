/**
 * Tests leave nothing in the system temp dir (issue 8, item 5: one run used to leave ~330
 * `cdktf.outdir.*` folders and a few fixture folders behind).
 *
 * Test files that make temp folders in each of the ways the suite does (cdktf apps through
 * `synthStack` / `synthApp`, cdktf's `Testing.fullSynth`, fixture bundles, consumer processes
 * running `Testing.app()`) are run by the real runner in a child process whose temp dir
 * (`TMPDIR`) is a fresh empty folder; afterwards that folder must be empty again. A control run
 * shows the check can fail: plain `Testing.app()` does leave a folder there.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findPackageRoot } from "../shared/package-root.js";

const root = findPackageRoot();

/**
 * tsx keeps its compile cache in `<temp dir>/tsx-<uid>` and reuses it across runs: the tool's own
 * cache, made by every `tsx` invocation, not by a test.
 */
const TSX_CACHE = /^tsx-\d+$/;

/** Run `args` with node (tsx loaded) in a private, empty TMPDIR; returns what is left in it. */
function leftoversAfter(args: string[]): { status: number | null; output: string; left: string[] } {
  const privateTmp = mkdtempSync(join(tmpdir(), "seedstack-leak-check-"));
  try {
    const run = spawnSync(process.execPath, ["--import", "tsx", ...args], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, TMPDIR: privateTmp, NO_COLOR: "1" },
    });
    return { status: run.status, output: run.stdout + run.stderr, left: readdirSync(privateTmp).filter((name) => !TSX_CACHE.test(name)) };
  } finally {
    rmSync(privateTmp, { recursive: true, force: true });
  }
}

test("control: cdktf's own Testing.app() leaves a cdktf.outdir.* folder in the temp dir", () => {
  const { status, output, left } = leftoversAfter(["-e", 'import("cdktf").then(({ Testing }) => Testing.app())']);
  assert.is(status, 0, output);
  assert.equal(left.map((name) => name.replace(/\.[^.]+$/, "")), ["cdktf.outdir"]);
});

test("test files that make temp folders leave the temp dir as they found it, passing", () => {
  const files = ["modules/artifact-bucket.test.ts", "stacks/app.test.ts", "test/package-exports.test.ts"];
  const { status, output, left } = leftoversAfter(["test/runner/run-tests.ts", ...files]);
  assert.is(status, 0, output);
  for (const file of files) assert.ok(output.includes(file), `${file} ran:\n${output}`);
  assert.equal(left, [], "left in the temp dir");
});

test.run();
