/** Where the terraform binary is: the first executable `terraform` on PATH (the runner's default). */
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

/** The path of the first `terraform` executable on `path`, or undefined. */
export function findTerraform(path: string | undefined = process.env.PATH): string | undefined {
  const names = process.platform === "win32" ? ["terraform.exe"] : ["terraform"];
  for (const dir of (path ?? "").split(delimiter).filter(Boolean)) {
    for (const name of names) {
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}
