/**
 * Whether the real-terraform tests can run on this machine: a terraform binary on PATH and a
 * local mirror holding hashicorp/aws 5.100.0. On a laptop without them those tests are skipped
 * with ONE loud line saying what and why; with `SEEDSTACK_REQUIRE_TERRAFORM=1` (set by .ci/run on
 * the machines that carry both) a skip is a failure instead.
 */
import { spawnSync } from "node:child_process";
import { describeSearch, findProviderMirror, type ProviderMirror } from "../../lifecycle/terraform/provider-mirror.js";
import { findTerraform } from "../../scripts/plan/terraform-process.js";

/** Oldest terraform the stacks support (the S3 backend's lock file needs 1.10). */
const MIN_VERSION = [1, 10];

/** What the real-terraform tests need, or why they cannot run. */
export type TerraformAvailability =
  | { readonly ok: true; readonly terraform: string; readonly version: string; readonly mirror: ProviderMirror }
  | { readonly ok: false; readonly reason: string };

/** Look for terraform and the mirror (cheap: `terraform version` and a few directory reads). */
export function terraformAvailability(env: NodeJS.ProcessEnv = process.env): TerraformAvailability {
  const terraform = findTerraform(env.PATH);
  if (terraform === undefined) return { ok: false, reason: "no terraform on PATH" };
  const result = spawnSync(terraform, ["version", "-json"], { encoding: "utf8", env: { PATH: env.PATH, CHECKPOINT_DISABLE: "1" }, timeout: 30_000 });
  let version: string | undefined;
  try {
    version = (JSON.parse(result.stdout) as { terraform_version?: string }).terraform_version;
  } catch {
    version = undefined;
  }
  if (version === undefined) return { ok: false, reason: `${terraform} version -json did not answer: ${(result.stderr || result.error?.message || "").trim()}` };
  const [major = 0, minor = 0] = version.split(".").map(Number);
  if (major < MIN_VERSION[0]! || (major === MIN_VERSION[0] && minor < MIN_VERSION[1]!)) {
    return { ok: false, reason: `terraform ${version} at ${terraform} is older than ${MIN_VERSION.join(".")}` };
  }
  const search = findProviderMirror({ env });
  if (search.mirror === undefined) return { ok: false, reason: describeSearch(search) };
  return { ok: true, terraform, version, mirror: search.mirror };
}

/** True when a skip must fail the run (`SEEDSTACK_REQUIRE_TERRAFORM=1`, set by .ci/run). */
export function terraformRequired(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.SEEDSTACK_REQUIRE_TERRAFORM === "1";
}

/** The one loud line a skipped real-terraform suite prints. */
export function skipLine(what: string, reason: string): string {
  return `\n!!! SKIPPED: ${what}: ${reason}. Install terraform >= 1.10 and a hashicorp/aws 5.100.0 mirror ("npm run provider-mirror -- <dir>" builds one where the registry is reachable; then SEEDSTACK_TF_PROVIDER_MIRROR=<dir>) to run them; CI sets SEEDSTACK_REQUIRE_TERRAFORM=1 so this skip fails there.\n`;
}

let skipPrinted = false;

/**
 * Print the skip line once per test process (every real-terraform test file calls this; the runner
 * loads them all into one process, so the reader sees one line, not one per file).
 */
export function announceSkip(reason: string): void {
  if (skipPrinted) return;
  skipPrinted = true;
  console.error(skipLine("real-terraform tests (terraform init/validate/plan of every stack, npm run plan)", reason));
}
