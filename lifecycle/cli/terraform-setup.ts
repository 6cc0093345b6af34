/**
 * What the CLI sets up for the terraform engine: the project's state directory (state-dir.ts: the
 * records, our own terraform CLI configuration, the plugin cache; the user's ~/.terraformrc is not
 * read) and the clean-up signal.
 */
import { join } from "node:path";
import type { TerraformEnvironmentOptions } from "../terraform/deploy.js";
import { folderRegistry, type RecordRegistry } from "../terraform/record-registry.js";
import { stateDirOf, writeTerraformCliConfig } from "../terraform/state-dir.js";
import { terraformEngine } from "../terraform/terraform-engine.js";
import type { EnvironmentEngine } from "../environment.js";
import type { CliOptions } from "./options.js";

/** The project's environment records (`--state-dir`, else the project's .seedstack): where they are, and the registry every command reads and writes them through. */
export function recordsOf(projectDir: string, options: CliOptions): { readonly dir: string; readonly registry: RecordRegistry } {
  const dir = stateDirOf(projectDir, options.stateDir).recordDir;
  // The one place the CLI picks its registry: a state-bucket registry would be chosen here.
  return { dir, registry: folderRegistry(dir) };
}

/** The directory terraform runs in for `stack`. */
export function terraformDirOf(options: CliOptions, outdir: string): string {
  return options.terraformDir ?? join(outdir, "stacks", options.stack);
}

/** Options of the terraform layer for one environment (down, sweep). */
export function environmentOptions(projectDir: string, options: CliOptions, name: string, stackDir: string): TerraformEnvironmentOptions {
  const dir = stateDirOf(projectDir, options.stateDir);
  return { name, stackDir, recordDir: dir.recordDir, records: recordsOf(projectDir, options).registry, cliConfigFile: writeTerraformCliConfig(dir) };
}

/** The terraform engine for a lifecycle command. */
export function cliTerraformEngine(projectDir: string, options: CliOptions, cleanupSignal: AbortSignal | undefined): EnvironmentEngine {
  const dir = stateDirOf(projectDir, options.stateDir);
  return terraformEngine({
    ...(options.terraformDir ? { stackDir: options.terraformDir } : {}),
    recordDir: dir.recordDir,
    cliConfigFile: writeTerraformCliConfig(dir),
    terraform: { records: recordsOf(projectDir, options).registry },
    ...(cleanupSignal ? { cleanupSignal } : {}),
  });
}
