/**
 * Cleanups that must run however the test process ends: on a normal exit, and on SIGINT/SIGTERM
 * (Ctrl-C, a CI timeout), after which the signal is raised again so the process still ends by it.
 * Cleanups run synchronously (an exiting process cannot wait): kill a child, remove a directory.
 */
const cleanups = new Set<() => void>();
const SIGNALS = ["SIGINT", "SIGTERM"] as const;

function runAll(): void {
  for (const cleanup of [...cleanups]) {
    cleanups.delete(cleanup);
    try {
      cleanup();
    } catch {
      // best effort: the process is ending; the other cleanups still run
    }
  }
}

function onSignal(signal: NodeJS.Signals): void {
  runAll();
  uninstall();
  process.kill(process.pid, signal);
}

function install(): void {
  process.on("exit", runAll);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

function uninstall(): void {
  process.off("exit", runAll);
  for (const signal of SIGNALS) process.off(signal, onSignal);
}

/** Run `cleanup` when the process ends, unless the returned function is called first (the normal, orderly path). */
export function onProcessEnd(cleanup: () => void): () => void {
  if (cleanups.size === 0) install();
  cleanups.add(cleanup);
  return () => {
    cleanups.delete(cleanup);
    if (cleanups.size === 0) uninstall();
  };
}
