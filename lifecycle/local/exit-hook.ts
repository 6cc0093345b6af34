/**
 * The last line of defence: one process-wide, synchronous hook on exit, SIGINT, SIGTERM and
 * SIGHUP that kills every child still registered and removes every temp dir still registered
 * (Miniflare's exit-hook.ts; SIGHUP covers a closed terminal). It runs sync calls only: on `exit`
 * the event loop never runs again.
 *
 * Normal teardown (engine dispose) unregisters as it goes, so the hook only finds what a crash, a
 * second Ctrl-C or an uncaught error left behind. On a signal the hook acts only when nothing else
 * handles it (the CLI handles SIGINT itself, to tear down gracefully); then it exits 128+n.
 */
import { rmSync } from "node:fs";

const pids = new Set<number>();
const dirs = new Set<string>();
const cleanups = new Set<() => void>();
let installed = false;

const SIGNALS = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const;

function killAllSync(): void {
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  pids.clear();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs.clear();
  for (const cleanup of cleanups) {
    try {
      cleanup();
    } catch {
      // best effort: the process is ending; the other cleanups still run
    }
  }
  cleanups.clear();
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on("exit", killAllSync);
  for (const [name, number] of Object.entries(SIGNALS) as Array<[keyof typeof SIGNALS, number]>) {
    const handler = () => {
      // Someone else (the CLI) handles this signal: let them tear down; `exit` still backs them up.
      if (process.listenerCount(name) > 1) return;
      killAllSync();
      process.exit(128 + number);
    };
    process.on(name, handler);
  }
}

/** Kill `pid` if this process exits before `unregister` is called. */
export function killOnExit(pid: number): () => void {
  install();
  pids.add(pid);
  return () => void pids.delete(pid);
}

/** Remove `dir` if this process exits before `unregister` is called. */
export function removeOnExit(dir: string): () => void {
  install();
  dirs.add(dir);
  return () => void dirs.delete(dir);
}

/** Run the synchronous `cleanup` (kill a child, remove a folder) if this process exits before `unregister` is called. */
export function onExit(cleanup: () => void): () => void {
  install();
  cleanups.add(cleanup);
  return () => void cleanups.delete(cleanup);
}

/** How many children, dirs and other cleanups the hook still holds (for leak checks in tests). */
export function pendingExitWork(): { pids: number; dirs: number; cleanups: number } {
  return { pids: pids.size, dirs: dirs.size, cleanups: cleanups.size };
}
