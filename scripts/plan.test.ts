/**
 * `npm run plan -- <stack>` as a user runs it (a separate process). Against "AWS" here means the
 * loopback STAND-IN (test/terraform/aws-stand-in.ts), reached the way any AWS SDK user redirects
 * endpoints (AWS_ENDPOINT_URL_<SERVICE>), with documentation credentials: the script itself has no
 * test mode. Planning for real against an account happens only with real credentials.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { findPackageRoot } from "../shared/package-root.js";
import { AWS_PROVIDER, terraformPlatform } from "../lifecycle/terraform/provider-mirror.js";
import { startAwsStandIn } from "../test/terraform/aws-stand-in.js";
import { mirrorView } from "../test/terraform/mirror-view.js";
import { announceSkip, terraformAvailability, terraformRequired } from "../test/terraform/terraform-available.js";
import { runScript } from "./test-support/run-script.js";

const test = suite("npm run plan");
const root = findPackageRoot();

/** This environment without AWS or terraform settings, plus `extra`. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_") && !k.startsWith("TF_") && !k.startsWith("SEEDSTACK_")));
  return { ...env, SEEDSTACK_OWNER: "octocat", SEEDSTACK_CREATED_AT: "2025-01-31T12:00:00Z", ...extra };
}

/** Run scripts/plan.ts with `env`. */
const runPlan = (args: string[], env: NodeJS.ProcessEnv) => runScript("plan", args, env);

test("without terraform, credentials or a stack name: every problem at once, exit 1, nothing run", async () => {
  const home = mkdtempSync(join(tmpdir(), "seedstack-plan-home-"));
  try {
    // PATH holds node only: no terraform.
    const result = await runPlan([], cleanEnv({ HOME: home, PATH: join(process.execPath, "..") }));
    assert.is(result.code, 1);
    assert.match(result.stderr, "seedstack plan: give exactly one stack name; got none");
    assert.match(result.stderr, "seedstack plan: terraform is not installed (no terraform on PATH); install Terraform >= 1.10");
    assert.match(result.stderr, "seedstack plan: no AWS credentials found: terraform plan reads your account");
    assert.match(result.stderr, "usage: npm run plan -- <stack>");
    assert.not.match(result.stdout, "synthesizing");
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test("credentials from a profile file count; an unknown stack name is refused before synthesis", async () => {
  const home = mkdtempSync(join(tmpdir(), "seedstack-plan-home-"));
  try {
    const result = await runPlan(["staging"], cleanEnv({ HOME: home, AWS_PROFILE: "dev" }));
    assert.is(result.code, 1);
    assert.match(result.stderr, 'seedstack plan: unknown stack "staging"; stacks are classic, autoscaled, pr-<n> and bootstrap');
    assert.not.match(result.stderr, "no AWS credentials");
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

const availability = terraformAvailability();
if (!availability.ok) {
  if (terraformRequired()) test("terraform and the provider mirror are present (SEEDSTACK_REQUIRE_TERRAFORM=1)", () => assert.unreachable(availability.reason));
  else announceSkip(availability.reason);
} else {
  test("a self-signed stack when hashicorp/tls cannot be fetched: init fails, and the message names the way around it", async () => {
    const outdir = mkdtempSync(join(tmpdir(), "seedstack-plan-out-"));
    // hashicorp/aws only, even where the machine's mirror also holds hashicorp/tls (GitHub's runners).
    const awsOnly = mirrorView(availability.mirror, [AWS_PROVIDER], terraformPlatform());
    try {
      const result = await runPlan(
        ["classic"],
        cleanEnv({
          CDKTF_OUTDIR: outdir,
          AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
          AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
          // The registry unreachable on any machine: every HTTPS request goes to a closed loopback port.
          HTTPS_PROXY: "http://127.0.0.1:9",
          SEEDSTACK_TF_PROVIDER_MIRROR: awsOnly.path,
        }),
      );
      assert.is(result.code, 1);
      assert.match(result.stdout + result.stderr, "hashicorp/tls");
      assert.match(result.stderr, "seedstack plan: terraform init failed (exit 1); its output is above");
      assert.match(result.stderr, "plan with SEEDSTACK_TLS=acm-arn, acm-dns or http");
    } finally {
      awsOnly.remove();
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  // A PR stack nobody deploys from a checkout: its local state path (terraform.<stack>.tfstate in the
  // project directory, as for a user) holds no one's real state, and plan must not create it.
  const STACK = "pr-9876543";

  test(`npm run plan -- ${STACK}: synthesizes, inits, plans with the real provider and prints terraform's summary; the stand-in answered every AWS call`, async () => {
    const standIn = await startAwsStandIn();
    const outdir = mkdtempSync(join(tmpdir(), "seedstack-plan-out-"));
    try {
      const env = cleanEnv({
        CDKTF_OUTDIR: outdir,
        SEEDSTACK_PR_NUMBER: STACK.slice(3),
        SEEDSTACK_TLS: "http", // no hashicorp/tls in the local mirror, and no network to fetch it
        AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
        AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        AWS_EC2_METADATA_DISABLED: "true",
        AWS_ENDPOINT_URL_EC2: standIn.url,
        AWS_ENDPOINT_URL_SSM: standIn.url,
        AWS_ENDPOINT_URL_STS: standIn.url,
        ...(process.env.SEEDSTACK_TF_PROVIDER_MIRROR ? { SEEDSTACK_TF_PROVIDER_MIRROR: process.env.SEEDSTACK_TF_PROVIDER_MIRROR } : {}),
      });
      const result = await runPlan([STACK], env);
      assert.is(result.code, 0, result.stdout + result.stderr);
      const stackJson = JSON.parse(readFileSync(join(outdir, "stacks", STACK, "cdk.tf.json"), "utf8")) as { resource: Record<string, object> };
      const resources = Object.values(stackJson.resource).reduce((n, byName) => n + Object.keys(byName).length, 0);
      assert.match(result.stdout, `seedstack plan: ${STACK}: Plan: ${resources} to add, 0 to change, 0 to destroy.`);
      assert.match(result.stdout, "Installed hashicorp/aws v5.100.0");
      assert.match(result.stdout, "providers from the local mirror");
      assert.ok(existsSync(join(outdir, "stacks", STACK, "plan.tfplan")), "the saved plan");
      assert.ok(!existsSync(join(root, `terraform.${STACK}.tfstate`)), "plan wrote no state");
      assert.equal(standIn.requests.map((r) => `${r.service}:${r.action}:${r.status}`).sort(), [
        "ec2:DescribeAvailabilityZones:200",
        "ec2:DescribeInstanceTypeOfferings:200",
        "ssm:GetParameter:200",
        "sts:GetCallerIdentity:200",
      ]);
    } finally {
      await standIn.close();
      rmSync(outdir, { recursive: true, force: true });
    }
  });
}

test.run();
