/**
 * The guard on `npm test`'s exit code: the runner is run as a child process on small fixture suites
 * (test/runner/fixtures, named *.fixture.ts so the real run never picks them up) and its exit code
 * and output are checked. Keep these: they are what lets CI catch a regression at all.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";

const RUNNER = fileURLToPath(new URL("./run-tests.ts", import.meta.url));
const FIXTURES = fileURLToPath(new URL("./fixtures/", import.meta.url));
/** Each fixture run is a fresh tsx process; far more than it needs, so only a hang reaches it. */
const RUN_DEADLINE_MS = 60_000;

function runFixture(name: string, env: Record<string, string | undefined> = {}) {
  const result = spawnSync(
    process.execPath,
    ["--import", "tsx", RUNNER, "--dir", FIXTURES + name, "--pattern", "\\.fixture\\.ts$"],
    { encoding: "utf8", timeout: RUN_DEADLINE_MS, env: { ...process.env, NO_COLOR: "1", ...env } },
  );
  if (result.error) throw new Error(`fixture run "${name}" did not finish: ${result.error.message}`);
  return { code: result.status, output: result.stdout + result.stderr };
}

test("a failing test fails the run even when the PostgreSQL helper (async-exit-hook) is loaded", () => {
  const { code, output } = runFixture("failing-with-postgres");
  assert.is(code, 1, output);
  assert.match(output, /Total:\s+2/);
  assert.match(output, /Passed:\s+1/);
  assert.match(output, /deliberate failure/);
});

test("a run whose tests all pass exits 0 with the PostgreSQL helper loaded", () => {
  const { code, output } = runFixture("passing");
  assert.is(code, 0, output);
  assert.match(output, /Passed:\s+1/);
});

test("the run prints each file's time when it ends and the slowest files at the end", () => {
  const { code, output } = runFixture("broken-import");
  assert.is(code, 1, output);
  assert.match(output, /\d+\.\d s  b-passes\.fixture\.ts\n/);
  assert.match(output, /Slowest 1 of 1 file\(s\) \([\d.]+ s in all\):\n\s+[\d.]+ s\s+100%\s+b-passes\.fixture\.ts/);
});

test("a file that throws at import is reported by name, fails the run, and the other files still run", () => {
  const { code, output } = runFixture("broken-import");
  assert.is(code, 1, output);
  assert.match(output, /a-throws\.fixture\.ts could not be loaded/);
  assert.match(output, /construct error at module load \(fixture\)/);
  assert.match(output, /Total:\s+1/);
  assert.match(output, /Passed:\s+1/);
  assert.not.match(output, /never runs/);
});

test("a suite whose before hook throws fails the run instead of passing with no tests run", () => {
  const { code, output } = runFixture("before-hook-throws");
  assert.is(code, 1, output);
  assert.match(output, /2 of 2 tests did not run\. A before hook of the suite threw/);
  assert.match(output, /Passed:\s+0/);
});

test("a hanging test ends the run at the watchdog's deadline with a message and exit code 1", () => {
  const { code, output } = runFixture("hanging", { SEEDSTACK_TEST_TIMEOUT_S: "2" });
  assert.is(code, 1, output);
  assert.match(output, /still running after 2 s \(SEEDSTACK_TEST_TIMEOUT_S\)/);
});

test("a bad watchdog setting is refused by name", () => {
  const { code, output } = runFixture("passing", { SEEDSTACK_TEST_TIMEOUT_S: "soon" });
  assert.is(code, 1, output);
  assert.match(output, /SEEDSTACK_TEST_TIMEOUT_S must be a positive number of seconds; got "soon"/);
});

test("output is not coloured when it does not go to a terminal", () => {
  // No NO_COLOR and no FORCE_COLOR: the decision is left to whether stdout is a terminal (a pipe here).
  const { output } = runFixture("failing-with-postgres", { NO_COLOR: undefined, FORCE_COLOR: undefined });
  assert.match(output, /deliberate failure/);
  assert.not.match(output, /\u001b\[/);
});

test("temp files and processes a test leaves behind fail the run, named, and are cleaned up", () => {
  const { code, output } = runFixture("leaves-behind");
  assert.is(code, 1, output);
  assert.match(output, /Passed:\s+2/);
  assert.match(output, /1 process\(es\) started by tests were still running \(killed now\)/);
  assert.match(output, /forgotten-fixture-process/);
  assert.match(output, /tests left 1 entry in the temp directory/);
  assert.match(output, /forgotten-fixture-dir-/);
});

test.run();
