/**
 * `npm run plan -- <stack>`: the real terraform plan of one stack against your AWS account.
 *
 * 1. Check what is needed, reporting every problem at once: the stack name, terraform on PATH,
 *    AWS credentials (aws-credentials.ts).
 * 2. Synthesize the app as `cdktf synth` does (the cdktf.json app command, SEEDSTACK_* settings
 *    from the environment and cdktf.json), into cdktf.out (or $CDKTF_OUTDIR).
 * 3. In cdktf.out/stacks/<stack>: `terraform init` with our own CLI configuration (providers from a
 *    local mirror when one is found, else the registry; a shared plugin cache; your ~/.terraformrc
 *    and TF_* settings are not read), then `terraform plan -detailed-exitcode -out=plan.tfplan`,
 *    terraform's output shown as it runs, then its summary line.
 *
 * Exit 0 when the plan succeeded (changes or not), 1 on any problem. Nothing is applied: the saved
 * plan can be applied with `terraform -chdir=<dir> apply plan.tfplan` (or `npm run cdktf -- deploy`).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { findProviderMirror, terraformEnv, writeCliConfig } from "../lifecycle/index.js";
import { findPackageRoot } from "../shared/package-root.js";
import { OFFLINE_ENV } from "../stacks/offline-env.js";
import { findAwsCredentials, NO_CREDENTIALS_MESSAGE } from "./plan/aws-credentials.js";
import { findTerraform, runTerraform } from "./plan/terraform-process.js";

const USAGE = "usage: npm run plan -- <stack> [--no-credentials-check]   (stacks: classic, autoscaled, pr-<n> with SEEDSTACK_PR_NUMBER, bootstrap with SEEDSTACK_GITHUB_REPOSITORY)";
const PLAN_FILE = "plan.tfplan";
/** terraform plan of a stack takes seconds to a few minutes; an hour means it is stuck. */
const TERRAFORM_TIMEOUT_MS = 60 * 60 * 1000;

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ allowPositionals: true, options: { "no-credentials-check": { type: "boolean", default: false }, help: { type: "boolean", short: "h" } } });
  } catch (error) {
    return fail([(error as Error).message, USAGE]);
  }
  if (parsed.values.help) {
    console.log(USAGE);
    return 0;
  }
  const problems: string[] = [];
  const [stack, ...extra] = parsed.positionals;
  if (stack === undefined || extra.length > 0) problems.push(`give exactly one stack name; got ${parsed.positionals.length === 0 ? "none" : parsed.positionals.join(" ")}`);
  else if (!/^(classic|autoscaled|pr-\d+|bootstrap)$/.test(stack)) problems.push(`unknown stack "${stack}"; stacks are classic, autoscaled, pr-<n> and bootstrap`);
  const terraform = findTerraform(process.env.PATH);
  if (terraform === undefined) problems.push("terraform is not installed (no terraform on PATH); install Terraform >= 1.10: https://developer.hashicorp.com/terraform/install");
  if (!parsed.values["no-credentials-check"] && findAwsCredentials() === undefined) problems.push(NO_CREDENTIALS_MESSAGE);
  if (problems.length > 0) return fail([...problems, USAGE]);

  const root = findPackageRoot();
  const outdir = resolve(root, process.env.CDKTF_OUTDIR || "cdktf.out");
  console.log(`seedstack plan: synthesizing into ${shown(outdir)} ...`);
  const app = String((JSON.parse(readFileSync(join(root, "cdktf.json"), "utf8")) as { app: string }).app);
  const synth = spawnSync("/bin/sh", ["-c", app], { cwd: root, encoding: "utf8", env: { ...OFFLINE_ENV, ...process.env, CDKTF_OUTDIR: outdir } });
  if (synth.status !== 0) return fail([`synthesis (${app}) failed with exit code ${synth.status}:\n${(synth.stderr || synth.stdout).trim()}`]);
  const stackDir = join(outdir, "stacks", stack!);
  if (!existsSync(join(stackDir, "cdk.tf.json"))) {
    const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as { stacks: Record<string, unknown> };
    return fail([`the app has no stack "${stack}" in this configuration; it has ${Object.keys(manifest.stacks).join(", ")} (pr-<n> needs SEEDSTACK_PR_NUMBER=<n>)`]);
  }

  // Our CLI configuration: a local mirror if there is one (offline-capable), the registry for the rest.
  const cacheDir = join(root, "node_modules", ".cache", "seedstack");
  const { mirror } = findProviderMirror();
  const cliConfig = writeCliConfig(join(cacheDir, "terraform.rc"), {
    ...(mirror ? { mirror } : {}),
    pluginCacheDir: join(cacheDir, "terraform-plugins"),
  });
  console.log(`seedstack plan: providers from ${mirror ? `the local mirror ${mirror.path} (${mirror.why}), others from the registry` : "the registry"}`);
  const env = terraformEnv(process.env, { TF_CLI_CONFIG_FILE: cliConfig });
  const options = { cwd: stackDir, env, timeoutMs: TERRAFORM_TIMEOUT_MS, terraform: terraform!, echo: true };

  console.log(`seedstack plan: terraform init in ${shown(stackDir)}`);
  const init = await runTerraform(["init", "-input=false", "-no-color"], options);
  if (init.code !== 0) {
    // The one provider a default stack needs besides aws; name the way around it when it cannot be fetched.
    const tls = /provider hashicorp\/tls/.test(init.stdout + init.stderr)
      ? [`the self-signed certificate (SEEDSTACK_TLS=self-signed, the default) needs the hashicorp/tls provider from the registry or your mirror; without either, plan with SEEDSTACK_TLS=acm-arn, acm-dns or http`]
      : [];
    return fail([`terraform init failed (exit ${init.code}); its output is above`, ...tls]);
  }
  console.log(`seedstack plan: terraform plan of ${stack}`);
  const plan = await runTerraform(["plan", "-input=false", "-no-color", "-detailed-exitcode", `-out=${PLAN_FILE}`], options);
  if (plan.code !== 0 && plan.code !== 2) return fail([`terraform plan failed (exit ${plan.code}); its output is above`]);
  const summary = /^(Plan: .*|No changes\..*)$/m.exec(plan.stdout)?.[1] ?? "(terraform printed no summary line)";
  console.log(`\nseedstack plan: ${stack}: ${summary}`);
  if (plan.code === 2) console.log(`seedstack plan: saved to ${shown(join(stackDir, PLAN_FILE))}; apply exactly this plan with \`terraform -chdir=${shown(stackDir)} apply ${PLAN_FILE}\``);
  return 0;
}

/** A path as the user can type it: relative when under the current directory, else absolute. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === "" ? "." : rel.startsWith("..") || isAbsolute(rel) ? path : rel;
}

function fail(lines: string[]): number {
  console.error(lines.map((line, i) => (i === 0 || !line.startsWith("usage") ? `seedstack plan: ${line}` : line)).join("\n"));
  return 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    console.error(`seedstack plan: ${process.env.SEEDSTACK_DEBUG === "1" ? error.stack : error.message}`);
    process.exitCode = 1;
  },
);
