/**
 * `npm run bench:seed`: throughput and latency of the seed server against a bare node:http server
 * doing the same work (bare-server.ts), measured side by side in the same run, since absolute
 * numbers on shared machines drift.
 *
 * Both servers are built fresh with esbuild and run as child processes with plain node (the load
 * generator must not share their event loop), request logging off. autocannon drives 64
 * connections per run; after a warm-up, each scenario runs several short rounds, alternating which
 * server goes first. The ratio reported is the median of the per-round ratios (each round measures
 * both servers back to back), which cancels the slow drift of a shared VM far better than a ratio of
 * medians. Where `taskset` exists (Linux), the servers run on CPU 1 and the load generator on CPU 0,
 * so the two never compete for a core: on 2 cores, unpinned runs swung from 0.5 to 1.2 for the same
 * code. Loopback only. About 60 seconds.
 *
 * Target (docs/seed-server.md): GET throughput at least 0.9 of the bare server's, p99 within 2 ms.
 */
import autocannon from "autocannon";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { buildSeedServerBundle } from "../build-bundle.js";

const CONNECTIONS = 64;
const SECONDS_PER_RUN = 1.5;
const WARMUP_SECONDS = 2;
const ROUNDS = 8;
const POST_BODY = '{"num": 123456789012345678901234567890}';

interface Scenario {
  readonly name: string;
  readonly method: "GET" | "POST";
  readonly body?: string;
}
const SCENARIOS: readonly Scenario[] = [
  { name: "GET /", method: "GET" },
  { name: "POST /", method: "POST", body: POST_BODY },
];

interface Measurement {
  /** Server CPU time per request in microseconds (user + system), or NaN where /proc is missing. */
  readonly cpuUs: number;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly failures: number;
}

/** Whether CPU pinning is available: Linux's taskset, and at least two CPUs. */
const PIN = availableParallelism() >= 2 && spawnSync("taskset", ["-p", String(process.pid)], { stdio: "ignore" }).status === 0;

async function startServer(args: string[]): Promise<{ url: string; child: ChildProcess }> {
  const command = PIN ? ["taskset", "-c", "1", process.execPath, ...args] : [process.execPath, ...args];
  const child = spawn(command[0]!, command.slice(1), { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on("line", (line) => {
      try {
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        if (entry.msg === "listening" && entry.url) resolve(entry.url);
      } catch {
        // not a log line
      }
    });
    child.once("exit", (code) => reject(new Error(`${args[0]} exited with ${code} before listening`)));
  });
  return { url, child };
}

/**
 * CPU time a process has used, in ms, from /proc (Linux); NaN elsewhere. On a shared machine the
 * throughput of both servers swings with the neighbours' load; CPU per request swings much less.
 */
function cpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in clock ticks of 1/100 s
  } catch {
    return NaN;
  }
}

async function measure(url: string, pid: number | undefined, scenario: Scenario, seconds: number): Promise<Measurement> {
  const cpuBefore = cpuMs(pid);
  const result = await autocannon({
    url: url + "/",
    connections: CONNECTIONS,
    duration: seconds,
    method: scenario.method,
    ...(scenario.body !== undefined ? { body: scenario.body, headers: { "content-type": "application/json" } } : {}),
  });
  const cpuUs = ((cpuMs(pid) - cpuBefore) * 1000) / Math.max(1, result.requests.total);
  return { cpuUs, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, failures: result.errors + result.timeouts + result.non2xx };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

function summarize(runs: Measurement[]): Measurement {
  return { cpuUs: median(runs.map((r) => r.cpuUs)), rps: median(runs.map((r) => r.rps)), p50: median(runs.map((r) => r.p50)), p99: median(runs.map((r) => r.p99)), failures: runs.reduce((n, r) => n + r.failures, 0) };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "seedstack-bench-"));
  const children: ChildProcess[] = [];
  try {
    const seedBundle = join(dir, "seed-server.mjs");
    const bareBundle = join(dir, "bare-server.mjs");
    const floorBundle = join(dir, "polka-floor.mjs");
    await buildSeedServerBundle(seedBundle);
    for (const [source, outfile] of [["bare-server.ts", bareBundle], ["polka-floor.ts", floorBundle]] as const) {
      await build({ entryPoints: [join(dirname(fileURLToPath(import.meta.url)), source)], outfile, bundle: true, platform: "node", format: "esm", target: "node22", logLevel: "warning" });
    }

    const seed = await startServer([seedBundle, "--port", "0", "--host", "127.0.0.1", "--quiet", "--store", "memory", "--drain-seconds", "0", "--instance-id", "bench"]);
    const bare = await startServer([bareBundle, "0"]);
    const floor = await startServer([floorBundle, "0"]);
    children.push(seed.child, bare.child, floor.child);
    const servers = { "seed-server (polka)": seed, "bare node:http": bare } as const;
    type ServerName = keyof typeof servers;
    const names = Object.keys(servers) as ServerName[];

    if (PIN) spawnSync("taskset", ["-cp", "0", String(process.pid)], { stdio: "ignore" });
    console.log(`seed-server benchmark: ${CONNECTIONS} connections, ${ROUNDS} rounds x ${SECONDS_PER_RUN} s per server and scenario, Node ${process.version}`);
    console.log(PIN ? "servers pinned to CPU 1, load generator to CPU 0\n" : "no CPU pinning (taskset unavailable or one CPU): expect noisy numbers\n");
    for (const name of names) for (const scenario of SCENARIOS) await measure(servers[name].url, servers[name].child.pid, scenario, WARMUP_SECONDS / SCENARIOS.length);

    const results = new Map<string, Measurement[]>();
    for (let round = 0; round < ROUNDS; round++) {
      for (const scenario of SCENARIOS) {
        // Alternate who goes first so slow drift (thermal, neighbours) does not favour one side.
        const order = round % 2 === 0 ? names : [...names].reverse();
        for (const name of order) {
          const key = `${scenario.name}|${name}`;
          results.set(key, [...(results.get(key) ?? []), await measure(servers[name].url, servers[name].child.pid, scenario, SECONDS_PER_RUN)]);
        }
      }
    }

    const row = (cells: string[]) => console.log(cells.map((c, i) => (i === 0 ? c.padEnd(8) : i === 1 ? c.padEnd(20) : c.padStart(10))).join(" "));
    row(["scenario", "server", "req/s", "p50 ms", "p99 ms", "CPU us/req", "failed"]);
    const verdicts: string[] = [];
    for (const scenario of SCENARIOS) {
      const seedResult = summarize(results.get(`${scenario.name}|${names[0]}`) ?? []);
      const bareResult = summarize(results.get(`${scenario.name}|${names[1]}`) ?? []);
      for (const [name, r] of [[names[0], seedResult], [names[1], bareResult]] as const) {
        row([scenario.name, name, r.rps.toFixed(0), r.p50.toFixed(2), r.p99.toFixed(2), r.cpuUs.toFixed(1), String(r.failures)]);
      }
      // Median of per-round ratios: both servers of a round ran back to back under the same load.
      const seedRuns = results.get(`${scenario.name}|${names[0]}`) ?? [];
      const bareRuns = results.get(`${scenario.name}|${names[1]}`) ?? [];
      const ratio = median(seedRuns.map((r, i) => r.rps / (bareRuns[i]?.rps ?? NaN)));
      const p99Delta = seedResult.p99 - bareResult.p99;
      const cpuRatio = bareResult.cpuUs / seedResult.cpuUs;
      row(["", "ratio seed/bare", `${ratio.toFixed(3)}**`, "", `${p99Delta >= 0 ? "+" : ""}${p99Delta.toFixed(2)}`, `${cpuRatio.toFixed(3)}*`, ""]);
      console.log("");
      if (scenario.method === "GET") {
        const meets = ratio >= 0.9 && p99Delta <= 2;
        verdicts.push(`GET target (>= 0.9 of bare throughput, p99 within 2 ms): ${meets ? "met" : "NOT met"} (ratio ${ratio.toFixed(3)}, p99 ${p99Delta >= 0 ? "+" : ""}${p99Delta.toFixed(2)} ms)`);
      }
    }
    // polka's own floor for GET /: a one-route app against the same bare server, rounds paired the same way.
    const get = SCENARIOS[0]!;
    await measure(floor.url, floor.child.pid, get, WARMUP_SECONDS / 2);
    const floorRatios: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const pair = round % 2 === 0 ? [floor, bare] : [bare, floor];
      const [first, second] = [await measure(pair[0]!.url, pair[0]!.child.pid, get, SECONDS_PER_RUN), await measure(pair[1]!.url, pair[1]!.child.pid, get, SECONDS_PER_RUN)];
      floorRatios.push(round % 2 === 0 ? first.rps / second.rps : second.rps / first.rps);
    }
    const floorRatio = median(floorRatios);
    row(["GET /", "one-route polka app", "", "", "", "", ""]);
    row(["", "ratio floor/bare", `${floorRatio.toFixed(3)}**`, "", "", "", ""]);
    console.log("");
    for (const v of verdicts) console.log(v);
    console.log(`polka's own floor for GET / in this run: ${floorRatio.toFixed(3)} of bare (a one-route polka app doing nothing else).`);
    console.log("* CPU ratio = bare CPU per request / seed CPU per request: the share of bare throughput the seed server would reach if CPU-bound.");
    console.log("** throughput ratio = median over rounds of (seed req/s / bare req/s) measured back to back in the same round.");
  } finally {
    for (const child of children) child.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
