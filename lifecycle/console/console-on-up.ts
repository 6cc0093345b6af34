/**
 * `seedstack up` and `run --keep` serve the console once the environment is healthy and print
 * `console: <url>`; its teardown goes with the rest (before the environment's own `down`).
 */
import type { Environment } from "../environment.js";
import type { RunContext } from "../events.js";
import type { LocalLifecycleEnvironment } from "../local/local-engine.js";
import { startConsole } from "./console-server.js";

/**
 * An `onUp` that adds the console (local environments only) to `inner`; `onListening` gets its URL
 * (token included) once it listens: `up` writes it into its running record for `seedstack load`.
 */
export function withConsole(
  ctx: RunContext,
  print: (line: string) => void,
  inner?: (env: Environment) => Promise<() => void>,
  onListening?: (url: string) => void,
): (env: Environment) => Promise<() => void> {
  return async (env) => {
    const innerCleanup = inner ? await inner(env) : () => undefined;
    const local = (env as Partial<LocalLifecycleEnvironment>).local;
    if (!local) return innerCleanup;
    const console = await startConsole(local, ctx);
    onListening?.(console.url);
    print(`console: ${console.url}`);
    return () => {
      void console.dispose();
      innerCleanup();
    };
  };
}
