/**
 * `npm run provider-mirror -- <dir>` (scripts/provider-mirror.ts), the step ci.yml runs on GitHub's
 * runners, run here as a separate process with the real terraform. `terraform providers mirror`
 * only ever downloads from the origin registry, and this machine has no network: the registry is a
 * loopback STAND-IN (test/terraform/provider-registry-stand-in.ts) serving, in the registry's
 * protocol, the providers of the local mirror, reached through a `host` block of the CLI
 * configuration (TF_CLI_CONFIG_FILE). Whatever the local mirror lacks (hashicorp/tls here) the
 * stand-in does not have either, as the real registry lacks an unknown provider: the script must
 * name it and still mirror the rest. The built mirror is then used by `terraform init`.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { findProviderMirror, PINNED_PROVIDERS, providerLayout, terraformPlatform } from "../lifecycle/terraform/provider-mirror.js";
import { findPackageRoot } from "../shared/package-root.js";
import { fileSha256 } from "../test/terraform/file-sha256.js";
import { startProviderRegistryStandIn } from "../test/terraform/provider-registry-stand-in.js";
import { announceSkip, terraformAvailability, terraformRequired } from "../test/terraform/terraform-available.js";
import { startTerraformRig } from "../test/terraform/terraform-rig.js";
import { providerName, terraformError } from "./provider-mirror.js";
import { runScript } from "./test-support/run-script.js";

const test = suite("npm run provider-mirror");
const root = findPackageRoot();

/** This environment without terraform settings, plus `extra`. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("TF_") && !k.startsWith("SEEDSTACK_")));
  return { ...env, CHECKPOINT_DISABLE: "1", ...extra };
}

/** Run scripts/provider-mirror.ts with `env`. */
const runMirrorScript = (args: string[], env: NodeJS.ProcessEnv) => runScript("provider-mirror", args, env);

test("the pinned providers are the versions the provider bindings the stacks use were generated for", () => {
  for (const [pkg, provider] of [["@cdktf/provider-aws", PINNED_PROVIDERS[0]!], ["@cdktf/provider-tls", PINNED_PROVIDERS[1]!]] as const) {
    const meta = JSON.parse(readFileSync(join(root, "node_modules", ...pkg.split("/"), "package.json"), "utf8")) as { cdktf: { provider: { name: string; version: string } } };
    assert.equal({ source: meta.cdktf.provider.name, version: meta.cdktf.provider.version }, provider, pkg);
  }
});

test("terraform's error box becomes one plain line", () => {
  // Copied from terraform 1.11.4 (`providers mirror`, registry without the provider), colours included.
  const output = [
    "- Mirroring hashicorp/tls...",
    "\x1b[31m╷\x1b[0m\x1b[0m",
    "\x1b[31m│\x1b[0m \x1b[0m\x1b[1m\x1b[31mError: \x1b[0m\x1b[0m\x1b[1mProvider not available\x1b[0m",
    "\x1b[31m│\x1b[0m \x1b[0m",
    "\x1b[31m│\x1b[0m \x1b[0m\x1b[0mFailed to download registry.terraform.io/hashicorp/tls from its origin",
    "\x1b[31m│\x1b[0m \x1b[0mregistry: provider registry registry.terraform.io does not have a provider",
    "\x1b[31m│\x1b[0m \x1b[0mnamed registry.terraform.io/hashicorp/tls.",
    "\x1b[31m╵\x1b[0m\x1b[0m",
  ].join("\n");
  assert.is(
    terraformError(output),
    "Error: Provider not available Failed to download registry.terraform.io/hashicorp/tls from its origin registry: provider registry registry.terraform.io does not have a provider named registry.terraform.io/hashicorp/tls.",
  );
});

test("bad arguments: usage, exit 2, nothing run", async () => {
  const none = await runMirrorScript([], cleanEnv({}));
  assert.is(none.code, 2);
  assert.match(none.stderr, "provider-mirror: give exactly one mirror directory (got 0)");
  assert.match(none.stderr, "usage: npm run provider-mirror -- <directory> [--platform <os_arch> ...]");
  const platform = await runMirrorScript(["/nowhere", "--platform", "linux-amd64"], cleanEnv({}));
  assert.is(platform.code, 2);
  assert.match(platform.stderr, '--platform takes terraform\'s os_arch names such as linux_amd64; not "linux-amd64"');
});

test("without terraform on PATH: says so, exit 1", async () => {
  const out = mkdtempSync(join(tmpdir(), "seedstack-provider-mirror-out-"));
  try {
    const result = await runMirrorScript([out], cleanEnv({ PATH: join(process.execPath, "..") }));
    assert.is(result.code, 1);
    assert.match(result.stderr, "provider-mirror: terraform is not on PATH; install Terraform >= 1.10");
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

const availability = terraformAvailability();
if (!availability.ok) {
  if (terraformRequired()) test("terraform and the provider mirror are present (SEEDSTACK_REQUIRE_TERRAFORM=1)", () => assert.unreachable(availability.reason));
  else announceSkip(availability.reason);
} else {
  test("builds a mirror of the pinned versions from the registry (its stand-in), names what it cannot get, and terraform init installs from the result", async () => {
    const platform = terraformPlatform();
    const source = availability.mirror.path;
    const held = PINNED_PROVIDERS.filter((p) => providerLayout(source, p, platform) !== undefined);
    const lacking = PINNED_PROVIDERS.filter((p) => !held.includes(p));
    assert.ok(held.some((p) => p.source.endsWith("/aws")), "the local mirror holds hashicorp/aws (terraformAvailability found it)");
    const standIn = await startProviderRegistryStandIn(source);
    const work = mkdtempSync(join(tmpdir(), "seedstack-provider-mirror-test-"));
    try {
      const cliConfig = join(work, "registry-stand-in.tfrc");
      writeFileSync(cliConfig, standIn.cliConfig());
      const out = join(work, "mirror");
      const result = await runMirrorScript([out], cleanEnv({ TF_CLI_CONFIG_FILE: cliConfig }));
      const output = `exit ${result.code}\n${result.stdout}${result.stderr}`;

      for (const provider of held) {
        const [, namespace, type] = provider.source.split("/");
        assert.match(result.stdout, `provider-mirror: mirrored ${providerName(provider)} into ${out}`, output);
        assert.is(providerLayout(out, provider, platform), "packed", `${providerName(provider)} is in the mirror as terraform's packed layout`);
        const zip = join(out, ...provider.source.split("/"), `terraform-provider-${type}_${provider.version}_${platform}.zip`);
        const served = standIn.packages.find((p) => p.id === `${namespace}/${type}/${provider.version}/${platform}`);
        assert.is(fileSha256(zip), served?.sha256, "the package is the one the registry served, checksum verified by terraform");
        const index = JSON.parse(readFileSync(join(out, ...provider.source.split("/"), "index.json"), "utf8")) as { versions: Record<string, unknown> };
        assert.equal(Object.keys(index.versions), [provider.version], "only the pinned version");
        assert.ok(standIn.requests.includes(`GET /v1/providers/${namespace}/${type}/${provider.version}/download/${platform.replace("_", "/")} -> 200`));
      }
      for (const provider of lacking) {
        assert.match(
          result.stderr,
          `provider-mirror: cannot get ${providerName(provider)}: Error: Provider not available Failed to download ${provider.source} from its origin registry: provider registry registry.terraform.io does not have a provider named ${provider.source}.`,
          output,
        );
      }
      if (lacking.length > 0) {
        assert.is(result.code, 1, output);
        assert.match(result.stderr, `provider-mirror: the mirror in ${out} lacks ${lacking.map(providerName).join(" and ")}`);
      } else {
        assert.is(result.code, 0, output);
        assert.match(result.stdout, `provider-mirror: done; set SEEDSTACK_TF_PROVIDER_MIRROR=${out}`);
      }

      // The result is a mirror the tests find and terraform installs from, offline.
      const found = findProviderMirror({ env: { SEEDSTACK_TF_PROVIDER_MIRROR: out } }).mirror;
      assert.ok(found !== undefined && found.layout === "packed", "found as SEEDSTACK_TF_PROVIDER_MIRROR");
      const rig = await startTerraformRig(availability.terraform, found);
      try {
        assert.is(rig.init.code, 0, rig.init.stdout + rig.init.stderr);
        assert.match(rig.init.stdout, "Installing hashicorp/aws v5.100.0");
      } finally {
        await rig.close();
      }
    } finally {
      await standIn.close();
      rmSync(work, { recursive: true, force: true });
    }
  });
}

test.run();
