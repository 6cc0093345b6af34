/**
 * The default store: the seed in this process's memory. Lost on restart; not shared between
 * servers. Every write replaces one immutable string, so a read can never see a mixed value.
 */
import { INITIAL_SEED } from "../seed-value.js";
import type { SeedStore } from "./seed-store.js";

/** Keeps the seed in memory. */
export class MemoryStore implements SeedStore {
  readonly kind = "memory";
  private seed: string;

  /** @param initialSeed canonical decimal text; @default "0" */
  constructor(initialSeed: string = INITIAL_SEED) {
    this.seed = initialSeed;
  }

  get(): string {
    return this.seed;
  }

  set(seed: string): string {
    this.seed = seed;
    return seed;
  }

  check(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
