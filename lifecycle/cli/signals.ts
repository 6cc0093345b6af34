/**
 * Signals become an abort: the first Ctrl-C (or SIGTERM, SIGHUP) aborts the run, which still tears
 * everything down; a second one exits at once, and the process-wide exit hook
 * (local/exit-hook.ts) kills whatever is still running on the way out.
 */

/**
 * Abort `controller` on the first signal; on the second, say what is forced and exit 130 at once
 * (the exit hook kills what the local engine still runs and removes its folders and record).
 * With `cleanup` (the terraform engine's destroy; a function is asked at the signal, once the
 * engine is known), the second signal aborts that instead (terraform gets one interrupt and saves
 * its state; the environment stays recorded as needing destroy), and the third exits.
 * Returns the uninstaller.
 */
export function abortOnSignals(controller: AbortController, say: (line: string) => void, cleanupOf?: AbortController | (() => AbortController | undefined)): () => void {
  const signals = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
  const handler = (signal: NodeJS.Signals) => {
    if (!controller.signal.aborted) {
      say(`\n${signal}: stopping and taking down what this command started (press Ctrl-C again to force)`);
      controller.abort(new Error(signal));
      return;
    }
    const cleanup = typeof cleanupOf === "function" ? cleanupOf() : cleanupOf;
    if (cleanup && !cleanup.signal.aborted) {
      say(`\n${signal}: stopping the clean-up; what is left stays recorded for \`seedstack down\` or \`seedstack sweep\``);
      cleanup.abort(new Error(signal));
      return;
    }
    if (!cleanup) say(`\n${signal} again: killing what is left (seed servers, PostgreSQL) and exiting now`);
    process.exit(130);
  };
  for (const s of signals) process.on(s, handler);
  return () => {
    for (const s of signals) process.off(s, handler);
  };
}
