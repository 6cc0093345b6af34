/**
 * The console in a real browser: Debian's Chromium driven by playwright-core, against real local
 * environments with a faster clock. The page shows every instance with its health; "Stop" makes
 * the instance's target unhealthy within the health check's window and the survivor takes the
 * traffic; "Start" brings it back; a load started from the page scales the autoscaled stack out to
 * its max, and back in after the load stops.
 *
 * The autoscaled case synthesizes the stack with SEEDSTACK_TARGET_CPU=1, the setting users set for
 * the local engine: on one machine the local load balancer (proxying, in the CLI's own process) is
 * the bottleneck and a seed server's CPU stays far below the stack's 50% (docs/console.md says
 * why). Its health check is slowed to 60 s / 10 s (an edit of the synthesized stack) so that a
 * busy machine does not fail it at this clock, and an idle server's CPU (the health checks) stays
 * well under the low alarm's 0.9%.
 *
 * Screenshots go to a temp dir, or to docs/ with SEEDSTACK_SCREENSHOTS=docs (the README's).
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { request } from "undici";
import { findPackageRoot } from "../../shared/package-root.js";
import { assertAllDisposed, only, startTestEnvironment } from "../test-support/environments.js";
import { removeSynthFixtures } from "../test-support/synth-fixture.js";
import { startConsole } from "./console-server.js";
import { browserMissing, launchChromium, type LaunchedChromium } from "./test-support/chromium.js";

const test = suite("console in Chromium");
const missing = browserMissing();
const shots = process.env.SEEDSTACK_SCREENSHOTS === "docs" ? join(findPackageRoot(), "docs") : mkdtempSync(join(tmpdir(), "seedstack-console-shots-"));
let chromium: LaunchedChromium | undefined;

test.before(async () => {
  if (!missing) chromium = await launchChromium();
});
test.after(async () => {
  await chromium?.close();
  if (process.env.SEEDSTACK_SCREENSHOTS !== "docs") rmSync(shots, { recursive: true, force: true });
  removeSynthFixtures();
  assertAllDisposed();
});

const ctx = { signal: new AbortController().signal, onEvent: () => undefined };
const rowState = (page: Page, id: string) => page.getAttribute(`tr[data-target="${id}"]`, "data-state");

/** Wait for the page to show something; the page is live, so poll it. */
async function waitForPage(page: Page, what: string, condition: () => Promise<boolean>, deadlineMs: number, detail: () => string = () => ""): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${deadlineMs} ms waiting for the page to show ${what}${detail()}`);
    await page.waitForTimeout(200);
  }
}

test("every instance with its health; Stop makes one unhealthy within the health check's window and the survivor takes the traffic; Start brings it back", async () => {
  if (missing) return console.log(`  skipped: ${missing}`);
  const speedup = 10;
  const { env } = await startTestEnvironment("classic", { settings: { SEEDSTACK_TLS: "http" }, engine: { speedup } });
  const c = await startConsole(env, ctx);
  const page = await chromium!.newPage();
  try {
    await env.waitHealthy({ deadlineMs: 15_000 });
    await page.goto(c.url);
    const ids = env.instances().map((i) => i.id);
    await waitForPage(page, "both instances healthy", async () => (await Promise.all(ids.map((id) => rowState(page, id)))).every((s) => s === "healthy"), 10_000);
    for (const i of env.instances()) {
      const row = await page.textContent(`tr[data-target="${i.id}"]`);
      assert.ok(row?.includes(i.name) && row.includes(i.host) && row.includes("8080"), `row of ${i.id}: ${row}`);
    }
    for (let n = 0; n < 20; n++) await (await request(env.url + "/")).body.dump();
    await page.waitForTimeout(1500); // a closed second in the per-target charts
    await page.screenshot({ path: join(shots, "console-targets.png") });

    const [victim, survivor] = ids as [string, string];
    const hc = env.stack.targetGroup.healthCheck;
    const windowMs = ((hc.unhealthyThreshold * hc.intervalSeconds + hc.timeoutSeconds) * 1000) / speedup;
    const stoppedAt = Date.now();
    await page.click(`tr[data-target="${victim}"] button[data-action="stop"]`);
    await waitForPage(page, `${victim} unhealthy`, async () => (await rowState(page, victim)) === "unhealthy", windowMs * 3 + 5_000);
    const detectedMs = Date.now() - stoppedAt;
    const details = await page.textContent(`tr[data-target="${victim}"]`);
    assert.match(details ?? "", /Target\.FailedHealthChecks/);
    assert.ok(detectedMs <= windowMs * 3 + 5_000, `detected after ${detectedMs} ms; the window is ${windowMs} ms`);
    const servedBy = new Set<string>();
    for (let n = 0; n < 10; n++) {
      const res = await request(env.url + "/");
      await res.body.dump();
      assert.is(res.statusCode, 200);
      servedBy.add(String(res.headers["x-served-by"]));
    }
    assert.equal([...servedBy], [survivor], "the survivor takes all the traffic");
    await page.screenshot({ path: join(shots, "console-stopped.png") });

    await page.click(`tr[data-target="${victim}"] button[data-action="start"]`);
    await waitForPage(page, `${victim} healthy again`, async () => (await rowState(page, victim)) === "healthy", 15_000);
  } finally {
    await page.close();
    await c.dispose();
    await env.dispose();
  }
});

test("a load from the page scales the autoscaled stack out to its max, and back in after the load stops", async () => {
  if (missing) return console.log(`  skipped: ${missing}`);
  const speedup = 30; // alarm period 2 s: high alarm 6 s, low alarm 30 s
  const { env } = await startTestEnvironment("autoscaled", {
    settings: { SEEDSTACK_TLS: "http", SEEDSTACK_TARGET_CPU: "1" },
    engine: { speedup, quietServers: true },
    change: (json) => {
      const asg = only(json, "aws_autoscaling_group");
      asg.default_instance_warmup = 60;
      asg.health_check_grace_period = 60;
      Object.assign(only(json, "aws_lb_target_group").health_check, { interval: 60, timeout: 10 });
    },
  });
  const c = await startConsole(env, ctx);
  const page = await chromium!.newPage();
  try {
    await env.waitHealthy({ deadlineMs: 15_000 });
    await page.goto(c.url);
    const desired = async () => Number(await page.textContent("#asg-desired"));
    await waitForPage(page, "the group at desired 1", async () => (await desired()) === 1, 10_000);
    await page.fill('input[name="users"]', "30");
    await page.fill('input[name="rampSeconds"]', "0");
    await page.fill('input[name="durationSeconds"]', "120");
    await page.click("#load-start");
    const max = env.autoScaling()!.max;
    const datapoints = () => `; ASGAverageCPUUtilization datapoints: ${env.autoScaling()!.datapoints.map((d) => d.value?.toFixed(2) ?? "-").join(" ")}`;
    await waitForPage(page, `desired ${max}`, async () => (await desired()) === max, 90_000, datapoints);
    await waitForPage(page, `${max} healthy targets`, async () => (await page.$$('tr[data-state="healthy"]')).length === max, 30_000);
    await page.waitForTimeout(2500);
    await page.screenshot({ path: join(shots, "console-autoscaling.png"), fullPage: true });
    const history = await page.textContent("#activities");
    assert.match(history ?? "", /Launching a new EC2 instance: i-0[0-9a-f]{16}/);
    assert.match(history ?? "", /a monitor alarm TargetTracking-.*-AlarmHigh-.* in state ALARM triggered policy cpu-target-tracking changing the desired capacity from 1 to 2/);

    await page.click("#load-stop");
    await waitForPage(page, "desired back to 1", async () => (await desired()) === env.autoScaling()!.min, 90_000, datapoints);
    await waitForPage(page, "one target left", async () => (await page.$$("#targets tbody tr")).length === 1, 30_000);
    assert.match((await page.textContent("#activities")) ?? "", /Terminating EC2 instance: .*AlarmLow/s);
    const g = env.autoScaling()!;
    assert.ok(g.activities.every((a) => a.statusCode === "Successful"), JSON.stringify(g.activities.map((a) => [a.description, a.statusCode])));
    assert.is(g.policy?.targetValue, 1, "the target is the stack's setting");
    assert.ok(Math.max(...g.datapoints.map((d) => d.value ?? 0)) > 1, "the CPU crossed the target");
  } finally {
    await page.close();
    await c.dispose();
    await env.dispose();
  }
});

test.run();
