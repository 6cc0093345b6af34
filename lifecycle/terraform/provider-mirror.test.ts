import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { describeSearch, findProviderMirror, impliedMirrorDirectories, mirroredSources, pathsInCliConfig, providerLayout, terraformPlatform } from "./provider-mirror.js";

const AWS = { source: "registry.terraform.io/hashicorp/aws", version: "5.100.0" };
const roots: string[] = [];

function tempRoot(): string {
  const root = mkdtempSync(join(tmpdir(), "seedstack-mirror-test-"));
  roots.push(root);
  return root;
}

/** An unpacked mirror: <dir>/registry.terraform.io/hashicorp/<type>/<version>/<platform>/terraform-provider-<type>_v<version>_x5. */
function unpackedMirror(dir: string, type = "aws", version = "5.100.0", platform = "linux_amd64"): string {
  const target = join(dir, "registry.terraform.io", "hashicorp", type, version, platform);
  mkdirSync(target, { recursive: true });
  writeFileSync(join(target, `terraform-provider-${type}_v${version}_x5`), "");
  return dir;
}

test.after(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

test("terraform platform names: linux_amd64, darwin_arm64, windows_amd64", () => {
  assert.is(terraformPlatform("linux", "x64"), "linux_amd64");
  assert.is(terraformPlatform("darwin", "arm64"), "darwin_arm64");
  assert.is(terraformPlatform("win32", "x64"), "windows_amd64");
});

test("a directory holds the provider unpacked, packed (zip), or not at all", () => {
  const root = tempRoot();
  assert.is(providerLayout(unpackedMirror(join(root, "u")), AWS, "linux_amd64"), "unpacked");
  const packed = join(root, "p", "registry.terraform.io", "hashicorp", "aws");
  mkdirSync(packed, { recursive: true });
  writeFileSync(join(packed, "terraform-provider-aws_5.100.0_linux_amd64.zip"), "");
  assert.is(providerLayout(join(root, "p"), AWS, "linux_amd64"), "packed");
  assert.is(providerLayout(join(root, "u"), { ...AWS, version: "6.0.0" }, "linux_amd64"), undefined, "another version");
  assert.is(providerLayout(join(root, "u"), AWS, "darwin_arm64"), undefined, "another platform");
  assert.is(providerLayout(join(root, "missing"), AWS, "linux_amd64"), undefined);
});

test("SEEDSTACK_TF_PROVIDER_MIRROR wins, and is the only place searched when set", () => {
  const root = tempRoot();
  const chosen = unpackedMirror(join(root, "chosen"));
  const home = join(root, "home");
  unpackedMirror(join(home, ".terraform.d", "plugins"));
  const found = findProviderMirror({ env: { SEEDSTACK_TF_PROVIDER_MIRROR: chosen }, home, platform: "linux_amd64", shallowRoots: [] });
  assert.equal(found.mirror, { path: chosen, why: "SEEDSTACK_TF_PROVIDER_MIRROR", layout: "unpacked", sources: ["registry.terraform.io/hashicorp/aws"] });

  const empty = join(root, "empty");
  mkdirSync(empty);
  const missing = findProviderMirror({ env: { SEEDSTACK_TF_PROVIDER_MIRROR: empty }, home, platform: "linux_amd64", shallowRoots: [] });
  assert.is(missing.mirror, undefined, "a set override that lacks the provider is not silently replaced by another mirror");
  assert.equal(missing.searched, [{ path: empty, why: "SEEDSTACK_TF_PROVIDER_MIRROR" }]);
  assert.match(describeSearch(missing, AWS, "linux_amd64"), `no local mirror of registry.terraform.io/hashicorp/aws 5.100.0 for linux_amd64 in ${empty} (SEEDSTACK_TF_PROVIDER_MIRROR)`);
});

test("without the override: the user's CLI config mirror, then terraform's implied directories, then one level under /opt-like roots", () => {
  const root = tempRoot();
  const home = join(root, "home");
  const opt = join(root, "opt");
  unpackedMirror(join(opt, "tf-plugins"));
  mkdirSync(home, { recursive: true });
  const env = { XDG_DATA_DIRS: join(root, "share") };

  // Only the shallow search finds it.
  const shallow = findProviderMirror({ env, home, platform: "linux_amd64", shallowRoots: [opt] });
  assert.is(shallow.mirror?.path, join(opt, "tf-plugins"));
  assert.is(shallow.mirror?.why, `under ${opt}`);
  assert.ok(shallow.searched.some((c) => c.path === join(home, ".terraform.d", "plugins")), "implied directories searched first");

  // An implied directory is preferred over the shallow search.
  unpackedMirror(join(root, "share", "terraform", "plugins"));
  assert.is(findProviderMirror({ env, home, platform: "linux_amd64", shallowRoots: [opt] }).mirror?.path, join(root, "share", "terraform", "plugins"));

  // A mirror named in the user's CLI configuration is preferred over both.
  const named = unpackedMirror(join(root, "named"));
  writeFileSync(join(home, ".terraformrc"), `provider_installation {\n  filesystem_mirror {\n    path    = "${named}"\n    include = ["registry.terraform.io/*/*"]\n  }\n  direct {}\n}\n`);
  const fromConfig = findProviderMirror({ env, home, platform: "linux_amd64", shallowRoots: [opt] });
  assert.is(fromConfig.mirror?.path, named);
  assert.is(fromConfig.mirror?.why, `named in ${join(home, ".terraformrc")}`);
});

test("nothing anywhere: no mirror, and the message lists every place searched", () => {
  const root = tempRoot();
  const search = findProviderMirror({ env: { XDG_DATA_DIRS: "/nonexistent-share" }, home: join(root, "home"), platform: "linux_amd64", shallowRoots: [] });
  assert.is(search.mirror, undefined);
  const message = describeSearch(search, AWS, "linux_amd64");
  assert.match(message, `${join(root, "home", ".terraform.d", "plugins")} (terraform's implied local mirror)`);
  assert.match(message, "set SEEDSTACK_TF_PROVIDER_MIRROR");
});

test("CLI config paths: filesystem_mirror paths and plugin_cache_dir; a missing file has none", () => {
  const root = tempRoot();
  const file = join(root, "rc");
  writeFileSync(file, 'plugin_cache_dir = "/cache/plugins"\nprovider_installation {\n  filesystem_mirror {\n    path = "/a"\n  }\n  filesystem_mirror {\n    include = ["x/y/z"]\n    path = "/b"\n  }\n}\n');
  assert.equal(pathsInCliConfig(file), ["/a", "/b", "/cache/plugins"]);
  assert.equal(pathsInCliConfig(join(root, "none")), []);
});

test("terraform's implied mirror directories per OS", () => {
  assert.equal(impliedMirrorDirectories({}, "/home/u", "linux"), [
    "/home/u/.terraform.d/plugins",
    "/home/u/.local/share/terraform/plugins",
    "/usr/local/share/terraform/plugins",
    "/usr/share/terraform/plugins",
  ]);
  assert.equal(impliedMirrorDirectories({ XDG_DATA_HOME: "/x", XDG_DATA_DIRS: "/y" }, "/home/u", "linux"), ["/home/u/.terraform.d/plugins", "/x/terraform/plugins", "/y/terraform/plugins"]);
  assert.ok(impliedMirrorDirectories({}, "/Users/u", "darwin").includes("/Users/u/Library/Application Support/io.terraform/plugins"));
});

test("a mirror's sources: every provider it holds for the platform", () => {
  const root = tempRoot();
  unpackedMirror(root, "aws");
  unpackedMirror(root, "tls", "4.1.0");
  unpackedMirror(root, "random", "3.6.0", "darwin_arm64");
  assert.equal(mirroredSources(root, "linux_amd64"), ["registry.terraform.io/hashicorp/aws", "registry.terraform.io/hashicorp/tls"]);
});

test.run();
