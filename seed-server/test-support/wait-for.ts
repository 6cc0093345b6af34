/** Polling with a deadline, for tests: every wait ends, and a timeout names what was awaited. */

/**
 * Resolve once `condition()` is true, checking every `intervalMs`; reject after `timeoutMs` with
 * a message naming `what` (a hang guard, not a speed check: choose deadlines far above normal).
 */
export async function waitFor(what: string, condition: () => boolean, timeoutMs: number, intervalMs = 10): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
