/**
 * The environment every terraform process gets: the caller's, minus the variables that would change
 * what a command does behind our argument builders' back, plus fixed automation settings
 * (hashicorp/terraform-exec refuses the same variables in `tfexec/cmd.go`).
 */

/** A caller tried to set a variable the runner owns. */
export class TerraformEnvError extends Error {
  override readonly name = "TerraformEnvError";
}

/** Set on every run. */
export const FIXED_TERRAFORM_ENV: Readonly<Record<string, string>> = {
  // Output written for machines: no "run terraform apply next" hints, no prompts.
  TF_IN_AUTOMATION: "1",
  TF_INPUT: "0",
  // No call to checkpoint-api.hashicorp.com for version and security notices.
  CHECKPOINT_DISABLE: "1",
  // For anything terraform starts (local-exec); terraform itself gets -no-color.
  NO_COLOR: "1",
};

/**
 * Removed from the inherited environment:
 * - TF_LOG*: logs would interleave with the error text we parse (state locks, transient errors).
 * - TF_CLI_ARGS, TF_CLI_ARGS_<cmd>: would append flags to the vectors the builders fixed
 *   (TF_CLI_ARGS_apply="-refresh=false", TF_CLI_ARGS_plan="-lock=false").
 * - TF_WORKSPACE: the stack's backend block says where its state is, not an ambient variable.
 * - TF_REATTACH_PROVIDERS: would point terraform at provider processes someone else started.
 * - FORCE_COLOR, CLICOLOR_FORCE: colour codes in provisioner output.
 */
function isRemoved(name: string): boolean {
  return (
    name.startsWith("TF_LOG") ||
    name.startsWith("TF_CLI_ARGS") ||
    name === "TF_WORKSPACE" ||
    name === "TF_REATTACH_PROVIDERS" ||
    name === "FORCE_COLOR" ||
    name === "CLICOLOR_FORCE" ||
    name in FIXED_TERRAFORM_ENV
  );
}

/**
 * Not inherited, though a caller may set it in `extra`: TF_DATA_DIR. The machine's would move every
 * stack's `.terraform` (providers, backend settings) into one shared folder, so parallel runs and
 * different stacks would trample each other; a run that wants one says so.
 */
const NOT_INHERITED = new Set(["TF_DATA_DIR"]);

/**
 * The environment for one terraform run: `base` (usually `process.env`: PATH, HOME, AWS
 * credentials) cleaned, then `extra` (TF_CLI_CONFIG_FILE, TF_DATA_DIR, TF_VAR_*, ...), then the
 * fixed settings. `extra` may not set a variable the runner removes or fixes.
 */
export function terraformEnv(
  base: Readonly<Record<string, string | undefined>>,
  extra: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) {
    if (value !== undefined && !isRemoved(name) && !NOT_INHERITED.has(name)) env[name] = value;
  }
  for (const [name, value] of Object.entries(extra)) {
    if (isRemoved(name)) {
      throw new TerraformEnvError(`${name} is set by the terraform runner itself and cannot be passed in (it would change the fixed command lines or output)`);
    }
    env[name] = value;
  }
  return { ...env, ...FIXED_TERRAFORM_ENV };
}
