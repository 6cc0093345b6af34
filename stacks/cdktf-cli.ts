/**
 * Run the cdktf CLI with its network calls switched off, so `synth`, `list` and friends work on a
 * machine without internet access and send nothing anywhere:
 *
 * - CHECKPOINT_DISABLE=1: HashiCorp's checkpoint telemetry, which `cdktf synth` posts to
 *   checkpoint-api.hashicorp.com after every run (@cdktf/commons checkpoint.js).
 * - DISABLE_VERSION_CHECK=1: the "newer version available" check, an `npm view cdktf` call the CLI
 *   makes when its output is a terminal.
 * - Crash reports (Sentry) are off through `"sendCrashReports": "false"` in cdktf.json.
 *
 * These must be in the CLI's own environment (the app it spawns cannot switch them off), hence a
 * wrapper: `tsx stacks/cdktf-cli.ts synth`. Values already set in the environment win.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { findPackageRoot } from "../seed-server/bundle-path.js";

/** The variables that keep the cdktf CLI offline. */
export const OFFLINE_ENV: Readonly<Record<string, string>> = { CHECKPOINT_DISABLE: "1", DISABLE_VERSION_CHECK: "1" };

const root = findPackageRoot();
const cli = join(root, "node_modules", "cdktf-cli", "bundle", "bin", "cdktf");
const result = spawnSync(process.execPath, [cli, ...process.argv.slice(2)], {
  cwd: root,
  stdio: "inherit",
  env: { ...OFFLINE_ENV, ...process.env },
});
if (result.error) {
  console.error(`seedstack: could not run the cdktf CLI at ${cli}: ${result.error.message} (run npm ci)`);
}
process.exitCode = result.status ?? 1;
