/**
 * `seedstack up` and `run --keep` serve the console once the environment is healthy, print
 * `console: <url>`, and publish the URL next to the `up` state file (mode 0600, like it) so that
 * `seedstack load` can read the group's activities from it. Its teardown goes with the rest.
 */
import { rmSync, writeFileSync } from "node:fs";
import type { Environment } from "../environment.js";
import type { RunContext } from "../events.js";
import type { LocalLifecycleEnvironment } from "../local/local-engine.js";
import { startConsole } from "./console-server.js";

/** Where `up` publishes its console's URL (beside its state file). */
export const consoleFileOf = (stateFile: string): string => stateFile.replace(/\.json$/, ".console.json");

/** An `onUp` that adds the console (local environments only) to `inner`. */
export function withConsole(
  ctx: RunContext,
  print: (line: string) => void,
  inner?: (env: Environment) => Promise<() => void>,
  publishBeside?: string,
): (env: Environment) => Promise<() => void> {
  return async (env) => {
    const innerCleanup = inner ? await inner(env) : () => undefined;
    const local = (env as Partial<LocalLifecycleEnvironment>).local;
    if (!local) return innerCleanup;
    const console = await startConsole(local, ctx);
    print(`console: ${console.url}`);
    const file = publishBeside ? consoleFileOf(publishBeside) : undefined;
    if (file) writeFileSync(file, JSON.stringify({ pid: process.pid, url: console.url }), { mode: 0o600 });
    return () => {
      if (file) rmSync(file, { force: true });
      void console.dispose();
      innerCleanup();
    };
  };
}
