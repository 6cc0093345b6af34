/**
 * Where the built seed-server bundle lives, for the code that ships it (ArtifactBucket, the demo,
 * the local engine).
 *
 * The bundle is built into `<package root>/dist/bundle/seed-server.mjs` by `npm run build:bundle`.
 * The package root is found by walking up from this file to the `package.json` whose name is
 * "seedstack", so the answer is the same whether this module runs from source (tsx), from compiled
 * `dist/`, or from `node_modules/seedstack` in a consumer's project.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The package name that marks the package root. */
const PACKAGE_NAME = "seedstack";

/** The bundle's path relative to the package root. */
export const SEED_SERVER_BUNDLE_RELATIVE_PATH = join("dist", "bundle", "seed-server.mjs");

/**
 * The directory holding the "seedstack" package.json, found by walking up from `startDir`.
 * Throws when there is none (this module was copied out of its package).
 */
export function findPackageRoot(startDir: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = startDir;
  for (;;) {
    const candidate = join(dir, "package.json");
    if (existsSync(candidate) && readPackageName(candidate) === PACKAGE_NAME) return dir;
    const parent = dirname(dir);
    if (parent === dir) {
      throw new Error(`could not find the ${PACKAGE_NAME} package root: no package.json named "${PACKAGE_NAME}" above ${startDir}`);
    }
    dir = parent;
  }
}

function readPackageName(packageJsonPath: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(packageJsonPath, "utf8"));
    return typeof parsed === "object" && parsed !== null && "name" in parsed && typeof parsed.name === "string"
      ? parsed.name
      : undefined;
  } catch {
    // An unreadable or malformed package.json on the way up is not ours; keep walking.
    return undefined;
  }
}

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
