/**
 * Recognize a destroy that failed because the stack's data sources (ExistingNetwork's VPC, subnet
 * and endpoint lookups) no longer find what they found at apply.
 *
 * Found with terraform 1.11.4 (lifecycle/terraform/destroy-lookup.test.ts reproduces it): before
 * destroying, `terraform destroy` plans with a refresh, and that refresh reads every data source
 * and evaluates the expressions built on them. A data source that finds nothing ("Unable to find
 * remote state", the AWS provider's "no matching EC2 VPC found") and `element()` of a list that is
 * now empty are hard errors there, so nothing is destroyed; a failed precondition or postcondition
 * is only a warning in destroy mode. `destroy -refresh=false` plans from the state alone, reads no
 * data source, and destroys.
 *
 * terraform's diagnostics (with `-no-color`, on stderr) name what they are about: `with data.X.Y,`
 * when a data source's read failed; `in data.X.Y...:` (JSON, as cdktf writes) or `in data "X" "Y":`
 * (HCL) when an expression in its arguments did; a value line `│ data.X.Y... is ...` when an
 * expression elsewhere (a resource's argument, an output) failed on a data source's value. Only
 * those count: an error naming no data source (credentials, a provider fault, a destroy-time
 * failure) is not cured by skipping the refresh.
 */

/** One diagnostic: its `Error: ` line and the lines up to the next diagnostic. */
function errorDiagnostics(stderr: string): string[] {
  const blocks = stderr.split(/^(?=(?:Error|Warning): )/m);
  return blocks.filter((block) => block.startsWith("Error: "));
}

const NAMES_A_DATA_SOURCE = /^\s*(?:with data\.[\w-]+\.[\w-]+|on .*, in data[." ]|[│|]\s*data\.[\w-]+\.[\w-]+).*/m;

/**
 * The first error in `stderr` that is about a data source, as terraform's one-line summary with the
 * line naming the data source (`Error: Unable to find remote state (with data.terraform_remote_state.network,)`);
 * undefined when no error is.
 */
export function lookupFailureIn(stderr: string): string | undefined {
  for (const block of errorDiagnostics(stderr)) {
    const where = NAMES_A_DATA_SOURCE.exec(block);
    if (where) return `${block.split("\n", 1)[0]!.trim()} (${where[0].replace(/^[\s│|]+/, "").trim()})`;
  }
  return undefined;
}
