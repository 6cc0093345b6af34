/**
 * `npm run bench:local`: two numbers for the local engine, each next to a baseline from the same run.
 *
 * 1. The whole `npm start` (seedstack run on the default stack, the stack's real timing) wall time,
 *    next to the minimum its health-check settings imply: healthy threshold x interval to come up;
 *    per drill: unhealthy threshold x interval (+ timeout when the app hangs) to detect, healthy
 *    threshold x interval to recover, plus the observation windows the drill holds on purpose
 *    (one interval of warm-up, two after detection, one after recovery). Target: overhead < 5 s.
 * 2. The local load balancer's throughput and p99 (autocannon, 64 connections, plain HTTP so both
 *    paths do the same work) next to requests sent straight to one seed server, in alternating
 *    rounds. The environment runs in its own process (bench-environment.ts), so the load generator does
 *    not share its event loop. Target: at least 0.7 of direct throughput.
 * 3. The same load balancer's throughput with the console open (started, its page's event stream
 *    connected) next to without, in alternating rounds. Target: at least 0.9 (the console must not
 *    change what it measures).
 */
import autocannon from "autocannon";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { findPackageRoot } from "../../shared/package-root.js";
import { readStack } from "../stack/read-stack.js";

const root = findPackageRoot();
const cli = join(root, "lifecycle", "cli", "main.ts");
const ROUNDS = 3;
const SECONDS = 5;

function seedstack(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ["--import", "tsx", cli, ...args], { cwd: root, env: { ...process.env, NO_COLOR: "1", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (c: Buffer) => (out += c));
  child.stderr.on("data", (c: Buffer) => (out += c));
  const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
  return { child, output: () => out, exited };
}

async function wholeRun(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "seedstack-bench-"));
  try {
    const t0 = performance.now();
    const run = seedstack(["run", "--json", join(dir, "report.json")]);
    const code = await run.exited;
    const wallS = (performance.now() - t0) / 1000;
    if (code !== 0) throw new Error(`npm start's run failed (exit ${code}):\n${run.output().slice(-3000)}`);
    const report = JSON.parse(readFileSync(join(dir, "report.json"), "utf8")) as { phases: Array<{ phase: string; ms: number }>; drills: Array<{ mode: string }> };
    const hc = readStack(join(root, "cdktf.out"), "classic").targetGroup.healthCheck;
    const I = hc.intervalSeconds;
    const windows = 4 * I; // the drill's own observation: warm-up, two intervals after detection, one after recovery
    // By the formula (threshold x interval), and by the tightest bound: the first probe goes
    // out at once, so a threshold of N needs only N - 1 intervals after it.
    const formula = hc.healthyThreshold * I + report.drills.reduce((n, d) => n + hc.unhealthyThreshold * I + (d.mode === "health-fails" ? hc.timeoutSeconds : 0) + hc.healthyThreshold * I + windows, 0);
    const tightest = (hc.healthyThreshold - 1) * I + report.drills.reduce((n, d) => n + (hc.unhealthyThreshold - 1) * I + (d.mode === "health-fails" ? hc.timeoutSeconds : 0) + (hc.healthyThreshold - 1) * I + windows, 0);
    const waiting = report.phases.filter((p) => p.phase === "wait-healthy" || p.phase === "drill").reduce((n, p) => n + p.ms, 0) / 1000;
    const own = wallS - waiting;
    console.log("1. npm start (seedstack run on classic, the stack's own timing)\n");
    console.log(`   health check: every ${I} s, timeout ${hc.timeoutSeconds} s, healthy after ${hc.healthyThreshold}, unhealthy after ${hc.unhealthyThreshold}; ${report.drills.length} drills, each holding ${windows} s of observation`);
    for (const p of report.phases) console.log(`     ${p.phase.padEnd(13)} ${(p.ms / 1000).toFixed(1).padStart(6)} s`);
    console.log(`   wall time ${wallS.toFixed(1)} s (process start to exit)`);
    console.log(`   implied by threshold x interval: ${formula} s -> overhead ${(wallS - formula).toFixed(1)} s`);
    console.log(`   tightest bound ((threshold - 1) x interval): ${tightest} s -> ${(wallS - tightest).toFixed(1)} s above it (the rest is where the failure falls between two probes)`);
    console.log(`   time not spent waiting on health checks (synth, start, smoke, teardown, process start): ${own.toFixed(1)} s (target < 5 s: ${own < 5 ? "met" : "not met"})\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function throughput(): Promise<void> {
  // The classic stack in plain HTTP (both paths then do the same work), in its own process.
  const outdir = mkdtempSync(join(tmpdir(), "seedstack-bench-out-"));
  const synth = spawnSync(process.execPath, [join(root, "stacks", "run-app.mjs")], { cwd: root, env: { ...process.env, SEEDSTACK_TLS: "http", CDKTF_OUTDIR: outdir }, encoding: "utf8" });
  if (synth.status !== 0) throw new Error(`synthesis failed: ${synth.stderr}`);
  const envProcess = spawn(process.execPath, ["--import", "tsx", join(root, "lifecycle", "bench", "bench-environment.ts"), outdir], { cwd: root, stdio: ["pipe", "pipe", "inherit"] });
  const exited = new Promise((resolve) => envProcess.once("close", resolve));
  try {
    const line = await new Promise<string>((resolve, reject) => {
      envProcess.stdout.once("data", (c: Buffer) => resolve(c.toString()));
      envProcess.once("close", (code) => reject(new Error(`the benchmark environment exited (${code}) before coming up`)));
    });
    const { alb, server, bareProxy } = JSON.parse(line) as { alb: string; server: string; bareProxy: string };
    const measure = async (url: string) => {
      const r = await autocannon({ url: `${url}/`, connections: 64, duration: SECONDS });
      return { rps: r.requests.average, p99: r.latency.p99, failures: r.errors + r.timeouts + r.non2xx };
    };
    await measure(alb); // warm-up: pools, JIT
    await measure(bareProxy);
    const rows: Array<Record<"direct" | "bare" | "balancer", Awaited<ReturnType<typeof measure>>>> = [];
    for (let i = 0; i < ROUNDS; i++) rows.push({ direct: await measure(server), bare: await measure(bareProxy), balancer: await measure(alb) });
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const ratio = median(rows.map((r) => r.balancer.rps / r.direct.rps));
    const floor = median(rows.map((r) => r.bare.rps / r.direct.rps));
    console.log(`2. the local load balancer vs one seed server directly, and a bare proxy as the floor of any Node proxy (GET /, 64 connections, ${ROUNDS} alternating rounds of ${SECONDS} s)\n`);
    console.log("   round   direct req/s  p99    bare proxy  p99    balancer  p99    balancer/direct  bare/direct");
    rows.forEach((r, i) =>
      console.log(
        `   ${String(i + 1).padStart(5)}  ${r.direct.rps.toFixed(0).padStart(12)} ${String(r.direct.p99).padStart(4)}  ${r.bare.rps.toFixed(0).padStart(11)} ${String(r.bare.p99).padStart(4)}  ${r.balancer.rps.toFixed(0).padStart(9)} ${String(r.balancer.p99).padStart(4)}  ${(r.balancer.rps / r.direct.rps).toFixed(2).padStart(15)}  ${(r.bare.rps / r.direct.rps).toFixed(2).padStart(11)}`,
      ),
    );
    const failures = rows.reduce((n, r) => n + r.direct.failures + r.bare.failures + r.balancer.failures, 0);
    console.log(`\n   median: balancer ${ratio.toFixed(2)} of direct throughput (target >= 0.7: ${ratio >= 0.7 ? "met" : "not met"}); a bare proxy reaches ${floor.toFixed(2)}, so the balancer keeps ${(ratio / floor).toFixed(2)} of what a Node proxy can`);
    console.log(`   p99: balancer ${median(rows.map((r) => r.balancer.p99))} ms, bare proxy ${median(rows.map((r) => r.bare.p99))} ms, direct ${median(rows.map((r) => r.direct.p99))} ms; failed requests ${failures}`);
    await withConsoleOpen(envProcess, alb, measure, median);
  } finally {
    envProcess.kill("SIGINT");
    await exited;
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** Section 3: the balancer's throughput with the console open vs closed, alternating rounds. */
async function withConsoleOpen(
  envProcess: ReturnType<typeof spawn>,
  alb: string,
  measure: (url: string) => Promise<{ rps: number; p99: number; failures: number }>,
  median: (xs: number[]) => number,
): Promise<void> {
  const lines = createInterface({ input: envProcess.stdout! });
  const next = () => new Promise<string>((resolve) => lines.once("line", resolve));
  const toggle = async (on: boolean): Promise<string | null> => {
    const answer = next();
    envProcess.stdin!.write(on ? "console-on\n" : "console-off\n");
    return (JSON.parse(await answer) as { console: string | null }).console;
  };
  const rows: Array<{ closed: number; open: number; updates: number }> = [];
  for (let i = 0; i < ROUNDS; i++) {
    const closed = await measure(alb);
    const url = (await toggle(true))!;
    // The page's event stream, read as a browser would, while the load runs.
    const stream = new AbortController();
    let updates = 0;
    const reading = fetch(url.replace("/?", "/events?"), { signal: stream.signal })
      .then(async (res) => {
        for await (const chunk of res.body!) updates += String(Buffer.from(chunk)).split("\n\n").length - 1;
      })
      .catch(() => undefined);
    const open = await measure(alb);
    stream.abort();
    await reading;
    await toggle(false);
    rows.push({ closed: closed.rps, open: open.rps, updates });
  }
  console.log(`\n3. the local load balancer with the console open (its event stream connected) vs closed (${ROUNDS} alternating rounds of ${SECONDS} s)\n`);
  console.log("   round   closed req/s   open req/s   open/closed   console updates received");
  rows.forEach((r, i) => console.log(`   ${String(i + 1).padStart(5)}  ${r.closed.toFixed(0).padStart(13)}  ${r.open.toFixed(0).padStart(11)}  ${(r.open / r.closed).toFixed(2).padStart(12)}  ${String(r.updates).padStart(10)}`));
  const ratio = median(rows.map((r) => r.open / r.closed));
  console.log(`\n   median: ${ratio.toFixed(2)} of the throughput with the console closed (target >= 0.9: ${ratio >= 0.9 ? "met" : "not met"})`);
}

// `npm run bench:local -- --throughput`: sections 2 and 3 only (section 1 takes the stack's real timing).
if (!process.argv.includes("--throughput")) await wholeRun();
await throughput();
