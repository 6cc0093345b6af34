import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, loadConfig, SETTINGS, type SeedstackConfig } from "./config.js";

const FIXED_NOW = () => new Date("2025-03-04T05:06:07.890Z");

function load(env: Record<string, string>, context: Record<string, unknown> = {}): SeedstackConfig {
  return loadConfig({ env, context: (key) => context[key], now: FIXED_NOW });
}

/** The problems a configuration is rejected with; fails the test if it is accepted. */
function problemsOf(env: Record<string, string>, context: Record<string, unknown> = {}): readonly string[] {
  try {
    load(env, context);
  } catch (error) {
    assert.instance(error, ConfigError);
    return (error as ConfigError).problems;
  }
  assert.unreachable(`expected a ConfigError for ${JSON.stringify(env)}`);
  return [];
}

test("defaults: us-east-1, self-signed TLS, no database, t3.micro, open to all, local state", () => {
  const config = load({});
  assert.equal(config, {
    region: "us-east-1",
    namePrefix: "seedstack",
    prTopology: "classic",
    tls: "self-signed",
    database: false,
    deletionProtection: true,
    instanceType: "t3.micro",
    targetCpu: 50,
    allowedCidrs: ["0.0.0.0/0"],
    ttlHours: 24,
    owner: "unknown",
    createdAt: "2025-03-04T05:06:07Z",
    state: { kind: "local" },
  });
});

test("every setting is read from its environment variable", () => {
  const config = load({
    SEEDSTACK_REGION: "eu-west-2",
    SEEDSTACK_NAME_PREFIX: "course",
    SEEDSTACK_PR_NUMBER: "42",
    SEEDSTACK_PR_TOPOLOGY: "autoscaled",
    SEEDSTACK_TLS: "acm-dns",
    SEEDSTACK_DOMAIN: "pr-42.example.com",
    SEEDSTACK_HOSTED_ZONE_ID: "Z0123456789ABCDEFGHIJ",
    SEEDSTACK_DATABASE: "on",
    SEEDSTACK_DELETION_PROTECTION: "off",
    SEEDSTACK_INSTANCE_TYPE: "t3.small",
    SEEDSTACK_TARGET_CPU: "2.5",
    SEEDSTACK_ALLOWED_CIDRS: " 203.0.113.0/24 , 198.51.100.7/32 ",
    SEEDSTACK_TTL_HOURS: "6",
    SEEDSTACK_OWNER: "octocat",
    SEEDSTACK_CREATED_AT: "2025-01-31T13:00:00+01:00",
    SEEDSTACK_STATE_BUCKET: "my-tf-state",
    SEEDSTACK_STATE_REGION: "us-east-2",
    SEEDSTACK_STATE_LOCK_TABLE: "tf-locks",
  });
  assert.equal(config, {
    region: "eu-west-2",
    namePrefix: "course",
    prNumber: 42,
    prTopology: "autoscaled",
    tls: "acm-dns",
    domain: "pr-42.example.com",
    hostedZoneId: "Z0123456789ABCDEFGHIJ",
    database: true,
    deletionProtection: false,
    instanceType: "t3.small",
    targetCpu: 2.5,
    allowedCidrs: ["203.0.113.0/24", "198.51.100.7/32"],
    ttlHours: 6,
    owner: "octocat",
    createdAt: "2025-01-31T12:00:00Z",
    state: { kind: "s3", bucket: "my-tf-state", region: "us-east-2", lockTable: "tf-locks" },
  });
});

test("context keys work like the variables, and the environment wins over context", () => {
  const context = { region: "eu-central-1", database: true, allowedCidrs: ["10.1.0.0/16", "10.2.0.0/16"], prNumber: 7, tls: "http" };
  const fromContext = load({}, context);
  assert.is(fromContext.region, "eu-central-1");
  assert.is(fromContext.database, true);
  assert.equal(fromContext.allowedCidrs, ["10.1.0.0/16", "10.2.0.0/16"]);
  assert.is(fromContext.prNumber, 7);
  assert.is(fromContext.tls, "http");

  const overridden = load({ SEEDSTACK_REGION: "us-west-2", SEEDSTACK_DATABASE: "off" }, context);
  assert.is(overridden.region, "us-west-2");
  assert.is(overridden.database, false);
  assert.is(overridden.prNumber, 7, "context still fills what the environment leaves unset");
});

test("an empty variable counts as unset", () => {
  assert.is(load({ SEEDSTACK_REGION: "", SEEDSTACK_PR_NUMBER: "  " }).region, "us-east-1");
  assert.is(load({ SEEDSTACK_PR_NUMBER: "" }).prNumber, undefined);
});

test("owner defaults to the GitHub actor, then the login name", () => {
  assert.is(load({ GITHUB_ACTOR: "octocat", USER: "runner" }).owner, "octocat");
  assert.is(load({ USER: "alice" }).owner, "alice");
  assert.is(load({ SEEDSTACK_OWNER: "team-web", GITHUB_ACTOR: "octocat" }).owner, "team-web");
});

test("owner in a pull request's run is the PR's author from the event file, whoever pushed (no re-tagging per pusher)", () => {
  const dir = mkdtempSync(join(tmpdir(), "seedstack-config-event-"));
  try {
    const prEvent = join(dir, "pr.json");
    writeFileSync(prEvent, JSON.stringify({ action: "synchronize", pull_request: { number: 12, user: { login: "pr-author" } }, sender: { login: "pusher" } }));
    assert.is(load({ GITHUB_EVENT_PATH: prEvent, GITHUB_ACTOR: "pusher" }).owner, "pr-author");
    assert.is(load({ GITHUB_EVENT_PATH: prEvent, GITHUB_ACTOR: "pusher", SEEDSTACK_OWNER: "team-web" }).owner, "team-web");
    // Not a pull-request event (the scheduled sweeper), a missing or broken file: the actor, as before.
    const schedule = join(dir, "schedule.json");
    writeFileSync(schedule, JSON.stringify({ schedule: "0 * * * *" }));
    assert.is(load({ GITHUB_EVENT_PATH: schedule, GITHUB_ACTOR: "octocat" }).owner, "octocat");
    assert.is(load({ GITHUB_EVENT_PATH: join(dir, "missing.json"), GITHUB_ACTOR: "octocat" }).owner, "octocat");
    const broken = join(dir, "broken.json");
    writeFileSync(broken, "{not json");
    assert.is(load({ GITHUB_EVENT_PATH: broken, GITHUB_ACTOR: "octocat" }).owner, "octocat");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("bootstrap settings: repository, default branch (main), existing OIDC provider, permissions boundary", () => {
  assert.is(load({}).github, undefined);
  assert.is(load({}).permissionsBoundary, undefined);
  assert.equal(load({ SEEDSTACK_GITHUB_REPOSITORY: "acme/app" }).github, { repository: "acme/app", defaultBranch: "main" });
  const oidc = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
  assert.equal(load({ SEEDSTACK_GITHUB_REPOSITORY: "acme/app.js", SEEDSTACK_GITHUB_DEFAULT_BRANCH: "trunk", SEEDSTACK_GITHUB_OIDC_PROVIDER_ARN: oidc }).github, {
    repository: "acme/app.js",
    defaultBranch: "trunk",
    oidcProviderArn: oidc,
  });
  const boundary = "arn:aws:iam::123456789012:policy/seedstack-permissions-boundary";
  assert.is(load({ SEEDSTACK_PERMISSIONS_BOUNDARY: boundary }).permissionsBoundary, boundary);
  const problems = problemsOf({
    SEEDSTACK_GITHUB_REPOSITORY: "acme",
    SEEDSTACK_PERMISSIONS_BOUNDARY: "arn:aws:iam::123456789012:role/admin",
    SEEDSTACK_GITHUB_OIDC_PROVIDER_ARN: "arn:aws:iam::123456789012:oidc-provider/example.com",
  });
  assert.is(problems.length, 3, problems.join("\n"));
  assert.match(problems.join("\n"), 'SEEDSTACK_GITHUB_REPOSITORY (context "githubRepository") is "acme"');
  const [leftover] = problemsOf({ SEEDSTACK_GITHUB_DEFAULT_BRANCH: "main" });
  assert.match(leftover!, /SEEDSTACK_GITHUB_DEFAULT_BRANCH is set but SEEDSTACK_GITHUB_REPOSITORY is not/);
});

test("an S3 state bucket defaults to the stacks' region and the S3 lock file", () => {
  assert.equal(load({ SEEDSTACK_REGION: "eu-west-1", SEEDSTACK_STATE_BUCKET: "state.example" }).state,
    { kind: "s3", bucket: "state.example", region: "eu-west-1" });
});

test("acm-arn needs a certificate in the stacks' region", () => {
  const arn = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d";
  assert.is(load({ SEEDSTACK_TLS: "acm-arn", SEEDSTACK_CERTIFICATE_ARN: arn }).certificateArn, arn);

  const [missing] = problemsOf({ SEEDSTACK_TLS: "acm-arn" });
  assert.match(missing!, /SEEDSTACK_CERTIFICATE_ARN is required when SEEDSTACK_TLS=acm-arn/);

  const [wrongRegion] = problemsOf({ SEEDSTACK_TLS: "acm-arn", SEEDSTACK_CERTIFICATE_ARN: arn, SEEDSTACK_REGION: "eu-west-1" });
  assert.ok(wrongRegion!.includes(JSON.stringify(arn)), wrongRegion);
  assert.match(wrongRegion!, /a certificate in us-east-1, but the stacks are in eu-west-1/);
});

test("settings of another TLS mode are rejected, not ignored", () => {
  const arn = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d";
  const problems = problemsOf({
    SEEDSTACK_TLS: "http",
    SEEDSTACK_CERTIFICATE_ARN: arn,
    SEEDSTACK_HOSTED_ZONE_ID: "Z123",
    SEEDSTACK_DOMAIN: "app.example.com",
  });
  assert.is(problems.length, 3, problems.join("\n"));
  assert.match(problems[0]!, /SEEDSTACK_CERTIFICATE_ARN is set but SEEDSTACK_TLS is http; it is only used with SEEDSTACK_TLS=acm-arn/);
  assert.match(problems[1]!, /SEEDSTACK_HOSTED_ZONE_ID is set but SEEDSTACK_TLS is http; it is only used with SEEDSTACK_TLS=acm-dns/);
  assert.match(problems[2]!, /SEEDSTACK_DOMAIN is set but SEEDSTACK_TLS is http; it is only used with SEEDSTACK_TLS=acm-arn or SEEDSTACK_TLS=acm-dns/);
  // A domain with an existing certificate is fine: it is the name in the URL.
  assert.is(load({ SEEDSTACK_TLS: "acm-arn", SEEDSTACK_CERTIFICATE_ARN: arn, SEEDSTACK_DOMAIN: "app.example.com" }).domain, "app.example.com");
});

test("acm-dns needs a domain and a hosted zone", () => {
  const problems = problemsOf({ SEEDSTACK_TLS: "acm-dns" });
  assert.is(problems.length, 2, problems.join("\n"));
  assert.match(problems[0]!, /SEEDSTACK_DOMAIN is required when SEEDSTACK_TLS=acm-dns/);
  assert.match(problems[1]!, /SEEDSTACK_HOSTED_ZONE_ID is required when SEEDSTACK_TLS=acm-dns/);

  const [badDomain, ...rest] = problemsOf({ SEEDSTACK_TLS: "acm-dns", SEEDSTACK_DOMAIN: "-bad-.example.com", SEEDSTACK_HOSTED_ZONE_ID: "Z0123456789ABCDEFGHIJ" });
  assert.is(rest.length, 0, rest.join("\n"));
  assert.match(badDomain!, /^SEEDSTACK_DOMAIN \(context "domain"\) is "-bad-\.example\.com"; allowed: a lowercase DNS name/);
});

test("every bad value is reported at once, naming the variable, the value and what is allowed", () => {
  const env = {
    SEEDSTACK_REGION: "Virginia",
    SEEDSTACK_NAME_PREFIX: "Seed_Stack",
    SEEDSTACK_PR_NUMBER: "12a",
    SEEDSTACK_PR_TOPOLOGY: "serverless",
    SEEDSTACK_TLS: "https",
    SEEDSTACK_DATABASE: "yes",
    SEEDSTACK_DELETION_PROTECTION: "false",
    SEEDSTACK_INSTANCE_TYPE: "micro",
    SEEDSTACK_TARGET_CPU: "50%",
    SEEDSTACK_ALLOWED_CIDRS: "10.0.0.1/16,nope",
    SEEDSTACK_TTL_HOURS: "0",
    SEEDSTACK_OWNER: "a<b>",
    SEEDSTACK_CREATED_AT: "yesterday",
    SEEDSTACK_STATE_BUCKET: "Bad_Bucket",
    SEEDSTACK_STATE_LOCK_TABLE: "x",
  };
  const problems = problemsOf(env);
  assert.is(problems.length, Object.keys(env).length, problems.join("\n"));
  for (const [name, value] of Object.entries(env)) {
    const problem = problems.find((p) => p.startsWith(`${name} `));
    assert.ok(problem, `no problem reported for ${name}`);
    assert.ok(problem.includes(JSON.stringify(value)), `${name}: the message should quote the value: ${problem}`);
    const spec = Object.values(SETTINGS).find((s) => s.env === name)!;
    assert.ok(problem.includes(spec.allowed), `${name}: the message should say what is allowed: ${problem}`);
  }
  // The CIDR message says which block is wrong and why.
  assert.match(problems.find((p) => p.startsWith("SEEDSTACK_ALLOWED_CIDRS"))!, /host bits set; did you mean "10\.0\.0\.0\/16"/);
});

test("the ConfigError message lists every problem", () => {
  try {
    load({ SEEDSTACK_TLS: "https", SEEDSTACK_TTL_HOURS: "-1" });
    assert.unreachable("should have thrown");
  } catch (error) {
    assert.instance(error, ConfigError);
    const message = (error as Error).message;
    // Read after "seedstack: " by the app and the CLI wrapper, so it does not name seedstack again.
    assert.equal(message.split("\n"), [
      'the configuration has 2 problems (SEEDSTACK_* environment variables, cdktf.json "context"):',
      `  - SEEDSTACK_TLS (context "tls") is "https"; allowed: one of self-signed, acm-arn, acm-dns, http.`,
      `  - SEEDSTACK_TTL_HOURS (context "ttlHours") is "-1"; allowed: a whole number of hours from 1 to 720.`,
    ]);
  }
});

test("limits: PR number, TTL, name prefix length, and leftovers of an S3 backend", () => {
  // 7 digits: `seedstack-pr-<n>` stays within the constructs' 20-character name prefix.
  assert.is(load({ SEEDSTACK_PR_NUMBER: "9999999" }).prNumber, 9_999_999);
  assert.is(problemsOf({ SEEDSTACK_PR_NUMBER: "10000000" }).length, 1);
  assert.is(problemsOf({ SEEDSTACK_PR_NUMBER: "007" }).length, 1);
  assert.is(load({ SEEDSTACK_TTL_HOURS: "720" }).ttlHours, 720);
  assert.is(problemsOf({ SEEDSTACK_TTL_HOURS: "721" }).length, 1);
  assert.is(load({ SEEDSTACK_NAME_PREFIX: "abcdefghi" }).namePrefix, "abcdefghi");
  assert.is(problemsOf({ SEEDSTACK_NAME_PREFIX: "abcdefghij" }).length, 1);
  assert.is(problemsOf({ SEEDSTACK_NAME_PREFIX: "a--b" }).length, 1);
  const [leftover] = problemsOf({ SEEDSTACK_STATE_LOCK_TABLE: "tf-locks" });
  assert.match(leftover!, /SEEDSTACK_STATE_LOCK_TABLE is set but SEEDSTACK_STATE_BUCKET is not/);
});

test("target CPU: a percentage from 1 to 100, from the environment or the context; anything else named with what is allowed", () => {
  assert.is(load({ SEEDSTACK_TARGET_CPU: "1" }).targetCpu, 1);
  assert.is(load({ SEEDSTACK_TARGET_CPU: "100" }).targetCpu, 100);
  assert.is(load({}, { targetCpu: 3 }).targetCpu, 3);
  assert.is(load({ SEEDSTACK_TARGET_CPU: "4" }, { targetCpu: 3 }).targetCpu, 4, "the environment wins");
  for (const bad of ["0", "0.5", "100.5", "101", "-5", "1e1", "fifty", "2,5", ".5"]) {
    const problems = problemsOf({ SEEDSTACK_TARGET_CPU: bad });
    assert.equal(problems, [`SEEDSTACK_TARGET_CPU (context "targetCpu") is ${JSON.stringify(bad)}; allowed: ${SETTINGS.targetCpu.allowed}.`], bad);
  }
});

test("name prefixes whose resource names AWS refuses are rejected, naming the rule", () => {
  const cases: Array<[string, string]> = [
    ["internal", 'AWS does not allow load balancer names that start with "internal-"'],
    ["sg", 'AWS does not allow security group names that start with "sg-"'],
    ["sg-web", 'AWS does not allow security group names that start with "sg-"'],
    ["sthree", 'AWS does not allow S3 bucket names that start with "sthree-"'],
  ];
  for (const [prefix, rule] of cases) {
    const problems = problemsOf({ SEEDSTACK_NAME_PREFIX: prefix });
    assert.is(problems.length, 1, prefix);
    assert.ok(problems[0]!.startsWith(`SEEDSTACK_NAME_PREFIX (context "namePrefix") is "${prefix}" (${rule}); allowed: `), problems[0]);
  }
  for (const fine of ["internals", "sgx", "sthreex", "inter"]) assert.is(load({ SEEDSTACK_NAME_PREFIX: fine }).namePrefix, fine);
});

test.run();
