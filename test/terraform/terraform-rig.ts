/**
 * Test-only harness around the real terraform binary and the local provider mirror: init once,
 * then validate and plan any number of synthesized stacks, each in its own temporary copy with
 * the stand-in's override files (stand-in-override.ts), offline.
 *
 * - Our own CLI configuration (lifecycle/terraform/cli-config.ts): mirror only, a shared plugin
 *   cache, no checkpoint, no TF_* setting of the machine.
 * - `terraform init` runs once per rig, against the mirror, in a template directory that requires
 *   the same providers and backend every planned copy ends up with (hashicorp/aws 5.100.0, and
 *   hashicorp/tls 4.1.0 when the mirror holds it; local state in `terraform.tfstate`).
 * - Self-signed stacks: planned whole when the mirror holds hashicorp/tls (a mirror built by
 *   `npm run provider-mirror` where the registry is reachable, as on GitHub's runners); otherwise
 *   their tls resources are swapped for variables in the copy (swap-tls.ts), as on our machines. Each copy then gets the template's lock file, its backend
 *   record and a link to its installed providers: what a second `init` would write, without
 *   re-hashing the 675 MB provider binary forty times.
 * - Each plan gets its own stand-in, so a test can assert exactly which AWS calls that plan made.
 * - Optionally (`sharedProviders`), the commands attach to long-running provider processes
 *   (provider-process.ts) instead of each starting the provider: same binary, less CPU.
 */
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeCliConfig } from "../../lifecycle/terraform/cli-config.js";
import { terraformEnv } from "../../lifecycle/terraform/terraform-env.js";
import { AWS_PROVIDER, providerLayout, TLS_PROVIDER, terraformPlatform, type ProviderMirror, type ProviderRequirement } from "../../lifecycle/terraform/provider-mirror.js";
import { runTerraform, type TerraformResult } from "../../scripts/plan/terraform-process.js";
import { startAwsStandIn, type StandInRequest } from "./aws-stand-in.js";
import { localStateOverride, standInProviderOverride } from "./stand-in-override.js";
import { providerExecutable, startSharedProvider, type SharedProvider } from "./provider-process.js";
import { swapTlsForVariables } from "./swap-tls.js";
import { parsePlanStream, type PlanStream } from "./plan-stream.js";

/** Generous per-command deadlines: two cores shared with other work, a 675 MB provider to load. */
const INIT_TIMEOUT_MS = 180_000;
const COMMAND_TIMEOUT_MS = 240_000;

/** A ready rig: terraform initialised once against the mirror. */
export interface TerraformRig {
  /** The terraform executable. */
  readonly terraform: string;
  /** The mirror it installs from. */
  readonly mirror: ProviderMirror;
  /** The environment every terraform command gets. */
  readonly env: NodeJS.ProcessEnv;
  /** Our CLI configuration file. */
  readonly cliConfigFile: string;
  /** The template's `terraform init` run, for tests of the init itself. */
  readonly init: TerraformResult;
  /** The template directory (its .terraform holds the installed provider). */
  readonly templateDir: string;
  /** Whether the mirror holds hashicorp/tls 4.1.0, so self-signed stacks are planned whole (no swap). */
  readonly tlsFromMirror: boolean;
  /**
   * Validate and plan one synthesized stack directory. `edit` changes the JSON to plan after the
   * tls swap (tests that break a stack on purpose).
   */
  plan(stackDir: string, stackJson: Record<string, any>, label: string, edit?: (json: Record<string, any>) => void): Promise<PlannedStack>;
  /** Stop the shared providers and remove every temporary directory. */
  close(): Promise<void>;
}

/** The outcome of validating and planning one stack. */
export interface PlannedStack {
  readonly label: string;
  /** The working copy (removed by the rig's close). */
  readonly dir: string;
  /** Resources swapped for variables because their provider is not in the mirror (tls); empty when planned whole. */
  readonly swapped: readonly string[];
  /** The stack JSON as planned (after the swap). */
  readonly planned: Record<string, any>;
  /** `terraform validate -json`. */
  readonly validate: TerraformResult & { readonly report: ValidateReport };
  /** `terraform plan -json -detailed-exitcode -out=plan.tfplan`. */
  readonly plan: TerraformResult & { readonly stream: PlanStream };
  /** Every call the plan made to the AWS stand-in. */
  readonly awsCalls: readonly StandInRequest[];
}

/** `terraform validate -json` output. */
export interface ValidateReport {
  readonly valid: boolean;
  readonly error_count: number;
  readonly warning_count: number;
  readonly diagnostics: ReadonlyArray<{ severity: string; summary: string; detail?: string }>;
}

/** The plan file each working copy's plan writes. */
export const PLAN_FILE = "plan.tfplan";

/** Options of {@link startTerraformRig}. */
export interface RigOptions {
  /**
   * How many long-running provider processes plans attach to (provider-process.ts); a plan waits
   * for a free one. 0: every terraform command starts its own provider, as for a user.
   * @default 0
   */
  readonly sharedProviders?: number;
}

/** Initialise a rig: writes its CLI configuration and runs `terraform init` in the template. */
export async function startTerraformRig(terraform: string, mirror: ProviderMirror, options: RigOptions = {}): Promise<TerraformRig> {
  const root = mkdtempSync(join(tmpdir(), "seedstack-terraform-"));
  try {
    const cliConfig = writeCliConfig(join(root, "terraform.rc"), { mirror, offline: true, pluginCacheDir: join(root, "plugin-cache") });
    // No AWS setting of the machine may reach the plans: they talk to the stand-in only.
    const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("AWS_")));
    // GOGC=400: the provider builds a large schema per command; less garbage collection, about 20% less CPU.
    const env = { ...terraformEnv(base, { TF_CLI_CONFIG_FILE: cliConfig }), GOGC: "400" };
    const templateDir = join(root, "template");
    mkdirSync(templateDir);
    const tlsFromMirror = providerLayout(mirror.path, TLS_PROVIDER, terraformPlatform()) !== undefined;
    const required = (p: ProviderRequirement) => [p.source.split("/").pop()!, { source: p.source, version: p.version }] as const;
    writeFileSync(
      join(templateDir, "main.tf.json"),
      JSON.stringify({ terraform: { required_providers: Object.fromEntries([AWS_PROVIDER, ...(tlsFromMirror ? [TLS_PROVIDER] : [])].map(required)) } }),
    );
    const [hostname, namespace, type] = AWS_PROVIDER.source.split("/");
    writeFileSync(join(templateDir, "local_state_override.tf.json"), JSON.stringify(localStateOverride()));
    const init = await runTerraform(["init", "-input=false", "-no-color"], { cwd: templateDir, env, timeoutMs: INIT_TIMEOUT_MS, terraform });
    if (init.code !== 0) throw new Error(`terraform init against the mirror ${mirror.path} failed (exit ${init.code}):\n${init.stdout}${init.stderr}`);
    const installed = join(templateDir, ".terraform", "providers", hostname!, namespace!, type!, AWS_PROVIDER.version, terraformPlatform());
    const providers = new ProviderPool(
      await Promise.all(Array.from({ length: options.sharedProviders ?? 0 }, () => startSharedProvider(providerExecutable(installed), env))),
    );
    let copies = 0;
    return {
      terraform,
      mirror,
      env,
      cliConfigFile: cliConfig,
      init,
      templateDir,
      tlsFromMirror,
      async plan(stackDir, stackJson, label, edit) {
        const dir = join(root, `plan-${++copies}`);
        cpSync(stackDir, dir, { recursive: true });
        const swap = tlsFromMirror ? { json: structuredClone(stackJson), removed: [] } : swapTlsForVariables(stackJson);
        edit?.(swap.json);
        writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify(swap.json, null, 2));
        writeFileSync(join(dir, "local_state_override.tf.json"), JSON.stringify(localStateOverride()));
        copyFileSync(join(templateDir, ".terraform.lock.hcl"), join(dir, ".terraform.lock.hcl"));
        mkdirSync(join(dir, ".terraform"));
        copyFileSync(join(templateDir, ".terraform", "terraform.tfstate"), join(dir, ".terraform", "terraform.tfstate"));
        symlinkSync(join(templateDir, ".terraform", "providers"), join(dir, ".terraform", "providers"), "dir");
        const standIn = await startAwsStandIn();
        const provider = await providers.acquire();
        try {
          writeFileSync(join(dir, "stand_in_override.tf.json"), JSON.stringify(standInProviderOverride(standIn.url), null, 2));
          const run = (args: string[]) => runTerraform(args, { cwd: dir, env, timeoutMs: COMMAND_TIMEOUT_MS, terraform, ...(provider ? { reattachProviders: provider.reattach } : {}) });
          const validate = await run(["validate", "-json", "-no-color"]);
          const plan = await run(["plan", "-json", "-input=false", "-no-color", "-detailed-exitcode", `-out=${PLAN_FILE}`]);
          return {
            label,
            dir,
            swapped: swap.removed,
            planned: swap.json,
            validate: { ...validate, report: parseValidate(validate, label) },
            plan: { ...plan, stream: parsePlanStream(plan.stdout) },
            awsCalls: [...standIn.requests],
          };
        } finally {
          providers.release(provider);
          await standIn.close();
        }
      },
      async close() {
        await providers.stopAll();
        rmSync(root, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
}

function parseValidate(result: TerraformResult, label: string): ValidateReport {
  try {
    return JSON.parse(result.stdout) as ValidateReport;
  } catch {
    throw new Error(`terraform validate -json for ${label} printed no JSON (exit ${result.code}):\n${result.stdout}${result.stderr}`);
  }
}

/** Shared provider processes, each lent to one plan at a time. With none, acquire() gives undefined at once. */
class ProviderPool {
  private readonly free: SharedProvider[];
  private readonly waiting: Array<(provider: SharedProvider) => void> = [];

  constructor(private readonly all: SharedProvider[]) {
    this.free = [...all];
  }

  async acquire(): Promise<SharedProvider | undefined> {
    if (this.all.length === 0) return undefined;
    const provider = this.free.pop();
    if (provider !== undefined) return provider;
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(provider: SharedProvider | undefined): void {
    if (provider === undefined) return;
    const next = this.waiting.shift();
    if (next) next(provider);
    else this.free.push(provider);
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.all.map((p) => p.stop()));
  }
}
