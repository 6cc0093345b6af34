/**
 * The bundled action's `mode: sweep` over the state bucket, end to end, run as GitHub runs it
 * (run-action.ts): a REAL S3-protocol server (s3rver; its one STAND-IN part, S3's If-None-Match on
 * PutObject, is named in lifecycle/terraform/test-support/s3-server.ts) holding pull-request states
 * written by the REAL terraform S3 backend from FIXTURE stacks of `terraform_data` (no provider, no
 * AWS), the real terraform destroying through them, the GITHUB STAND-IN (test/github-stand-in/) answering
 * "get a pull request" and "get a workflow run", and a STAND-IN of the Resource Groups Tagging API
 * (tagging-stand-in.ts) for the orphan report, filtering by tags as AWS does, so the test checks
 * the filters the sweeper sends. The TEST-ONLY seam SEEDSTACK_ACTION_TEST_USE_SYNTHESIZED makes the
 * sweep destroy each `pr-<n>` from `cdktf.out/stacks/pr-<n>/` instead of synthesizing our AWS
 * stacks.
 *
 * One sweep covers every case: open PR kept, closed PR destroyed, expired (TTL 720 h, the longest;
 * a longer `ttl` is refused before anything is asked) destroyed, a lock left by a GitHub run that has completed cleared and the environment destroyed,
 * a lock held by a run still in progress left alone and reported. One terraform apply writes the
 * first state; the others are copies of it (a real state, under each PR's key).
 */
import * as assert from "uvu/assert";
import { mkdirSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CopyObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { initArgs } from "../../lifecycle/terraform/args.js";
import { liveTerraformProcesses, runTerraform } from "../../lifecycle/terraform/run-terraform.js";
import { holderNoteKeyOf, stateKeyOf } from "../../lifecycle/terraform/state-objects.js";
import { s3Backend, startS3Server, type S3Server } from "../../lifecycle/terraform/test-support/s3-server.js";
import { killLiveTerraform, TERRAFORM_AVAILABLE } from "../../lifecycle/terraform/test-support/workspace.js";
import { bundledActionSuite, github, TOKEN, type ActionSuiteContext } from "./bundled-action-suite.js";
import { createJob, type StepResult } from "./run-action.js";
import { startTaggingStandIn } from "./tagging-stand-in.js";

const test = bundledActionSuite<ActionSuiteContext>("action sweep over the state bucket (bundled; s3rver + real terraform + GitHub stand-in)", {}, killLiveTerraform);
const tfTest = TERRAFORM_AVAILABLE ? test : test.skip;

const PREFIX = "seedstack";
const REPO = "octo-org/webshop";
const HOUR = 3_600_000;
/** A runner that is not this machine: its lock can be judged only by asking GitHub about its run. */
const OTHER_RUNNER = "fv-az512-207";

function describe(r: StepResult): string {
  return `exit ${r.exitCode}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}\n--- summary\n${r.summary}`;
}

/** FIXTURE: `pr-<n>`'s stack, one `terraform_data`, its state in the bucket at the stacks' key. */
function prStack(s3: S3Server, n: number): object {
  return { terraform: { backend: s3Backend(s3, stateKeyOf(PREFIX, n)) }, resource: { terraform_data: { web: { input: `pr-${n}` } } } };
}

/**
 * Terraform's S3 lock file (`<key>.tflock`) as terraform 1.11 writes it (its statemgr.LockInfo as
 * JSON), and the holder note our engine writes beside the state (lock-holder.ts) for a terraform
 * that ran on another runner in GitHub run `runId`: what a runner killed mid-apply leaves.
 */
function leftLock(n: number, id: string, runId: number, startedAt: Date): { lock: string; note: string } {
  const who = `runner@${OTHER_RUNNER}`;
  const lock = { ID: id, Operation: "OperationTypeApply", Info: "", Who: who, Version: "1.11.4", Created: new Date(startedAt.getTime() + 2_000).toISOString(), Path: `seedstack-state/${stateKeyOf(PREFIX, n)}` };
  const note = { version: 1, who, host: OTHER_RUNNER, pid: 2841, pidStartTicks: 991_245, githubRun: { repository: REPO, runId, runAttempt: 1 }, startedAt: startedAt.toISOString() };
  return { lock: JSON.stringify(lock), note: JSON.stringify(note) };
}

tfTest("sweep: open PR kept, closed and expired destroyed through their states, a completed run's lock cleared, an in-progress run's lock left alone and reported", async (ctx) => {
  const gh = await github(ctx);
  const s3 = await startS3Server();
  const tagging = await startTaggingStandIn([
    { ResourceARN: "arn:aws:ec2:us-east-1:123456789012:vpc/vpc-0a1b2c3d4e5f60718", Tags: [{ Key: "Project", Value: "seedstack" }, { Key: "PR", Value: "9" }, { Key: "Stack", Value: "pr-9" }] },
    { ResourceARN: "arn:aws:ec2:us-east-1:123456789012:vpc/vpc-0f1e2d3c4b5a69788", Tags: [{ Key: "Project", Value: "seedstack" }, { Key: "PR", Value: "1" }, { Key: "Stack", Value: "pr-1" }] },
    // Neither is the sweeper's: another project's PR, and a seedstack resource of no PR. The filters keep them out.
    { ResourceARN: "arn:aws:ec2:us-east-1:123456789012:vpc/vpc-0c1d2e3f4a5b60799", Tags: [{ Key: "Project", Value: "webshop" }, { Key: "PR", Value: "8" }, { Key: "Stack", Value: "pr-8" }] },
    { ResourceARN: "arn:aws:s3:::seedstack-state-123456789012", Tags: [{ Key: "Project", Value: "seedstack" }] },
  ]);
  const client = new S3Client({ endpoint: s3.endpoint, region: "us-east-1", forcePathStyle: true, credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } });
  const keys = async () => ((await client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: `${PREFIX}/` }))).Contents ?? []).map((o) => o.Key!).sort();
  const resourcesIn = async (key: string) => (JSON.parse(await (await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }))).Body!.transformToString()) as { resources: unknown[] }).resources.length;
  const put = (key: string, body: string) => client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: body, ContentType: "application/json" }));
  try {
    gh.pulls[1] = { state: "open", merged: false };
    gh.pulls[2] = { state: "closed", merged: true };
    gh.pulls[3] = { state: "open", merged: false }; // last deployed 31 days ago: expired
    gh.pulls[4] = { state: "closed", merged: false };
    gh.pulls[5] = { state: "closed", merged: false };
    gh.runs[7001] = { status: "completed", conclusion: "cancelled" };
    gh.runs[7002] = { status: "in_progress", conclusion: null };

    const sweepJob = (ttl: string) => {
      const job = createJob({
        distDir: ctx.dist,
        apiUrl: gh.url,
        inputs: { mode: "sweep", engine: "terraform", "github-token": TOKEN, ttl },
        event: { schedule: "17 * * * *" },
        eventName: "schedule",
        env: { ...s3.env, SEEDSTACK_STATE_BUCKET: s3.bucket, SEEDSTACK_ACTION_TEST_USE_SYNTHESIZED: "1", AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API: tagging.url },
      });
      ctx.jobs.push(job);
      return job;
    };
    const j = sweepJob("720h");
    const stackDirOf = (n: number) => join(j.workspace, "cdktf.out", "stacks", `pr-${n}`);
    for (const n of [1, 2, 3, 4, 5]) {
      mkdirSync(stackDirOf(n), { recursive: true });
      writeFileSync(join(stackDirOf(n), "cdk.tf.json"), JSON.stringify(prStack(s3, n), null, 2));
    }

    // pr-1's environment deployed by the real terraform S3 backend; the other PRs' states are copies of its state.
    const tfEnv = { ...s3.env, TF_CLI_CONFIG_FILE: join(j.dir, "deploy.tfrc") };
    writeFileSync(tfEnv.TF_CLI_CONFIG_FILE, "# empty: terraform_data needs no provider\n");
    for (const args of [initArgs(), ["apply", "-input=false", "-no-color", "-auto-approve"]]) {
      const run = await runTerraform({ args, cwd: stackDirOf(1), env: tfEnv });
      assert.is(run.reason, "ok", `terraform ${args[0]}: ${JSON.stringify(run)}`);
    }
    for (const n of [2, 3, 4, 5]) await client.send(new CopyObjectCommand({ Bucket: s3.bucket, CopySource: `${s3.bucket}/${stateKeyOf(PREFIX, 1)}`, Key: stateKeyOf(PREFIX, n) }));
    const monthAgo = new Date(Date.now() - 31 * 24 * HOUR);
    utimesSync(join(s3.directory, s3.bucket, `${stateKeyOf(PREFIX, 3)}._S3rver_object`), monthAgo, monthAgo); // s3rver's LastModified
    const startedAt = new Date(Date.now() - 20 * 60_000);
    const completed = leftLock(4, "0b7c3a52-8f4e-4d9a-a1c6-5e2f7d8b9c01", 7001, startedAt);
    const inProgress = leftLock(5, "5d2e8f41-3c7b-4a69-b0d8-1f6e9a2c7b34", 7002, startedAt);
    await put(`${stateKeyOf(PREFIX, 4)}.tflock`, completed.lock);
    await put(holderNoteKeyOf(PREFIX, 4), completed.note);
    await put(`${stateKeyOf(PREFIX, 5)}.tflock`, inProgress.lock);
    await put(holderNoteKeyOf(PREFIX, 5), inProgress.note);
    for (const n of [1, 2, 3, 4, 5]) assert.is(await resourcesIn(stateKeyOf(PREFIX, n)), 1, `pr-${n} has its environment`);

    // A TTL longer than the stacks allow is refused when the inputs are read: nothing is asked or destroyed.
    const before = await keys();
    const refused = await sweepJob("1000").step("main");
    assert.is(refused.exitCode, 1, describe(refused));
    assert.ok(refused.stdout.includes('ttl: "1000" is more than 720 hours (30 days), the longest the stacks (SEEDSTACK_TTL_HOURS) and the sweeper accept'), describe(refused));
    assert.not.ok(refused.stdout.includes("RangeError"), "a clear error, not a crash");
    assert.equal(gh.requests.filter((q) => q.path.includes("/pulls/")), [], "GitHub was not asked");
    assert.equal(await keys(), before, "the bucket is unchanged");

    const r = await j.step("main", { deadlineMs: 240_000 });
    assert.is(r.exitCode, 0, describe(r));

    const row = (n: number, action: string, detail: RegExp) => {
      const line = r.summary.split("\n").find((l) => l.startsWith(`| \`seedstack-pr-${n}\` |`));
      assert.ok(line, `a row for pr-${n}\n${r.summary}`);
      assert.match(line!, new RegExp(`\\| ${action} \\| .*${detail.source}`), `pr-${n}: ${action} ${detail}\n${line}`);
    };
    row(1, "kept", /last deployed \S+, expires at \S+; pull request #1 is open/);
    row(2, "destroyed", /pull request #2 is closed/);
    row(3, "destroyed", /last deployed \S+, expired at \S+ \(TTL 720 h\)/);
    row(4, "destroyed", /pull request #4 is closed/);
    row(5, "kept", /pull request #5 is closed; not destroyed now: the state is locked by runner@fv-az512-207 since \S+ \(OperationTypeApply, lock ID 5d2e8f41-3c7b-4a69-b0d8-1f6e9a2c7b34\), and its holder is not known dead \(GitHub run 7002 of octo-org\/webshop is in_progress\); the next sweep looks again/);
    assert.ok(r.summary.includes("cleared the lock of pr-4: the state is locked by runner@fv-az512-207"), r.summary);
    assert.ok(r.summary.includes("GitHub run 7001 (attempt 1) of octo-org/webshop, which took the lock, has finished"), r.summary);
    assert.ok(r.summary.includes("1 resource(s) tagged for a pull request that no state knows about"), r.summary);
    assert.ok(r.summary.includes("pr-9: arn:aws:ec2:us-east-1:123456789012:vpc/vpc-0a1b2c3d4e5f60718"), "the orphan is listed");
    assert.not.ok(r.summary.includes("vpc-0f1e2d3c4b5a69788"), "a resource of a PR that has a state is no orphan");
    assert.is(r.outputs["failure-reason"], "", "a lock held by a live run is not a failed sweep");

    // The bucket: destroyed states deleted (and pr-4's cleared lock with them); the open PR and the locked one untouched.
    assert.equal(await keys(), [stateKeyOf(PREFIX, 1), holderNoteKeyOf(PREFIX, 5), stateKeyOf(PREFIX, 5), `${stateKeyOf(PREFIX, 5)}.tflock`], describe(r));
    assert.is(await resourcesIn(stateKeyOf(PREFIX, 1)), 1, "the open PR's environment is untouched");
    assert.is(await resourcesIn(stateKeyOf(PREFIX, 5)), 1, "the locked environment is untouched");
    // The real terraform destroyed through each chosen state, no other.
    assert.is((r.stdout.match(/Destroy complete! Resources: 1 destroyed\./g) ?? []).length, 3, r.stdout);

    const asked = gh.requests.filter((q) => q.method === "GET" && /^\/repos\/octo-org\/webshop\/(pulls|actions\/runs)\//.test(q.path)).map((q) => q.path);
    assert.equal(asked.filter((p) => p.includes("/pulls/")).sort(), [1, 2, 3, 4, 5].map((n) => `/repos/${REPO}/pulls/${n}`), "each PR asked once");
    assert.equal(asked.filter((p) => p.includes("/actions/runs/")).sort(), [`/repos/${REPO}/actions/runs/7001`, `/repos/${REPO}/actions/runs/7002`], "each lock's run asked once");
    assert.equal(tagging.targets, ["ResourceGroupsTaggingAPI_20170126.GetResources"]);
    // What AWS is asked for: seedstack's resources that carry a PR tag (any value), of every type.
    const tagQuery = tagging.requests[0]!.body!;
    assert.equal(tagQuery.TagFilters, [{ Key: "Project", Values: ["seedstack"] }, { Key: "PR" }], JSON.stringify(tagQuery));
    assert.is(tagQuery.ResourceTypeFilters, undefined, "every resource type");
    assert.is(liveTerraformProcesses().size, 0);
  } finally {
    client.destroy();
    await tagging.close();
    await s3.close();
  }
});

test.run();
