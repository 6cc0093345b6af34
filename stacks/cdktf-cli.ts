/**
 * Run the cdktf CLI with its network calls switched off (see offline-env.ts): `tsx stacks/cdktf-cli.ts synth`.
 * The switches must be in the CLI's own environment (the app it spawns cannot switch them off),
 * hence a wrapper. Values already set in the environment win.
 *
 * Before starting cdktf it checks what would otherwise fail inside it, and reports that once, in
 * plain words, exiting 1: the configuration for commands that synthesize (cli-preflight.ts), and
 * Terraform and AWS credentials for the ones that run Terraform (prerequisites.ts).
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { findPackageRoot } from "../shared/package-root.js";
import { OFFLINE_ENV } from "./offline-env.js";
import { cdktfCommand, configurationProblem } from "./cli-preflight.js";
import { prerequisiteReport } from "./prerequisites.js";

const root = findPackageRoot();
const args = process.argv.slice(2);
const problem = configurationProblem(args, process.env, root);
if (problem !== undefined) {
  console.error(problem);
  process.exit(1);
}
const command = cdktfCommand(args);
const prerequisites = prerequisiteReport(command, process.env);
for (const warning of prerequisites.warnings) console.error(`seedstack: warning: ${warning}`);
if (prerequisites.problems.length > 0) {
  console.error(`seedstack: cdktf ${command} cannot run on this machine yet:`);
  for (const p of prerequisites.problems) console.error(`  - ${p}`);
  process.exit(1);
}
const cli = join(root, "node_modules", "cdktf-cli", "bundle", "bin", "cdktf");
const result = spawnSync(process.execPath, [cli, ...args], {
  cwd: root,
  stdio: "inherit",
  env: { ...OFFLINE_ENV, ...process.env },
});
if (result.error) {
  console.error(`seedstack: could not run the cdktf CLI at ${cli}: ${result.error.message} (run npm ci)`);
}
process.exitCode = result.status ?? 1;
