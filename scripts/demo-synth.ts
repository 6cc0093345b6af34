/**
 * The first half of `npm start`: synthesize every stack on the embedded default (no AWS account,
 * no terraform) exactly as `cdktf synth` would (same app command as cdktf.json), then read what
 * was written and summarize it: resources, outputs, and the security baseline verdict.
 *
 * Returns the number of problems (0 when every stack synthesized and passed the baseline).
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { findPackageRoot } from "../seed-server/bundle-path.js";
import { plainHttpCourseModeWaivers, unacceptedViolations } from "../test/security-exceptions.js";
import { OFFLINE_ENV } from "../stacks/offline-env.js";

interface Manifest {
  readonly stacks: Record<string, { readonly synthesizedStackPath: string }>;
}
interface StackJson {
  readonly resource?: Record<string, Record<string, unknown>>;
  readonly output?: Record<string, unknown>;
}

/** Synthesize into `<root>/cdktf.out` and print a summary; returns the number of problems. */
export function demoSynth(say: (line: string) => void): number {
  const root = findPackageRoot();
  const outdir = join(root, "cdktf.out");
  say("1. Synthesize the stacks (CDK for Terraform, no AWS account, no terraform binary)\n");
  const run = spawnSync(process.execPath, [join(root, "stacks", "run-app.mjs")], {
    cwd: root,
    encoding: "utf8",
    env: { ...OFFLINE_ENV, ...process.env, CDKTF_OUTDIR: outdir },
  });
  if (run.status !== 0) {
    say(`  synth failed (exit ${run.status}):\n${(run.stderr || run.stdout).trim()}`);
    return 1;
  }
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as Manifest;
  const waivers = (process.env.SEEDSTACK_TLS ?? "").trim() === "http" ? plainHttpCourseModeWaivers() : [];
  let problems = 0;
  say(`  ${"stack".padEnd(12)} ${"resources".padStart(9)}  ${"security baseline".padEnd(20)} outputs`);
  for (const [name, entry] of Object.entries(manifest.stacks)) {
    const file = join(outdir, entry.synthesizedStackPath);
    const json = JSON.parse(readFileSync(file, "utf8")) as StackJson;
    const resources = Object.values(json.resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
    const { violations, unusedWaivers } = unacceptedViolations(json as never, waivers);
    const verdict = violations.length === 0 ? "passes" : `${violations.length} violation(s)`;
    if (violations.length > 0) problems++;
    say(`  ${name.padEnd(12)} ${String(resources).padStart(9)}  ${verdict.padEnd(20)} ${Object.keys(json.output ?? {}).join(", ")}`);
    for (const v of violations) say(`      ${v.rule} ${v.resource}: ${v.message}`);
    void unusedWaivers; // a waiver unused in one stack may apply in another
  }
  say(`\n  written to ${relative(root, outdir)}/stacks/<name>/cdk.tf.json; deploy one with \`npm run cdktf -- deploy classic\` (needs AWS)\n`);
  return problems;
}
