/**
 * Requests counted per second: count, failures and latency percentiles, the way locust's CHARTS
 * tab plots them. Used for each target (the console) and for a load test's totals.
 */

/** One closed second. */
export interface SecondStats {
  /** Epoch ms at the start of the second. */
  readonly at: number;
  readonly requests: number;
  readonly failures: number;
  readonly p50: number | null;
  readonly p95: number | null;
}

/** The value at quantile `q` of sorted `values` (nearest rank). */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** Collects requests into one-second buckets, keeping the last `keep` closed seconds. */
export class PerSecond {
  private current: { at: number; requests: number; failures: number; latencies: number[] } | undefined;
  private readonly closed: SecondStats[] = [];

  constructor(private readonly keep = 300) {}

  /** Count one request that took `ms`; `failed` when it got no answer or a 5xx. */
  add(ms: number, failed: boolean, now = Date.now()): void {
    this.roll(now);
    const c = (this.current ??= { at: now - (now % 1000), requests: 0, failures: 0, latencies: [] });
    c.requests++;
    if (failed) c.failures++;
    c.latencies.push(ms);
  }

  /** The closed seconds (an empty second is a zero), oldest first. */
  seconds(now = Date.now()): SecondStats[] {
    this.roll(now);
    return [...this.closed];
  }

  private roll(now: number): void {
    const second = now - (now % 1000);
    const c = this.current;
    if (c && c.at < second) {
      const sorted = c.latencies.sort((a, b) => a - b);
      this.push({ at: c.at, requests: c.requests, failures: c.failures, p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95) });
      this.current = undefined;
    }
    // Seconds without requests are zeros, so charts show the gap.
    const last = this.closed.at(-1)?.at;
    if (last !== undefined && !this.current) for (let at = last + 1000; at < second; at += 1000) this.push({ at, requests: 0, failures: 0, p50: null, p95: null });
  }

  private push(s: SecondStats): void {
    this.closed.push(s);
    if (this.closed.length > this.keep) this.closed.splice(0, this.closed.length - this.keep);
  }
}
