/**
 * Nothing outlives seedstack, however it ends (issue 16, section 1), proven on real processes:
 * `seedstack up` SIGKILLed (with and without PostgreSQL), a record of a killed run reaped by
 * `seedstack down` without touching a process that merely reuses a recorded pid, a second `up`
 * refused, one SIGINT during the drill at the stack's real timing, and a second SIGINT that forces.
 *
 * Each test looks only at its own run: the process tree of the seedstack it started (read from
 * /proc before the kill), the pids that run recorded, the ports it printed. The clock runs 10x
 * faster except in the one real-timing test, where the timing is the point.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findPackageRoot } from "../../shared/package-root.js";
import { processAlive } from "../process-alive.js";
import { processStartTime } from "../local/process-identity.js";
import { readRunningRecord, recordFile, type RunningRecordData } from "../local/running-record.js";
import { commandOf, descendantsOf, killAll, running, stillRunningAfter } from "../test-support/process-tree.js";
import { seedstack, type Cli } from "../test-support/seedstack-process.js";
import { removeSynthFixtures, synthFixture } from "../test-support/synth-fixture.js";
import { portOpen } from "../test-support/port-open.js";

const root = findPackageRoot();
const test = suite("seedstack: nothing outlives it");
const started: number[] = [];
test.after(() => {
  killAll(started);
  removeSynthFixtures();
});

/** `seedstack <command>` on the synthesized fixture (no synthesis per test), 10x faster unless `realTiming`. */
async function onFixture(command: string, settings: Record<string, string>, more: string[] = [], realTiming = false): Promise<Cli> {
  const outdir = await synthFixture(settings);
  return seedstack([command, "--outdir", outdir, "--skip-synth", ...(realTiming ? [] : ["--speedup", "10"]), ...more]);
}

/** The listener ports a run printed. */
function listenerPorts(output: string): number[] {
  return [...output.matchAll(/listener HTTPS?:\d+ -> https?:\/\/127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1]));
}

/** Its process tree and record, once `up` (or a run) has everything running. */
function snapshot(cli: Cli, command: string): { tree: number[]; record: RunningRecordData } {
  const record = readRunningRecord(recordFile(root, "classic", command, cli.child.pid));
  assert.ok(record, `a running record for ${command}\n${cli.output()}`);
  const tree = descendantsOf(cli.child.pid!);
  started.push(...tree);
  // A recorded process the drill has just killed may still be listed; every live one must be ours.
  for (const p of record!.processes.filter((p) => processAlive(p.pid))) assert.ok(tree.includes(p.pid), `recorded ${p.role} (pid ${p.pid}) is in the process tree ${tree.join(", ")}`);
  return { tree, record: record! };
}

/** Nothing of the run is alive, listening or on disk within 5 s. */
async function assertNothingLeft(tree: readonly number[], record: RunningRecordData, output: string): Promise<void> {
  const left = await stillRunningAfter(tree, 5_000);
  assert.equal(left.map((p) => `${p} ${commandOf(p)}`), [], `nothing of the run's process tree runs 5 s later\n${output}`);
  for (const port of listenerPorts(output)) assert.is(await portOpen(port), false, `port ${port} still accepts connections`);
  for (const dir of record.folders) assert.is(existsSync(dir), false, `${dir} is removed`);
}

async function killedUpLeavesNothing(settings: Record<string, string>, roles: RegExp[]): Promise<void> {
  const up = await onFixture("up", settings);
  try {
    await up.waitForOutput(/press Ctrl-C to take it down/, "the 'up at' line", 180_000);
    const { tree, record } = snapshot(up, "up");
    for (const role of roles) assert.ok(record.processes.some((p) => role.test(p.role)), `the record names ${role}: ${JSON.stringify(record.processes)}`);
    assert.ok(record.urls.length > 0, "the record has the listeners' URLs");
    up.child.kill("SIGKILL");
    assert.is(await up.exited(10_000), -1);
    await assertNothingLeft(tree, record, up.output());

    const down = seedstack(["down"]);
    assert.is(await down.exited(), 0, down.output());
    assert.match(down.output(), /nothing is up for stack classic/, down.output());
    assert.not.match(down.output(), /killed /, "down had nothing to kill");
    assert.is(existsSync(join(tmpdir(), "seedstack-local")), false, `no record or state file is left: ${existsSync(join(tmpdir(), "seedstack-local")) ? readdirSync(join(tmpdir(), "seedstack-local")).join(", ") : ""}`);
  } finally {
    up.child.kill("SIGKILL");
  }
}

test("kill -9 of `seedstack up`: its seed servers follow it within seconds, and `down` finds nothing to do", async () => {
  await killedUpLeavesNothing({}, [/^seed server i-0/]);
});

test("kill -9 of `seedstack up` with a database: PostgreSQL, its workers and its folders go too", async () => {
  await killedUpLeavesNothing({ SEEDSTACK_DATABASE: "on" }, [/^seed server i-0/, /^postgres \(PostgreSQL, supervised\)$/]);
});

test("`down` after a killed run reaps what the record holds, and leaves alone a process that merely reuses a recorded pid", async () => {
  // What the lifeline could not stop (as if it had been ignored): a process group of "ours"...
  const leftover = spawn("sleep", ["300"], { detached: true, stdio: "ignore" });
  // ... and a stranger now holding a pid the record names, started after the recorded one.
  const stranger = spawn("sleep", ["300"], { detached: true, stdio: "ignore" });
  started.push(leftover.pid!, stranger.pid!);
  const folder = mkdtempSync(join(tmpdir(), "seedstack-local-db-"));
  const deadOwner = spawnSync("true").pid;
  const strangerStart = processStartTime(stranger.pid!)!;
  const file = recordFile(root, "reaped", "up");
  mkdirSync(join(file, ".."), { recursive: true });
  const record: RunningRecordData = {
    version: 1,
    stack: "reaped",
    command: "up",
    owner: { pid: deadOwner, startTime: "1" },
    startedAt: new Date().toISOString(),
    urls: ["https://127.0.0.1:1"],
    processes: [
      { pid: leftover.pid!, startTime: processStartTime(leftover.pid!)!, role: "seed server i-0leftover", address: "127.9.9.10:8080" },
      { pid: stranger.pid!, startTime: String(BigInt(strangerStart) - 1n), role: "seed server i-0recycled" },
    ],
    folders: [folder],
  };
  writeFileSync(file, JSON.stringify(record));
  try {
    const down = seedstack(["down", "--stack", "reaped"]);
    assert.is(await down.exited(), 0, down.output());
    const out = down.output();
    assert.match(out, new RegExp(`\`seedstack up\` \\(pid ${deadOwner}, started .*\\) ended without taking reaped down:`));
    assert.match(out, new RegExp(`killed seed server i-0leftover \\(process group ${leftover.pid}, 127\\.9\\.9\\.10:8080\\)`));
    assert.match(out, new RegExp(`left alone: pid ${stranger.pid} \\(was seed server i-0recycled\\) now belongs to a process started later`));
    assert.match(out, /removed .*seedstack-local-db-/);
    assert.equal(await stillRunningAfter([leftover.pid!], 5_000), [], "the leftover is killed");
    assert.is(running(stranger.pid!), true, "the process that reuses a recorded pid is left alone");
    assert.is(existsSync(folder), false);
    assert.is(existsSync(file), false, "the record is removed");
  } finally {
    killAll([leftover.pid!, stranger.pid!]);
  }
});

test("a second `up` of a stack that is up is refused with the running one's details; the first keeps running", async () => {
  const first = await onFixture("up", {});
  try {
    await first.waitForOutput(/press Ctrl-C to take it down/, "the 'up at' line", 120_000);
    const { tree, record } = snapshot(first, "up");
    const second = await onFixture("up", {});
    assert.is(await second.exited(), 1, second.output());
    assert.match(second.output(), new RegExp(`ERR_ALREADY_UP: stack classic is already up: \`seedstack up\` \\(pid ${first.child.pid}, started [^)]+\\) at http`));
    assert.not.match(second.output(), /listening on/, "the second started nothing");
    assert.is(first.child.exitCode, null, "the first is still up");
    const down = seedstack(["down"]);
    assert.is(await down.exited(), 0, down.output());
    assert.is(await first.exited(30_000), 0, first.output());
    await assertNothingLeft(tree, record, first.output());
  } finally {
    first.child.kill("SIGKILL");
  }
});

test("one SIGINT in the drill's observation window, at the stack's real timing: down and exited within 5 s, nothing recovered", async () => {
  const run = await onFixture("run", { SEEDSTACK_TLS: "http" }, ["--drill", "health-fails"], true);
  try {
    await run.waitForOutput(/detected: i-0[0-9a-f]+ unhealthy/, "the drill's detection mark", 180_000);
    const { tree, record } = snapshot(run, "run");
    const signalled = Date.now();
    run.child.kill("SIGINT");
    const code = await run.exited(30_000);
    const ms = Date.now() - signalled;
    console.log(`    exited ${ms} ms after SIGINT (GitHub's runner sends SIGTERM at 7500 ms)`);
    assert.is(code, 130, run.output());
    assert.ok(ms < 5_000, `exited within 5 s of SIGINT, took ${ms} ms\n${run.output()}`);
    assert.not.match(run.output(), /recovery: i-0/, "nothing recovers after the abort");
    await assertNothingLeft(tree, record, run.output());
  } finally {
    run.child.kill("SIGKILL");
  }
});

test("a second SIGINT while teardown stalls (PostgreSQL stopped) kills what is left and exits 130 at once, in the local engine's words", async () => {
  const run = await onFixture("run", { SEEDSTACK_DATABASE: "on", SEEDSTACK_TLS: "http" }, ["--drill", "process-dies"]);
  try {
    await run.waitForOutput(/failure: i-0[0-9a-f]+ \(the process dies\)/, "the drill's failure mark", 180_000);
    const { tree, record } = snapshot(run, "run");
    const supervisor = record.processes.find((p) => p.role.startsWith("postgres"))!;
    const postmaster = descendantsOf(supervisor.pid)[0]!;
    process.kill(postmaster, "SIGSTOP"); // its fast shutdown can no longer happen: teardown stalls
    run.child.kill("SIGINT");
    await run.waitForOutput(/SIGINT: stopping and taking down what this command started/, "the first signal's line", 10_000);
    run.child.kill("SIGINT");
    assert.is(await run.exited(10_000), 130, run.output());
    assert.match(run.output(), /SIGINT again: killing what is left \(seed servers, PostgreSQL\) and exiting now/);
    assert.not.match(run.output(), /seedstack sweep/, "not the terraform engine's sentence");
    await assertNothingLeft(tree, record, run.output());
    assert.is(existsSync(recordFile(root, "classic", "run", run.child.pid)), false, "the record is reaped on the way out");
  } finally {
    run.child.kill("SIGKILL");
  }
});

test.run();
