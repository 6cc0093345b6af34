/**
 * What the cdktf CLI wrapper (cdktf-cli.ts) checks before it starts the cdktf CLI, so a problem is
 * reported once, in seedstack's words. Inside cdktf it would appear twice: the cdktf CLI prints
 * the app's output as it comes, then again in its "encountered an error while synthesizing" box.
 *
 * - Commands that run the app (synth, deploy, diff, ...): the configuration (SEEDSTACK_* variables
 *   and cdktf.json "context"), every problem at once.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError, loadConfig } from "./config.js";

/** cdktf CLI commands that synthesize the app first (and so read the configuration). */
export const APP_COMMANDS: ReadonlySet<string> = new Set(["synth", "deploy", "apply", "destroy", "diff", "plan", "list", "ls", "output", "outputs", "watch"]);

/** cdktf's global options that take a value as the next argument (`--log-level debug`). */
const OPTIONS_WITH_VALUES: ReadonlySet<string> = new Set(["--log-level", "--app", "-a", "--output", "-o"]);

/** The cdktf command in the CLI's arguments (the first word that is neither an option nor an option's value), if any. */
export function cdktfCommand(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (OPTIONS_WITH_VALUES.has(arg)) i++;
    else if (!arg.startsWith("-")) return arg;
  }
  return undefined;
}

/** The `context` object of cdktf.json in `root` (empty when it has none). */
export function cdktfJsonContext(root: string): Record<string, unknown> {
  const json = JSON.parse(readFileSync(join(root, "cdktf.json"), "utf8")) as { context?: Record<string, unknown> };
  return json.context ?? {};
}

/**
 * The configuration problem of `cdktf <args>`, as the message to print (undefined when there is
 * none, or when the command does not run the app).
 */
export function configurationProblem(args: readonly string[], env: Readonly<Record<string, string | undefined>>, root: string): string | undefined {
  const command = cdktfCommand(args);
  if (command === undefined || !APP_COMMANDS.has(command)) return undefined;
  const context = cdktfJsonContext(root);
  try {
    loadConfig({ env, context: (key) => context[key] });
    return undefined;
  } catch (error) {
    if (error instanceof ConfigError) return `seedstack: ${error.message}`;
    throw error;
  }
}
