/**
 * Plan benchmark (`npm run bench:plan`): how long terraform takes to validate and plan every stack,
 * next to how long synthesizing them takes, measured in the same run (these machines are shared
 * and noisy: compare ratios across runs, not seconds).
 *
 * Each round:
 * - synth: a cold `node stacks/run-app.mjs` (what cdktf.json runs) writing classic, autoscaled, pr-1;
 * - validate + plan of those three stacks, two at a time, AWS reads answered by the loopback
 *   STAND-IN (aws-stand-in.ts), self-signed tls resources swapped for variables (swap-tls.ts):
 *   (a) every terraform command starting its own provider, as `npm run plan` and CI engines do;
 *   (b) two long-running provider processes the commands attach to, as the tests do.
 * `terraform init` runs once per rig (links the provider from the mirror) and is timed apart.
 *
 *   npm run bench:plan                # 2 rounds
 *   npm run bench:plan -- --runs 3
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { findPackageRoot } from "../../shared/package-root.js";
import { pooled } from "./plan-pool.js";
import { terraformAvailability } from "./terraform-available.js";
import { startTerraformRig, type TerraformRig } from "./terraform-rig.js";

const STACKS = ["classic", "autoscaled", "pr-1"];
const TARGET_S = 15;
const root = findPackageRoot();
const runs = readRuns(process.argv.slice(2));

const availability = terraformAvailability();
if (!availability.ok) {
  console.error(`bench-plan: cannot run: ${availability.reason}`);
  process.exit(1);
}

console.log(`plan benchmark: ${runs} round${runs === 1 ? "" : "s"}, ${STACKS.length} stacks (${STACKS.join(", ")}), terraform ${availability.version}, provider mirror ${availability.mirror.path}`);
console.log(`load average before: ${loadavg().map((l) => l.toFixed(1)).join(" ")} on ${spawnSync("nproc", { encoding: "utf8" }).stdout.trim() || "?"} cores\n`);

const times = { synth: [] as number[], init: [] as number[], ownProviders: [] as number[], sharedProviders: [] as number[] };
/** CPU time (user + system) of terraform and its providers per round and mode: less load-dependent than wall time. */
const cpu = { ownProviders: [] as number[], sharedProviders: [] as number[] };
for (let round = 0; round < runs; round++) {
  const outdir = mkdtempSync(join(tmpdir(), "seedstack-bench-plan-"));
  try {
    times.synth.push(synthesize(outdir));
    for (const shared of [false, true]) {
      const cpuBefore = childrenCpuMs();
      let started = performance.now();
      const rig = await startTerraformRig(availability.terraform, availability.mirror, { sharedProviders: shared ? 2 : 0 });
      times.init.push(performance.now() - started);
      try {
        started = performance.now();
        await planAll(rig, outdir);
        (shared ? times.sharedProviders : times.ownProviders).push(performance.now() - started);
      } finally {
        await rig.close();
      }
      // After close: the shared providers have exited and been reaped, so their CPU is counted too.
      (shared ? cpu.sharedProviders : cpu.ownProviders).push(childrenCpuMs() - cpuBefore);
    }
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

const synth = median(times.synth);
const rows: Array<[string, number]> = [
  ["synth, all stacks (cold node process)", synth],
  ["terraform init (once, from the mirror)", median(times.init)],
  ["validate + plan, all stacks, own provider per command", median(times.ownProviders)],
  ["validate + plan, all stacks, shared provider processes", median(times.sharedProviders)],
];
const width = Math.max(...rows.map(([label]) => label.length));
console.log(`${"step".padEnd(width)}  median     vs synth`);
for (const [label, ms] of rows) console.log(`${label.padEnd(width)}  ${(ms / 1000).toFixed(2).padStart(6)} s  ${(ms / synth).toFixed(1).padStart(6)}x`);
const user = median(times.ownProviders);
const tests = median(times.sharedProviders);
console.log(
  `\nall ${STACKS.length} stacks validated and planned in ${(user / 1000).toFixed(1)} s as a user runs terraform (target < ${TARGET_S} s: ${user / 1000 < TARGET_S ? "met" : "NOT met"} on this machine now), ` +
    `${(tests / 1000).toFixed(1)} s with shared provider processes (${(user / tests).toFixed(2)}x faster); synth takes ${(synth / 1000).toFixed(2)} s.`,
);
if (cpu.ownProviders.every(Number.isFinite)) {
  const [own, shared] = [median(cpu.ownProviders), median(cpu.sharedProviders)];
  console.log(
    `CPU time of terraform and providers (init included): ${(own / 1000).toFixed(1)} s with a provider per command, ${(shared / 1000).toFixed(1)} s shared; ` +
      `on ${availableParallelism()} otherwise idle cores that is at least ${(own / 1000 / availableParallelism()).toFixed(1)} s / ${(shared / 1000 / availableParallelism()).toFixed(1)} s of wall time.`,
  );
}
console.log(`load average after: ${loadavg().map((l) => l.toFixed(1)).join(" ")}`);

/** One cold synth of all stacks into `outdir`; returns milliseconds. */
function synthesize(outdir: string): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, [join(root, "stacks", "run-app.mjs")], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, CDKTF_OUTDIR: outdir, SEEDSTACK_PR_NUMBER: "1", SEEDSTACK_OWNER: "bench", SEEDSTACK_CREATED_AT: "2025-01-01T00:00:00Z", CHECKPOINT_DISABLE: "1", DISABLE_VERSION_CHECK: "1" },
  });
  const elapsed = performance.now() - started;
  if (result.status !== 0) throw new Error(`synth failed (exit ${result.status}):\n${result.stderr || result.stdout}`);
  return elapsed;
}

/** Validate and plan every stack, two at a time; throws naming a stack whose plan did not exit 2. */
async function planAll(rig: TerraformRig, outdir: string): Promise<void> {
  const jobs = STACKS.map((name) => async () => {
    const dir = join(outdir, "stacks", name);
    const planned = await rig.plan(dir, JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8")) as Record<string, any>, name);
    if (planned.validate.code !== 0 || planned.plan.code !== 2) {
      throw new Error(`${name}: validate exit ${planned.validate.code}, plan exit ${planned.plan.code}:\n${planned.plan.stdout.slice(-3000)}${planned.plan.stderr}`);
    }
  });
  await Promise.all(pooled(2, jobs));
}

/**
 * User + system CPU of every child process this process has waited for, in ms (Linux: cutime and
 * cstime of /proc/self/stat); NaN elsewhere.
 */
function childrenCpuMs(): number {
  try {
    const stat = readFileSync("/proc/self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // After "pid (comm) ", field 3 (state) is index 0, so cutime (16) and cstime (17) are 13 and 14.
    const ticks = Number(fields[13]) + Number(fields[14]);
    return (ticks * 1000) / clockTicksPerSecond();
  } catch {
    return Number.NaN;
  }
}

function clockTicksPerSecond(): number {
  return Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function readRuns(args: readonly string[]): number {
  const at = args.indexOf("--runs");
  if (at === -1) return 2;
  const n = Number(args[at + 1]);
  if (!Number.isInteger(n) || n < 1 || n > 20) {
    console.error(`bench-plan: --runs must be a whole number from 1 to 20; got ${JSON.stringify(args[at + 1])}`);
    process.exit(2);
  }
  return n;
}
