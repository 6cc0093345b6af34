/**
 * Bounded retries with backoff, for errors known to be transient and for nothing else.
 *
 * Transient network errors are the one case where only terraform's text tells failures apart, so
 * they are matched here, narrowly, in this one file, and only against stderr (where terraform
 * writes its errors). The reference is Terragrunt's default list (gruntwork-io/terragrunt
 * `internal/retry/defaults.go`, formerly `options/auto_retry_options.go`: Go regexps written
 * `(?s).*A.*B.*`, i.e. "A, later B"; the same here with the `s` flag). Terragrunt's defaults are
 * 3 attempts, 5 s apart; ours are 3 attempts with 5 s, then 10 s.
 *
 * Adopted, and why:
 * - `Failed to load state.*tcp.*timeout`, `Failed to load backend.*TLS handshake timeout`,
 *   `Error configuring the backend.*TLS handshake timeout`: our state lives in S3; a network
 *   timeout reaching it fails any command and says nothing about the stack.
 * - `Client\.Timeout exceeded while awaiting headers`, `net/http: TLS.*handshake timeout`: Go's
 *   HTTP client gave up on a slow peer (S3 state, the registry); the request can simply be sent
 *   again. NOT for apply (below).
 *
 * Apply is different: a time-out while creating a resource may have lost only the RESPONSE, so the
 * resource exists outside the state, and the re-plan a retry needs would create a second copy
 * (one with a generated name, orphaned, or a name clash). So apply is retried only on errors that
 * terraform reports before it changes anything: loading the state or the backend, or taking the
 * lock, failing on the network. Those are matched on terraform's own diagnostic summary at the
 * start of a line (`Error: error loading state: ...`, the 1.11 text), never on a provider's or a
 * provisioner's words. Failing to SAVE the state after apply is never retried: terraform wrote
 * `errored.tfstate`, and "running apply again at this point will create a forked state".
 * - Only for `init` (the one command that installs providers), the registry and provider download
 *   patterns: `Error installing provider.*(TLS handshake timeout|tcp.*timeout|tcp.*connection reset
 *   by peer)`, `could not query provider registry.*context deadline exceeded`,
 *   `provider.*(TLS handshake timeout|tcp.*timeout|tcp.*connection reset by peer|context deadline exceeded)`,
 *   `registry.*context deadline exceeded`, `Failed to resolve provider.*(timeout|connection reset
 *   by peer|context deadline exceeded)`, `could not connect to registry.*(...)`, `failed to request
 *   discovery document.*context deadline exceeded`, `Failed to query available provider
 *   packages.*(...)`. Scoped to init because "provider" and "registry" are common words in other
 *   commands' errors, and an apply that timed out waiting for AWS must not be re-run blindly.
 *
 * Not adopted, and why:
 * - `NoSuchBucket: The specified bucket does not exist`: Terragrunt creates state buckets itself and
 *   races S3's consistency; ours is created by the user beforehand, so a missing bucket is a
 *   configuration error that no wait fixes.
 * - `Creating metric alarm failed...`, `Error creating SSM parameter: TooManyUpdates`: our stacks
 *   create no CloudWatch alarms or SSM parameters through terraform.
 * - `app.terraform.io.*: 429 Too Many Requests`, `Could not download module.*429`,
 *   `ssh_exchange_identification...`: we use no HCP Terraform, no module downloads (cdktf inlines
 *   everything) and no SSH provisioners.
 * - Never retried, although others add them: the state lock (terraform's own `-lock-timeout` is the
 *   wait; a retry would double it and hide the contention we report as `state-locked`), and AWS
 *   throttling (`Throttling`, `RequestLimitExceeded`: the AWS SDK inside the provider already
 *   retried with backoff before terraform printed it).
 */
import type { TerraformRun } from "./run-terraform.js";

/** A transient-error pattern and the commands it applies to. */
export interface TransientPattern {
  /** Tested on the whole stderr; with `firstError`, on stderr from terraform's first `Error: ` line on. */
  readonly pattern: RegExp;
  /** Only terraform's FIRST error counts: the failure happened before anything else did. @default false */
  readonly firstError?: boolean;
  /**
   * `any` command (apply too: state and backend errors, before anything changes), every command
   * but `apply` (generic network time-outs), or only `init` (provider installation).
   */
  readonly commands: "any" | "not-apply" | "init";
}

const any = (pattern: RegExp): TransientPattern => ({ pattern, commands: "any" });
const notApply = (pattern: RegExp): TransientPattern => ({ pattern, commands: "not-apply" });
const initOnly = (pattern: RegExp): TransientPattern => ({ pattern, commands: "init" });
/** Any command, apply too, but only as terraform's first error (so no provisioner or provider text can look like it). */
const firstError = (pattern: RegExp): TransientPattern => ({ pattern, commands: "any", firstError: true });

/** stderr from terraform's first `Error: ` line on (empty when there is none). */
function fromFirstError(stderr: string): string {
  const at = stderr.search(/^Error: /m);
  return at < 0 ? "" : stderr.slice(at);
}

/** A network failure that sending again may cure (Go's net/http and the AWS SDK's words). */
const NETWORK_BLIP = String.raw`(?:i/o timeout|Client\.Timeout exceeded|TLS handshake timeout|connection reset by peer|context deadline exceeded)`;

/** The adopted subset of Terragrunt's default retryable errors (see the header for why). */
export const TRANSIENT_PATTERNS: readonly TransientPattern[] = [
  any(/Failed to load state.*tcp.*timeout/s),
  any(/Failed to load backend.*TLS handshake timeout/s),
  any(/Error configuring the backend.*TLS handshake timeout/s),
  // terraform 1.11's own summaries when reading the state or taking the lock fails (nothing changed yet).
  // The blip must be in the same paragraph (terraform's detail, or the AWS SDK's "caused by:" line).
  firstError(new RegExp(String.raw`^Error: (?:error loading state|Error loading state|Failed to load state):(?:[^\n]|\n(?!\n))*?${NETWORK_BLIP}`)),
  firstError(new RegExp(String.raw`^Error: Error acquiring the state lock\n\nError message: (?:[^\n]|\n(?!\n))*?${NETWORK_BLIP}`)),
  notApply(/Client\.Timeout exceeded while awaiting headers/s),
  notApply(/net\/http: TLS.*handshake timeout/s),
  initOnly(/Error installing provider.*TLS handshake timeout/s),
  initOnly(/Error installing provider.*tcp.*timeout/s),
  initOnly(/Error installing provider.*tcp.*connection reset by peer/s),
  initOnly(/could not query provider registry.*context deadline exceeded/s),
  initOnly(/provider.*TLS handshake timeout/s),
  initOnly(/provider.*tcp.*timeout/s),
  initOnly(/provider.*tcp.*connection reset by peer/s),
  initOnly(/provider.*context deadline exceeded/s),
  initOnly(/registry.*context deadline exceeded/s),
  initOnly(/Failed to resolve provider.*timeout/s),
  initOnly(/Failed to resolve provider.*connection reset by peer/s),
  initOnly(/Failed to resolve provider.*context deadline exceeded/s),
  initOnly(/could not connect to registry.*timeout/s),
  initOnly(/could not connect to registry.*connection reset by peer/s),
  initOnly(/could not connect to registry.*context deadline exceeded/s),
  initOnly(/failed to request discovery document.*context deadline exceeded/s),
  initOnly(/Failed to query available provider packages.*timeout/s),
  initOnly(/Failed to query available provider packages.*connection reset by peer/s),
  initOnly(/Failed to query available provider packages.*context deadline exceeded/s),
];

/** The terraform subcommand a transient pattern is checked for. */
export type TerraformCommand = "init" | "plan" | "show" | "apply" | "output" | "destroy";

/** The first adopted pattern matching `stderr` of `command`, as its source text; undefined if none. */
export function transientErrorIn(stderr: string, command: TerraformCommand): string | undefined {
  const applies = (p: TransientPattern) => p.commands === "any" || (p.commands === "not-apply" && command !== "apply") || command === "init";
  const hit = TRANSIENT_PATTERNS.find((p) => applies(p) && p.pattern.test(p.firstError ? fromFirstError(stderr) : stderr));
  return hit?.pattern.source;
}

/** Why a terraform run may be retried: a transient pattern in its stderr; undefined when it may not. */
export function transientFailure(run: TerraformRun, command: TerraformCommand): string | undefined {
  return run.reason === "exit" ? transientErrorIn(run.stderr, command) : undefined;
}

/** How many times, and how far apart. */
export interface RetryPolicy {
  /** Attempts in all, the first included. 1 means never retry. */
  readonly maxAttempts: number;
  /** Wait before the first retry; each later wait doubles. */
  readonly initialDelayMs: number;
  /** Longest single wait. */
  readonly maxDelayMs: number;
}

/** 3 attempts, 5 s then 10 s apart (Terragrunt: 3 attempts, 5 s apart). */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 3, initialDelayMs: 5_000, maxDelayMs: 30_000 };

/** The wait before retry number `retry` (1 for the first retry). */
export function backoffDelayMs(policy: RetryPolicy, retry: number): number {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (retry - 1));
}

/** Throws a RangeError naming what is wrong with `policy`. */
export function checkRetryPolicy(policy: RetryPolicy): void {
  const { maxAttempts, initialDelayMs, maxDelayMs } = policy;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 10) {
    throw new RangeError(`retry maxAttempts must be a whole number from 1 to 10; got ${maxAttempts}`);
  }
  if (!(initialDelayMs >= 0) || !(maxDelayMs >= initialDelayMs)) {
    throw new RangeError(`retry delays must satisfy 0 <= initialDelayMs <= maxDelayMs; got ${initialDelayMs} and ${maxDelayMs}`);
  }
}

/** A retry about to happen. */
export interface RetryNotice {
  /** The attempt that failed (1 for the first). */
  readonly failedAttempt: number;
  readonly maxAttempts: number;
  readonly delayMs: number;
  /** The transient pattern that matched. */
  readonly matched: string;
}

/** Options of `withRetries`. */
export interface WithRetriesOptions {
  /** @default DEFAULT_RETRY_POLICY */
  readonly policy?: RetryPolicy;
  /** Aborting it ends the wait between attempts; the last result is returned. @default never aborted */
  readonly signal?: AbortSignal;
  /** Told before each wait. @default nothing is told */
  readonly onRetry?: (notice: RetryNotice) => void;
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

/**
 * Run `attempt` until it returns a result `transientReason` does not flag, or attempts run out;
 * returns the last result. Anything not flagged (success, a permanent error, a cancellation) is
 * returned at once.
 */
export async function withRetries<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  transientReason: (result: T) => string | undefined,
  options: WithRetriesOptions = {},
): Promise<T> {
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  checkRetryPolicy(policy);
  for (let n = 1; ; n++) {
    const result = await attempt(n);
    const matched = transientReason(result);
    if (matched === undefined || n >= policy.maxAttempts || options.signal?.aborted) return result;
    const delayMs = backoffDelayMs(policy, n);
    options.onRetry?.({ failedAttempt: n, maxAttempts: policy.maxAttempts, delayMs, matched });
    await pause(delayMs, options.signal);
    if (options.signal?.aborted) return result;
  }
}
