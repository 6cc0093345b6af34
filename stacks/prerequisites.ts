/**
 * What `cdktf deploy` / `destroy` / `diff` / `plan` need on this machine before Terraform starts,
 * checked by the cdktf CLI wrapper (cdktf-cli.ts) so a missing piece is named in plain words:
 * Terraform 1.10 or newer (terraform-version.ts) and AWS credentials the provider can find
 * (aws-credentials.ts). Nothing here calls AWS or the network; `synth` and `list` need none of it
 * and are not checked.
 */
import { terraformProblem } from "./terraform-version.js";
import { awsCredentialsReport } from "./aws-credentials.js";

/** cdktf commands that run Terraform against AWS. */
export const TERRAFORM_COMMANDS: ReadonlySet<string> = new Set(["deploy", "apply", "destroy", "diff", "plan"]);

/** What the checks found: problems stop the command, warnings are printed and it goes on. */
export interface PrerequisiteReport {
  readonly problems: readonly string[];
  readonly warnings: readonly string[];
}

type Env = Readonly<Record<string, string | undefined>>;

/** Everything `cdktf <command>` needs that is missing; empty for commands that do not run Terraform. */
export function prerequisiteReport(command: string | undefined, env: Env): PrerequisiteReport {
  if (command === undefined || !TERRAFORM_COMMANDS.has(command)) return { problems: [], warnings: [] };
  const terraform = terraformProblem(env);
  const aws = awsCredentialsReport(env);
  return { problems: [...(terraform ? [terraform] : []), ...aws.problems], warnings: aws.warnings };
}
