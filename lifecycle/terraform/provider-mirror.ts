/**
 * Finding a local provider mirror: a directory laid out as terraform's
 * `provider_installation { filesystem_mirror }` expects
 * (`<hostname>/<namespace>/<type>/<version>/<os>_<arch>/terraform-provider-<type>*` unpacked, or
 * `<hostname>/<namespace>/<type>/terraform-provider-<type>_<version>_<os>_<arch>.zip` packed).
 * With one, `terraform init` needs no network: CI machines and air-gapped laptops carry one.
 *
 * Where we look, in order (the first that holds the provider wins):
 * 1. `SEEDSTACK_TF_PROVIDER_MIRROR`, when set: only there, and it must hold the provider.
 * 2. Mirror and plugin-cache directories the user's own terraform CLI configuration names
 *    (`TF_CLI_CONFIG_FILE`, else `~/.terraformrc`), and `TF_PLUGIN_CACHE_DIR`: read for their paths
 *    only; our runs use our own configuration (cli-config.ts).
 * 3. Terraform's implied local mirror directories for this OS (`~/.terraform.d/plugins`,
 *    `$XDG_DATA_HOME/terraform/plugins`, `<each XDG_DATA_DIRS>/terraform/plugins`, ...).
 * 4. The directories directly under `/opt`, and their `plugins/` (where CI images unpack tool
 *    bundles): a shallow search, never a fixed machine path.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** A provider to look for, e.g. `registry.terraform.io/hashicorp/aws` at `5.100.0`. */
export interface ProviderRequirement {
  /** `<hostname>/<namespace>/<type>`. */
  readonly source: string;
  /** An exact version. */
  readonly version: string;
}

/** The provider every seedstack stack needs: the version @cdktf/provider-aws 20.1.0 binds. */
export const AWS_PROVIDER: ProviderRequirement = { source: "registry.terraform.io/hashicorp/aws", version: "5.100.0" };

/**
 * The provider the self-signed certificate needs: the version @cdktf/provider-tls 11.0.1 binds.
 * Optional in a mirror: without it, a self-signed stack gets hashicorp/tls from the registry.
 */
export const TLS_PROVIDER: ProviderRequirement = { source: "registry.terraform.io/hashicorp/tls", version: "4.1.0" };

/** Every provider the stacks pin, for a mirror that serves them all (scripts/provider-mirror.ts). */
export const PINNED_PROVIDERS: readonly ProviderRequirement[] = [AWS_PROVIDER, TLS_PROVIDER];

/** A directory that may be a mirror, and why we look there. */
export interface MirrorCandidate {
  readonly path: string;
  readonly why: string;
}

/** A mirror that holds the provider. */
export interface ProviderMirror extends MirrorCandidate {
  /** `unpacked` (terraform links to it) or `packed` (zip archives, unpacked into the plugin cache). */
  readonly layout: "unpacked" | "packed";
  /** The provider sources (`registry.terraform.io/hashicorp/aws`) it holds for this platform, any version. */
  readonly sources: readonly string[];
}

/** What a search found, and everywhere it looked (for the message when it found nothing). */
export interface MirrorSearch {
  readonly mirror: ProviderMirror | undefined;
  readonly searched: readonly MirrorCandidate[];
}

/** Where to search from: the environment, home directory and platform (tests pass their own). */
export interface MirrorSearchOptions {
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** @default os.homedir() */
  readonly home?: string;
  /** Terraform's platform name, `linux_amd64`. @default this machine's */
  readonly platform?: string;
  /** Parent directories searched one level deep. @default ["/opt"] */
  readonly shallowRoots?: readonly string[];
  /** @default AWS_PROVIDER */
  readonly provider?: ProviderRequirement;
}

/** Terraform's name for a platform: `linux_amd64`, `darwin_arm64`, `windows_amd64`. */
export function terraformPlatform(platform: string = process.platform, arch: string = process.arch): string {
  const os = platform === "win32" ? "windows" : platform;
  const cpu = ({ x64: "amd64", ia32: "386", arm64: "arm64", arm: "arm" } as Record<string, string>)[arch] ?? arch;
  return `${os}_${cpu}`;
}

/** Search for a mirror holding `options.provider`; see the module comment for the order. */
export function findProviderMirror(options: MirrorSearchOptions = {}): MirrorSearch {
  const env = options.env ?? process.env;
  const platform = options.platform ?? terraformPlatform();
  const provider = options.provider ?? AWS_PROVIDER;
  const explicit = env.SEEDSTACK_TF_PROVIDER_MIRROR;
  const candidates =
    explicit !== undefined && explicit !== ""
      ? [{ path: explicit, why: "SEEDSTACK_TF_PROVIDER_MIRROR" }]
      : implicitCandidates(env, options.home ?? homedir(), options.shallowRoots ?? ["/opt"]);
  const searched: MirrorCandidate[] = [];
  const seen = new Set<string>();
  for (const candidate of candidates) {
    if (seen.has(candidate.path)) continue;
    seen.add(candidate.path);
    searched.push(candidate);
    const layout = providerLayout(candidate.path, provider, platform);
    if (layout !== undefined) return { mirror: { ...candidate, layout, sources: mirroredSources(candidate.path, platform) }, searched };
  }
  return { mirror: undefined, searched };
}

/** One line naming where a search looked, for "not found" messages. */
export function describeSearch(search: MirrorSearch, provider: ProviderRequirement = AWS_PROVIDER, platform = terraformPlatform()): string {
  const places = search.searched.map((c) => `${c.path} (${c.why})`).join(", ");
  return `no local mirror of ${provider.source} ${provider.version} for ${platform} in ${places || "no candidate directories"}; set SEEDSTACK_TF_PROVIDER_MIRROR to a directory laid out for terraform's filesystem_mirror`;
}

function implicitCandidates(env: NodeJS.ProcessEnv, home: string, shallowRoots: readonly string[]): MirrorCandidate[] {
  const candidates: MirrorCandidate[] = [];
  const userConfig = env.TF_CLI_CONFIG_FILE || join(home, process.platform === "win32" ? "terraform.rc" : ".terraformrc");
  for (const path of pathsInCliConfig(userConfig)) candidates.push({ path, why: `named in ${userConfig}` });
  if (env.TF_PLUGIN_CACHE_DIR) candidates.push({ path: env.TF_PLUGIN_CACHE_DIR, why: "TF_PLUGIN_CACHE_DIR" });
  for (const path of impliedMirrorDirectories(env, home)) candidates.push({ path, why: "terraform's implied local mirror" });
  for (const root of shallowRoots) {
    for (const child of subdirectories(root)) {
      candidates.push({ path: child, why: `under ${root}` });
      candidates.push({ path: join(child, "plugins"), why: `under ${root}` });
    }
  }
  return candidates;
}

/**
 * Terraform's implied local mirror directories (terraform docs, "Implied Local Mirror Directories").
 * On Windows: %APPDATA%/HashiCorp/Terraform/plugins; on macOS also the Application Support folders.
 */
export function impliedMirrorDirectories(env: NodeJS.ProcessEnv, home: string, platform: string = process.platform): string[] {
  if (platform === "win32") return env.APPDATA ? [join(env.APPDATA, "HashiCorp", "Terraform", "plugins")] : [];
  const dirs = [join(home, ".terraform.d", "plugins")];
  if (platform === "darwin") {
    dirs.push(join(home, "Library", "Application Support", "io.terraform", "plugins"), "/Library/Application Support/io.terraform/plugins");
  }
  dirs.push(join(env.XDG_DATA_HOME || join(home, ".local", "share"), "terraform", "plugins"));
  for (const dir of (env.XDG_DATA_DIRS || "/usr/local/share:/usr/share").split(":").filter(Boolean)) dirs.push(join(dir, "terraform", "plugins"));
  return dirs;
}

/** `path = "..."` of filesystem_mirror blocks and `plugin_cache_dir = "..."` in a CLI configuration file (HCL). */
export function pathsInCliConfig(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return [];
  }
  const paths: string[] = [];
  for (const block of text.matchAll(/filesystem_mirror\s*\{([^}]*)\}/g)) {
    const path = /\bpath\s*=\s*"([^"]+)"/.exec(block[1]!)?.[1];
    if (path) paths.push(path);
  }
  const cache = /^\s*plugin_cache_dir\s*=\s*"([^"]+)"/m.exec(text)?.[1];
  if (cache) paths.push(cache);
  return paths;
}

/** How `dir` holds `provider` for `platform`, or undefined when it does not. */
export function providerLayout(dir: string, provider: ProviderRequirement, platform: string): "unpacked" | "packed" | undefined {
  const type = provider.source.split("/").pop()!;
  const base = join(dir, ...provider.source.split("/"));
  const unpacked = join(base, provider.version, platform);
  if (isDirectory(unpacked) && readdirSync(unpacked).some((f) => f.startsWith(`terraform-provider-${type}`))) return "unpacked";
  if (existsSync(join(base, `terraform-provider-${type}_${provider.version}_${platform}.zip`))) return "packed";
  return undefined;
}

/** Every `<hostname>/<namespace>/<type>` in a mirror that has some version for `platform`. */
export function mirroredSources(dir: string, platform: string): string[] {
  const sources: string[] = [];
  for (const host of subdirectories(dir)) {
    for (const namespace of subdirectories(host)) {
      for (const type of subdirectories(namespace)) {
        const entries = readdirSync(type);
        const name = type.split(/[\\/]/).pop()!;
        const hasPlatform = entries.some((e) => isDirectory(join(type, e, platform)) || (e.startsWith(`terraform-provider-${name}_`) && e.endsWith(`_${platform}.zip`)));
        if (hasPlatform) sources.push([host, namespace, type].map((p) => p.split(/[\\/]/).pop()).join("/"));
      }
    }
  }
  return sources.sort();
}

function subdirectories(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() || (e.isSymbolicLink() && isDirectory(join(dir, e.name))))
      .map((e) => join(dir, e.name))
      .sort();
  } catch {
    return [];
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
