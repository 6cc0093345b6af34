/**
 * Where the seed is kept. The HTTP app only knows this interface; configuration picks the store.
 */

/** Storage for the one seed value. Values in and out are canonical decimal text (see seed-value.ts). */
export interface SeedStore {
  /** "memory" or "postgres", for logs. */
  readonly kind: string;
  /**
   * The current seed; a value that was set (or the initial "0"), never a partial one. Rejects with
   * StoreUnavailableError. A store that has the value at hand may return it directly: the app then
   * answers within the same tick, which is measurably cheaper per request (see the benchmark).
   */
  get(): string | Promise<string>;
  /** Replace the seed atomically and give back the stored value (directly, or as a promise). Rejects with StoreUnavailableError. */
  set(seed: string): string | Promise<string>;
  /** Resolve when the store can serve requests now; reject with StoreUnavailableError when it cannot. */
  check(): Promise<void>;
  /** Release connections; the store is not used afterwards. */
  close(): Promise<void>;
}

/** The store cannot be reached now (the database is down, say); the server answers 503 and retries later. */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StoreUnavailableError";
  }
}
