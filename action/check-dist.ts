/**
 * Checks that the committed bundle (action/dist) is what the current source builds: rebuilds into a
 * temporary folder and compares byte for byte. Exits 1 naming each file that differs, with the fix.
 *
 * Run with `npm run check:action-dist`; the tests call distDifferences() too.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ACTION_DIST, buildAction } from "./build-action.js";

/** The names of bundle files that are missing, extra or different in `committed`; empty when current. */
export async function distDifferences(committed: string = ACTION_DIST): Promise<string[]> {
  const fresh = mkdtempSync(join(tmpdir(), "seedstack-action-dist-check-"));
  try {
    await buildAction(fresh);
    const built = readdirSync(fresh).sort();
    const have = existsSync(committed) ? readdirSync(committed).sort() : [];
    const differences: string[] = [];
    for (const f of built) {
      if (!have.includes(f)) differences.push(`${f} (missing)`);
      else if (!readFileSync(join(fresh, f)).equals(readFileSync(join(committed, f)))) differences.push(`${f} (out of date)`);
    }
    for (const f of have) if (!built.includes(f)) differences.push(`${f} (not built by the source any more)`);
    return differences;
  } finally {
    rmSync(fresh, { recursive: true, force: true });
  }
}

const isEntryPoint = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isEntryPoint) {
  const differences = await distDifferences();
  if (differences.length > 0) {
    console.error(`action/dist does not match action/src: ${differences.join(", ")}. Run \`npm run build:action\` and commit action/dist.`);
    process.exitCode = 1;
  } else {
    console.log("action/dist is current with action/src");
  }
}
