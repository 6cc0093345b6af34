/**
 * Builds the public construct library (`seedstack/modules`) twice, for both kinds of consumer:
 *
 * - `dist/esm/`: tsc's own output (ES modules, `.d.ts`, source maps), for `import` from an ES
 *   module project ("module": "NodeNext" with "type": "module", or a bundler).
 * - `dist/cjs/`: the same library as one CommonJS file, `dist/cjs/modules/index.js`, for `require`
 *   from a CommonJS project, which is what cdktf's TypeScript template makes ("module": "CommonJS").
 *   esbuild converts it from the same sources; `dist/cjs/package.json` says `"type": "commonjs"`
 *   so Node and TypeScript read the files there (the `.d.ts` copies too) as CommonJS.
 *
 * package.json "exports" sends `import` to the first and `require` to the second, each with its
 * own types; "typesVersions" gives the CommonJS types to TypeScript's older `node10` resolution,
 * which ignores "exports" (cdktf's template leaves moduleResolution at that default).
 *
 * Source maps carry their sources inline (`sourcesContent`): the package ships no `.ts` sources.
 *
 * Run with `npm run build:lib` (part of `npm run build`, which `prepare` and `pretest` run).
 */
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { findPackageRoot } from "../shared/package-root.js";

const root = findPackageRoot();
const esmDir = join(root, "dist", "esm");
const cjsDir = join(root, "dist", "cjs");

/** The name the CommonJS build gives `import.meta.url`, defined by its banner from `__filename`. */
const IMPORT_META_URL = "__seedstackImportMetaUrl";

function buildEsm(): void {
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  const run = spawnSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], { cwd: root, stdio: "inherit" });
  if (run.status !== 0) throw new Error(`build:lib: tsc -p tsconfig.build.json failed (exit ${run.status ?? run.signal})`);
}

async function buildCjs(): Promise<void> {
  const result = await build({
    entryPoints: [join(root, "modules", "index.ts")],
    outfile: join(cjsDir, "modules", "index.js"),
    bundle: true,
    // cdktf, constructs and the provider bindings are the consumer's (peer dependencies): one
    // copy of constructs in the consumer's tree, or synth fails. Only our own files go in.
    packages: "external",
    platform: "node",
    format: "cjs",
    target: "node22", // package.json engines
    sourcemap: true,
    sourcesContent: true,
    // shared/package-root.ts finds the package root from its own location, import.meta.url,
    // which CommonJS has not; this gives it the same URL from __filename.
    define: { "import.meta.url": IMPORT_META_URL },
    banner: { js: `const ${IMPORT_META_URL} = require("node:url").pathToFileURL(__filename).href;` },
    logLevel: "silent",
  });
  if (result.warnings.length > 0) {
    throw new Error(`build:lib: esbuild warned while building the CommonJS library:\n${result.warnings.map((w) => w.text).join("\n")}`);
  }
  writeFileSync(join(cjsDir, "package.json"), `${JSON.stringify({ type: "commonjs" }, null, 2)}\n`);
  // The declarations are the same text for both formats; under dist/cjs they are read as CommonJS.
  cpSync(esmDir, cjsDir, { recursive: true, filter: (src) => !/\.js(\.map)?$/.test(src) });
}

rmSync(esmDir, { recursive: true, force: true });
rmSync(cjsDir, { recursive: true, force: true });
mkdirSync(cjsDir, { recursive: true });
buildEsm();
await buildCjs();
