/**
 * The CLI's side of the running record (local/running-record.ts): every local command that starts
 * an environment claims a record before anything starts (before synth), hands it to the engine,
 * which writes down each process group and folder as it appears, and releases it once all is down.
 * `seedstack down` reads the records: it asks a live `up` to stop, and reaps what a killed one left.
 */
import { LifecycleError } from "../errors.js";
import type { RunContext } from "../events.js";
import { processAlive } from "../process-alive.js";
import {
  claimRunningRecord,
  describeRecord,
  ownerAlive,
  readRunningRecord,
  reapRunningRecord,
  recordFilesOf,
  removeRecord,
  type ReapResult,
  type RunningRecord,
  type RunningRecordData,
} from "../local/running-record.js";
import type { Renderer } from "./render.js";
import { rmSync } from "node:fs";
import { dirname } from "node:path";
import { readUpState, removeDirIfEmpty, stateFile } from "./state-file.js";

/** What a recorded command needs of the CLI. */
export interface RecordDeps {
  readonly projectDir: string;
  readonly stack: string;
  readonly ctx: RunContext;
  readonly render: Renderer;
}

/**
 * Run `work` with a running record for `command` on the stack; `work` gets a context whose listener
 * events also land in the record, and the record to pass to the engine as its tracker.
 */
export async function withRunningRecord<T>(deps: RecordDeps, command: string, work: (ctx: RunContext, record: RunningRecord) => Promise<T>): Promise<T> {
  const record = claimRunningRecord(deps.projectDir, deps.stack, command, (old, reaped) => deps.render.line(reapedLine(old, reaped)));
  const ctx: RunContext = {
    signal: deps.ctx.signal,
    onEvent: (e) => {
      if (e.type === "listener") record.url(e.url);
      deps.ctx.onEvent(e);
    },
  };
  try {
    return await work(ctx, record);
  } finally {
    if (!record.release()) deps.render.line(`some of ${deps.stack} could not be stopped; \`seedstack down --stack ${deps.stack}\` finds it in ${record.file}`);
  }
}

/** `seedstack down` on the local engine: stop a live `up`, reap what killed runs left. Resolves with the exit code. */
export async function downLocal(deps: Omit<RecordDeps, "ctx">): Promise<number> {
  const files = recordFilesOf(deps.projectDir, deps.stack);
  const published = stateFile(deps.projectDir, deps.stack);
  if (!readUpState(published)) {
    // A killed `up` published its URLs and certificate and could not take them back.
    rmSync(published.replace(/\.json$/, ".pem"), { force: true });
    removeDirIfEmpty(dirname(published));
  }
  let didSomething = false;
  for (const file of files) {
    const data = readRunningRecord(file);
    if (!data) continue;
    if (ownerAlive(data) && data.command !== "up") {
      deps.render.line(`a \`seedstack ${data.command}\` of ${deps.stack} is in progress (pid ${data.owner.pid}); it takes its own environment down`);
      continue;
    }
    if (ownerAlive(data)) {
      deps.render.line(`taking down ${deps.stack}: ${describeRecord(data)}`);
      process.kill(data.owner.pid, "SIGTERM");
      // The owner tears down and removes its record; it is down when the process is gone.
      const deadline = Date.now() + 60_000;
      while (processAlive(data.owner.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      if (processAlive(data.owner.pid)) throw new LifecycleError("ERR_TIMEOUT", `process ${data.owner.pid} still holds ${deps.stack} after 60 s`);
      didSomething = true;
      const left = readRunningRecord(file);
      if (left) {
        const reaped = reapRunningRecord(left);
        removeRecord(file);
        if (reaped.killed.length + reaped.folders.length > 0) deps.render.line(reapedLine(left, reaped));
      }
      deps.render.line("down");
      continue;
    }
    const reaped = reapRunningRecord(data);
    removeRecord(file);
    if (reaped.killed.length + reaped.folders.length + reaped.reused.length === 0) continue;
    didSomething = true;
    deps.render.line(reapedLine(data, reaped));
  }
  if (!didSomething) deps.render.line(`nothing is up for stack ${deps.stack}${files.length ? " (the record of a run that ended without taking itself down held nothing still running; removed)" : ""}`);
  return 0;
}

/** What reaping a killed run's record did, in one paragraph. */
function reapedLine(data: RunningRecordData, r: ReapResult): string {
  const lines = [`\`seedstack ${data.command}\` (pid ${data.owner.pid}, started ${data.startedAt}) ended without taking ${data.stack} down:`];
  for (const p of r.killed) lines.push(`  killed ${p.role} (process group ${p.pid}${p.address ? `, ${p.address}` : ""})`);
  for (const p of r.reused) lines.push(`  left alone: pid ${p.pid} (was ${p.role}) now belongs to a process started later`);
  for (const f of r.folders) lines.push(`  removed ${f}`);
  if (r.killed.length + r.reused.length + r.folders.length === 0) lines.push("  nothing of it was still running");
  return lines.join("\n");
}
