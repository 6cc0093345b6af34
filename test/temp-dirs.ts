/**
 * Temp folders for tests, removed when the test process ends.
 *
 * Every folder a test makes (a fixture bundle, a cdktf app's outdir, a sandbox) is created under
 * one root per test process, `<os temp dir>/seedstack-test-XXXXXX`, and that root is removed on
 * the process's `exit` event, which fires after the last test whether the run passed or failed
 * (the runner ends with `process.exit`, uvu's own CLI by returning). A test may still remove its
 * own folder early; nothing is left either way.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Testing, type App } from "cdktf";

let root: string | undefined;

/** This process's temp root, created on first use and removed when the process exits. */
export function testTempRoot(): string {
  if (root === undefined) {
    const created = mkdtempSync(join(tmpdir(), "seedstack-test-"));
    root = created;
    process.once("exit", () => rmSync(created, { recursive: true, force: true }));
  }
  return root;
}

/** A new empty folder under {@link testTempRoot}, named `<prefix>XXXXXX`. */
export function testTempDir(prefix: string): string {
  return mkdtempSync(join(testTempRoot(), prefix));
}

/**
 * `Testing.app()` with its outdir under {@link testTempRoot}: cdktf's own default makes a
 * `cdktf.outdir.*` folder in the system temp dir per app and never removes it (330 per run).
 */
export function testApp(): App {
  return Testing.app({ outdir: testTempDir("cdktf-") });
}
