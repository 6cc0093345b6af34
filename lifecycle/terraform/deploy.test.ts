/**
 * The engine end to end with the real terraform binary on FIXTURE stacks
 * (test-support/fixture-stacks.ts: terraform_data only, local state, no provider, no AWS).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as assert from "uvu/assert";
import { test } from "uvu";
import { applyArgs, initArgs, planArgs } from "./args.js";
import { deployEnvironment, destroyEnvironment, type DeployResult, type DestroyResult, type TerraformEnvironmentOptions } from "./deploy.js";
import type { TerraformEngineEvent } from "./deploy-events.js";
import type { EngineFailure } from "./failure.js";
import { readRecord, type EnvironmentRecord } from "./environment-record.js";
import type { RecordRegistry } from "./record-registry.js";
import { stringOutput } from "./json.js";
import { liveTerraformProcesses, runTerraform } from "./run-terraform.js";
import { lockHolderName } from "./state-lock.js";
import { applyErrorStack, destroyErrorStack, flakyScript, flakyStack, happyStack, planErrorStack, sleepingStack } from "./test-support/fixture-stacks.js";
import { makeWorkspace, tfTest, waitFor, type Workspace } from "./test-support/workspace.js";

/**
 * Deploy, then destroy when resources may exist: the sequence the lifecycle runs (run-lifecycle.ts
 * with the terraform engine), here on the terraform layer alone. `keep` leaves them.
 */
async function deployThenDestroy(options: TerraformEnvironmentOptions, signal?: AbortSignal, keep = false): Promise<{ failure?: EngineFailure; deploy: DeployResult; destroy?: DestroyResult }> {
  const deploy = await deployEnvironment(options, signal);
  const failure = deploy.ok ? undefined : deploy.failure;
  if (keep || !(deploy.ok || deploy.applyStarted)) return { ...(failure ? { failure } : {}), deploy };
  return { ...(failure ? { failure } : {}), deploy, destroy: await destroyEnvironment(options) };
}

/** Options for a fast test: 1 s lock wait, millisecond retry delays, a long interrupt grace. */
function options(ws: Workspace, events: TerraformEngineEvent[], extra: Partial<TerraformEnvironmentOptions> = {}): TerraformEnvironmentOptions {
  return {
    name: "pr-7",
    stackDir: ws.stackDir,
    recordDir: join(ws.root, "records"),
    env: ws.env,
    lockTimeoutSeconds: 1,
    retry: { maxAttempts: 3, initialDelayMs: 5, maxDelayMs: 5 },
    interruptGraceMs: 60_000,
    prNumber: 7,
    expiresAt: "2030-01-01T00:00:00Z",
    onEvent: (e) => events.push(e),
    ...extra,
  };
}

const commands = (events: TerraformEngineEvent[]) =>
  events.flatMap((e) => (e.type === "command-started" ? [e.command] : []));
const argsOf = (events: TerraformEngineEvent[], command: string) =>
  events.flatMap((e) => (e.type === "command-started" && e.command === command ? [e.args] : []));
const recordStatuses = (events: TerraformEngineEvent[]) => events.flatMap((e) => (e.type === "record" ? [e.status] : []));

function stateResources(ws: Workspace): { name: string; instances: { attributes: { input: { value: unknown } } }[] }[] {
  const path = join(ws.stackDir, "terraform.tfstate");
  if (!existsSync(path)) return [];
  return (JSON.parse(readFileSync(path, "utf8")) as { resources: never[] }).resources;
}

tfTest("happy path: apply receives exactly the saved plan file that was shown; outputs; record up; destroy twice", async () => {
  const ws = makeWorkspace();
  const events: TerraformEngineEvent[] = [];
  try {
    ws.writeStack(happyStack());
    const deploy = await deployEnvironment(
      options(ws, [], {
        onEvent: (e) => {
          events.push(e);
          // Change the configuration after the plan was shown: a fresh plan at apply would pick
          // this up; the saved plan must not.
          if (e.type === "planned") ws.writeStack({ ...happyStack(), resource: { terraform_data: { web: { input: "changed-after-plan" } } } });
        },
      }),
    );
    assert.ok(deploy.ok, JSON.stringify(deploy));
    if (!deploy.ok) return;
    assert.equal(commands(events), ["init", "plan", "show", "apply", "output"]);
    const planOut = argsOf(events, "plan")[0]!.find((a) => a.startsWith("-out="))!.slice("-out=".length);
    const applyVector = argsOf(events, "apply")[0]!;
    assert.equal(applyVector, ["apply", "-input=false", "-no-color", "-lock-timeout=1s", planOut]);
    assert.equal(deploy.plan.counts, { create: 2, update: 0, replace: 0, delete: 0, read: 0, forget: 0 });
    assert.is(deploy.applied, true);
    const inputs = Object.fromEntries(stateResources(ws).map((r) => [r.name, r.instances[0]!.attributes.input.value]));
    assert.equal(inputs, { web: "seed-100", lb: "alb" }, "the state holds what the saved plan said, not the later change");
    assert.is(stringOutput(deploy.outputs, "url"), "https://fixture.example.test");
    const shown = events.find((e) => e.type === "outputs");
    assert.equal(shown && shown.type === "outputs" && shown.outputs.certificate_pem, "(sensitive)");
    assert.not.ok(readdirSync(ws.stackDir).some((f) => f.endsWith(".tfplan")), "the saved plan file was removed after apply");
    const record = readRecord(join(ws.root, "records"), "pr-7");
    assert.equal(
      { status: record?.status, prNumber: record?.prNumber, expiresAt: record?.expiresAt, stackDir: record?.stackDir },
      { status: "up", prNumber: 7, expiresAt: "2030-01-01T00:00:00Z", stackDir: ws.stackDir },
    );

    ws.writeStack(happyStack());
    assert.equal(await destroyEnvironment(options(ws, [])), { ok: true, alreadyGone: false });
    assert.equal(stateResources(ws), []);
    assert.is(readRecord(join(ws.root, "records"), "pr-7"), undefined, "record removed after destroy");
    assert.equal(await destroyEnvironment(options(ws, [])), { ok: true, alreadyGone: true }, "a second destroy succeeds");
  } finally {
    ws.dispose();
  }
});

tfTest("no changes: plan exits 0 and nothing is applied", async () => {
  const ws = makeWorkspace();
  try {
    ws.writeStack(happyStack());
    assert.ok((await deployEnvironment(options(ws, []))).ok);
    const events: TerraformEngineEvent[] = [];
    const again = await deployEnvironment(options(ws, events));
    assert.ok(again.ok);
    if (again.ok) {
      assert.is(again.applied, false);
      assert.is(again.plan.hasChanges, false);
      assert.is(stringOutput(again.outputs, "url"), "https://fixture.example.test");
    }
    const planned = events.find((e) => e.type === "planned");
    assert.is(planned?.type === "planned" && planned.exitCode, 0);
    assert.equal(commands(events), ["init", "plan", "show", "output"]);
  } finally {
    ws.dispose();
  }
});

tfTest("plan error: plan-failed with terraform's error, nothing applied, no record", async () => {
  const ws = makeWorkspace();
  try {
    ws.writeStack(planErrorStack());
    const deploy = await deployEnvironment(options(ws, []));
    assert.is(deploy.ok, false);
    if (deploy.ok) return;
    assert.is(deploy.failure.reason, "plan-failed");
    assert.is(deploy.failure.step, "plan");
    assert.is(deploy.failure.exitCode, 1);
    assert.match(deploy.failure.message, /terraform plan failed \(exit 1\): Error: Reference to undeclared resource/);
    assert.is(deploy.applyStarted, false);
    assert.is(readRecord(join(ws.root, "records"), "pr-7"), undefined);
  } finally {
    ws.dispose();
  }
});

/** A registry in memory (the stand-in for one backed by the state bucket), logging every call. */
function memoryRegistry(): RecordRegistry & { readonly calls: string[] } {
  const records = new Map<string, EnvironmentRecord>();
  const calls: string[] = [];
  return {
    calls,
    list: async () => ({ records: [...records.values()], problems: [] }),
    read: async (name) => (calls.push(`read ${name}`), records.get(name)),
    write: async (record) => (calls.push(`write ${record.name} ${record.status}`), records.set(record.name, record), `memory:${record.name}`),
    remove: async (name) => void (calls.push(`remove ${name}`), records.delete(name)),
  };
}

tfTest("apply error (not transient): tried once, apply-failed, then the destroy removes what was created; records only through the registry given", async () => {
  const ws = makeWorkspace();
  const events: TerraformEngineEvent[] = [];
  const records = memoryRegistry();
  try {
    ws.writeStack(applyErrorStack());
    const run = await deployThenDestroy(options(ws, events, { records }));
    assert.is(run.deploy.ok, false);
    assert.is(run.failure?.reason, "apply-failed");
    assert.match(run.failure!.message, /terraform apply failed \(exit 1\): Error: local-exec provisioner error/);
    assert.match(run.failure!.stderrTail!, /InvalidParameterCombination: fixture permanent failure/);
    assert.equal(commands(events).filter((c) => c === "apply"), ["apply"], "a permanent error is not retried");
    assert.not.ok(events.some((e) => e.type === "retrying"));
    assert.equal(run.destroy, { ok: true, alreadyGone: false });
    assert.equal(stateResources(ws), []);
    assert.equal(recordStatuses(events), ["applying", "needs-destroy", "destroying", "destroyed"]);
    assert.equal(records.calls.filter((c) => !c.startsWith("read")), ["write pr-7 applying", "write pr-7 needs-destroy", "write pr-7 destroying", "remove pr-7"]);
    assert.is((await records.list()).records.length, 0);
    assert.not.ok(existsSync(join(ws.root, "records")), "no record file was written beside the registry");
  } finally {
    ws.dispose();
  }
});

tfTest("a failed destroy is recorded as needing one even when the registry cannot read the record at that moment", async () => {
  const ws = makeWorkspace();
  const records = memoryRegistry();
  try {
    ws.writeStack(destroyErrorStack());
    assert.ok((await deployEnvironment(options(ws, [], { records }))).ok);
    // From here every read fails, as a registry backed by the state bucket may for a moment.
    const flaky: RecordRegistry = { ...records, read: async () => Promise.reject(new Error("SlowDown: Please reduce your request rate")) };
    const destroy = await destroyEnvironment(options(ws, [], { records: flaky }));
    assert.is(destroy.ok, false);
    assert.is(records.calls.filter((c) => c.startsWith("write")).at(-1), "write pr-7 needs-destroy", records.calls.join("\n"));
  } finally {
    ws.dispose();
  }
});

tfTest("a generic network time-out during apply is NOT retried: the lost answer may be a create that happened, and a re-plan would make a second copy", async () => {
  const ws = makeWorkspace();
  const events: TerraformEngineEvent[] = [];
  try {
    const script = join(ws.root, "flaky.sh");
    const marker = join(ws.root, "failed-once");
    writeFileSync(script, flakyScript(marker));
    ws.writeStack(flakyStack(script));
    const deploy = await deployEnvironment(options(ws, events));
    assert.ok(existsSync(marker), "the first attempt did fail");
    assert.ok(!deploy.ok && deploy.failure.reason === "apply-failed" && deploy.applyStarted, JSON.stringify(deploy));
    assert.match(!deploy.ok ? deploy.failure.stderrTail ?? "" : "", /Client\.Timeout exceeded while awaiting headers/);
    assert.is(events.filter((e) => e.type === "retrying").length, 0);
    assert.equal(commands(events), ["init", "plan", "show", "apply"]);
  } finally {
    ws.dispose();
  }
});

tfTest("lock contention: a second terraform holds the lock; state-locked with its ID and holder, nothing applied", async () => {
  const ws = makeWorkspace();
  const holder = new AbortController();
  try {
    ws.writeStack(sleepingStack(60));
    assert.is((await runTerraform({ args: initArgs(), cwd: ws.stackDir, env: ws.env })).reason, "ok");
    assert.is((await runTerraform({ args: planArgs({ planFile: "held.tfplan", lockTimeoutSeconds: 1 }), cwd: ws.stackDir, env: ws.env, successExitCodes: [2] })).reason, "ok");
    let sleeping = false;
    const holding = runTerraform({
      args: applyArgs({ planFile: "held.tfplan", lockTimeoutSeconds: 1 }),
      cwd: ws.stackDir,
      env: ws.env,
      signal: holder.signal,
      onLine: (line) => (sleeping ||= line.includes("(local-exec): Executing:")),
    });
    await waitFor("the second terraform to hold the lock inside its sleeping apply", () => sleeping);

    const deploy = await deployEnvironment(options(ws, []));
    const truth = JSON.parse(readFileSync(join(ws.stackDir, ".terraform.tfstate.lock.info"), "utf8")) as { ID: string };
    assert.is(deploy.ok, false);
    if (deploy.ok) return;
    assert.is(deploy.failure.reason, "state-locked");
    assert.is(deploy.failure.lock?.id, truth.ID);
    assert.is(deploy.failure.lock?.who, lockHolderName());
    assert.match(deploy.failure.message, new RegExp(`locked by ${lockHolderName()} since \\d{4}-\\d\\d-\\d\\dT.*lock ID ${truth.ID}`));
    assert.is(deploy.applyStarted, false);

    holder.abort();
    assert.is((await holding).reason, "cancelled");
  } finally {
    holder.abort();
    ws.dispose();
  }
});

tfTest("SIGINT during apply: one interrupt forwarded, terraform stops and saves state, recorded, then destroyed", async () => {
  const ws = makeWorkspace();
  const events: TerraformEngineEvent[] = [];
  const controller = new AbortController();
  try {
    ws.writeStack(sleepingStack(60));
    const running = deployThenDestroy(
      options(ws, [], {
        onEvent: (e) => {
          events.push(e);
          if (e.type === "output-line" && e.line.includes("(local-exec): Executing:")) controller.abort();
        },
      }),
      controller.signal,
    );
    const run = await running;
    assert.ok(controller.signal.aborted, "the apply reached its sleeping provisioner");
    assert.is(run.failure?.reason, "cancelled");
    assert.is(run.failure?.step, "apply");
    assert.is(run.failure?.interruption, "graceful");
    const applyLines = events.flatMap((e) => (e.type === "output-line" && e.command === "apply" ? [e.line] : []));
    assert.ok(applyLines.includes("Interrupt received."), applyLines.join("\n"));
    assert.not.ok(applyLines.some((l) => l.includes("Two interrupts received")), "never a second interrupt");
    assert.equal(recordStatuses(events), ["applying", "needs-destroy", "destroying", "destroyed"]);
    assert.equal(run.destroy, { ok: true, alreadyGone: false }, "the interrupted resource was in the saved state and was destroyed");
    assert.equal(stateResources(ws), []);
    assert.is(liveTerraformProcesses().size, 0);
  } finally {
    controller.abort();
    ws.dispose();
  }
});

tfTest("SIGINT during apply with keep: the environment stays recorded as needing destroy, for a later step", async () => {
  const ws = makeWorkspace();
  const controller = new AbortController();
  try {
    ws.writeStack(sleepingStack(60));
    const run = await deployThenDestroy(
      options(ws, [], {
        onEvent: (e) => {
          if (e.type === "output-line" && e.line.includes("(local-exec): Executing:")) controller.abort();
        },
      }),
      controller.signal,
      true,
    );
    assert.is(run.failure?.reason, "cancelled");
    assert.is(run.destroy, undefined);
    const record = readRecord(join(ws.root, "records"), "pr-7");
    assert.is(record?.status, "needs-destroy");
    assert.match(record!.reason!, /cancelled during apply: terraform got one interrupt, stopped and saved its state/);
    assert.equal(stateResources(ws).map((r) => r.name), ["slow"]);

    // The later step (post step, `seedstack down`, the sweeper) finds and destroys it.
    assert.equal(await destroyEnvironment(options(ws, [])), { ok: true, alreadyGone: false });
    assert.is(readRecord(join(ws.root, "records"), "pr-7"), undefined);
  } finally {
    controller.abort();
    ws.dispose();
  }
});

tfTest("a terraform that outlives the grace is killed with its provisioners; the kill is recorded for our own stale lock", async () => {
  const ws = makeWorkspace();
  const controller = new AbortController();
  try {
    // A distinctive duration, to find the provisioner's sleep if it survived.
    ws.writeStack(sleepingStack(61.7));
    const run = await deployThenDestroy(
      options(ws, [], {
        interruptGraceMs: 0, // no grace: the kill follows the interrupt at once
        onEvent: (e) => {
          if (e.type === "output-line" && e.line.includes("(local-exec): Executing:")) controller.abort();
        },
      }),
      controller.signal,
      true,
    );
    assert.is(run.failure?.reason, "cancelled");
    assert.is(run.failure?.interruption, "killed");
    const record = readRecord(join(ws.root, "records"), "pr-7");
    assert.is(record?.status, "needs-destroy");
    assert.is(record?.killedRun?.who, lockHolderName());
    assert.ok(Date.parse(record!.killedRun!.killedAt) >= Date.parse(record!.killedRun!.startedAt));
    const survivors = spawnSync("pgrep", ["-f", "sleep 61.7"], { encoding: "utf8" }).stdout.trim();
    assert.is(survivors, "", "the provisioner's sleep was killed with terraform's process group");
    // The local backend's lock died with the process: the destroy just works.
    const destroy = await destroyEnvironment(options(ws, []));
    assert.ok(destroy.ok, JSON.stringify(destroy));
  } finally {
    controller.abort();
    ws.dispose();
  }
});

tfTest("destroy of an environment already gone (never applied): success, nothing to do", async () => {
  const ws = makeWorkspace();
  try {
    ws.writeStack(happyStack());
    const events: TerraformEngineEvent[] = [];
    assert.equal(await destroyEnvironment(options(ws, events)), { ok: true, alreadyGone: true });
    assert.not.ok(commands(events).includes("destroy"), "terraform destroy was not needed");
  } finally {
    ws.dispose();
  }
});

test("unusable options are refused before anything runs, every problem named", async () => {
  const ws = makeWorkspace();
  try {
    ws.writeStack(happyStack());
    const bad = options(ws, [], {
      name: "../escape",
      binary: "/nonexistent/terraform",
      lockTimeoutSeconds: -1,
      planExtraArgs: ["-lock=false"],
      prNumber: 0,
      expiresAt: "soon",
      retry: { maxAttempts: 0, initialDelayMs: 1, maxDelayMs: 1 },
    });
    await deployEnvironment(bad).then(
      () => assert.unreachable("accepted bad options"),
      (e: Error) => {
        assert.is(e.name, "TerraformEnvironmentOptionsError");
        for (const problem of [
          /environment name must be letters/,
          /lock timeout must be a whole number of seconds/,
          /extra plan argument "-lock=false" would override the fixed flag -lock/,
          /prNumber must be a positive integer; got 0/,
          /expiresAt must be an ISO 8601 date; got "soon"/,
          /maxAttempts must be a whole number from 1 to 10; got 0/,
        ]) assert.match(e.message, problem);
      },
    );
    await destroyEnvironment(bad).then(() => assert.unreachable("destroy accepted bad options"), (e: Error) => assert.match(e.message, /environment name/));
    assert.not.ok(existsSync(join(ws.root, "records")), "no record was written");
  } finally {
    ws.dispose();
  }
});

test("a stack directory without a synthesized stack is named, for deploy and destroy", async () => {
  const ws = makeWorkspace();
  try {
    const deploy = await deployEnvironment(options(ws, []));
    assert.is(!deploy.ok && deploy.failure.reason, "plan-failed");
    assert.match(!deploy.ok ? deploy.failure.message : "", /no synthesized stack at .*stack \(cdk\.tf\.json is missing\); run the synth first/);
    const destroy = await destroyEnvironment(options(ws, []));
    assert.is(!destroy.ok && destroy.failure.reason, "destroy-failed");
  } finally {
    ws.dispose();
  }
});

test.run();
