/**
 * The seedstack package's root directory, for every part that needs a path inside the package
 * (stacks, the lifecycle, the Action, scripts, the seed server's bundle path). It lives on the
 * ground floor so that finding the package root does not make a part depend on the seed server.
 *
 * The root is found by walking up to the `package.json` whose name is "seedstack", so the answer
 * is the same whether the caller runs from source (tsx), from compiled `dist/`, or from
 * `node_modules/seedstack` in a consumer's project.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The package name that marks the package root. */
const PACKAGE_NAME = "seedstack";

/**
 * The directory holding the "seedstack" package.json, found by walking up from `startDir`.
 * Throws when there is none (this module was copied out of its package).
 * @param startDir where to start; @default this file's directory
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
