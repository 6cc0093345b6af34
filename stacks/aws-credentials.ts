/**
 * Can the AWS provider find credentials on this machine? The usual chain, without calling AWS:
 * the environment (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY), web identity
 * (AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN, as GitHub OIDC sets), container credentials (ECS),
 * then a profile (AWS_PROFILE, or `default`) in the shared config or credentials file (keys, SSO,
 * credential_process, an assumed role). An EC2 instance profile is the one source that cannot be
 * seen without calling AWS, so "nothing found" is a warning, not a stop.
 */
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { isAbsolute, join } from "node:path";

type Env = Readonly<Record<string, string | undefined>>;

/** Where the credentials would come from (`source`), or why there are none (problems stop, warnings do not). */
export interface CredentialsReport {
  readonly problems: readonly string[];
  readonly warnings: readonly string[];
  readonly source?: string;
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
export function awsCredentialsReport(env: Env): CredentialsReport {
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
