/**
 * Synthesized stacks for tests: the project's own app run as a process (lifecycle/stack/synth.ts)
 * into a temp dir per configuration, once per test process. `removeSynthFixtures()` deletes them.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findPackageRoot } from "../../shared/package-root.js";
import { stackFile } from "../stack/read-stack.js";
import { synthesize } from "../stack/synth.js";

const cache = new Map<string, Promise<string>>();
const dirs: string[] = [];

/** The outdir holding every stack synthesized with these SEEDSTACK_* settings. */
export function synthFixture(settings: Record<string, string> = {}): Promise<string> {
  const key = JSON.stringify(Object.entries(settings).sort());
  let outdir = cache.get(key);
  if (!outdir) {
    const dir = mkdtempSync(join(tmpdir(), "seedstack-lifecycle-synth-"));
    dirs.push(dir);
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ...settings };
    outdir = synthesize({ projectDir: findPackageRoot(), outdir: dir, env, signal: new AbortController().signal }).then(() => dir);
    cache.set(key, outdir);
  }
  return outdir;
}

/** The raw cdk.tf.json of one synthesized stack, for tests that build a variant of it. */
export async function stackJson(name: string, settings: Record<string, string> = {}): Promise<Record<string, any>> {
  return JSON.parse(readFileSync(stackFile(await synthFixture(settings), name), "utf8")) as Record<string, any>;
}

/** Delete every fixture outdir (call in an `after` hook). */
export function removeSynthFixtures(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  cache.clear();
}
