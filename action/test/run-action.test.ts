/**
 * The bundled-action runner's temp folder (run-action.ts): a step's TMPDIR is a folder of its job,
 * so what the step leaves there goes with the job, never into the machine's /tmp, and a step that
 * exits leaving something there fails; a test may still choose its own. The steps here are
 * three-line scripts standing where main.mjs would, so no action is built.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createJob, type Job } from "./run-action.js";

/** A "main step" that reports os.tmpdir() as an output and leaves there the entries named in $LEAVE (comma-separated). */
const LEAVES_FILES = [
  'import { appendFileSync, mkdirSync } from "node:fs"; import { tmpdir } from "node:os"; import { join } from "node:path";',
  'for (const name of (process.env.LEAVE ?? "").split(",").filter(Boolean)) mkdirSync(join(tmpdir(), name), { recursive: true });',
  'appendFileSync(process.env.GITHUB_OUTPUT, `tmpdir=${tmpdir()}\\n`);',
].join("\n");

function jobWithStep(env: Record<string, string>): { job: Job; removeDist(): void } {
  const dist = mkdtempSync(join(tmpdir(), "seedstack-run-action-dist-"));
  writeFileSync(join(dist, "main.mjs"), LEAVES_FILES);
  const job = createJob({ distDir: dist, apiUrl: "http://127.0.0.1:9", inputs: {}, event: {}, env });
  return { job, removeDist: () => rmSync(dist, { recursive: true, force: true }) };
}

test("a step's temp folder is its job's own; a step that exits leaving something there fails, naming it; cleanup removes it", async () => {
  const { job, removeDist } = jobWithStep({ LEAVE: "seedstack-local-db-secret-x1,left-behind" });
  let error: Error | undefined;
  try {
    await job.step("main").catch((e: Error) => (error = e));
    assert.ok(error, "the step failed");
    assert.match(error!.message, /the main step exited leaving left-behind, seedstack-local-db-secret-x1 in its TMPDIR/);
    assert.ok(job.tempDir.startsWith(job.dir + "/"), "inside the job's folder");
    assert.equal(job.tempLeftovers(), ["left-behind", "seedstack-local-db-secret-x1"]);
  } finally {
    job.cleanup();
    removeDist();
  }
  assert.not.ok(existsSync(job.tempDir), "cleanup removed it");
});

test("the tools' caches (tsx's, Node's compile cache) are no leftovers, as for the test runner's leak check", async () => {
  const { job, removeDist } = jobWithStep({ LEAVE: "tsx-0,node-compile-cache" });
  try {
    const result = await job.step("main");
    assert.is(result.exitCode, 0, result.stderr);
    assert.is(result.outputs.tmpdir, job.tempDir);
    assert.ok(existsSync(join(job.tempDir, "tsx-0")), "the step did write there");
    assert.equal(job.tempLeftovers(), []);
  } finally {
    job.cleanup();
    removeDist();
  }
});

test("a TMPDIR the test passes wins (the cancel test lets the runner's leak check see the step's leftovers)", async () => {
  const chosen = mkdtempSync(join(tmpdir(), "seedstack-run-action-chosen-"));
  const { job, removeDist } = jobWithStep({ TMPDIR: chosen, LEAVE: "left-behind" });
  try {
    const result = await job.step("main");
    assert.is(result.outputs.tmpdir, chosen, result.stderr);
    assert.ok(existsSync(join(chosen, "left-behind")), "the step wrote to the chosen folder");
    assert.equal(job.tempLeftovers(), [], "the runner's leak check, not the job, watches a chosen TMPDIR");
  } finally {
    job.cleanup();
    removeDist();
    rmSync(chosen, { recursive: true, force: true });
  }
});

test.run();
