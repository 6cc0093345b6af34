/**
 * The whole lifecycle (summary, up, wait healthy, smoke, down) on a synthesized stack changed the
 * way a user's broken stack would be, through `runLifecycle` and the real local engine, as
 * `seedstack run --skip-synth` would run it: the changed cdk.tf.json is written to a temp outdir
 * that is removed afterwards.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { findPackageRoot } from "../../shared/package-root.js";
import type { LifecycleEvent } from "../events.js";
import type { RunReport } from "../report/run-report.js";
import { runLifecycle } from "../run-lifecycle.js";
import { stackFile } from "../stack/read-stack.js";
import { stackJson } from "./synth-fixture.js";

/** Run the stack `name` synthesized with `settings` and edited by `change`; speedup 10 unless given. */
export async function runChangedStack(
  name: string,
  options: { settings?: Record<string, string>; change?: (json: Record<string, any>) => void; speedup?: number; healthyDeadlineMs?: number; smokeDeadlineMs?: number } = {},
): Promise<{ report: RunReport; events: LifecycleEvent[] }> {
  const json = await stackJson(name, options.settings ?? {});
  options.change?.(json);
  const outdir = mkdtempSync(join(tmpdir(), "seedstack-changed-stack-"));
  try {
    const file = stackFile(outdir, name);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(json));
    const events: LifecycleEvent[] = [];
    const report = await runLifecycle(
      {
        projectDir: findPackageRoot(),
        outdir,
        stack: name,
        synth: false,
        local: { speedup: options.speedup ?? 10 },
        smoke: true,
        drills: [],
        keep: false,
        ...(options.healthyDeadlineMs !== undefined ? { healthyDeadlineMs: options.healthyDeadlineMs } : {}),
        ...(options.smokeDeadlineMs !== undefined ? { smokeDeadlineMs: options.smokeDeadlineMs } : {}),
      },
      { signal: new AbortController().signal, onEvent: (e) => void events.push(e) },
    );
    return { report, events };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
