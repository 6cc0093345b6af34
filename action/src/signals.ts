/**
 * Turns the runner's cancellation into an abort. On cancel GitHub sends SIGINT to the step's node
 * process, then SIGTERM after 7.5 s, then kills the process tree 2.5 s later. The first signal
 * aborts the lifecycle (which forwards one interrupt to terraform); a second is ignored here so the
 * step can finish saving state and reporting within that window.
 */

/** An AbortSignal aborted by the first SIGINT or SIGTERM; `dispose` removes the handlers. */
export function abortOnSignals(onSignal: (name: NodeJS.Signals) => void): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const handler = (name: NodeJS.Signals): void => {
    if (controller.signal.aborted) return;
    onSignal(name);
    controller.abort(new Error(`received ${name}`));
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return {
    signal: controller.signal,
    dispose() {
      process.off("SIGINT", handler);
      process.off("SIGTERM", handler);
    },
  };
}
