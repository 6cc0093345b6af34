/**
 * `seedstack run --engine terraform` end to end, in this process (so the AWS SDK clients can be
 * mocked): the real terraform binary applies a FIXTURE stack (terraform_data only, local state)
 * whose outputs (url, certificate_pem, target_group_arn, instance_ids) point at a LOCAL ENGINE
 * environment STANDING IN for the ALB; the MOCKED ELBv2 DescribeTargetHealth reports that stand-in's
 * target health (test-support/aws-mocks.ts). The lifecycle reads the real synthesized `classic`
 * stack for its expectations (two targets, TLS), as it would before deploying it for real.
 */
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import { existsSync, readFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { StartInstancesCommand, StopInstancesCommand } from "@aws-sdk/client-ec2";
import { DescribeTargetHealthCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { main } from "../cli/main.js";
import { readRecord } from "./environment-record.js";
import { assertAllDisposed, startTestEnvironment, type TestEnvironment } from "../test-support/environments.js";
import { removeSynthFixtures, synthFixture } from "../test-support/synth-fixture.js";
import { FIXTURE_TARGET_GROUP_ARN, mockAwsWithStandIn, type AwsMocks } from "./test-support/aws-mocks.js";
import { TERRAFORM_AVAILABLE } from "./test-support/workspace.js";
import { makeWorkspace, type Workspace } from "./test-support/workspace.js";

const test = suite("seedstack --engine terraform");
const root = fileURLToPath(new URL("../..", import.meta.url));

let standIn: TestEnvironment | undefined;
let mocks: AwsMocks | undefined;

/** The LOCAL ENGINE environment standing in for the ALB (classic, self-signed TLS), healthy; the AWS mocks over it. */
async function setUp(): Promise<{ standIn: TestEnvironment; mocks: AwsMocks; outdir: string }> {
  const outdir = await synthFixture();
  if (!standIn) {
    standIn = await startTestEnvironment("classic");
    await standIn.env.waitHealthy();
    mocks = mockAwsWithStandIn(standIn.env);
  }
  return { standIn, mocks: mocks!, outdir };
}

test.after(async () => {
  mocks?.restore();
  await standIn?.env.dispose();
  removeSynthFixtures();
  assertAllDisposed();
});

/** FIXTURE stack: terraform_data resources and the outputs the lifecycle reads, pointing at `outputs`. */
function fixtureStack(outputs: { url: string; certificatePem?: string; instanceIds: string[] }, extraResources: Record<string, unknown> = {}): object {
  return {
    "//": { metadata: { note: "seedstack test fixture: terraform_data only, outputs point at a local stand-in" } },
    terraform: { backend: { local: { path: "terraform.tfstate" } } },
    resource: { terraform_data: { web: { input: "seed" }, ...extraResources } },
    output: {
      url: { value: outputs.url },
      target_group_arn: { value: FIXTURE_TARGET_GROUP_ARN },
      instance_ids: { value: outputs.instanceIds },
      ...(outputs.certificatePem ? { certificate_pem: { value: outputs.certificatePem, sensitive: true } } : {}),
    },
  };
}

function stateResources(ws: Workspace): unknown[] {
  const path = join(ws.stackDir, "terraform.tfstate");
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as { resources: unknown[] }).resources : [];
}

/** `seedstack <args>` in this process; its lines and exit code. */
async function seedstack(args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const code = await main(args, (l) => void lines.push(l));
  return { code, out: lines.join("\n") };
}

function runArgs(ws: Workspace, outdir: string, extra: string[] = []): string[] {
  return ["run", "--engine", "terraform", "--stack", "classic", "--skip-synth", "--outdir", outdir, "--terraform-dir", ws.stackDir, "--state-dir", join(ws.root, "state"), "--drill", "none", ...extra];
}

const tfTest = TERRAFORM_AVAILABLE ? test : test.skip;

tfTest("happy path: apply, outputs, healthy per DescribeTargetHealth (mocked), smoke against the stand-in with the pinned certificate, destroy", async () => {
  const { standIn, mocks, outdir } = await setUp();
  const ws = makeWorkspace();
  try {
    ws.writeStack(fixtureStack({ url: standIn.env.url, certificatePem: standIn.env.certificatePem!, instanceIds: standIn.env.instances().map((i) => i.id) }));
    const json = join(ws.root, "report.json");
    const run = await seedstack(runArgs(ws, outdir, ["--json", json]));
    assert.is(run.code, 0, run.out);
    assert.match(run.out, /terraform apply -input=false -no-color -lock-timeout=300s seedstack-\d+-\d+\.tfplan/);
    assert.match(run.out, /✔ TLS: the listener presents the stack's certificate/);
    assert.match(run.out, /seedstack: classic passed/);
    const report = JSON.parse(readFileSync(json, "utf8"));
    assert.is(report.engine, "terraform");
    assert.is(report.url, standIn.env.url);
    assert.equal(report.phases.map((p: { phase: string }) => p.phase), ["summary", "up", "wait-healthy", "smoke", "down"]);
    const asked = mocks.elb.commandCalls(DescribeTargetHealthCommand).map((c) => c.args[0].input.TargetGroupArn);
    assert.ok(asked.length > 0 && asked.every((arn) => arn === FIXTURE_TARGET_GROUP_ARN), `DescribeTargetHealth asked about ${asked.join(", ")}`);
    assert.equal(stateResources(ws), [], "destroyed");
    assert.is(readRecord(join(ws.root, "state", "environments"), "classic"), undefined, "no record left: nothing needs destroying");
  } finally {
    ws.dispose();
  }
});

tfTest("drill: the process dies through a MOCKED EC2 StopInstances (the stand-in's process is killed), recovery through StartInstances; health-fails is skipped with the reason (about 30 s: the stack's own health-check timing)", async () => {
  const { standIn, mocks, outdir } = await setUp();
  const ws = makeWorkspace();
  mocks.ec2.resetHistory();
  try {
    ws.writeStack(fixtureStack({ url: standIn.env.url, certificatePem: standIn.env.certificatePem!, instanceIds: standIn.env.instances().map((i) => i.id) }));
    const json = join(ws.root, "report.json");
    const args = runArgs(ws, outdir, ["--json", json]).map((a) => (a === "run" ? "drill" : a)).filter((a, i, all) => a !== "--drill" && all[i - 1] !== "--drill");
    const run = await seedstack(args);
    assert.is(run.code, 0, run.out);
    const report = JSON.parse(readFileSync(json, "utf8"));
    assert.equal(report.drills.map((d: { mode: string; ok: boolean }) => [d.mode, d.ok]), [["process-dies", true]]);
    const victim = report.drills[0].victim as string;
    assert.equal(mocks.ec2.commandCalls(StopInstancesCommand).map((c) => c.args[0].input.InstanceIds), [[victim]]);
    assert.equal(mocks.ec2.commandCalls(StartInstancesCommand).map((c) => c.args[0].input.InstanceIds), [[victim]]);
    assert.ok(
      report.phases.some((p: { phase: string; detail?: string }) => p.phase === "drill" && /^skipped health-fails on the terraform engine: .*needs a shell on the instance/.test(p.detail ?? "")),
      JSON.stringify(report.phases),
    );
    assert.equal(stateResources(ws), []);
  } finally {
    ws.dispose();
  }
});

tfTest("up leaves it up (recorded, state kept); smoke tests it and leaves it; down destroys; a second down finds nothing", async () => {
  const { standIn, outdir } = await setUp();
  const ws = makeWorkspace();
  try {
    ws.writeStack(fixtureStack({ url: standIn.env.url, certificatePem: standIn.env.certificatePem!, instanceIds: standIn.env.instances().map((i) => i.id) }));
    const common = runArgs(ws, outdir).slice(1);
    const records = join(ws.root, "state", "environments");
    const up = await seedstack(["up", ...common]);
    assert.is(up.code, 0, up.out);
    assert.match(up.out, /left up at https:\/\/127\.0\.0\.1:\d+ \(--keep\); take it down with `seedstack down --engine terraform --stack classic`/);
    assert.is(readRecord(records, "classic")?.status, "up");
    assert.is(stateResources(ws).length, 1);
    const smoke = await seedstack(["smoke", ...common]);
    assert.is(smoke.code, 0, smoke.out);
    assert.match(smoke.out, /plan: 0 to create, 0 to update, 0 to replace, 0 to delete \(no changes\)/);
    assert.is(stateResources(ws).length, 1, "smoke left the kept environment up");
    const down = await seedstack(["down", ...common.filter((a, i, all) => a !== "--drill" && all[i - 1] !== "--drill")]);
    assert.is(down.code, 0, down.out);
    assert.match(down.out, /destroyed classic/);
    assert.equal(stateResources(ws), []);
    assert.is(readRecord(records, "classic"), undefined);
    const again = await seedstack(["down", ...common.filter((a, i, all) => a !== "--drill" && all[i - 1] !== "--drill")]);
    assert.is(again.code, 0, again.out);
    assert.match(again.out, /nothing to destroy for classic: its state is empty/);
  } finally {
    ws.dispose();
  }
});

tfTest("the wait fails (DescribeTargetHealth, mocked, does not know the output's target group): ERR_TARGETS_UNHEALTHY naming AWS's error, then destroyed", async () => {
  const { standIn, outdir } = await setUp();
  const ws = makeWorkspace();
  try {
    const stack = fixtureStack({ url: standIn.env.url, instanceIds: standIn.env.instances().map((i) => i.id) }) as { output: Record<string, { value: unknown }> };
    stack.output.target_group_arn = { value: "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/deleted-tg/fedcba9876543210" };
    ws.writeStack(stack);
    const json = join(ws.root, "report.json");
    const run = await seedstack(runArgs(ws, outdir, ["--json", json, "--healthy-deadline", "1"]));
    assert.is(run.code, 1, run.out);
    const report = JSON.parse(readFileSync(json, "utf8"));
    assert.is(report.error.code, "ERR_TARGETS_UNHEALTHY");
    assert.match(report.error.message, /last error: DescribeTargetHealth: TargetGroupNotFoundException: Target groups 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup\/deleted-tg\/fedcba9876543210' not found/);
    assert.equal(report.phases.map((p: { phase: string; ok: boolean }) => [p.phase, p.ok]), [["summary", true], ["up", true], ["wait-healthy", false], ["down", true]]);
    assert.equal(stateResources(ws), []);
  } finally {
    ws.dispose();
  }
});

tfTest("apply fails: exit 1 with ERR_APPLY_FAILED as the reason, and what it created is still destroyed", async () => {
  const { standIn, outdir } = await setUp();
  const ws = makeWorkspace();
  try {
    const broken = { input: "broken", provisioner: [{ "local-exec": { command: "echo 'fixture permanent failure' >&2; exit 3" } }], depends_on: ["terraform_data.web"] };
    ws.writeStack(fixtureStack({ url: standIn.env.url, instanceIds: ["i-0fixture"] }, { broken }));
    const json = join(ws.root, "report.json");
    const run = await seedstack(runArgs(ws, outdir, ["--json", json]));
    assert.is(run.code, 1, run.out);
    const report = JSON.parse(readFileSync(json, "utf8"));
    assert.is(report.error.code, "ERR_APPLY_FAILED");
    assert.match(report.error.message, /^apply-failed: terraform apply failed \(exit 1\)/);
    assert.equal(report.phases.map((p: { phase: string; ok: boolean }) => [p.phase, p.ok]), [["summary", true], ["up", false], ["down", true]]);
    assert.match(run.out, /terraform destroy -input=false -no-color -lock-timeout=300s -auto-approve/);
    assert.equal(stateResources(ws), [], "terraform_data.web, created before the failure, was destroyed");
  } finally {
    ws.dispose();
  }
});

tfTest("smoke fails (the URL output answers 503): exit 1 with ERR_SMOKE_FAILED, then destroyed", async () => {
  const { outdir, standIn } = await setUp();
  const ws = makeWorkspace();
  // A STAND-IN for a broken app behind the load balancer: every request gets 503.
  const broken: Server = createServer((_, res) => res.writeHead(503).end("Service Unavailable"));
  await new Promise<void>((r) => broken.listen(0, "127.0.0.1", r));
  try {
    const port = (broken.address() as { port: number }).port;
    ws.writeStack(fixtureStack({ url: `http://127.0.0.1:${port}`, instanceIds: standIn.env.instances().map((i) => i.id) }));
    const json = join(ws.root, "report.json");
    const run = await seedstack(runArgs(ws, outdir, ["--json", json, "--smoke-deadline", "1"]));
    assert.is(run.code, 1, run.out);
    const report = JSON.parse(readFileSync(json, "utf8"));
    assert.is(report.error.code, "ERR_SMOKE_FAILED");
    assert.equal(report.phases.map((p: { phase: string; ok: boolean }) => [p.phase, p.ok]), [["summary", true], ["up", true], ["wait-healthy", true], ["smoke", false], ["down", true]]);
    assert.equal(stateResources(ws), []);
  } finally {
    broken.close();
    ws.dispose();
  }
});

tfTest("SIGINT during apply (a real seedstack process): one interrupt reaches terraform, exit 130, and the destroy follows", async () => {
  const { outdir } = await setUp();
  const ws = makeWorkspace();
  try {
    const sleeping = { input: "slow", provisioner: [{ "local-exec": { command: "exec sleep 60" } }] };
    ws.writeStack(fixtureStack({ url: "https://slow.example.test", instanceIds: ["i-0fixture"] }, { sleeping }));
    mkdirSync(join(ws.root, "state"), { recursive: true });
    const child = spawn(process.execPath, ["--import", "tsx", join(root, "lifecycle", "cli", "main.ts"), ...runArgs(ws, outdir)], {
      cwd: root,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", NO_COLOR: "1", ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout!.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr!.on("data", (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
    try {
      const deadline = Date.now() + 60_000;
      while (!/\(local-exec\): Executing:/.test(out)) {
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the apply never reached its sleeping provisioner:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      child.kill("SIGINT");
      const code = await Promise.race([exited, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`seedstack still running 90 s after SIGINT:\n${out}`)), 90_000).unref())]);
      assert.is(code, 130, out);
      assert.is((out.match(/Interrupt received\./g) ?? []).length, 1, out);
      assert.not.match(out, /Two interrupts received/);
      assert.match(out, /environment recorded as needs-destroy/);
      assert.match(out, /terraform destroy -input=false -no-color -lock-timeout=300s -auto-approve/);
      assert.match(out, /failed: ERR_CANCELLED: cancelled: cancelled during apply: terraform got one interrupt, stopped and saved its state/);
      assert.equal(stateResources(ws), [], "what the interrupted apply saved was destroyed");
    } finally {
      child.kill("SIGKILL");
    }
  } finally {
    ws.dispose();
  }
});

test.run();
