/**
 * What the CLI sets up for the terraform engine: the record directory, our own terraform CLI
 * configuration (cli-config.ts, online: providers from the local mirror when one is found, the
 * rest from the registry; the user's ~/.terraformrc is not read) and the clean-up signal.
 */
import { join } from "node:path";
import { writeCliConfig } from "../terraform/cli-config.js";
import type { TerraformEnvironmentOptions } from "../terraform/deploy.js";
import { terraformEngine } from "../terraform/terraform-engine.js";
import type { EnvironmentEngine } from "../environment.js";
import { findProviderMirror } from "../terraform/provider-mirror.js";
import type { CliOptions } from "./options.js";

/** seedstack's own files: environment records, terraform's CLI configuration, the plugin cache. */
export function stateDirOf(projectDir: string, options: CliOptions): string {
  return options.stateDir ?? join(projectDir, ".seedstack");
}

/** Where environment records are kept. */
export function recordDirOf(projectDir: string, options: CliOptions): string {
  return join(stateDirOf(projectDir, options), "environments");
}

/** The CLI configuration file for every terraform run, written now into `dir`. */
export function writeTerraformCliConfig(dir: string): string {
  const mirror = findProviderMirror().mirror;
  return writeCliConfig(join(dir, "terraform.tfrc"), { ...(mirror ? { mirror } : {}), offline: false, pluginCacheDir: join(dir, "plugin-cache") });
}

/** The directory terraform runs in for `stack`. */
export function terraformDirOf(options: CliOptions, outdir: string): string {
  return options.terraformDir ?? join(outdir, "stacks", options.stack);
}

/** Options of the terraform layer for one environment (down, sweep). */
export function environmentOptions(projectDir: string, options: CliOptions, name: string, stackDir: string): TerraformEnvironmentOptions {
  return { name, stackDir, recordDir: recordDirOf(projectDir, options), cliConfigFile: writeTerraformCliConfig(stateDirOf(projectDir, options)) };
}

/** The terraform engine for a lifecycle command. */
export function cliTerraformEngine(projectDir: string, options: CliOptions, cleanupSignal: AbortSignal | undefined): EnvironmentEngine {
  return terraformEngine({
    ...(options.terraformDir ? { stackDir: options.terraformDir } : {}),
    recordDir: recordDirOf(projectDir, options),
    cliConfigFile: writeTerraformCliConfig(stateDirOf(projectDir, options)),
    ...(cleanupSignal ? { cleanupSignal } : {}),
  });
}
