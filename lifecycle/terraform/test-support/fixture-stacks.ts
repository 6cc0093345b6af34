/**
 * FIXTURE STACKS for the real-terraform tests: synthesized-JSON stacks (`cdk.tf.json`, the format
 * cdktf writes) made only of terraform's built-in `terraform_data` resource, with local state.
 * They need no provider, no network and no AWS account, yet exercise the real binary's plan, saved
 * plan, apply, outputs, destroy, state lock and interrupt handling. They are not our AWS stacks.
 *
 * Every `local-exec` command that waits uses `exec sleep`, so the shell is replaced by `sleep` and
 * terraform's own stop (it kills its provisioner on interrupt) leaves no orphan behind.
 */

/** A `terraform_data` resource with an optional local-exec provisioner. */
function data(input: string, command?: string): Record<string, unknown> {
  return command === undefined ? { input } : { input, provisioner: [{ "local-exec": { command } }] };
}

function stack(resources: Record<string, Record<string, unknown>>, outputs: Record<string, unknown> = {}): object {
  return {
    "//": { metadata: { note: "seedstack test fixture: terraform_data only, local state" } },
    terraform: { backend: { local: { path: "terraform.tfstate" } } },
    resource: { terraform_data: resources },
    ...(Object.keys(outputs).length > 0 ? { output: outputs } : {}),
  };
}

/** FIXTURE: two resources and three outputs (one sensitive, one a tuple). */
export function happyStack(): object {
  return stack(
    { web: data("seed-100"), lb: data("alb") },
    {
      url: { value: "https://fixture.example.test" },
      certificate_pem: { value: "-----BEGIN CERTIFICATE-----\\nfixture\\n-----END CERTIFICATE-----", sensitive: true },
      instance_ids: { value: ["${terraform_data.web.id}", "${terraform_data.lb.id}"] },
    },
  );
}

/** FIXTURE: one resource whose creation runs `exec sleep <seconds>`: an apply that is still busy. */
export function sleepingStack(seconds: number): object {
  return stack({ slow: data("slow", `exec sleep ${seconds}`) }, { url: { value: "https://slow.example.test" } });
}

/** FIXTURE: references an undeclared resource, so `plan` fails (exit 1) before anything is created. */
export function planErrorStack(): object {
  return stack({ web: data("x") }, { url: { value: "${terraform_data.missing.id}" } });
}

/**
 * FIXTURE: `ok` is created, then `broken`'s provisioner fails with a permanent (non-transient)
 * message, so apply fails after changing state: the destroy that follows has something to remove.
 */
export function applyErrorStack(): object {
  return stack({
    ok: data("ok"),
    broken: { ...data("broken", "echo 'api error InvalidParameterCombination: fixture permanent failure' >&2; exit 3"), depends_on: ["terraform_data.ok"] },
  });
}

/** FIXTURE: `doomed` is created as usual; its destroy-time provisioner fails, so every destroy does. */
export function destroyErrorStack(): object {
  return stack({ doomed: { input: "doomed", provisioner: [{ "local-exec": { when: "destroy", command: "echo 'fixture: destroy refused' >&2; exit 3" } }] } });
}

/**
 * FIXTURE: the first apply fails with a message a transient pattern matches (the Go net/http
 * client timeout text), and leaves `markerFile`; later applies find the marker and succeed.
 * The message is printed by a script so it appears only in the command's output, not its text.
 */
export function flakyStack(scriptPath: string): object {
  return stack({ flaky: data("flaky", `sh ${scriptPath}`) }, { url: { value: "https://flaky.example.test" } });
}

/** The script `flakyStack` runs: fails once with a transient-looking message, then succeeds. */
export function flakyScript(markerFile: string): string {
  return [
    `if [ -e '${markerFile}' ]; then echo 'second attempt: fine'; exit 0; fi`,
    `touch '${markerFile}'`,
    `echo 'Get "https://sts.us-east-1.amazonaws.com/": net/http: request canceled (Client.Timeout exceeded while awaiting headers)' >&2`,
    "exit 1",
    "",
  ].join("\n");
}

/** FIXTURE: resources and no outputs, to check that `output -json` of none decodes to nothing. */
export function noOutputsStack(): object {
  return stack({ only: data("only") });
}

/**
 * FIXTURE pair for every kind of change: apply `before`, then plan `after` to get one update
 * (`kept`'s input changes), one replace (`renewed`'s triggers_replace changes), one delete
 * (`dropped` is gone), one create (`added` is new) and one changed output.
 */
export function changingStacks(): { before: object; after: object } {
  return {
    before: stack(
      { kept: data("v1"), renewed: { input: "r", triggers_replace: ["1"] }, dropped: data("d") },
      { version: { value: "v1" } },
    ),
    after: stack(
      { kept: data("v2"), renewed: { input: "r", triggers_replace: ["2"] }, added: data("a") },
      { version: { value: "v2" } },
    ),
  };
}

/**
 * FIXTURE: a stack whose resource lives "in" a network found by a lookup, like ExistingNetwork's
 * data sources, without a provider: terraform's built-in `terraform_remote_state` (backend
 * "local") reads the outputs `vpc_id` and `subnets` of the state file at `networkStatePath`.
 * `web`'s input takes the first subnet with `element()`, as the subnet lookups do, and the lookup
 * carries postconditions (some subnets, the VPC `vpc-0fixture`), as theirs do. Deleting that state file, or emptying its `subnets`,
 * makes the lookup fail the way a deleted or re-tagged shared VPC does.
 */
export function lookupStack(networkStatePath: string): object {
  const net = "data.terraform_remote_state.network.outputs";
  return {
    ...stack({ web: data(`\${${net}.vpc_id}-\${element(${net}.subnets, 0)}`) }, { subnet: { value: `\${element(${net}.subnets, 0)}` } }),
    data: {
      terraform_remote_state: {
        network: {
          backend: "local",
          config: { path: networkStatePath },
          lifecycle: {
            postcondition: [
              { condition: `\${length(self.outputs.subnets) > 0}`, error_message: "the network has no subnets" },
              { condition: `\${self.outputs.vpc_id == "vpc-0fixture"}`, error_message: "the network is not vpc-0fixture" },
            ],
          },
        },
      },
    },
  };
}

/** The state file `lookupStack` reads: terraform's state format with only the two outputs. */
export function networkState(vpcId: string, subnets: readonly string[]): string {
  return JSON.stringify({
    version: 4,
    terraform_version: "1.11.4",
    serial: 1,
    lineage: "seedstack-fixture-network",
    outputs: { vpc_id: { value: vpcId, type: "string" }, subnets: { value: subnets, type: ["list", "string"] } },
    resources: [],
  });
}
