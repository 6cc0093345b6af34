/**
 * What `cdktf deploy` / `destroy` / `diff` / `plan` need on this machine before Terraform starts,
 * checked by the cdktf CLI wrapper (cdktf-cli.ts) so a missing piece is named in plain words:
 *
 * - Terraform 1.10 or newer (the S3 state backend's lock file needs 1.10), found the way cdktf
 *   finds it: `$TERRAFORM_BINARY_NAME`, else `terraform` on PATH. Without it cdktf fails with
 *   "execvp(3) failed" and a link.
 * - AWS credentials the AWS provider can find through its usual chain: the environment
 *   (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY), a profile (AWS_PROFILE, or `default`) in the
 *   shared config or credentials file (keys, SSO, credential_process, an assumed role), web
 *   identity (AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN, as GitHub OIDC sets), container
 *   credentials (ECS). An EC2 instance profile is the one source that cannot be seen without
 *   calling AWS, so "nothing found" is a warning, not a stop.
 *
 * Nothing here calls AWS or the network; `synth` and `list` need none of it and are not checked.
 */
import { accessSync, constants, existsSync, readFileSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, isAbsolute, join } from "node:path";
import { spawnSync } from "node:child_process";

/** cdktf commands that run Terraform against AWS. */
export const TERRAFORM_COMMANDS: ReadonlySet<string> = new Set(["deploy", "apply", "destroy", "diff", "plan"]);

/** Oldest Terraform the stacks support: the S3 backend's `use_lockfile` arrived in 1.10. */
export const MIN_TERRAFORM_VERSION = "1.10.0";

/** Where to get Terraform. */
export const TERRAFORM_INSTALL_URL = "https://developer.hashicorp.com/terraform/install";

/** What the checks found: problems stop the command, warnings are printed and it goes on. */
export interface PrerequisiteReport {
  readonly problems: readonly string[];
  readonly warnings: readonly string[];
}

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

/** Section name -> keys of an INI file (AWS's shared config and credentials format). */
export function parseIni(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/[#;].*$/, "").trim();
    const section = /^\[\s*(.+?)\s*\]$/.exec(line);
    if (section) {
      current = sections.get(section[1]!) ?? new Map();
      sections.set(section[1]!, current);
    } else if (current && line.includes("=")) {
      current.set(line.slice(0, line.indexOf("=")).trim(), line.slice(line.indexOf("=") + 1).trim());
    }
  }
  return sections;
}

/** Keys of a profile that give the SDK credentials by themselves. */
const CREDENTIAL_KEYS = ["aws_access_key_id", "sso_session", "sso_start_url", "credential_process", "role_arn", "web_identity_token_file", "credential_source"];

/** Where the AWS credentials would come from, or why there are none. */
export function awsCredentialsReport(env: Env): PrerequisiteReport & { readonly source?: string } {
  const keyId = env.AWS_ACCESS_KEY_ID;
  const secret = env.AWS_SECRET_ACCESS_KEY;
  if (keyId && secret) return { problems: [], warnings: [], source: "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY" };
  if (keyId || secret) {
    const missing = keyId ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID";
    return { problems: [`${keyId ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY"} is set but ${missing} is not; set both (and AWS_SESSION_TOKEN for temporary keys), or unset it to use a profile.`], warnings: [] };
  }
  if (env.AWS_WEB_IDENTITY_TOKEN_FILE && env.AWS_ROLE_ARN) {
    return { problems: [], warnings: [], source: "web identity (AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN)" };
  }
  if (env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI || env.AWS_CONTAINER_CREDENTIALS_FULL_URI) {
    return { problems: [], warnings: [], source: "container credentials (AWS_CONTAINER_CREDENTIALS_*)" };
  }

  const home = env.HOME || homedir();
  const credentialsFile = env.AWS_SHARED_CREDENTIALS_FILE || join(home, ".aws", "credentials");
  const configFile = env.AWS_CONFIG_FILE || join(home, ".aws", "config");
  const read = (path: string) => (isAbsolute(path) && existsSync(path) ? parseIni(readFileSync(path, "utf8")) : new Map<string, Map<string, string>>());
  const credentials = read(credentialsFile);
  const config = read(configFile);
  const named = env.AWS_PROFILE || env.AWS_DEFAULT_PROFILE;
  const profile = named || "default";
  // The credentials file names sections "<profile>"; the config file "profile <profile>" (or "default").
  const candidates: Array<[string, Map<string, string> | undefined]> = [
    [credentialsFile, credentials.get(profile)],
    [configFile, config.get(profile === "default" ? "default" : `profile ${profile}`)],
  ];
  const found = candidates.find(([, keys]) => keys !== undefined && CREDENTIAL_KEYS.some((key) => keys.has(key)));
  if (found) {
    const [file, keys] = found as [string, Map<string, string>];
    const kind = keys.has("aws_access_key_id") ? "keys" : keys.has("sso_session") || keys.has("sso_start_url") ? "SSO (if its session has expired: aws sso login)" : "a role or credential process";
    return { problems: [], warnings: [], source: `profile ${JSON.stringify(profile)} in ${file}: ${kind}` };
  }
  if (named) {
    const variable = env.AWS_PROFILE ? "AWS_PROFILE" : "AWS_DEFAULT_PROFILE";
    return {
      problems: [`${variable}=${named}, but neither ${credentialsFile} nor ${configFile} defines credentials for profile ${JSON.stringify(named)} ([${named}] with keys, or [profile ${named}] with sso_session, role_arn or credential_process). Create it with \`aws configure --profile ${named}\` or \`aws configure sso\`, or unset ${variable}.`],
      warnings: [],
    };
  }
  return {
    problems: [],
    warnings: [
      "no AWS credentials found: none in the environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, " +
        `AWS_WEB_IDENTITY_TOKEN_FILE with AWS_ROLE_ARN, AWS_CONTAINER_CREDENTIALS_*) and no default profile in ${credentialsFile} or ${configFile}. ` +
        "Terraform will fail with \"No valid credential sources found\" unless this machine has an EC2 instance profile, " +
        "which cannot be checked from here. Set up credentials with `aws configure` (or `aws configure sso` and AWS_PROFILE).",
    ],
  };
}

/** Everything `cdktf <command>` needs that is missing; empty for commands that do not run Terraform. */
export function prerequisiteReport(command: string | undefined, env: Env): PrerequisiteReport {
  if (command === undefined || !TERRAFORM_COMMANDS.has(command)) return { problems: [], warnings: [] };
  const terraform = terraformProblem(env);
  const aws = awsCredentialsReport(env);
  return { problems: [...(terraform ? [terraform] : []), ...aws.problems], warnings: aws.warnings };
}
