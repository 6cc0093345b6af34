/**
 * The sweeper over the state bucket, end to end on this machine: a REAL S3-protocol server
 * (s3rver, test-support/s3-server.ts; its one STAND-IN part, S3's If-None-Match on PutObject, is
 * named there), the REAL terraform S3 backend pointed at it (AWS_ENDPOINT_URL_S3, path-style), the
 * AWS SDK's S3 client listing it, FIXTURE stacks of `terraform_data` (no provider, no AWS), and a
 * GITHUB STAND-IN answering GET /repos/{owner}/{repo}/pulls/{n}. One s3rver for the whole suite.
 */
import { mkdirSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { deployEnvironment, type TerraformEnvironmentOptions } from "./deploy.js";
import type { TerraformEngineEvent } from "./deploy-events.js";
import { pullRequestClosedChecker } from "./github-pulls.js";
import { sweepStateBucket, stateBucketSweepLines } from "./state-bucket-sweep.js";
import { liveTerraformProcesses } from "./run-terraform.js";
import { handoverKeyOf, stateKeyOf } from "./state-objects.js";
import { lockHolderName } from "./state-lock.js";
import { startGitHubStandIn } from "../../test/github-stand-in/github-stand-in.js";
import { startS3Server, s3Backend, type S3Server } from "./test-support/s3-server.js";
import { TERRAFORM_AVAILABLE, makeWorkspace, waitFor, type Workspace } from "./test-support/workspace.js";

const test = suite("sweep over the state bucket (s3rver + real terraform)");
const tfTest = TERRAFORM_AVAILABLE ? test : test.skip;
const PREFIX = "seedstack";
const HOUR = 3_600_000;

let s3: S3Server;
let client: S3Client;
let savedEnv: Record<string, string | undefined> = {};

test.before(async () => {
  s3 = await startS3Server();
  // The SDK finds the server as terraform does: AWS_ENDPOINT_URL_S3 (restored after the suite).
  savedEnv = Object.fromEntries(Object.keys(s3.env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, s3.env);
  client = new S3Client({ endpoint: s3.endpoint, region: "us-east-1", forcePathStyle: true, credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } });
});

test.after(async () => {
  for (const [k, v] of Object.entries(savedEnv)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  client?.destroy();
  await s3?.close();
});

/** FIXTURE: one `terraform_data` per PR stack, state in the bucket at the stacks' key; optionally a destroy that fails. */
function prStack(prNumber: number, destroyFails = false, prefix = PREFIX): object {
  const web = destroyFails
    ? { input: `pr-${prNumber}`, provisioner: [{ "local-exec": { when: "destroy", command: "echo 'fixture: this destroy is refused' >&2; exit 1" } }] }
    : { input: `pr-${prNumber}` };
  return { terraform: { backend: s3Backend(s3, stateKeyOf(prefix, prNumber)) }, resource: { terraform_data: { web } } };
}

/** What the bucket holds under the PR prefix. */
async function keys(prefix = PREFIX): Promise<string[]> {
  const page = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: `${prefix}/` }));
  return (page.Contents ?? []).map((o) => o.Key!).sort();
}

async function resourcesIn(key: string): Promise<number> {
  const o = await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
  return (JSON.parse(await o.Body!.transformToString()) as { resources: unknown[] }).resources.length;
}

/** Options for `pr-<n>`'s stack in `dir` (written fresh, as the sweeper synthesizes on a fresh runner). */
function environment(ws: Workspace, dir: string, prNumber: number, destroyFails: boolean): TerraformEnvironmentOptions {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify(prStack(prNumber, destroyFails)));
  return { name: `pr-${prNumber}`, stackDir: dir, recordDir: join(ws.root, "records"), env: { ...ws.env, ...s3.env }, retry: { maxAttempts: 1, initialDelayMs: 0, maxDelayMs: 0 } };
}

tfTest("open PR kept, closed PR destroyed, expired destroyed, a failing destroy reported and handed over; dry run says what and why", async () => {
  const ws = makeWorkspace();
  const gitHub = await startGitHubStandIn({
    token: "test-token",
    repository: "octo/seed",
    pulls: {
      1: { state: "open", merged: false }, // deployed 48 h ago: expired
      2: { state: "closed", merged: true },
      3: { state: "open", merged: false }, // deployed now: kept
      4: { state: "closed", merged: false }, // its destroy fails
    },
  });
  const failing = new Set([4]);
  try {
    for (const n of [1, 2, 3, 4]) {
      const deployed = await deployEnvironment(environment(ws, join(ws.root, "deploy", `pr-${n}`), n, failing.has(n)));
      assert.ok(deployed.ok, `fixture pr-${n} deployed: ${JSON.stringify(deployed)}`);
    }
    const states = [1, 2, 3, 4].map((n) => stateKeyOf(PREFIX, n));
    assert.equal(await keys(), states, "one state object per PR at the stacks' key; no lock file left");
    // pr-1's last deploy was two days ago: s3rver's LastModified is its object file's mtime.
    const twoDaysAgo = new Date(Date.now() - 48 * HOUR);
    utimesSync(join(s3.directory, s3.bucket, `${stateKeyOf(PREFIX, 1)}._S3rver_object`), twoDaysAgo, twoDaysAgo);

    const base = {
      where: { bucket: s3.bucket, namePrefix: PREFIX, region: "us-east-1", forcePathStyle: true },
      ttlHours: 24,
      isPullRequestClosed: pullRequestClosedChecker({ token: "test-token", repo: "octo/seed", apiUrl: gitHub.url }),
      environmentFor: async (s: { prNumber: number }) => environment(ws, join(ws.root, "sweep", `pr-${s.prNumber}`), s.prNumber, failing.has(s.prNumber)),
    };

    const dry = await sweepStateBucket(base);
    const dryOut = stateBucketSweepLines(dry).join("\n");
    assert.match(dryOut, /would destroy pr-1 \(seedstack\/pr-1\/terraform\.tfstate\): last deployed \S+, expired at \S+ \(TTL 24 h\)/);
    assert.match(dryOut, /would destroy pr-2 \(\S+\): pull request #2 is closed/);
    assert.match(dryOut, /keep pr-3 \(\S+\): last deployed \S+, expires at \S+; pull request #3 is open/);
    assert.match(dryOut, /would destroy pr-4 \(\S+\): pull request #4 is closed/);
    assert.match(dryOut, /dry run: nothing was destroyed/);
    assert.equal(dry.decisions.map((d) => [d.state.stackName, d.reasons]), [["pr-1", ["expired"]], ["pr-2", ["pr-closed"]], ["pr-3", []], ["pr-4", ["pr-closed"]]]);
    assert.equal(await keys(), states, "the dry run changed nothing");
    for (const key of states) assert.is(await resourcesIn(key), 1);

    const applied = await sweepStateBucket({ ...base, dryRun: false });
    const out = stateBucketSweepLines(applied).join("\n");
    assert.equal(applied.destroyed.map((d) => [d.name, d.result.ok, d.stateRemoved]), [["pr-1", true, true], ["pr-2", true, true], ["pr-4", false, false]], out);
    assert.match(out, /could not destroy pr-4: destroy-failed: terraform destroy failed \(exit 1\): Error: local-exec provisioner error; kept, and handed over to the next sweep \(seedstack\/pr-4\/needs-destroy\.json\)/);
    assert.equal(await keys(), [stateKeyOf(PREFIX, 3), handoverKeyOf(PREFIX, 4), stateKeyOf(PREFIX, 4)], "destroyed states deleted; the kept and the failed stay, the failed with its note");
    assert.is(await resourcesIn(stateKeyOf(PREFIX, 3)), 1, "the open PR's environment is untouched");
    assert.is(await resourcesIn(stateKeyOf(PREFIX, 4)), 1, "the failed destroy kept its state");
    assert.equal(gitHub.requests.filter((r) => r.path.endsWith("/pulls/3")).length, 2, "each PR asked once per sweep");

    // The note outlives the PR's state and the TTL: reopened and freshly deployed, pr-4 is still destroyed next time.
    gitHub.pulls[4] = { state: "open", merged: false };
    const next = await sweepStateBucket(base);
    const pr4 = next.decisions.find((d) => d.state.prNumber === 4)!;
    assert.ok(pr4.destroy, stateBucketSweepLines(next).join("\n"));
    assert.equal(pr4.reasons, ["handed-over"]);
    assert.match(pr4.why, /a destroy was handed over at \S+: destroy-failed: terraform destroy failed/);
  } finally {
    await gitHub.close();
    ws.dispose();
  }
});

tfTest("apply IS retried when terraform could not load the state (nothing was changed yet): a real connection reset on S3", async () => {
  const ws = makeWorkspace();
  const events: TerraformEngineEvent[] = [];
  let armed = false;
  try {
    const deploy = await deployEnvironment({
      ...environment(ws, join(ws.root, "pr-20"), 20, false),
      retry: { maxAttempts: 3, initialDelayMs: 5, maxDelayMs: 5 },
      onEvent: (e) => {
        events.push(e);
        // Between plan and apply: every attempt of the apply's state read (the SDK inside terraform tries 5 times) is reset.
        if (e.type === "planned" && !armed) {
          armed = true;
          s3.resetNext(5, (r) => r.method === "GET" && r.query["list-type"] === "2" && r.query.prefix === "env:/");
        }
      },
    });
    assert.ok(deploy.ok, JSON.stringify(deploy));
    assert.equal(events.flatMap((e) => (e.type === "command-started" ? [e.command] : [])), ["init", "plan", "show", "apply", "plan", "show", "apply", "output"]);
    const retry = events.find((e) => e.type === "retrying");
    assert.match(retry?.type === "retrying" ? retry.notice.matched : "", /error loading state/);
    assert.is(await resourcesIn(stateKeyOf(PREFIX, 20)), 1, "applied once, into the bucket");
  } finally {
    s3.resetNext(0, () => false);
    ws.dispose();
  }
});

tfTest("init -reconfigure: a checkout whose .terraform was set up for local state deploys to the bucket once one is configured", async () => {
  const ws = makeWorkspace();
  try {
    const dir = join(ws.root, "pr-21");
    const options = environment(ws, dir, 21, false);
    // A named local file, as cdktf's LocalBackend writes (`terraform.<stack>.tfstate`): terraform then
    // has no local state of its own to offer for migration, and without -reconfigure stops at
    // "Backend configuration changed".
    writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify({ terraform: { backend: { local: { path: "terraform.pr-21.tfstate" } } }, resource: { terraform_data: { web: { input: "pr-21" } } } }));
    assert.ok((await deployEnvironment(options)).ok, "deployed on local state first");
    writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify(prStack(21)));
    const again = await deployEnvironment(options);
    assert.ok(again.ok, JSON.stringify(again));
    assert.is(await resourcesIn(stateKeyOf(PREFIX, 21)), 1, "the state is now in the bucket");
  } finally {
    ws.dispose();
  }
});

tfTest("a terraform killed while holding the S3 lock: the lock stays; the sweeper clears it because its holder is known dead, then destroys", async () => {
  const ws = makeWorkspace();
  const prefix = "lockcase"; // a name prefix of its own: this sweep sees only pr-30
  const where = { bucket: s3.bucket, namePrefix: prefix, region: "us-east-1", forcePathStyle: true };
  try {
    const dir = join(ws.root, "pr-30");
    // The engine writes the holder note itself, where the stack's S3 backend keeps the state of
    // `<prefix>/pr-30` (lock-holder-target.ts): nothing in this test writes it.
    const options = environment(ws, dir, 30, false);
    writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify(prStack(30, false, prefix)));
    assert.ok((await deployEnvironment(options)).ok, "deployed once: its state is in the bucket");
    assert.not.ok((await keys(prefix)).includes(`${prefix}/pr-30/lock-holder.json`), "after terraform exits on its own, its holder note is removed");
    // The next deploy adds a slow resource and is killed in the middle of it.
    writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify({ ...prStack(30, false, prefix), resource: { terraform_data: { web: { input: "pr-30" }, slow: { input: "s", provisioner: [{ "local-exec": { command: "exec sleep 60" } }] } } } }));
    let sleeping = false;
    const deploy = deployEnvironment({
      ...options,
      onEvent: (e) => {
        if (e.type === "output-line" && e.command === "apply" && e.line.includes("(local-exec): Executing:")) sleeping = true;
      },
    });
    await waitFor("terraform to hold the lock inside its sleeping apply", () => sleeping);
    const [pid] = liveTerraformProcesses();
    process.kill(-pid!, "SIGKILL"); // what a runner's kill does; terraform never releases its lock
    const killed = await deploy;
    assert.not.ok(killed.ok, "the killed deploy failed");
    assert.ok((await keys(prefix)).includes(`${prefix}/pr-30/lock-holder.json`), "the killed terraform's holder note is left beside the state");
    assert.ok((await keys(prefix)).includes(`${stateKeyOf(prefix, 30)}.tflock`), "the killed terraform's lock file is left in the bucket");

    const gitHub = await startGitHubStandIn({ token: "test-token", repository: "octo/seed", pulls: { 30: { state: "closed", merged: false } } });
    try {
      const report = await sweepStateBucket({
        where,
        ttlHours: 24,
        dryRun: false,
        isPullRequestClosed: pullRequestClosedChecker({ token: "test-token", repo: "octo/seed", apiUrl: gitHub.url }),
        environmentFor: async () => ({ ...options, lockTimeoutSeconds: 0 }),
      });
      const out = stateBucketSweepLines(report).join("\n");
      assert.equal(report.destroyed.map((d) => [d.name, d.result.ok]), [["pr-30", true]], out);
      assert.match(out, new RegExp(`cleared the lock of pr-30: the state is locked by ${lockHolderName()} since \\S+ \\(OperationTypeApply, lock ID [0-9a-f-]+\\): terraform \\(pid ${pid}, started \\S+\\) on this machine is no longer running`));
      assert.not.ok((await keys(prefix)).some((k) => k.startsWith(`${prefix}/pr-30/terraform.tfstate`)), "lock cleared, state destroyed and deleted");
    } finally {
      await gitHub.close();
    }
  } finally {
    ws.dispose();
  }
});

test("s3rver ignores If-None-Match on PutObject; the suite's stand-in answers 412 as S3 does", async () => {
  const key = "probe/conditional-write";
  const put = () => client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: "x", IfNoneMatch: "*" }));
  s3.conditionalWrites = false;
  try {
    await put();
    await put(); // real S3 refuses this one: the key exists
  } finally {
    s3.conditionalWrites = true;
  }
  const refused = await put().then(
    () => undefined,
    (error: { name?: string; $metadata?: { httpStatusCode?: number } }) => error,
  );
  assert.is(refused?.$metadata?.httpStatusCode, 412);
  assert.is(refused?.name, "PreconditionFailed");
});

test.run();
