/**
 * The runner against the real terraform binary on FIXTURE stacks (test-support/fixture-stacks.ts),
 * plus one STAND-IN (a shell loop that ignores SIGINT) for a terraform that never stops, which the
 * real binary will not do on cue.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { applyArgs, initArgs, planArgs } from "./args.js";
import { liveTerraformProcesses, runTerraform, type TerraformRun } from "./run-terraform.js";
import { terraformEnv } from "./terraform-env.js";
import { happyStack, planErrorStack, sleepingStack } from "./test-support/fixture-stacks.js";
import { makeWorkspace, tfTest, waitFor, type Workspace } from "./test-support/workspace.js";
import { processAlive } from "../process-alive.js";

const alive = processAlive;

async function initialized(ws: Workspace): Promise<void> {
  const init = await runTerraform({ args: initArgs(), cwd: ws.stackDir, env: ws.env });
  assert.is(init.reason, "ok", JSON.stringify(init));
}

test("environment: logging, injected CLI args, workspace and colour are removed; automation settings fixed", () => {
  const env = terraformEnv(
    { PATH: "/bin", TF_LOG: "TRACE", TF_LOG_PATH: "/tmp/x", TF_CLI_ARGS: "-lock=false", TF_CLI_ARGS_apply: "-refresh=false", TF_WORKSPACE: "other", FORCE_COLOR: "1", TF_IN_AUTOMATION: "", AWS_PROFILE: "dev", TF_DATA_DIR: "/machine/shared" },
    { TF_CLI_CONFIG_FILE: "/tmp/own.tfrc" },
  );
  assert.equal(env, {
    PATH: "/bin",
    AWS_PROFILE: "dev",
    TF_CLI_CONFIG_FILE: "/tmp/own.tfrc",
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    CHECKPOINT_DISABLE: "1",
    NO_COLOR: "1",
  });
  assert.is(terraformEnv({ TF_DATA_DIR: "/machine/shared" }, { TF_DATA_DIR: "/ours" }).TF_DATA_DIR, "/ours", "a caller may set TF_DATA_DIR; the machine's is never inherited");
  assert.throws(() => terraformEnv({}, { TF_LOG: "DEBUG" }), /TF_LOG is set by the terraform runner itself/);
  assert.throws(() => terraformEnv({}, { TF_CLI_ARGS_plan: "-x" }), /TF_CLI_ARGS_plan is set by the terraform runner/);
});

test("TF_REATTACH_PROVIDERS: never inherited; set only by the reattachProviders option (the plan harness's shared providers)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "seedstack-reattach-"));
  try {
    // A stand-in binary that prints the variable it was given: what terraform would read.
    const printer = join(dir, "print-reattach.sh");
    writeFileSync(printer, '#!/bin/sh\necho "reattach=${TF_REATTACH_PROVIDERS:-unset}"\n', { mode: 0o755 });
    const base = { PATH: process.env.PATH ?? "/usr/bin:/bin", TF_REATTACH_PROVIDERS: '{"inherited":{}}' };
    const inherited = await runTerraform({ binary: printer, args: [], cwd: dir, baseEnv: base });
    assert.is(inherited.reason === "ok" && inherited.stdout.trim(), "reattach=unset");
    const given = await runTerraform({ binary: printer, args: [], cwd: dir, baseEnv: base, reattachProviders: '{"ours":{}}' });
    assert.is(given.reason === "ok" && given.stdout.trim(), 'reattach={"ours":{}}');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a binary that cannot be started is a spawn failure, not an exception", async () => {
  const run = await runTerraform({ binary: "/nonexistent/terraform", args: ["version"], cwd: "/" });
  assert.is(run.reason, "spawn");
  if (run.reason === "spawn") assert.match(run.cause.message, /ENOENT/);
});

test("an already aborted signal starts nothing", async () => {
  const run = await runTerraform({ binary: "/nonexistent/terraform", args: ["version"], cwd: "/", signal: AbortSignal.abort() });
  assert.equal(run, { reason: "cancelled", interruption: "not-started", exitCode: null, stdout: "", stderr: "" });
});

tfTest("TF_LOG from the caller's environment does not reach terraform's stderr", async () => {
  const ws = makeWorkspace();
  try {
    const run = await runTerraform({ args: ["version"], cwd: ws.stackDir, env: ws.env, baseEnv: { ...process.env, TF_LOG: "TRACE" } });
    assert.is(run.reason, "ok");
    if (run.reason === "ok") {
      assert.match(run.stdout, /^Terraform v\d+\.\d+\.\d+/);
      assert.is(run.stderr, "", "no log lines on stderr");
    }
  } finally {
    ws.dispose();
  }
});

tfTest("plan exit 2 is success with changes when the caller says so; lines stream as they come", async () => {
  const ws = makeWorkspace();
  try {
    ws.writeStack(happyStack());
    await initialized(ws);
    const lines: string[] = [];
    const run = await runTerraform({
      args: planArgs({ planFile: "tfplan", lockTimeoutSeconds: 1 }),
      cwd: ws.stackDir,
      env: ws.env,
      successExitCodes: [0, 2],
      onLine: (line, stream) => lines.push(`${stream}: ${line}`),
    });
    assert.is(run.reason, "ok", JSON.stringify(run));
    assert.is((run as Extract<TerraformRun, { reason: "ok" }>).exitCode, 2);
    assert.ok(lines.includes("stdout: Plan: 2 to add, 0 to change, 0 to destroy."), lines.join("\n"));
    assert.ok(existsSync(join(ws.stackDir, "tfplan")), "the saved plan file was written");
  } finally {
    ws.dispose();
  }
});

tfTest("a failing plan is an exit failure with code 1 and terraform's stderr", async () => {
  const ws = makeWorkspace();
  try {
    ws.writeStack(planErrorStack());
    await initialized(ws);
    const run = await runTerraform({ args: planArgs({ planFile: "tfplan", lockTimeoutSeconds: 1 }), cwd: ws.stackDir, env: ws.env, successExitCodes: [0, 2] });
    assert.is(run.reason, "exit");
    if (run.reason === "exit") {
      assert.is(run.exitCode, 1);
      assert.match(run.stderr, /Reference to undeclared resource/);
    }
  } finally {
    ws.dispose();
  }
});

tfTest("abort during an apply whose local-exec sleeps: one SIGINT, terraform stops by itself, state saved", async () => {
  const ws = makeWorkspace();
  const controller = new AbortController();
  try {
    ws.writeStack(sleepingStack(60));
    await initialized(ws);
    const plan = await runTerraform({ args: planArgs({ planFile: "tfplan", lockTimeoutSeconds: 1 }), cwd: ws.stackDir, env: ws.env, successExitCodes: [0, 2] });
    assert.is(plan.reason, "ok");
    let provisioning = false;
    const applying = runTerraform({
      args: applyArgs({ planFile: "tfplan", lockTimeoutSeconds: 1 }),
      cwd: ws.stackDir,
      env: ws.env,
      signal: controller.signal,
      onLine: (line) => {
        if (line.includes("(local-exec): Executing:")) provisioning = true;
      },
    });
    await waitFor("terraform to start the sleeping local-exec", () => provisioning);
    controller.abort();
    controller.abort(); // a second abort must not become a second interrupt
    const run = await applying;
    assert.is(run.reason, "cancelled");
    if (run.reason !== "cancelled") return;
    assert.is(run.interruption, "graceful");
    assert.match(run.stdout + run.stderr, /Interrupt received/);
    assert.not.match(run.stdout + run.stderr, /Two interrupts received/);
    const state = JSON.parse(readFileSync(join(ws.stackDir, "terraform.tfstate"), "utf8")) as { resources: { name: string }[] };
    assert.equal(state.resources.map((r) => r.name), ["slow"], "the interrupted resource is in the saved state (tainted)");
    assert.is(liveTerraformProcesses().size, 0);
  } finally {
    controller.abort();
    ws.dispose();
  }
});

test("STAND-IN for a terraform that ignores the interrupt: exactly one SIGINT, then the group is killed after the grace", async () => {
  const ws = makeWorkspace();
  const controller = new AbortController();
  const log = join(ws.root, "signals.log");
  const childPidFile = join(ws.root, "child.pid");
  writeFileSync(log, "");
  try {
    // The shell traps SIGINT (records it, keeps going) and has a child in its group that must die too.
    const script = `trap 'echo INT >> ${log}' INT; sleep 300 & echo $! > ${childPidFile}; echo ready; while :; do sleep 0.05; done`;
    let ready = false;
    const running = runTerraform({
      binary: "/bin/sh",
      args: ["-c", script],
      cwd: ws.root,
      signal: controller.signal,
      interruptGraceMs: 1500,
      onLine: (line) => {
        if (line === "ready") ready = true;
      },
    });
    await waitFor("the stand-in to start", () => ready);
    const grandchild = Number(readFileSync(childPidFile, "utf8"));
    controller.abort();
    const run = await running;
    assert.is(run.reason, "cancelled");
    if (run.reason === "cancelled") assert.is(run.interruption, "killed");
    assert.is(readFileSync(log, "utf8"), "INT\n", "exactly one SIGINT reached the process");
    await waitFor("the stand-in's background child to be killed with its group", () => !alive(grandchild), 5000);
  } finally {
    controller.abort();
    ws.dispose();
  }
});

test("STAND-IN for a terraform that takes its time after the interrupt: with an infinite grace it is never killed, it finishes on its own (and so releases its lock)", async () => {
  const ws = makeWorkspace();
  const controller = new AbortController();
  try {
    // Traps SIGINT as terraform does (finish in-flight work, then exit), here after 0.3 s.
    const script = `trap 'sleep 0.3; echo finished; exit 1' INT; echo ready; while :; do sleep 0.05; done`;
    let ready = false;
    let spawnedPid: number | undefined;
    const lines: string[] = [];
    const running = runTerraform({
      binary: "/bin/sh",
      args: ["-c", script],
      cwd: ws.root,
      signal: controller.signal,
      interruptGraceMs: Number.POSITIVE_INFINITY,
      onSpawn: (pid) => (spawnedPid = pid),
      onLine: (line) => {
        lines.push(line);
        if (line === "ready") ready = true;
      },
    });
    await waitFor("the stand-in to start", () => ready);
    assert.ok(spawnedPid !== undefined && alive(spawnedPid), "onSpawn named the running process");
    controller.abort();
    const run = await running;
    assert.is(run.reason, "cancelled");
    if (run.reason === "cancelled") assert.is(run.interruption, "graceful");
    assert.ok(lines.includes("finished"), "it finished its work after the interrupt");
  } finally {
    controller.abort();
    ws.dispose();
  }
});

test.run();
