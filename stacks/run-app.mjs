// The cdktf app command (cdktf.json: "node stacks/run-app.mjs"): compile stacks/main.ts and the
// TypeScript it imports into one JavaScript file with esbuild, then run that with plain node.
//
// Why not `tsx stacks/main.ts`: tsx hooks every module node loads, and cdktf plus the provider
// classes are hundreds of modules; bench-synth.ts measured that overhead at 1-3 s of a 2-5 s synth
// on these machines, while esbuild compiles our ~50 files in well under 0.2 s. Packages stay
// external (loaded from node_modules as usual); only our own code is bundled.
//
// This file is JavaScript on purpose: it must run before anything can compile TypeScript.
import { build } from "esbuild";
import { readFile, rm, mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const debug = process.env.SEEDSTACK_DEBUG === "1";
const outdir = join(root, "node_modules", ".cache", "seedstack");
// One file per process, so two synths running at once never read each other's half-written output.
const outfile = join(outdir, `app-${process.pid}.mjs`);

/**
 * Each source file keeps its own `import.meta.url` (as under tsx), so code that finds files next
 * to itself (the seed-server bundle's entry point, the package root) still does once bundled:
 * every file gets a module-local constant holding its original URL, and `define` points
 * `import.meta.url` expressions (not strings or comments that mention it) at that constant.
 */
const ORIGINAL_URL = "__seedstackOriginalImportMetaUrl";
const keepImportMetaUrl = {
  name: "keep-import-meta-url",
  setup(esbuild) {
    esbuild.onLoad({ filter: /\.ts$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      return { contents: `const ${ORIGINAL_URL} = ${JSON.stringify(pathToFileURL(args.path).href)};\n${source}`, loader: "ts" };
    });
  },
};

await mkdir(outdir, { recursive: true });
try {
  await build({
    entryPoints: [join(root, "stacks", "main.ts")],
    outfile,
    bundle: true,
    packages: "external",
    platform: "node",
    format: "esm",
    target: "node20",
    sourcemap: debug ? "inline" : false,
    plugins: [keepImportMetaUrl],
    define: { "import.meta.url": ORIGINAL_URL },
    logLevel: "error",
  });
  if (debug) process.setSourceMapsEnabled(true);
  await import(pathToFileURL(outfile).href);
} finally {
  await rm(outfile, { force: true });
}
