/**
 * What a command is (wrangler's createCommand): a name, a one-line description and a thin handler.
 * Its own file so the registry (commands.ts) and the commands kept in files of their own
 * (sweep-command.ts) share it without importing each other.
 */
import type { RunContext } from "../events.js";
import type { RunReport } from "../report/run-report.js";
import type { CliOptions } from "./options.js";
import type { Renderer } from "./render.js";

/** What a handler gets. */
export interface CommandDeps {
  readonly projectDir: string;
  readonly options: CliOptions;
  readonly ctx: RunContext;
  readonly render: Renderer;
  /** Aborted by a second signal: stops a terraform destroy (one interrupt), leaving it recorded. @default never */
  readonly cleanupSignal?: AbortSignal;
}

/** A command: its name, its one-line description, its handler. */
export interface CommandDefinition {
  readonly name: string;
  readonly summary: string;
  handler(deps: CommandDeps): Promise<RunReport | number>;
}
