/**
 * The `seedstack` command line as a user runs it: a real process (`node --import tsx main.ts`),
 * real seed servers and load balancer, a 10x faster clock. Each test checks that nothing it
 * started is left running or listening afterwards.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { only } from "../test-support/environments.js";
import { seedstack } from "../test-support/seedstack-process.js";
import { removeSynthFixtures, stackJson } from "../test-support/synth-fixture.js";
import { assertNothingLeft } from "../test-support/nothing-left.js";
import { findPackageRoot } from "../../shared/package-root.js";
import { readRunningRecord, recordFile } from "../local/running-record.js";
import type { ConsoleSnapshot } from "../console/snapshot.js";
import type { LoadReport } from "../load/load-run.js";

const test = suite("seedstack cli");
const dirs: string[] = [];
test.after(() => {
  removeSynthFixtures();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

test("run (the npm start path) on the TLS pair: passes, writes JSON and Markdown reports, leaves nothing behind", async () => {
  const dir = mkdtempSync(join(tmpdir(), "seedstack-cli-"));
  dirs.push(dir);
  const cli = seedstack(["run", "--speedup", "10", "--drill", "process-dies", "--outdir", join(dir, "out"), "--json", join(dir, "r.json"), "--markdown", join(dir, "r.md")]);
  const code = await cli.exited();
  assert.is(code, 0, cli.output());
  const out = cli.output();
  assert.match(out, /health check +HTTP GET \/status on the traffic port every 5 s/);
  assert.match(out, /✔ TLS: the listener presents the stack's certificate/);
  assert.match(out, /Failover drill \(the process dies\): passed/);
  assert.match(out, /seedstack: classic passed/);
  const report = JSON.parse(readFileSync(join(dir, "r.json"), "utf8"));
  assert.is(report.ok, true);
  assert.equal(report.phases.map((p: { phase: string }) => p.phase), ["synth", "summary", "up", "wait-healthy", "smoke", "drill", "down"]);
  assert.match(readFileSync(join(dir, "r.md"), "utf8"), /```mermaid\nxychart-beta/);
  await assertNothingLeft(out);
});

test("a stack whose health path does not exist: exit 1 with the diagnosis in plain words", async () => {
  const dir = mkdtempSync(join(tmpdir(), "seedstack-cli-"));
  dirs.push(dir);
  const json = await stackJson("classic", { SEEDSTACK_TLS: "http" });
  only(json, "aws_lb_target_group").health_check.path = "/healthz";
  mkdirSync(join(dir, "stacks", "broken"), { recursive: true });
  writeFileSync(join(dir, "stacks", "broken", "cdk.tf.json"), JSON.stringify(json));
  const cli = seedstack(["run", "--stack", "broken", "--outdir", dir, "--skip-synth", "--speedup", "10"]);
  const code = await cli.exited();
  assert.is(code, 1, cli.output());
  assert.match(cli.output(), /⚠ seedstack-classic-web-\d \(i-0[0-9a-f]+\): the health check asks for GET \/healthz and the app answers 404/);
  assert.match(cli.output(), /failed: ERR_TARGETS_UNHEALTHY/);
  await assertNothingLeft(cli.output());
});

test("up keeps the environment and prints its console's URL (token required); load attaches to it (Ctrl-C stops the load, not the up); smoke finds it; down takes it down and the up process exits 0", async () => {
  const up = seedstack(["up", "--stack", "autoscaled", "--speedup", "10"]);
  try {
    await up.waitForOutput(/press Ctrl-C to take it down/, "the 'up at' line");
    // The console's line: a loopback URL carrying the per-run token; the page answers with it and refuses without it.
    const [, consoleUrl] = up.output().match(/^console: (http:\/\/127\.0\.0\.1:(\d+)\/\?token=[A-Za-z0-9_-]{32})$/m) ?? [];
    assert.ok(consoleUrl, `no console: <url> line in:\n${up.output()}`);
    const page = await fetch(consoleUrl!);
    assert.is(page.status, 200);
    assert.match(await page.text(), /seedstack console/);
    const refused = await fetch(consoleUrl!.replace(/\?token=.*$/, ""));
    assert.is(refused.status, 403);
    assert.match(await refused.text(), /needs the token/);
    // up keeps its console's URL, token included, in its running record, readable by its owner only.
    const record = recordFile(findPackageRoot(), "autoscaled", "up");
    assert.is(statSync(record).mode & 0o777, 0o600);
    assert.is(readRunningRecord(record)?.console, consoleUrl);
    // load attaches to it: the up's process sends the load, its console counts it, the report has it.
    const dir = mkdtempSync(join(tmpdir(), "seedstack-cli-"));
    dirs.push(dir);
    const load = seedstack(["load", "--stack", "autoscaled", "--users", "2", "--duration", "3", "--json", join(dir, "load.json")]);
    assert.is(await load.exited(), 0, load.output());
    assert.match(load.output(), new RegExp(`load: attached to \`seedstack up\` of autoscaled \\(pid ${up.child.pid}\\) through its console http://127\\.0\\.0\\.1:\\d+; the up keeps running`));
    assert.match(load.output(), /^ +\d+ s {2}users +2 {2}req\/s +\d+ {2}fail +0 {2}p50 .* {2}desired 1 \[InService/m, "the live line per second, with the group");
    const report = JSON.parse(readFileSync(join(dir, "load.json"), "utf8")) as { ok: boolean; load: LoadReport };
    assert.ok(report.ok && report.load.requests > 0 && report.load.failures === 0, JSON.stringify(report.load));
    assert.equal(report.load.attached, { pid: up.child.pid, console: new URL(consoleUrl!).origin });
    assert.is(report.load.scaling?.policy, "cpu-target-tracking: ASGAverageCPUUtilization at 50%");
    assert.not.match(readFileSync(join(dir, "load.json"), "utf8"), new URL(consoleUrl!).searchParams.get("token")!, "the report holds no console token");
    const state = async () => (await (await fetch(consoleUrl!.replace("/?", "/api/state?"))).json()) as ConsoleSnapshot;
    const shown = (await state()).load;
    assert.equal([shown.running, shown.result?.startedAt, shown.result?.requests], [false, report.load.startedAt, report.load.requests], "the up's console shows this load");
    // Ctrl-C stops the load on the console, not the up.
    const long = seedstack(["load", "--stack", "autoscaled", "--users", "1", "--duration", "120"]);
    try {
      await long.waitForOutput(/^ +\d+ s {2}users +1 {2}req\/s/m, "a line per second");
      assert.is((await state()).load.running, true);
      long.child.kill("SIGINT");
      assert.is(await long.exited(30_000), 130, long.output());
    } finally {
      long.child.kill("SIGKILL");
    }
    assert.match(long.output(), /load stopped on the up's console; `seedstack up` of autoscaled keeps running/);
    assert.is((await state()).load.running, false, "the load stopped with the Ctrl-C");
    assert.ok((await state()).targets.some((t) => t.state === "healthy"), "the up still serves");
    const smoke = seedstack(["smoke", "--stack", "autoscaled"]);
    assert.is(await smoke.exited(), 0, smoke.output());
    assert.match(smoke.output(), /stickiness: the AWSALB cookie keeps a client on one instance/);
    const down = seedstack(["down", "--stack", "autoscaled"]);
    assert.is(await down.exited(), 0, down.output());
    assert.is(await up.exited(30_000), 0, up.output());
    await assertNothingLeft(up.output());
    assert.ok(await fetch(consoleUrl!).then(() => false, () => true), "the console is gone with the environment");
    const again = seedstack(["down", "--stack", "autoscaled"]);
    assert.is(await again.exited(), 0);
    assert.match(again.output(), /nothing is up for stack autoscaled/);
  } finally {
    up.child.kill("SIGKILL");
  }
});

test("Ctrl-C in the middle of a run: exit 130, every process stopped, every port closed", async () => {
  const cli = seedstack(["run", "--speedup", "5", "--drill", "health-fails"], { SEEDSTACK_TLS: "http" });
  try {
    await cli.waitForOutput(/failure: i-0[0-9a-f]+ \(the app stops answering/, "the drill's failure mark");
    cli.child.kill("SIGINT");
    assert.is(await cli.exited(30_000), 130, cli.output());
    assert.match(cli.output(), /SIGINT: stopping and taking down what this command started/);
    await assertNothingLeft(cli.output());
  } finally {
    cli.child.kill("SIGKILL");
  }
});

test("bad usage: exit 2, naming the problem", async () => {
  const cli = seedstack(["run", "--speedup", "fast"]);
  assert.is(await cli.exited(), 2);
  assert.match(cli.output(), /--speedup is "fast"; allowed: a number from 1 to 100/);
  const unknown = seedstack(["launch"]);
  assert.is(await unknown.exited(), 2);
  assert.match(unknown.output(), /unknown command "launch"; commands: run, up, smoke, drill, down/);
});

test.run();
