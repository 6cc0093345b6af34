/**
 * Is a Terraform the stacks can use on this machine? Found the way cdktf finds it
 * (`$TERRAFORM_BINARY_NAME`, else `terraform` on PATH) and asked for its version; 1.10 or newer,
 * for the S3 state backend's lock file. Without it cdktf fails with "execvp(3) failed".
 */
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, join } from "node:path";
import { spawnSync } from "node:child_process";

/** Oldest Terraform the stacks support: the S3 backend's `use_lockfile` arrived in 1.10. */
export const MIN_TERRAFORM_VERSION = "1.10.0";

/** Where to get Terraform. */
export const TERRAFORM_INSTALL_URL = "https://developer.hashicorp.com/terraform/install";

type Env = Readonly<Record<string, string | undefined>>;

/** The executable `name` resolves to: itself when it is a path, else the first match on PATH. */
export function findExecutable(name: string, env: Env): string | undefined {
  const executable = (path: string) => {
    try {
      accessSync(path, constants.X_OK);
      return statSync(path).isFile();
    } catch {
      return false;
    }
  };
  if (name.includes("/")) return executable(name) ? name : undefined;
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (dir !== "" && executable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** `1.11.4` from `terraform version -json` (Terraform >= 0.13) or the text form (`Terraform v1.11.4`). */
export function parseTerraformVersion(output: string): string | undefined {
  try {
    const version = (JSON.parse(output) as { terraform_version?: unknown }).terraform_version;
    if (typeof version === "string") return version;
  } catch {
    // older Terraform: text output
  }
  return /Terraform v(\d+\.\d+\.\d+)/.exec(output)?.[1];
}

/** Whether dotted version `a` is at least `b` (numeric parts; a pre-release suffix is ignored). */
export function versionAtLeast(a: string, b: string): boolean {
  const parts = (v: string) => v.split("-")[0]!.split(".").map((n) => Number(n));
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d > 0;
  }
  return true;
}

/** The Terraform problem, if any: missing, not runnable, or older than {@link MIN_TERRAFORM_VERSION}. */
export function terraformProblem(env: Env): string | undefined {
  const name = env.TERRAFORM_BINARY_NAME || "terraform";
  const where = env.TERRAFORM_BINARY_NAME ? `TERRAFORM_BINARY_NAME=${name}` : "PATH";
  const path = findExecutable(name, env);
  if (path === undefined) {
    return `Terraform ${MIN_TERRAFORM_VERSION.replace(/\.0$/, "")} or newer is needed, and ${JSON.stringify(name)} was not found (${where}). Install it from ${TERRAFORM_INSTALL_URL}, or set TERRAFORM_BINARY_NAME to its path.`;
  }
  const run = spawnSync(path, ["version", "-json"], { encoding: "utf8", env: { ...env, CHECKPOINT_DISABLE: "1" } as NodeJS.ProcessEnv, timeout: 30_000 });
  const version = run.status === 0 ? parseTerraformVersion(run.stdout) : undefined;
  if (version === undefined) {
    return `${path} did not report a Terraform version (\`terraform version -json\` ${run.error ? `failed: ${run.error.message}` : `exited ${run.status}`}). Install Terraform ${MIN_TERRAFORM_VERSION.replace(/\.0$/, "")} or newer from ${TERRAFORM_INSTALL_URL}.`;
  }
  if (!versionAtLeast(version, MIN_TERRAFORM_VERSION)) {
    return `${path} is Terraform ${version}; the stacks need ${MIN_TERRAFORM_VERSION.replace(/\.0$/, "")} or newer (the S3 state lock file). Upgrade from ${TERRAFORM_INSTALL_URL}.`;
  }
  return undefined;
}
