/**
 * Run async jobs at most `limit` at a time, each started when a slot frees up; results come back
 * as one promise per job, so tests can await just the job they assert on.
 */
export function pooled<T>(limit: number, jobs: ReadonlyArray<() => Promise<T>>): Array<Promise<T>> {
  let next = 0;
  const results = jobs.map(() => {
    let settle!: { resolve: (v: T) => void; reject: (e: unknown) => void };
    const promise = new Promise<T>((resolve, reject) => (settle = { resolve, reject }));
    return { promise, settle };
  });
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const index = next++;
      try {
        results[index]!.settle.resolve(await jobs[index]!());
      } catch (error) {
        results[index]!.settle.reject(error);
      }
    }
  };
  for (let i = 0; i < Math.min(limit, jobs.length); i++) void worker();
  // A job nobody awaits (its test failed earlier) must not become an unhandled rejection.
  for (const { promise } of results) promise.catch(() => undefined);
  return results.map((r) => r.promise);
}
