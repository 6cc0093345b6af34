/**
 * Test helpers for the stacks: synthesize the whole app under a given configuration, with a
 * fixed creation time and owner (synth must be deterministic) and a small fixture bundle (so the
 * tests do not depend on `npm run build:bundle` having run).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Testing } from "cdktf";
import { loadConfig, type SeedstackConfig } from "./config.js";
import { buildApp, buildBootstrap } from "./app.js";
import type { SeedstackStack } from "./seedstack-stack.js";
import { toSynthJson, type SynthJson } from "../test/synth-json.js";
import { testApp, testTempDir } from "../test/temp-dirs.js";

/** The fixed settings every test configuration starts from. */
export const TEST_BASE_ENV: Readonly<Record<string, string>> = {
  SEEDSTACK_OWNER: "octocat",
  SEEDSTACK_CREATED_AT: "2025-01-31T12:00:00Z",
};

/** An ACM certificate ARN in us-east-1, for acm-arn configurations. */
export const TEST_CERTIFICATE_ARN = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d";

/** The bootstrap stack creating its state bucket and OIDC provider. */
export const BOOTSTRAP_NEW: Readonly<Record<string, string>> = { SEEDSTACK_GITHUB_REPOSITORY: "acme/app" };

/** The bootstrap stack with an existing state bucket, lock table and OIDC provider, in acm-dns mode (Route 53 statements). */
export const BOOTSTRAP_EXISTING: Readonly<Record<string, string>> = {
  SEEDSTACK_GITHUB_REPOSITORY: "acme/app",
  SEEDSTACK_GITHUB_DEFAULT_BRANCH: "trunk",
  SEEDSTACK_GITHUB_OIDC_PROVIDER_ARN: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
  SEEDSTACK_STATE_BUCKET: "acme-terraform-state",
  SEEDSTACK_STATE_LOCK_TABLE: "acme-terraform-locks",
  SEEDSTACK_TLS: "acm-dns",
  SEEDSTACK_DOMAIN: "seed.example.com",
  SEEDSTACK_HOSTED_ZONE_ID: "Z0123456789ABCDEFGHIJ",
};

/**
 * A pull-request stack in an existing VPC found by tags, subnets by the default Tier tags. The AWS
 * stand-in (test/terraform/aws-stand-in-network.ts) holds a VPC with these tags and these subnets.
 */
export const EXISTING_VPC_BY_TAGS: Readonly<Record<string, string>> = { SEEDSTACK_VPC_TAGS: "Name=seedstack-shared" };

/** A pull-request stack in an existing VPC by ID, with subnet IDs and a NAT gateway (the stand-in's, too). */
export const EXISTING_VPC_BY_IDS: Readonly<Record<string, string>> = {
  SEEDSTACK_VPC_ID: "vpc-0a1b2c3d4e5f60718",
  SEEDSTACK_PUBLIC_SUBNET_IDS: "subnet-0a000000000000002,subnet-0a000000000000008",
  SEEDSTACK_PRIVATE_SUBNET_IDS: "subnet-0b000000000000003,subnet-0b000000000000004",
  SEEDSTACK_VPC_NAT: "on",
};

/** The bootstrap stack of BOOTSTRAP_EXISTING, told that PR stacks go into the existing VPC of EXISTING_VPC_BY_IDS. */
export const BOOTSTRAP_SHARED_VPC_BY_IDS: Readonly<Record<string, string>> = { ...BOOTSTRAP_EXISTING, ...EXISTING_VPC_BY_IDS };

/** The bootstrap stack of BOOTSTRAP_EXISTING, told that PR stacks go into the existing VPC of EXISTING_VPC_BY_TAGS. */
export const BOOTSTRAP_SHARED_VPC_BY_TAGS: Readonly<Record<string, string>> = { ...BOOTSTRAP_EXISTING, ...EXISTING_VPC_BY_TAGS };

let fixtureBundle: string | undefined;

/** A tiny stand-in for the seed-server bundle, written once per test process. */
export function fixtureBundlePath(): string {
  if (fixtureBundle === undefined) {
    fixtureBundle = join(testTempDir("stacks-bundle-"), "seed-server.mjs");
    writeFileSync(fixtureBundle, "// fixture bundle for stack tests\nconsole.log('seed');\n");
  }
  return fixtureBundle;
}

/** A synthesized stack, with the top-level blocks the stack tests read besides resources. */
export type StackJson = SynthJson & {
  // Synthesized JSON is untyped by nature; the tests check the shape of what they read.
  readonly output?: Record<string, { value: any; description?: string }>;
  readonly terraform?: { backend?: Record<string, Record<string, any>> };
  readonly provider?: Record<string, Array<Record<string, any>>>;
};

/** One synthesized stack of the app. */
export interface SynthesizedStack {
  /** The construct. */
  readonly stack: SeedstackStack;
  /** Its parsed cdk.tf.json. */
  readonly json: StackJson;
}

/** The app synthesized under `env` (on top of {@link TEST_BASE_ENV}), stack name -> stack. */
export function synthApp(env: Record<string, string> = {}): { config: SeedstackConfig; stacks: Map<string, SynthesizedStack> } {
  const config = loadConfig({ env: { ...TEST_BASE_ENV, ...env } });
  const app = testApp();
  const stacks = new Map<string, SynthesizedStack>();
  for (const stack of buildApp(app, config, { bundlePath: fixtureBundlePath() })) {
    stacks.set(stack.environment.stackName, { stack, json: toSynthJson(Testing.synth(stack)) as StackJson });
  }
  return { config, stacks };
}

/** The one stack named `name` (throws, listing the stacks, when it is missing). */
export function stackNamed(stacks: Map<string, SynthesizedStack>, name: string): StackJson {
  const found = stacks.get(name);
  if (!found) throw new Error(`no stack ${name}; the app has ${[...stacks.keys()].join(", ")}`);
  return found.json;
}

/** The bootstrap stack synthesized under `env` (on top of {@link TEST_BASE_ENV}); `env` must name a repository. */
export function synthBootstrap(env: Record<string, string>): StackJson {
  const config = loadConfig({ env: { ...TEST_BASE_ENV, ...env } });
  const stack = buildBootstrap(testApp(), config);
  if (!stack) throw new Error("synthBootstrap: the configuration names no SEEDSTACK_GITHUB_REPOSITORY");
  return toSynthJson(Testing.synth(stack)) as StackJson;
}
