/**
 * `seedstack load --stack autoscaled` as a user runs it: a real process, real seed servers and load
 * balancer, the clock 30x faster (alarm period 2 s, warm-up 10 s). The CPU target is the stack's
 * own setting, SEEDSTACK_TARGET_CPU, set the way docs/console.md tells users to, and read by the
 * local engine from the synthesized stack: no fixture edits the policy. With the default 50% the
 * command says up front that the group cannot scale out, and why.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assertNothingLeft } from "../test-support/nothing-left.js";
import { seedstack } from "../test-support/seedstack-process.js";
import type { LoadReport } from "./load-run.js";

const test = suite("seedstack load");
const dirs: string[] = [];
test.after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "seedstack-load-"));
  dirs.push(dir);
  return dir;
}

test("with SEEDSTACK_TARGET_CPU=1 the group scales out to its max under load and back in after; the JSON report lists each activity with its time and AWS's earliest", async () => {
  const dir = tempDir();
  // Plain HTTP: the load balancer's TLS work would only take CPU the seed servers could use.
  const cli = seedstack(["load", "--stack", "autoscaled", "--speedup", "30", "--users", "20", "--duration", "30", "--outdir", join(dir, "out"), "--json", join(dir, "r.json")], { SEEDSTACK_TLS: "http", SEEDSTACK_TARGET_CPU: "1" });
  try {
    assert.is(await cli.exited(240_000), 0, cli.output());
    const out = cli.output();
    assert.not.match(out, /⚠/, "nothing stands in the way of scaling");
    const load = (JSON.parse(readFileSync(join(dir, "r.json"), "utf8")) as { load: LoadReport }).load;
    const s = load.scaling!;
    const trace = `\n${out}`;
    assert.is(s.policy, "cpu-target-tracking: ASGAverageCPUUtilization at 1%", "the stack's setting reached the synthesized policy");
    assert.equal([s.min, s.max, s.desiredAtStart, s.desiredPeak, s.desiredAtEnd], [1, 2, 1, 2, 1], trace);
    assert.ok(s.scaledOut && s.scaledBackIn, trace);
    assert.is(s.periodMs, 2000);

    const launch = s.activities.find((a) => a.kind === "launch");
    const terminate = s.activities.find((a) => a.kind === "terminate");
    assert.ok(launch && terminate, `a launch and a termination: ${JSON.stringify(s.activities)}`);
    assert.is(launch.alarm?.which, "high");
    assert.is(terminate.alarm?.which, "low");
    assert.match(launch.description, /^Launching a new EC2 instance: i-0[0-9a-f]{16}$/);
    assert.match(launch.cause, /a monitor alarm TargetTracking-seedstack-scaled-asg-AlarmHigh-[0-9a-f-]{36} in state ALARM triggered policy cpu-target-tracking changing the desired capacity from 1 to 2/);
    assert.is(terminate.instance, launch.instance, "the newest instance is the one terminated");
    // What AWS's rules imply, checked on the report's own datapoints: the launch came once 3
    // consecutive datapoints were above 1% (none before the first instance's warm-up), the
    // termination once 15 were below 0.9%, counted with no instance in its warm-up.
    const values = s.datapoints.map((d) => d.value);
    assert.is(values[0], null, `no datapoint during the first instance's warm-up: ${JSON.stringify(s.datapoints)}`);
    const closedAt = (ms: number | null) => s.datapoints.findIndex((d) => d.atMs === ms);
    const up = closedAt(launch.earliestMs);
    const down = closedAt(terminate.earliestMs);
    assert.ok(up >= 3 && values.slice(up - 2, up + 1).every((v) => v !== null && v > 1), `3 datapoints above 1% end at ${launch.earliestMs} ms: ${JSON.stringify(s.datapoints)}`);
    assert.ok(down > up && values.slice(down - 14, down + 1).every((v) => v !== null && v < 0.9), `15 datapoints below 0.9% end at ${terminate.earliestMs} ms: ${JSON.stringify(s.datapoints)}`);
    assert.ok(terminate.earliestMs! >= launch.atMs + s.warmupMs, "not while the new instance warms up");
    for (const a of [launch, terminate]) {
      assert.ok(a.withinRules && a.atMs >= a.earliestMs! - 1000, `${a.description} at ${a.atMs} ms, the rules allow ${a.earliestMs} ms`);
      assert.match(a.rule, a.kind === "launch" ? /^high alarm: 3 consecutive datapoints of 2\.0 s .* above 1% .*: met at \d+\.\d s$/ : /^low alarm: 15 consecutive datapoints of 2\.0 s below 0\.9% .*: met at \d+\.\d s$/);
      assert.is(a.statusCode, "Successful");
    }
    assert.ok(terminate.atMs > launch.atMs);
    assert.ok(Object.keys(load.servedBy).length === 2 && (load.servedBy[launch.instance] ?? 0) > 0, `the new instance took traffic: served by ${JSON.stringify(load.servedBy)}`);
    assert.match(out, /scaling: desired 1 -> peak 2 -> 1 \(min 1, max 2\); cpu-target-tracking: ASGAverageCPUUtilization at 1%/);
    await assertNothingLeft(out);
  } finally {
    cli.child.kill("SIGKILL");
  }
});

test("with the stack's default 50% target it says up front that the group cannot scale out, names SEEDSTACK_TARGET_CPU, and says a short load ends before the warm-up", async () => {
  const dir = tempDir();
  const cli = seedstack(["load", "--stack", "autoscaled", "--speedup", "30", "--users", "2", "--duration", "2", "--outdir", join(dir, "out"), "--json", join(dir, "r.json")], { SEEDSTACK_TLS: "http" });
  try {
    assert.is(await cli.exited(), 0, cli.output());
    const out = cli.output();
    const warning = out.match(/^⚠ the target of 50% CPU is out of reach: .*$/m)?.[0];
    assert.ok(warning, out);
    assert.match(warning, /one busy thread on a t3\.micro's 2 vCPUs reads at most 50%, while the high alarm needs more than 50%/);
    assert.match(warning, /SEEDSTACK_TARGET_CPU=1 \(or `load --target-cpu 1`\)/);
    assert.match(out, /^⚠ this load ends before the group can scale out: .*\(\d+(\.\d+)? s left\).* Give --duration \d+ or more/m);
    assert.ok(out.indexOf("⚠ the target") < out.indexOf("load done"), "said before the load runs");
    const load = (JSON.parse(readFileSync(join(dir, "r.json"), "utf8")) as { load: LoadReport }).load;
    assert.is(load.warnings?.length, 2);
    assert.is(load.scaling?.scaledOut, false);
    await assertNothingLeft(out);
  } finally {
    cli.child.kill("SIGKILL");
  }
});

test("--target-cpu is the stack's setting: synthesized into the policy; refused with --skip-synth and outside 1-100", async () => {
  const dir = tempDir();
  const cli = seedstack(["load", "--stack", "autoscaled", "--speedup", "30", "--users", "1", "--duration", "1", "--target-cpu", "7.5", "--outdir", join(dir, "out"), "--json", join(dir, "r.json")], { SEEDSTACK_TLS: "http" });
  try {
    assert.is(await cli.exited(), 0, cli.output());
    const load = (JSON.parse(readFileSync(join(dir, "r.json"), "utf8")) as { load: LoadReport }).load;
    assert.is(load.scaling?.policy, "cpu-target-tracking: ASGAverageCPUUtilization at 7.5%");
    assert.ok(load.warnings?.every((w) => !/out of reach/.test(w)), JSON.stringify(load.warnings));
    const synthesized = JSON.parse(readFileSync(join(dir, "out", "stacks", "autoscaled", "cdk.tf.json"), "utf8")) as { resource: { aws_autoscaling_policy: Record<string, { target_tracking_configuration: { target_value: number } }> } };
    assert.equal(Object.values(synthesized.resource.aws_autoscaling_policy).map((p) => p.target_tracking_configuration.target_value), [7.5]);
  } finally {
    cli.child.kill("SIGKILL");
  }
  for (const [args, message] of [
    [["--target-cpu", "0.5"], /--target-cpu is "0\.5"; allowed: a CPU percentage from 1 to 100/],
    [["--target-cpu", "50%"], /--target-cpu is "50%"; allowed/],
    [["--target-cpu", "2", "--skip-synth"], /--target-cpu is a setting of the synthesis, and --skip-synth skips it/],
  ] as const) {
    const bad = seedstack(["load", "--stack", "autoscaled", ...args]);
    assert.is(await bad.exited(), 2, bad.output());
    assert.match(bad.output(), message);
  }
});

test.run();
