import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawn } from "node:child_process";
import { CpuMeter, processCpuSeconds } from "./cpu-usage.js";

test("a process's CPU time comes from /proc and grows while it computes", () => {
  const before = processCpuSeconds(process.pid);
  assert.ok(before !== undefined && before > 0, `read ${before}`);
  const until = performance.now() + 150;
  while (performance.now() < until); // busy
  assert.ok(processCpuSeconds(process.pid)! > before!, "CPU time grew");
  assert.is(processCpuSeconds(2 ** 22 + 12345), undefined, "a pid that does not exist reads as gone");
});

test("utilization is divided by the vCPUs: the same busy process reads half on 2 vCPUs of what it reads on 1", async () => {
  const child = spawn(process.execPath, ["-e", "for(;;){}"], { stdio: "ignore" });
  try {
    const one = new CpuMeter(1);
    const two = new CpuMeter(2);
    const t0 = performance.now();
    one.sample(child.pid!, t0);
    two.sample(child.pid!, t0);
    await new Promise((r) => setTimeout(r, 400));
    const t1 = performance.now();
    const a = one.sample(child.pid!, t1)!;
    const b = two.sample(child.pid!, t1)!;
    assert.ok(a > 0, `busy child read ${a}%`);
    assert.ok(Math.abs(a / 2 - b) < 1e-9 || a === 100, `1 vCPU ${a}% vs 2 vCPUs ${b}%`);
    assert.ok(b <= 50 + 1e-9, `one thread is at most half of 2 vCPUs: ${b}%`);
  } finally {
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
  }
});

test.run();
