/**
 * Suite setup whose failure fails the suite's tests. uvu 0.5 swallows an error thrown by a
 * `before` hook: the suite prints "(0 / n)" in green, no test is reported failed, and the run
 * exits 0. Here the error is kept and rethrown before each test, so every test of the suite fails
 * with it and the run fails.
 */
import type { Test } from "uvu";

/** Run `setup` as the suite's `before` hook; if it throws, every test of the suite fails with that error. */
export function setupOrFail<T>(suite: Test<T>, setup: (ctx: T) => Promise<void> | void): void {
  let failure: { error: unknown } | undefined;
  suite.before(async (ctx) => {
    try {
      await setup(ctx);
    } catch (error) {
      failure = { error };
    }
  });
  suite.before.each(() => {
    if (failure !== undefined) throw failure.error;
  });
}
