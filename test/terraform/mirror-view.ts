/**
 * Test-only: a view of a provider mirror holding only some of its providers (symlinks into it, in
 * the same layout), for tests that need a provider to be missing even where the machine's mirror
 * has it (hashicorp/tls in a mirror built on GitHub's runners). Terraform's filesystem_mirror
 * follows the links for both layouts.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { providerLayout, type ProviderMirror, type ProviderRequirement } from "../../lifecycle/terraform/provider-mirror.js";

/** A view directory and how to remove it. */
export interface MirrorView {
  readonly path: string;
  remove(): void;
}

/** A view of `mirror` with only `providers` (each must be in it for `platform`). */
export function mirrorView(mirror: Pick<ProviderMirror, "path">, providers: readonly ProviderRequirement[], platform: string): MirrorView {
  const path = mkdtempSync(join(tmpdir(), "seedstack-mirror-view-"));
  try {
    for (const provider of providers) {
      const parts = provider.source.split("/");
      const type = parts[2]!;
      const layout = providerLayout(mirror.path, provider, platform);
      if (layout === undefined) throw new Error(`mirrorView: ${mirror.path} holds no ${provider.source} ${provider.version} for ${platform}`);
      if (layout === "unpacked") {
        mkdirSync(join(path, ...parts, provider.version), { recursive: true });
        symlinkSync(join(mirror.path, ...parts, provider.version, platform), join(path, ...parts, provider.version, platform), "dir");
      } else {
        const zip = `terraform-provider-${type}_${provider.version}_${platform}.zip`;
        mkdirSync(join(path, ...parts), { recursive: true });
        symlinkSync(join(mirror.path, ...parts, zip), join(path, ...parts, zip), "file");
      }
    }
    return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
  } catch (error) {
    rmSync(path, { recursive: true, force: true });
    throw error;
  }
}
