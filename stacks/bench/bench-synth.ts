/**
 * Synth benchmark: how long a cold process takes to synthesize every seedstack stack, side by
 * side with baselines measured in the same run (these machines are shared and noisy, so only
 * the ratios are worth comparing across runs).
 *
 * Each run spawns a fresh process that synthesizes into its own temporary directory, so module
 * loading, TypeScript transpiling and synthesis are all counted, as they are for `cdktf synth`.
 *
 *   npm run bench:synth                 # 3 runs of each variant
 *   npm run bench:synth -- --runs 5     # more runs
 *   npm run bench:synth -- --with-cli   # also time `cdktf synth` itself (CLI + app)
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { findPackageRoot } from "../../shared/package-root.js";

/** One thing to time: a command that synthesizes `expectStacks` into CDKTF_OUTDIR. */
interface Variant {
  readonly label: string;
  readonly command: string;
  readonly args: readonly string[];
  /** Stack names that must appear in the output's manifest, proving the run did the work. */
  readonly expectStacks: readonly string[];
  /** Where the command writes; most variants honour CDKTF_OUTDIR, the CLI takes --output. */
  readonly outdirArg?: (outdir: string) => string[];
  /** Extra environment variables. */
  readonly env?: Readonly<Record<string, string>>;
}

const root = findPackageRoot();
const runs = readRunsFlag(process.argv.slice(2));
const withCli = process.argv.includes("--with-cli");

// A fixed configuration with a PR number, so all three stacks (classic, autoscaled, pr-1) are built.
const appEnv = {
  SEEDSTACK_PR_NUMBER: "1",
  SEEDSTACK_CREATED_AT: "2025-01-01T00:00:00Z",
  SEEDSTACK_OWNER: "bench",
  CHECKPOINT_DISABLE: "1",
  DISABLE_VERSION_CHECK: "1",
};
const allStacks = ["classic", "autoscaled", "pr-1"];
const node = process.execPath;

const variants: Variant[] = [
  { label: "empty node process", command: node, args: ["-e", ""], expectStacks: [] },
  {
    label: "tiny stack, barrel import (AVOIDED)",
    command: node,
    args: ["--import", "tsx", "stacks/bench/barrel-import-baseline.ts"],
    expectStacks: ["tiny"],
  },
  { label: "tiny stack, deep imports", command: node, args: ["--import", "tsx", "stacks/bench/deep-import-baseline.ts"], expectStacks: ["tiny"] },
  // What cdktf.json runs: esbuild compiles our TypeScript (counted here), plain node runs it.
  { label: "seedstack app, all stacks (cdktf.json app)", command: node, args: ["stacks/run-app.mjs"], expectStacks: allStacks },
  // The same app with tsx hooking every module load instead, and through npx as well.
  { label: "seedstack app via node --import tsx", command: node, args: ["--import", "tsx", "stacks/main.ts"], expectStacks: allStacks },
  { label: "seedstack app via npx tsx", command: "npx", args: ["--no-install", "tsx", "stacks/main.ts"], expectStacks: allStacks },
];
if (withCli) {
  variants.push({
    label: "`cdktf synth` (CLI + app)",
    command: node,
    args: [join(root, "node_modules", "cdktf-cli", "bundle", "bin", "cdktf"), "synth"],
    expectStacks: allStacks,
    outdirArg: (outdir) => ["--output", outdir],
  });
}

console.log(`synth benchmark: ${runs} cold process${runs === 1 ? "" : "es"} per variant after one warm-up, median wall time (node ${process.version})\n`);
// One untimed run of each variant first: it fills tsx's transform cache and the OS file cache,
// which every later synth on a developer's machine also finds warm.
for (const variant of variants) timeOnce(variant);
const results = new Map<string, number[]>();
// Interleave the variants run by run, so a burst of load from a neighbour hits all of them alike.
for (let run = 0; run < runs; run++) {
  for (const variant of variants) {
    const times = results.get(variant.label) ?? [];
    times.push(timeOnce(variant));
    results.set(variant.label, times);
  }
}

const baseline = median(results.get("tiny stack, barrel import (AVOIDED)")!);
const app = median(results.get("seedstack app, all stacks (cdktf.json app)")!);
const viaTsx = median(results.get("seedstack app via node --import tsx")!);
const width = Math.max(...variants.map((v) => v.label.length));
console.log(`${"variant".padEnd(width)}  median    min      max      vs barrel baseline`);
for (const variant of variants) {
  const times = results.get(variant.label)!;
  const m = median(times);
  console.log(
    `${variant.label.padEnd(width)}  ${seconds(m)}  ${seconds(Math.min(...times))}  ${seconds(Math.max(...times))}  ${(m / baseline).toFixed(2)}x`,
  );
}
console.log(
  `\nall ${allStacks.length} stacks: ${seconds(app).trim()} as cdktf runs them (target < 2 s: ${app < 2000 ? "met" : "NOT met"} on this machine now), ` +
    `${(baseline / app).toFixed(1)}x faster than ONE tiny stack through the barrel import; ` +
    `running the same app through tsx takes ${(viaTsx / app).toFixed(2)}x as long.`,
);

/** Time one cold run of `variant`, checking it produced the stacks it should. */
function timeOnce(variant: Variant): number {
  const outdir = mkdtempSync(join(tmpdir(), "seedstack-bench-"));
  try {
    const started = performance.now();
    const result = spawnSync(variant.command, [...variant.args, ...(variant.outdirArg?.(outdir) ?? [])], {
      cwd: root,
      env: { ...process.env, ...appEnv, ...variant.env, CDKTF_OUTDIR: outdir },
      encoding: "utf8",
    });
    const elapsed = performance.now() - started;
    if (result.status !== 0) {
      throw new Error(`${variant.label} failed (exit ${result.status}):\n${result.stderr || result.stdout}`);
    }
    const produced = stacksIn(outdir);
    const missing = variant.expectStacks.filter((s) => !produced.includes(s));
    if (missing.length > 0) throw new Error(`${variant.label} did not synthesize ${missing.join(", ")} (got ${produced.join(", ") || "nothing"})`);
    return elapsed;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** Stack names in a synth output directory's manifest. */
function stacksIn(outdir: string): string[] {
  const manifest = resolve(outdir, "manifest.json");
  if (!existsSync(manifest)) return [];
  const parsed = JSON.parse(readFileSync(manifest, "utf8")) as { stacks?: Record<string, unknown> };
  return Object.keys(parsed.stacks ?? {});
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`.padStart(7);
}

/** `--runs N` (1-50); 3 by default, enough for a median while the barrel baseline takes seconds per run. */
function readRunsFlag(args: readonly string[]): number {
  const at = args.indexOf("--runs");
  if (at === -1) return 3;
  const value = args[at + 1];
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 50) {
    console.error(`bench-synth: --runs must be a whole number from 1 to 50; got ${JSON.stringify(value)}`);
    process.exit(2);
  }
  return n;
}
