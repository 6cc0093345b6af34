/**
 * Whether AWS credentials are configured where the AWS provider looks (the SDK's default chain):
 * environment keys, a profile, web identity, container credentials, or the shared config and
 * credentials files. Checked before planning, so a missing login is one clear sentence instead of
 * terraform's "No valid credential sources found" after a minute of retries. An EC2 instance role
 * cannot be seen from here: `--no-credentials-check` skips the check for that case.
 */
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** Where credentials were found, or undefined. */
export function findAwsCredentials(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string | undefined {
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) return "AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY";
  if (env.AWS_PROFILE) return `profile ${env.AWS_PROFILE} (AWS_PROFILE)`;
  if (env.AWS_WEB_IDENTITY_TOKEN_FILE && env.AWS_ROLE_ARN) return "web identity (AWS_WEB_IDENTITY_TOKEN_FILE)";
  if (env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI || env.AWS_CONTAINER_CREDENTIALS_FULL_URI) return "container credentials";
  const files = [env.AWS_SHARED_CREDENTIALS_FILE || join(home, ".aws", "credentials"), env.AWS_CONFIG_FILE || join(home, ".aws", "config")];
  for (const file of files) {
    if (!existsSync(file)) continue;
    // A [default] or [profile default] section: what the SDK uses without AWS_PROFILE.
    if (/^\s*\[(profile\s+)?default\]\s*$/m.test(readFileSync(file, "utf8"))) return `the default profile in ${file}`;
  }
  return undefined;
}

/** The message for no credentials. */
export const NO_CREDENTIALS_MESSAGE =
  "no AWS credentials found: terraform plan reads your account (availability zones, the latest AMI). " +
  "Log in first (`aws configure`, `aws sso login --profile <p>` then AWS_PROFILE=<p>, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY); " +
  "on an EC2 instance with a role, pass --no-credentials-check.";
