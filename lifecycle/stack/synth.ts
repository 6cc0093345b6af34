/**
 * Synthesize the project's stacks by running the cdktf app as a process (the `app` command of
 * cdktf.json, as `cdktf synth` does), never by importing stacks/: the lifecycle only reads what
 * synthesis writes. The seedstack configuration (SEEDSTACK_* variables) passes through `env`.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { LifecycleError } from "../errors.js";
import { spawnSupervised } from "../../local-postgres/supervisor.js";

/** Options of one synthesis. */
export interface SynthOptions {
  /** The project root (holds cdktf.json). */
  readonly projectDir: string;
  /** Where to write; cdktf's default is `<projectDir>/cdktf.out`. */
  readonly outdir: string;
  /** The environment of the app (SEEDSTACK_* settings); default: this process's. */
  readonly env?: NodeJS.ProcessEnv;
  readonly signal: AbortSignal;
}

/** Run the app; resolves when `outdir` holds the stacks, or throws ERR_SYNTH_FAILED with the app's own words. */
export async function synthesize(options: SynthOptions): Promise<void> {
  let app: string;
  try {
    app = String((JSON.parse(readFileSync(join(options.projectDir, "cdktf.json"), "utf8")) as { app?: unknown }).app ?? "");
  } catch (err) {
    throw new LifecycleError("ERR_SYNTH_FAILED", `cannot read cdktf.json in ${options.projectDir}: ${(err as Error).message}`);
  }
  if (!app) throw new LifecycleError("ERR_SYNTH_FAILED", `cdktf.json in ${options.projectDir} has no "app" command`);
  if (options.signal.aborted) throw new LifecycleError("ERR_CANCELLED", "synthesis cancelled");
  // Under a lifeline supervisor, in its own process group: if we die, the app (sh, npx, tsx,
  // esbuild...) is stopped with us; if we are cancelled, the whole group goes at once.
  const env = Object.fromEntries(Object.entries({ ...(options.env ?? process.env), CDKTF_OUTDIR: options.outdir }).filter((e): e is [string, string] => e[1] !== undefined));
  const child = spawnSupervised({ command: "/bin/sh", args: ["-c", app], cwd: options.projectDir, env, stopSignal: "SIGTERM", graceMs: 1000 });
  const killGroup = () => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // already gone
    }
  };
  options.signal.addEventListener("abort", killGroup, { once: true });
  let output = "";
  child.stdout!.on("data", (c: Buffer) => (output += c.toString("utf8")));
  child.stderr!.on("data", (c: Buffer) => (output += c.toString("utf8")));
  const code = await new Promise<number | null>((resolve) => {
    child.once("error", () => resolve(null));
    child.once("close", (c) => resolve(c));
  }).finally(() => options.signal.removeEventListener("abort", killGroup));
  if (options.signal.aborted) throw new LifecycleError("ERR_CANCELLED", "synthesis cancelled");
  if (code !== 0) throw new LifecycleError("ERR_SYNTH_FAILED", `synthesis (\`${app}\`) failed with exit code ${code}:\n${output.trim()}`);
}
