/**
 * Stopping a child a test started in a process group of its own (spawned `detached`), with
 * everything it started: a child's own children (terraform, its providers) are in its group, so a
 * signal to the group reaches them even when the child itself ignores it or is gone already.
 */

/** Send `signal` to the process group `pgid` (a detached child's pid); nothing when it is empty already. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // The group is empty: everyone in it has exited.
  }
}

/**
 * Interrupt the group `pgid` as Ctrl-C at a terminal does (SIGINT to every process in it), and
 * SIGKILL it `graceMs` later for whatever did not end by then. Returns a function that cancels the
 * SIGKILL (call it once the child has closed, so a recycled pgid is never signalled).
 */
export function interruptThenKillGroup(pgid: number, graceMs: number): () => void {
  signalGroup(pgid, "SIGINT");
  const kill = setTimeout(() => signalGroup(pgid, "SIGKILL"), graceMs);
  return () => clearTimeout(kill);
}
