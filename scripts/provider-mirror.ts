/**
 * Builds a terraform provider mirror holding the providers the stacks pin (hashicorp/aws and
 * hashicorp/tls, lifecycle/terraform/provider-mirror.ts) with `terraform providers mirror`, laid
 * out for `provider_installation { filesystem_mirror }`: packed zips plus terraform's JSON index
 * files. Point SEEDSTACK_TF_PROVIDER_MIRROR at it and the real-terraform tests run offline from it.
 * ci.yml runs it on GitHub's runners, which carry no mirror of ours.
 *
 *   npm run provider-mirror -- <directory> [--platform linux_amd64 ...]
 *
 * `terraform providers mirror` always asks each provider's origin registry (it ignores the
 * `provider_installation` block of the CLI configuration, so an existing mirror cannot be the
 * source); the CLI configuration is still read for `host` blocks, which is how the test points it
 * at a registry stand-in. Each provider is mirrored on its own, so one that cannot be had
 * (hashicorp/tls on a machine without the registry) is named with terraform's reason while the
 * others are still mirrored; the exit code is then 1.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { PINNED_PROVIDERS, providerLayout, terraformPlatform, type ProviderRequirement } from "../lifecycle/index.js";
import { findTerraform, runTerraform } from "./plan/terraform-process.js";

/** Downloading the 700 MB aws provider on a slow link takes a while; a hung registry does not get forever. */
const MIRROR_TIMEOUT_MS = 20 * 60_000;

/** What {@link buildProviderMirror} does. */
export interface MirrorBuildOptions {
  /** The mirror directory (created when missing; providers already there are kept). */
  readonly dir: string;
  /** @default PINNED_PROVIDERS */
  readonly providers?: readonly ProviderRequirement[];
  /** Terraform platform names. @default this machine's */
  readonly platforms?: readonly string[];
  /** Environment of the terraform runs (TF_CLI_CONFIG_FILE is honoured for `host` blocks). @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Print terraform's output as it comes. @default false */
  readonly echo?: boolean;
}

/** One provider's outcome. */
export type MirrorResult =
  | { readonly provider: ProviderRequirement; readonly ok: true }
  | { readonly provider: ProviderRequirement; readonly ok: false; readonly reason: string };

/** `registry.terraform.io/hashicorp/tls 4.1.0`. */
export function providerName(provider: ProviderRequirement): string {
  return `${provider.source} ${provider.version}`;
}

/** Mirror each provider into `options.dir`; never throws for a provider that cannot be had. */
export async function buildProviderMirror(options: MirrorBuildOptions): Promise<MirrorResult[]> {
  const env = options.env ?? process.env;
  const platforms = options.platforms ?? [terraformPlatform()];
  const terraform = findTerraform(env.PATH);
  if (terraform === undefined) throw new Error("terraform is not on PATH; install Terraform >= 1.10 (ci.yml: hashicorp/setup-terraform)");
  const dir = resolve(options.dir);
  mkdirSync(dir, { recursive: true });
  const results: MirrorResult[] = [];
  for (const provider of options.providers ?? PINNED_PROVIDERS) {
    // A configuration that requires exactly this provider at exactly this version.
    const config = mkdtempSync(join(tmpdir(), "seedstack-provider-mirror-"));
    try {
      const [hostname, namespace, type] = provider.source.split("/");
      writeFileSync(
        join(config, "main.tf.json"),
        JSON.stringify({ terraform: { required_providers: { [type!]: { source: `${hostname}/${namespace}/${type}`, version: provider.version } } } }),
      );
      const run = await runTerraform(["providers", "mirror", ...platforms.map((p) => `-platform=${p}`), dir], {
        cwd: config,
        env: { ...env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" },
        timeoutMs: MIRROR_TIMEOUT_MS,
        terraform,
        echo: options.echo ?? false,
      });
      const missing = platforms.filter((p) => providerLayout(dir, provider, p) === undefined);
      if (run.code === 0 && missing.length === 0) results.push({ provider, ok: true });
      else results.push({ provider, ok: false, reason: run.code === 0 ? `terraform reported success, yet no package for ${missing.join(", ")} is in ${dir}` : terraformError(run.stdout + run.stderr) });
    } finally {
      rmSync(config, { recursive: true, force: true });
    }
  }
  return results;
}

/** Terraform's error block(s) as plain lines: the box drawing and colour codes removed. */
export function terraformError(output: string): string {
  const plain = output.replace(/\x1b\[[0-9;]*m/g, "");
  const lines = plain
    .split("\n")
    .map((l) => l.replace(/^[│╷╵]\s?/, "").trimEnd())
    .filter((l) => l !== "" && !l.startsWith("- Mirroring") && !l.startsWith("  - "));
  const from = lines.findIndex((l) => l.startsWith("Error:"));
  return (from >= 0 ? lines.slice(from) : lines).join(" ").replace(/\s+/g, " ").trim() || `terraform exited without saying why`;
}

const USAGE = "usage: npm run provider-mirror -- <directory> [--platform <os_arch> ...]";

async function main(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, options: { platform: { type: "string", multiple: true } } });
  } catch (error) {
    console.error(`provider-mirror: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (parsed.positionals.length !== 1) {
    console.error(`provider-mirror: give exactly one mirror directory (got ${parsed.positionals.length})\n${USAGE}`);
    return 2;
  }
  const bad = (parsed.values.platform ?? []).filter((p) => !/^[a-z0-9]+_[a-z0-9]+$/.test(p));
  if (bad.length > 0) {
    console.error(`provider-mirror: --platform takes terraform's os_arch names such as linux_amd64; not ${bad.map((b) => JSON.stringify(b)).join(", ")}`);
    return 2;
  }
  const dir = resolve(parsed.positionals[0]!);
  let results: MirrorResult[];
  try {
    results = await buildProviderMirror({ dir, ...(parsed.values.platform ? { platforms: parsed.values.platform } : {}) });
  } catch (error) {
    console.error(`provider-mirror: ${(error as Error).message}`);
    return 1;
  }
  for (const r of results) if (r.ok) console.log(`provider-mirror: mirrored ${providerName(r.provider)} into ${dir}`);
  const failed = results.filter((r): r is Extract<MirrorResult, { ok: false }> => !r.ok);
  for (const r of failed) console.error(`provider-mirror: cannot get ${providerName(r.provider)}: ${r.reason}`);
  if (failed.length > 0) {
    console.error(`provider-mirror: the mirror in ${dir} lacks ${failed.map((r) => providerName(r.provider)).join(" and ")}`);
    return 1;
  }
  console.log(`provider-mirror: done; set SEEDSTACK_TF_PROVIDER_MIRROR=${dir}`);
  return 0;
}

const isEntryPoint = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === resolve(process.argv[1]);
if (isEntryPoint) process.exitCode = await main(process.argv.slice(2));
