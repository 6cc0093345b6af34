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
    // Let Node's start-up (which compiles on helper threads) pass, so the window sees one busy thread.
    await new Promise((r) => setTimeout(r, 300));
    const one = new CpuMeter(1);
    const two = new CpuMeter(2);
    const t0 = performance.now();
    one.sample(child.pid!, t0);
    two.sample(child.pid!, t0);
    const windowMs = 600;
    await new Promise((r) => setTimeout(r, windowMs));
    const t1 = performance.now();
    const a = one.sample(child.pid!, t1)!;
    const b = two.sample(child.pid!, t1)!;
    assert.ok(a > 0, `busy child read ${a}%`);
    assert.ok(Math.abs(a / 2 - b) < 1e-9 || a === 100, `1 vCPU ${a}% vs 2 vCPUs ${b}%`);
    // /proc counts CPU time in whole ticks (10 ms), and each sample may be off by one: allow two
    // ticks over the window (seen in CI: 50.7% over a 400 ms window).
    const tickSlack = ((2 * 0.01) / (windowMs / 1000) / 2) * 100;
    assert.ok(b <= 50 + tickSlack, `one thread is at most half of 2 vCPUs (within ${tickSlack.toFixed(1)}% of tick rounding): ${b}%`);
  } finally {
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
  }
});

test.run();
