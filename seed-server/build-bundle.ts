/**
 * Builds the seed server into one file, dist/bundle/seed-server.mjs, that runs with plain `node`
 * and no node_modules: this is what ArtifactBucket uploads and EC2 user data runs.
 *
 * Run with `npm run build:bundle` (also run by `prepare` on `npm ci`, and by `pretest`).
 */
import { build } from "esbuild";
import { statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { findPackageRoot } from "../shared/package-root.js";
import { seedServerBundlePath } from "./bundle-path.js";

/** Build the bundle; resolves to its path and size in bytes. */
export async function buildSeedServerBundle(outfile: string = seedServerBundlePath()): Promise<{ path: string; bytes: number }> {
  await build({
    entryPoints: [join(dirname(fileURLToPath(import.meta.url)), "main.ts")],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    // EC2 instances run it on Node 22 (user data installs nodejs22 from AL2023), the floor.
    target: "node22",
    // Whitespace and syntax minified, identifiers not: a stack trace from an EC2 log stays
    // readable. (keepNames is off on purpose: its __name wrappers ran on every closure polka
    // creates per request and showed up in the benchmark's profile.)
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: "eof",
    // pg loads pg-native (libpq bindings) only when asked for pg.native, and pg-cloudflare only on
    // Cloudflare Workers; neither is used here, so they stay out.
    external: ["pg-native", "pg-cloudflare"],
    banner: {
      // The shebang makes the file usable as an npm bin; createRequire gives the bundled CommonJS
      // packages (pg) a working `require` for Node's built-ins inside an ES module.
      js: [
        "#!/usr/bin/env node",
        'import { createRequire as __seedCreateRequire } from "node:module";',
        "const require = __seedCreateRequire(import.meta.url);",
      ].join("\n"),
    },
    logLevel: "warning",
  });
  return { path: outfile, bytes: statSync(outfile).size };
}

const isEntryPoint = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isEntryPoint) {
  const { path, bytes } = await buildSeedServerBundle();
  console.log(`seed-server bundle: ${relative(findPackageRoot(), path)} (${(bytes / 1024).toFixed(1)} KiB)`);
}
