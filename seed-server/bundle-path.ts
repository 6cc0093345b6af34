/**
 * Where the built seed-server bundle lives, for the code that ships it (ArtifactBucket, the demo,
 * the local engine).
 *
 * The bundle is built into `<package root>/dist/bundle/seed-server.mjs` by `npm run build:bundle`;
 * the package root is shared/package-root.ts's to find.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { findPackageRoot } from "../shared/package-root.js";

/** The bundle's path relative to the package root. */
export const SEED_SERVER_BUNDLE_RELATIVE_PATH = join("dist", "bundle", "seed-server.mjs");

/** Absolute path of the seed-server bundle (`<package root>/dist/bundle/seed-server.mjs`); it may not exist yet. */
export function seedServerBundlePath(): string {
  return join(findPackageRoot(), SEED_SERVER_BUNDLE_RELATIVE_PATH);
}

/**
 * The bundle's bytes. Throws "seed-server bundle not found at <path>: run `npm run build:bundle`"
 * when it has not been built.
 * @param path where to read it from; @default seedServerBundlePath()
 */
export function readSeedServerBundle(path: string = seedServerBundlePath()): Buffer {
  if (!existsSync(path)) {
    throw new Error(`seed-server bundle not found at ${path}: run \`npm run build:bundle\``);
  }
  return readFileSync(path);
}
