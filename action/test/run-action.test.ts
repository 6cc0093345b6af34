/**
 * The bundled-action runner's temp folder (run-action.ts): a step's TMPDIR is a folder of its job,
 * so what the step leaves there goes with the job, never into the machine's /tmp; a test may still
 * choose its own. The steps here are two-line scripts standing where main.mjs would, so no action
 * is built.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createJob, type Job } from "./run-action.js";

/** A "main step" that reports os.tmpdir() as an output and leaves a file there. */
const LEAVES_A_FILE = [
  'import { appendFileSync, writeFileSync } from "node:fs"; import { tmpdir } from "node:os"; import { join } from "node:path";',
  'writeFileSync(join(tmpdir(), "left-behind.txt"), "x");',
  'appendFileSync(process.env.GITHUB_OUTPUT, `tmpdir=${tmpdir()}\\n`);',
].join("\n");

function jobWithStep(env?: Record<string, string>): { job: Job; removeDist(): void } {
  const dist = mkdtempSync(join(tmpdir(), "seedstack-run-action-dist-"));
  writeFileSync(join(dist, "main.mjs"), LEAVES_A_FILE);
  const job = createJob({ distDir: dist, apiUrl: "http://127.0.0.1:9", inputs: {}, event: {}, ...(env ? { env } : {}) });
  return { job, removeDist: () => rmSync(dist, { recursive: true, force: true }) };
}

test("a step's temp folder is its job's own; what the step leaves there goes with the job", async () => {
  const { job, removeDist } = jobWithStep();
  try {
    const result = await job.step("main");
    assert.is(result.exitCode, 0, result.stderr);
    assert.is(result.outputs.tmpdir, job.tempDir);
    assert.ok(job.tempDir.startsWith(job.dir + "/"), "inside the job's folder");
    assert.ok(existsSync(join(job.tempDir, "left-behind.txt")));
  } finally {
    job.cleanup();
    removeDist();
  }
  assert.not.ok(existsSync(job.tempDir), "cleanup removed it");
});

test("a TMPDIR the test passes wins (the cancel test lets the runner's leak check see the step's leftovers)", async () => {
  const chosen = mkdtempSync(join(tmpdir(), "seedstack-run-action-chosen-"));
  const { job, removeDist } = jobWithStep({ TMPDIR: chosen });
  try {
    const result = await job.step("main");
    assert.is(result.outputs.tmpdir, chosen, result.stderr);
  } finally {
    job.cleanup();
    removeDist();
    rmSync(chosen, { recursive: true, force: true });
  }
});

test.run();
