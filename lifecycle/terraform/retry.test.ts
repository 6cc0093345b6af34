/**
 * Transient-error matching against real messages (sources beside each), and the retry loop.
 * The loop with the real binary (a provisioner failing once with a transient message) is in
 * engine.test.ts.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { backoffDelayMs, DEFAULT_RETRY_POLICY, transientErrorIn, transientFailure, withRetries } from "./retry.js";
import type { TerraformRun } from "./run-terraform.js";

/**
 * Transient state and backend messages, retried for every command, apply too (terraform changed
 * nothing yet): real ones with their source, and real error texts in the shape terraform prints them.
 */
const TRANSIENT_ANY_COMMAND = [
  // The real terraform 1.11.4 binary, apply of a saved plan, its S3 endpoint resetting every connection (s3rver suite).
  'Error: error loading state: Unable to list objects in S3 bucket "seedstack-state" with prefix "env:/": operation error S3: ListObjectsV2, exceeded maximum number of attempts, 5, https response error StatusCode: 0, RequestID: , HostID: , request send failed, Get "http://127.0.0.1:40369/seedstack-state?list-type=2&max-keys=1000&prefix=env%3A%2F": dial tcp 127.0.0.1:40369: connect: connection reset by peer',
  // hashicorp/terraform#19048 (terraform 0.11, apply): the state read timing out on DNS.
  "Error: Error loading state: RequestError: send request failed\ncaused by: Get https://bucket-name.s3.amazonaws.com/?prefix=env%3A%2F: dial tcp: lookup bucket-name.s3.amazonaws.com on 192.168.10.104:53: read udp 192.168.10.242:59556->192.168.10.104:53: i/o timeout",
  // Go net/http's exact client-timeout text, inside an S3 state read failure (shape, not a copied log).
  'Error: Failed to load state: RequestError: send request failed\ncaused by: Get "https://bucket.s3.amazonaws.com/key": net/http: request canceled (Client.Timeout exceeded while awaiting headers)',
  // Terragrunt internal/retry/defaults_test.go, "state load tcp timeout" and "backend TLS handshake timeout".
  "Failed to load state: tcp connection timeout",
  "Failed to load backend: TLS handshake timeout",
];

/**
 * Generic network time-outs: retried for every command BUT apply, where the lost answer may be a
 * create that happened (a re-plan would make a second copy).
 */
const TRANSIENT_NOT_APPLY = [
  // Terragrunt's auto-retry documentation (docs/_docs/02_features/auto-retry.md), a real init failure.
  'Error installing provider "template": error fetching checksums: Get https://releases.hashicorp.com/terraform-provider-template/1.0.0/terraform-provider-template_1.0.0_SHA256SUMS: net/http: TLS handshake timeout.',
  // A provider's create whose answer was lost (terraform's diagnostic shape; the Go client's exact text).
  'Error: creating ELBv2 application Load Balancer (seedstack-pr-12-alb): operation error Elastic Load Balancing v2: CreateLoadBalancer, https response error StatusCode: 0, RequestID: , request send failed, Post "https://elasticloadbalancing.us-east-1.amazonaws.com/": net/http: request canceled (Client.Timeout exceeded while awaiting headers)',
  // The fixture's provisioner output (fixture-stacks.ts flakyScript) inside terraform's local-exec error: not terraform's own state summary.
  "Error: local-exec provisioner error\n\n  with terraform_data.flaky,\n\nError running command 'sh flaky.sh': exit status 1. Output: Get \"https://sts.us-east-1.amazonaws.com/\": net/http: request canceled (Client.Timeout exceeded while awaiting headers)\nError: error loading state: i/o timeout",
];

/** Real messages that are transient only when installing providers (terragrunt internal/retry/defaults_test.go). */
const TRANSIENT_INIT_ONLY = [
  'Error: Failed to resolve provider packages\nCould not resolve provider hashicorp/null: could not connect to registry.opentofu.org: failed to request discovery document: Get "https://registry.opentofu.org/.well-known/terraform.json": context deadline exceeded',
  "Error: Failed to install provider\ncould not query provider registry for registry.terraform.io/hashicorp/null: context deadline exceeded",
  'Error installing provider "hashicorp/null": tcp: connection reset by peer',
  "Error: Failed to query available provider packages\nCould not retrieve the list of available versions for provider hashicorp/null: could not connect to registry.opentofu.org: context deadline exceeded",
];

/** Messages that must never be retried: real ones with their source, and real texts in terraform's shape. */
const PERMANENT = [
  // The real terraform 1.11.4 binary, local backend, lock held by a second process.
  "Error: Error acquiring the state lock\n\nError message: resource temporarily unavailable\nLock Info:\n  ID:        aaafe49e-204d-f8f7-ce70-0a08a7d94009\n  Path:      terraform.tfstate\n  Operation: OperationTypeApply\n  Who:       root@vm\n  Version:   1.11.4\n  Created:   2026-11-30 15:16:22.560553741 +0000 UTC\n  Info:      \n",
  // Bright-04/terraform-atlantis-workshop terraform/plan.json (AWS provider, SDK v2): a wrong endpoint, not a blip.
  'Error: fetching Availability Zones: operation error EC2: DescribeAvailabilityZones, https response error StatusCode: 0, RequestID: , request send failed, Post "http://localstack:4566/": dial tcp: lookup localstack: no such host',
  // AbhinavNaman/AWS-RDS apply.json: a permanent API error.
  "Error: creating RDS DB Instance: api error InvalidParameterCombination: Cannot find version 13.3 for postgres",
  // AWS SDK v2 after its own retries ran out (shape from terraform-samples/SOURCES.md): retried already.
  "Error: operation error EC2: RunInstances, exceeded maximum number of attempts, 25, https response error StatusCode: 400, RequestID: 1, api error RequestLimitExceeded: Request limit exceeded.",
  // Terragrunt internal/retry/defaults_test.go, "must NOT match" cases.
  "Error: Failed to resolve provider packages\nCould not resolve provider hashicorp/nonexistent: provider registry registry.opentofu.org does not have a provider named hashicorp/nonexistent",
  "Error: Failed to resolve provider packages\nCould not resolve provider hashicorp/aws: no available releases match the given constraints >= 99.0.0",
  "Error: context deadline exceeded while waiting for user input",
  // The S3 text Terragrunt's list matches, in an init error (shape, not a copied log). Not adopted:
  // our state bucket is the user's; missing means misconfigured.
  "Error: Failed to get existing workspaces: S3 bucket does not exist.\n\nNoSuchBucket: The specified bucket does not exist",
];

test("transient messages match for every command", () => {
  for (const message of TRANSIENT_ANY_COMMAND) {
    for (const command of ["init", "plan", "apply", "destroy"] as const) {
      assert.ok(transientErrorIn(message, command), `${command}: ${message}`);
    }
  }
});

test("generic network time-outs match for every command but apply", () => {
  for (const message of TRANSIENT_NOT_APPLY) {
    for (const command of ["init", "plan", "destroy", "output"] as const) assert.ok(transientErrorIn(message, command), `${command}: ${message}`);
    assert.is(transientErrorIn(message, "apply"), undefined, `apply: ${message}`);
  }
});

test("provider-installation messages match for init only", () => {
  for (const message of TRANSIENT_INIT_ONLY) {
    assert.ok(transientErrorIn(message, "init"), `init: ${message}`);
    assert.is(transientErrorIn(message, "apply"), undefined, `apply: ${message}`);
  }
});

test("permanent messages (state lock, DNS failure, API errors, exhausted SDK retries) never match", () => {
  for (const message of PERMANENT) {
    for (const command of ["init", "plan", "apply", "destroy"] as const) {
      assert.is(transientErrorIn(message, command), undefined, `${command}: ${message}`);
    }
  }
});

const exit = (stderr: string): TerraformRun => ({ reason: "exit", exitCode: 1, signal: null, stdout: "", stderr });
const ok: TerraformRun = { reason: "ok", exitCode: 0, stdout: "", stderr: "" };

test("only exit failures are retried: never success, cancellation or a spawn failure", () => {
  assert.ok(transientFailure(exit(TRANSIENT_ANY_COMMAND[1]!), "plan"));
  assert.is(transientFailure(ok, "plan"), undefined);
  assert.is(transientFailure({ reason: "cancelled", interruption: "graceful", exitCode: 1, stdout: "", stderr: TRANSIENT_ANY_COMMAND[1]! }, "plan"), undefined);
  assert.is(transientFailure({ reason: "spawn", cause: new Error("ENOENT") }, "plan"), undefined);
  // Matched on stderr only: stdout carries progress, not errors.
  assert.is(transientFailure({ reason: "exit", exitCode: 1, signal: null, stdout: TRANSIENT_ANY_COMMAND[1]!, stderr: "Error: Invalid reference" }, "plan"), undefined);
});

test("backoff doubles from the initial delay up to the cap; defaults are 3 attempts, 5 s then 10 s", () => {
  assert.equal(DEFAULT_RETRY_POLICY, { maxAttempts: 3, initialDelayMs: 5_000, maxDelayMs: 30_000 });
  const policy = { maxAttempts: 6, initialDelayMs: 100, maxDelayMs: 500 };
  assert.equal([1, 2, 3, 4, 5].map((n) => backoffDelayMs(policy, n)), [100, 200, 400, 500, 500]);
});

test("a transient failure is retried until success, with notices naming the match", async () => {
  const results = [exit(TRANSIENT_ANY_COMMAND[0]!), ok];
  const notices: unknown[] = [];
  const attempts: number[] = [];
  const run = await withRetries(
    async (n) => {
      attempts.push(n);
      return results[n - 1]!;
    },
    (r) => transientFailure(r, "apply"),
    { policy: { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 1 }, onRetry: (n) => notices.push(n) },
  );
  assert.is(run.reason, "ok");
  assert.equal(attempts, [1, 2]);
  assert.is(notices.length, 1);
  const { matched, ...notice } = notices[0] as { matched: string };
  assert.equal(notice, { failedAttempt: 1, maxAttempts: 3, delayMs: 1 });
  assert.match(matched, /^\^Error: \(\?:error loading state\|/, "apply is retried on terraform's own state-loading error");
});

test("attempts are bounded: the last transient failure is returned after maxAttempts", async () => {
  let calls = 0;
  const run = await withRetries(
    async () => {
      calls++;
      return exit(TRANSIENT_ANY_COMMAND[0]!);
    },
    (r) => transientFailure(r, "plan"),
    { policy: { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 2 } },
  );
  assert.is(calls, 3);
  assert.is(run.reason, "exit");
});

test("a permanent failure is returned after one attempt", async () => {
  let calls = 0;
  const run = await withRetries(
    async () => {
      calls++;
      return exit(PERMANENT[2]!);
    },
    (r) => transientFailure(r, "apply"),
    { policy: { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 1 } },
  );
  assert.is(calls, 1);
  assert.is(run.reason, "exit");
});

test("an abort during the wait ends the retries with the last result", async () => {
  const controller = new AbortController();
  let calls = 0;
  const run = await withRetries(
    async () => {
      calls++;
      return exit(TRANSIENT_ANY_COMMAND[0]!);
    },
    (r) => transientFailure(r, "plan"),
    // An hour's wait: only the abort can end it.
    { policy: { maxAttempts: 3, initialDelayMs: 3_600_000, maxDelayMs: 3_600_000 }, signal: controller.signal, onRetry: () => controller.abort() },
  );
  assert.is(calls, 1);
  assert.is(run.reason, "exit");
});

test("a bad policy is refused by name", async () => {
  const attempt = async () => ok;
  await withRetries(attempt, () => undefined, { policy: { maxAttempts: 0, initialDelayMs: 1, maxDelayMs: 1 } }).then(
    () => assert.unreachable("accepted maxAttempts 0"),
    (e: Error) => assert.match(e.message, /maxAttempts must be a whole number from 1 to 10; got 0/),
  );
  await withRetries(attempt, () => undefined, { policy: { maxAttempts: 2, initialDelayMs: 10, maxDelayMs: 1 } }).then(
    () => assert.unreachable("accepted max < initial"),
    (e: Error) => assert.match(e.message, /0 <= initialDelayMs <= maxDelayMs; got 10 and 1/),
  );
});

test.run();
