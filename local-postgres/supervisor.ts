/**
 * A child that cannot watch a lifeline itself (PostgreSQL, initdb, the cdktf app) runs under a
 * tiny supervisor: a `node` process whose stdin is a pipe from us that we never write to. When we
 * die, however we die (SIGKILL included), the kernel closes our end and the supervisor reads EOF:
 * it stops the child with the child's own stop signal (PostgreSQL: SIGINT, its fast shutdown),
 * SIGKILLs it after a grace period, removes the folders it was given, and kills what is left of its
 * process group. This is esbuild's stdin-EOF lifeline (cmd/esbuild/service.go) with a supervising
 * process in front, because PostgreSQL has no such option and `prctl(PR_SET_PDEATHSIG)` is not
 * reachable from Node without native code.
 *
 * The supervisor is started in its own process group (`detached`) and the child joins that group,
 * so a terminal's Ctrl-C reaches neither (we stop them in order), and one `kill(-pgid)` reaches
 * both, also from a later `seedstack down` that finds them in the running record.
 *
 * While we live, the supervisor is transparent: the child's stdout and stderr are the supervisor's
 * (ours to read), SIGINT/SIGTERM/SIGHUP sent to the supervisor are passed on to the child as its
 * stop signal, and the supervisor exits with the child's status.
 *
 * Its source is a plain CommonJS string run with `node -e`: it must run the same from this
 * TypeScript checkout (tsx), the built CLI (dist/cli) and the Action's single-file bundle, where a
 * separate script file would not exist. It lives beside the cluster, its first user, at the bottom
 * of the import tree: the synthesis (lifecycle/stack/synth.ts) uses it too.
 */
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";

/** What to run under supervision. */
export interface SupervisedCommand {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  readonly env: Readonly<Record<string, string>>;
  /** Run the child as this user (PostgreSQL as `postgres` when we are root). @default our own */
  readonly uid?: number;
  readonly gid?: number;
  /** Written to the child's stdin, which is then closed. @default the child's stdin is /dev/null */
  readonly stdin?: string;
  /** How the child is asked to stop. @default "SIGTERM" */
  readonly stopSignal?: NodeJS.Signals;
  /** After this long, a child that has not stopped is SIGKILLed. @default 3000 */
  readonly graceMs?: number;
  /** Removed once the child is gone, when the lifeline broke (we died): its data and secrets. @default none */
  readonly removeOnLifelineLoss?: readonly string[];
}

/** The environment variable carrying the supervisor's instructions (JSON). */
const CONFIG_ENV = "SEEDSTACK_SUPERVISE";

/** The supervisor itself (CommonJS for `node -e`; see the file comment for why it is a string). */
export const SUPERVISOR_SOURCE = `
"use strict";
const { spawn } = require("node:child_process");
const { rmSync } = require("node:fs");
const cfg = JSON.parse(process.env.${CONFIG_ENV});
// Our stdout/stderr may be pipes to a parent that is gone: a failed write must not end us early.
process.stdout.on("error", () => {});
process.stderr.on("error", () => {});
const child = spawn(cfg.command, cfg.args, {
  cwd: cfg.cwd, env: cfg.env, uid: cfg.uid, gid: cfg.gid,
  stdio: [cfg.stdin === undefined ? "ignore" : "pipe", "inherit", "inherit"],
});
if (cfg.stdin !== undefined) { child.stdin.on("error", () => {}); child.stdin.end(cfg.stdin); }
let stopping = false, orphaned = false, exited = false;
const stop = () => {
  if (exited) return;
  if (!stopping) { stopping = true; try { child.kill(cfg.stopSignal); } catch {} }
  setTimeout(() => { try { child.kill("SIGKILL"); } catch {} }, cfg.graceMs).unref();
};
process.stdin.on("error", () => {});
process.stdin.on("close", () => { orphaned = true; stop(); });
process.stdin.on("end", () => { orphaned = true; stop(); });
process.stdin.resume();
for (const s of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(s, stop);
child.on("error", (err) => { process.stderr.write("supervisor: cannot run " + cfg.command + ": " + err.message + "\\n"); process.exit(127); });
child.on("exit", (code, signal) => {
  exited = true;
  if (orphaned) {
    for (const dir of cfg.removeDirs) { try { rmSync(dir, { recursive: true, force: true, maxRetries: 3 }); } catch {} }
    // Whatever the child left in our process group (PostgreSQL's backends), and us with it.
    try { process.kill(-process.pid, "SIGKILL"); } catch {}
  }
  process.exit(code === null ? 128 + (require("node:os").constants.signals[signal] || 9) : code);
});
`;

/**
 * Start `cmd` under a supervisor tied to this process by a lifeline. The returned process is the
 * supervisor: read the child's output from its stdout/stderr, stop the child by signalling it, and
 * await its exit; its status is the child's. Never write to or close its stdin: that is the lifeline.
 */
export function spawnSupervised(cmd: SupervisedCommand): ChildProcess {
  const config = {
    command: cmd.command,
    args: cmd.args,
    cwd: cmd.cwd,
    env: cmd.env,
    uid: cmd.uid,
    gid: cmd.gid,
    stdin: cmd.stdin,
    stopSignal: cmd.stopSignal ?? "SIGTERM",
    graceMs: cmd.graceMs ?? 3000,
    removeDirs: cmd.removeOnLifelineLoss ?? [],
  };
  const options: SpawnOptions = {
    cwd: cmd.cwd,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", [CONFIG_ENV]: JSON.stringify(config) },
    stdio: ["pipe", "pipe", "pipe"],
    detached: true,
  };
  const supervisor = spawn(process.execPath, ["-e", SUPERVISOR_SOURCE], options);
  supervisor.stdin?.on("error", () => undefined);
  return supervisor;
}
