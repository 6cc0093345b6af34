/**
 * `npm run bench:seed`: throughput and latency of the seed server against a bare node:http server
 * doing the same work (bare-server.ts), measured side by side in the same run, since absolute
 * numbers on shared machines drift.
 *
 * Both servers are built fresh with esbuild and run as child processes with plain node (the load
 * generator must not share their event loop), request logging off. autocannon drives 64
 * connections per run; after a warm-up, each scenario runs several rounds, alternating which
 * server goes first, and the medians are compared. Loopback only. About 40 seconds.
 *
 * Target (docs/seed-server.md): GET throughput at least 0.9 of the bare server's, p99 within 2 ms.
 */
import autocannon from "autocannon";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { buildSeedServerBundle } from "../build-bundle.js";

const CONNECTIONS = 64;
const SECONDS_PER_RUN = 3;
const WARMUP_SECONDS = 2;
const ROUNDS = 3;
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

async function startServer(args: string[]): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
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
    await buildSeedServerBundle(seedBundle);
    await build({ entryPoints: [join(dirname(fileURLToPath(import.meta.url)), "bare-server.ts")], outfile: bareBundle, bundle: true, platform: "node", format: "esm", target: "node20", logLevel: "warning" });

    const seed = await startServer([seedBundle, "--port", "0", "--host", "127.0.0.1", "--quiet", "--store", "memory", "--drain-seconds", "0", "--instance-id", "bench"]);
    const bare = await startServer([bareBundle, "0"]);
    children.push(seed.child, bare.child);
    const servers = { "seed-server (polka)": seed, "bare node:http": bare } as const;
    type ServerName = keyof typeof servers;
    const names = Object.keys(servers) as ServerName[];

    console.log(`seed-server benchmark: ${CONNECTIONS} connections, ${ROUNDS} rounds x ${SECONDS_PER_RUN} s per server and scenario, Node ${process.version}\n`);
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
      const ratio = seedResult.rps / bareResult.rps;
      const p99Delta = seedResult.p99 - bareResult.p99;
      const cpuRatio = bareResult.cpuUs / seedResult.cpuUs;
      row(["", "ratio seed/bare", ratio.toFixed(3), "", `${p99Delta >= 0 ? "+" : ""}${p99Delta.toFixed(2)}`, `${cpuRatio.toFixed(3)}*`, ""]);
      console.log("");
      if (scenario.method === "GET") {
        const meets = ratio >= 0.9 && p99Delta <= 2;
        verdicts.push(`GET target (>= 0.9 of bare throughput, p99 within 2 ms): ${meets ? "met" : "NOT met"} (ratio ${ratio.toFixed(3)}, p99 ${p99Delta >= 0 ? "+" : ""}${p99Delta.toFixed(2)} ms)`);
      }
    }
    for (const v of verdicts) console.log(v);
    console.log("* CPU ratio = bare CPU per request / seed CPU per request: the share of bare throughput the seed server would reach if CPU-bound.");
  } finally {
    for (const child of children) child.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
