import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { renderCliConfig, writeCliConfig } from "./cli-config.js";

const mirror = { path: "/mirror", sources: ["registry.terraform.io/hashicorp/aws"] };

test("offline: the mirror is the only installation method, for every provider", () => {
  const text = renderCliConfig({ mirror, offline: true, pluginCacheDir: "/cache" });
  assert.match(text, 'plugin_cache_dir = "/cache"');
  assert.match(text, "disable_checkpoint = true");
  assert.match(text, 'provider_installation {\n  filesystem_mirror {\n    path = "/mirror"\n  }\n}');
  assert.not.match(text, "direct");
  assert.not.match(text, "include");
});

test("online with a mirror: what the mirror holds comes from it, everything else from the registry", () => {
  const text = renderCliConfig({ mirror });
  assert.match(text, 'filesystem_mirror {\n    path = "/mirror"\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }');
  assert.match(text, 'direct {\n    exclude = ["registry.terraform.io/hashicorp/aws"]\n  }');
  assert.not.match(text, "plugin_cache_dir");
});

test("no mirror: the registry only; offline without a mirror is refused with a clear message", () => {
  assert.match(renderCliConfig({}), "provider_installation {\n  direct {\n  }\n}");
  assert.throws(() => renderCliConfig({ offline: true }), /offline terraform configuration needs a provider mirror/);
});

test("paths are quoted for HCL (backslashes and quotes escaped)", () => {
  assert.match(renderCliConfig({ mirror: { path: 'C:\\tf "plugins"', sources: [] }, offline: true }), 'path = "C:\\\\tf \\"plugins\\""');
});

test("writeCliConfig writes the file and creates the plugin cache", () => {
  const root = mkdtempSync(join(tmpdir(), "seedstack-cli-config-"));
  try {
    const file = writeCliConfig(join(root, "sub", "terraform.rc"), { mirror, offline: true, pluginCacheDir: join(root, "cache") });
    assert.is(readFileSync(file, "utf8"), renderCliConfig({ mirror, offline: true, pluginCacheDir: join(root, "cache") }));
    assert.ok(statSync(join(root, "cache")).isDirectory());
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test.run();
