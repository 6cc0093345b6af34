/**
 * The one layout of seedstack's own files in a project (`<project>/.seedstack` unless told
 * otherwise), for the CLI and the Action alike:
 *
 *   environments/    environment records (environment-record.ts): what may need a destroy
 *   terraform.tfrc   our terraform CLI configuration (cli-config.ts)
 *   plugin-cache/    terraform's provider cache, shared by every stack directory
 */
import { join } from "node:path";
import { writeCliConfig } from "./cli-config.js";
import { findProviderMirror } from "./provider-mirror.js";

/** Where seedstack keeps its files for one project. */
export interface StateDir {
  readonly root: string;
  /** Environment records. */
  readonly recordDir: string;
  /** terraform's CLI configuration (written by `writeTerraformCliConfig`). */
  readonly cliConfigFile: string;
  readonly pluginCacheDir: string;
}

/** The layout under `root`. */
export function stateDirAt(root: string): StateDir {
  return { root, recordDir: join(root, "environments"), cliConfigFile: join(root, "terraform.tfrc"), pluginCacheDir: join(root, "plugin-cache") };
}

/** The layout of a project: `<projectDir>/.seedstack`, or `stateDir` when given. */
export function stateDirOf(projectDir: string, stateDir?: string): StateDir {
  return stateDirAt(stateDir ?? join(projectDir, ".seedstack"));
}

/**
 * Write the CLI configuration every terraform run of the project uses: providers from the local
 * mirror when one is found (else the registry), the shared plugin cache. Returns its path.
 * @param env where the mirror search looks (TF_CLI_CONFIG_FILE, TF_PLUGIN_CACHE_DIR...); @default process.env
 */
export function writeTerraformCliConfig(dir: StateDir, env?: NodeJS.ProcessEnv): string {
  const mirror = findProviderMirror(env ? { env } : {}).mirror;
  return writeCliConfig(dir.cliConfigFile, { ...(mirror ? { mirror } : {}), offline: false, pluginCacheDir: dir.pluginCacheDir });
}
