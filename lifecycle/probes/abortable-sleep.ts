/**
 * A pause that a cancel ends at once: the probes' waits (the drill's observation window, the
 * pauses around failure and recovery, the smoke test's retries) must not hold a cancelled run,
 * which GitHub's runner gives 7.5 s before SIGTERM and 10 s before SIGKILL.
 */
import { LifecycleError } from "../errors.js";

/** Resolves after `ms`; rejects with ERR_CANCELLED as soon as `signal` aborts (or at once when it already has). */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(new LifecycleError("ERR_CANCELLED", "cancelled"));
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new LifecycleError("ERR_CANCELLED", "cancelled"));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
