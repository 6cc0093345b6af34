/**
 * Local environments for tests: a synthesized stack (optionally changed, as a user's broken stack
 * would be), brought up with a faster clock, and a registry that proves every environment was
 * disposed (Miniflare's teardown check): `assertAllDisposed()` names where each leaked one started.
 */
import * as assert from "uvu/assert";
import type { LifecycleEvent } from "../events.js";
import { pendingExitWork } from "../local/exit-hook.js";
import { startLocalEnvironment, type LocalEngineOptions, type LocalEnvironment } from "../local/local-environment.js";
import { parseStack } from "../stack/read-stack.js";
import { stackJson } from "./synth-fixture.js";

const live = new Map<LocalEnvironment, string>();

/** A started environment and the events it emitted so far. */
export interface TestEnvironment {
  readonly env: LocalEnvironment;
  readonly events: LifecycleEvent[];
}

/** Synthesize with `settings`, let `change` edit the JSON, and start it (speedup 10 unless given). */
export async function startTestEnvironment(
  name: string,
  options: { settings?: Record<string, string>; change?: (json: Record<string, any>) => void; engine?: LocalEngineOptions } = {},
): Promise<TestEnvironment> {
  const json = await stackJson(name, options.settings ?? {});
  options.change?.(json);
  const stack = parseStack(json, name, `${name} (test variant)`);
  const events: LifecycleEvent[] = [];
  const env = await startLocalEnvironment(stack, { signal: new AbortController().signal, onEvent: (e) => void events.push(e) }, { speedup: 10, ...options.engine });
  const where = new Error().stack?.split("\n").slice(2, 4).join(" ") ?? "";
  live.set(env, where);
  const dispose = env.dispose;
  const tracked: LocalEnvironment = Object.assign(env, {
    dispose: async () => {
      live.delete(env);
      await dispose();
    },
  });
  return { env: tracked, events };
}

/** The one resource of `type` in a stack's JSON. */
export function only(json: Record<string, any>, type: string): Record<string, any> {
  const all = Object.values(json.resource[type] ?? {}) as Array<Record<string, any>>;
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0]!;
}

/** Fail naming every environment not disposed and every child or temp dir still held by the exit hook. */
export function assertAllDisposed(): void {
  const leaked = [...live.values()];
  live.clear();
  assert.equal(leaked, [], `environments not disposed, started at: ${leaked.join("; ")}`);
  assert.equal(pendingExitWork(), { pids: 0, dirs: 0, cleanups: 0 }, "processes, temp dirs or cleanups still registered with the exit hook");
}

/** Wait for a condition, failing with `what` at the deadline. */
export async function waitFor(what: string, condition: () => boolean, deadlineMs = 20_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
