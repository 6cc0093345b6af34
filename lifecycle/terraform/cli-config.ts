/**
 * Our own terraform CLI configuration, so that what a run does depends on this project only: not on
 * the machine's or the user's `TF_CLI_CONFIG_FILE` or `~/.terraformrc` (the environment terraform
 * runs with is terraform-env.ts's, the one policy for every run).
 *
 * - Providers come from a local mirror when one is found (provider-mirror.ts). Offline (tests,
 *   CI, air-gapped machines) the mirror is the only source; otherwise providers the mirror lacks
 *   (hashicorp/tls, say) still come from the registry (`direct`).
 * - `plugin_cache_dir`: every working directory links its providers from one shared cache, so 40
 *   plans do not each unpack a 675 MB provider. From an unpacked mirror the cache itself holds
 *   only links to the mirror.
 * - No checkpoint calls (`disable_checkpoint`).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { ProviderMirror } from "./provider-mirror.js";

/** What goes into the CLI configuration. */
export interface CliConfigOptions {
  /**
   * A local provider mirror to install from.
   * @default none: every provider comes from its registry
   */
  readonly mirror?: Pick<ProviderMirror, "path" | "sources">;
  /**
   * Install from the mirror only, never from the network; a provider the mirror lacks fails `init`.
   * Needs `mirror`.
   * @default false: providers the mirror lacks come from their registry
   */
  readonly offline?: boolean;
  /**
   * The plugin cache shared between working directories.
   * @default none: each working directory installs its own copy
   */
  readonly pluginCacheDir?: string;
}

/** Quote a string for HCL (backslashes and quotes escaped; paths on Windows have backslashes). */
function hclString(value: string): string {
  return JSON.stringify(value);
}

/** The CLI configuration file's text (HCL). Throws naming the problem for offline without a mirror. */
export function renderCliConfig(options: CliConfigOptions): string {
  if (options.offline && options.mirror === undefined) {
    throw new Error("an offline terraform configuration needs a provider mirror; none was given");
  }
  const lines = ["# Written by seedstack for its own terraform runs; the user's ~/.terraformrc is not read.", "disable_checkpoint = true"];
  if (options.pluginCacheDir !== undefined) lines.push(`plugin_cache_dir = ${hclString(options.pluginCacheDir)}`);
  lines.push("", "provider_installation {");
  if (options.mirror !== undefined) {
    lines.push("  filesystem_mirror {", `    path = ${hclString(options.mirror.path)}`);
    // Offline, the mirror answers for every provider (and a missing one fails clearly in init);
    // online, only for what it holds, so the rest falls through to the registry.
    if (!options.offline) lines.push(`    include = [${options.mirror.sources.map(hclString).join(", ")}]`);
    lines.push("  }");
  }
  if (!options.offline) {
    lines.push("  direct {");
    if (options.mirror !== undefined && options.mirror.sources.length > 0) lines.push(`    exclude = [${options.mirror.sources.map(hclString).join(", ")}]`);
    lines.push("  }");
  }
  lines.push("}", "");
  return lines.join("\n");
}

/** Write the configuration to `file` (creating its directory and the plugin cache); returns `file`. */
export function writeCliConfig(file: string, options: CliConfigOptions): string {
  const text = renderCliConfig(options);
  mkdirSync(dirname(file), { recursive: true });
  if (options.pluginCacheDir !== undefined) mkdirSync(options.pluginCacheDir, { recursive: true });
  writeFileSync(file, text);
  return file;
}
