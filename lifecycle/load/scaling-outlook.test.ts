import { test } from "uvu";
import * as assert from "uvu/assert";
import { AWS_ALARMS } from "../local/target-tracking.js";
import { LOCAL_REACH_PERCENT, LOCAL_TARGET_CPU, scalingOutlook, type GroupOutlookInput } from "./scaling-outlook.js";

const NOW = 1_000_000;
/** A t3.micro group at 30x (period 2 s, warm-up 10 s) whose one instance launched 20 s ago: past its warm-up. */
function group(targetValue: number | undefined, change: Partial<GroupOutlookInput> = {}): GroupOutlookInput {
  return {
    ...(targetValue !== undefined ? { policy: { name: "cpu-target-tracking", metric: "ASGAverageCPUUtilization", targetValue, disableScaleIn: false } } : {}),
    vcpus: 2,
    instanceType: "t3.micro",
    warmupMs: 10_000,
    periodMs: 2_000,
    alarms: AWS_ALARMS,
    members: [{ id: "i-0aaaaaaaaaaaaaaaa", launchedAt: NOW - 20_000, lifecycle: "InService" }],
    ...change,
  };
}

test("the stack's 50% on 2 vCPUs: out of reach of one thread, said with the setting that fixes it", () => {
  const [warning, ...rest] = scalingOutlook(group(50), 60, NOW);
  assert.is(rest.length, 0);
  assert.match(warning!, /^the target of 50% CPU is out of reach: .* one busy thread on a t3\.micro's 2 vCPUs reads at most 50%, while the high alarm needs more than 50%\. The group will not scale out/);
  assert.ok(warning!.includes(`SEEDSTACK_TARGET_CPU=${LOCAL_TARGET_CPU} (or \`load --target-cpu ${LOCAL_TARGET_CPU}\`)`), warning);
  // Attached to a running `up`, --target-cpu is refused (the stack is synthesized already): the advice names --own.
  const [attached] = scalingOutlook(group(50), 60, NOW, true);
  assert.ok(attached!.includes(`SEEDSTACK_TARGET_CPU=${LOCAL_TARGET_CPU}, or \`load --own --target-cpu ${LOCAL_TARGET_CPU}\` for an environment of its own`), attached);
});

test("one thread's reach follows the vCPUs: 50% is in reach of a 1-vCPU t2.micro, 34% is not of 3 vCPUs", () => {
  assert.equal(scalingOutlook(group(49, { vcpus: 1, instanceType: "t2.micro" }), 60, NOW).filter((w) => /out of reach:/.test(w)), []);
  assert.match(scalingOutlook(group(34, { vcpus: 3, instanceType: "x.large" }), 60, NOW)[0]!, /at most 33\.3%, while the high alarm needs more than 34%/);
});

test("a target a thread could exceed but a local load does not: the milder warning; at or below the local reach: none", () => {
  const [warning] = scalingOutlook(group(LOCAL_REACH_PERCENT + 10), 60, NOW);
  assert.match(warning!, /^the target of 30% CPU is probably out of reach locally: the load balancer runs in seedstack's own process/);
  assert.equal(scalingOutlook(group(LOCAL_REACH_PERCENT), 60, NOW), []);
  assert.equal(scalingOutlook(group(LOCAL_TARGET_CPU), 60, NOW), []);
});

test("a load shorter than the warm-up left plus the high alarm's datapoints cannot scale out: says how long it must be", () => {
  // Launched 4 s ago: 6 s of warm-up left, then 3 datapoints of 2 s: 12 s.
  const young = group(1, { members: [{ id: "i-0aaaaaaaaaaaaaaaa", launchedAt: NOW - 4_000, lifecycle: "InService" }] });
  const [warning, ...rest] = scalingOutlook(young, 11, NOW);
  assert.is(rest.length, 0);
  assert.match(warning!, /^this load ends before the group can scale out: .*\(6 s left\).*3 datapoints of 2 s \(60 s \/ --speedup\), 12 s in all\. Give --duration 16 or more/);
  assert.equal(scalingOutlook(young, 12, NOW), []);
  // Past the warm-up, only the datapoints count.
  assert.match(scalingOutlook(group(1), 5, NOW)[0]!, /\(0 s left\).* 6 s in all/);
  // The oldest instance decides: its datapoints come first.
  const mixed = group(1, { members: [...young.members, { id: "i-0bbbbbbbbbbbbbbbb", launchedAt: NOW - 9_000, lifecycle: "InService" }] });
  assert.match(scalingOutlook(mixed, 5, NOW)[0]!, /\(1 s left\)/);
});

test("no target tracking policy, or no instance: nothing to expect, nothing said", () => {
  assert.equal(scalingOutlook(group(undefined), 1, NOW), []);
  assert.equal(scalingOutlook(group(50, { members: [] }), 1, NOW), []);
});

test.run();
