/**
 * Runs the BUNDLED action (action/dist/*.mjs) the way GitHub's runner does: a `node` process with
 * the step's inputs as INPUT_* variables, the event in a file named by GITHUB_EVENT_PATH, and the
 * file commands GITHUB_OUTPUT, GITHUB_STATE and GITHUB_STEP_SUMMARY as files read back afterwards.
 * The post step gets the main step's saved state as STATE_* variables, as the runner passes it.
 *
 * Every process started here is tracked; `stopAll()` kills what is still running (tests call it in
 * their teardown, so nothing outlives a failed test). Each job's steps get a temp folder of their
 * own (TMPDIR) inside the job's folder, so whatever a step leaves there goes with `cleanup()`
 * instead of into the machine's /tmp. A step that exits with anything left there (besides the
 * tools' caches the test runner's leak check also allows) fails: on a self-hosted runner /tmp
 * outlives the job, so a leftover there is a leak, however clean the test machine stays.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, cpSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { unexpectedTempEntries } from "../../test/runner/leak-check.js";

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "fixtures");

/** What a finished step left behind. */
export interface StepResult {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** GITHUB_OUTPUT, parsed. */
  readonly outputs: Readonly<Record<string, string>>;
  /** GITHUB_STATE, parsed (the last value of each name wins, as on the runner). */
  readonly state: Readonly<Record<string, string>>;
  /** GITHUB_STEP_SUMMARY's content. */
  readonly summary: string;
}

/** Parses a file-command file: `name<<DELIM\nvalue\nDELIM\n` entries (and legacy `name=value` lines). */
export function parseFileCommands(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delim] = heredoc as unknown as [string, string, string];
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== delim; i++) value.push(lines[i]!);
      out[name] = value.join("\n");
    } else if (line.includes("=")) {
      out[line.slice(0, line.indexOf("="))] = line.slice(line.indexOf("=") + 1);
    }
  }
  return out;
}

/** One simulated job: a workspace, the event file, and the environment both steps share. */
export interface Job {
  readonly dir: string;
  readonly workspace: string;
  /** The steps' TMPDIR (unless `env` sets another), inside `dir`: removed by `cleanup()`. */
  readonly tempDir: string;
  readonly journal: string;
  /**
   * What is left in the steps' own TMPDIR besides the tools' caches, sorted. Checked after every
   * step that exits by itself; a test that kills a step checks it once the step's helpers are gone.
   * Always empty when `env` chose another TMPDIR (the test runner's leak check watches that one).
   */
  tempLeftovers(): string[];
  /** Output of the step running now (or last), as far as it got: for `whileRunning` to watch. */
  liveStdout(): string;
  /** Runs one step to its end (or until `whileRunning` has done its part). */
  step(step: "main" | "post", options?: StepOptions): Promise<StepResult>;
  cleanup(): void;
}

export interface StepOptions {
  /** Saved state handed to the post step as STATE_* variables. */
  readonly state?: Readonly<Record<string, string>>;
  /** Deadline for the step to exit. @default 60 s */
  readonly deadlineMs?: number;
  /** Called once the process is running; e.g. waits for a moment and sends SIGINT. */
  readonly whileRunning?: (child: ChildProcess) => Promise<void>;
}

export interface JobOptions {
  readonly inputs: Readonly<Record<string, string>>;
  readonly event: unknown;
  readonly eventName?: string;
  readonly apiUrl: string;
  /** The FAKE lifecycle scenario a bundle built from the test entries (fake-entry/) plays; absent: none. */
  readonly scenario?: string;
  /** More environment for both steps (the TEST-ONLY seams of the real lifecycle; a TMPDIR of the test's choosing). */
  readonly env?: Readonly<Record<string, string>>;
  /** Folder holding the bundle's main.mjs and post.mjs. */
  readonly distDir: string;
  /** Copies this cdk.tf.json to the workspace's cdktf.out/stacks/<stack>/. */
  readonly stackJson?: { readonly stack: string; readonly fixture: string };
}

const running = new Set<ChildProcess>();

/** Kills every step process still running. */
export function stopAll(): void {
  for (const child of running) child.kill("SIGKILL");
  running.clear();
}

/** Waits until `check` returns true, polling; fails naming `what` after `deadlineMs`. */
export async function waitFor(what: string, check: () => boolean, deadlineMs = 30_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`gave up after ${deadlineMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function createJob(options: JobOptions): Job {
  const dir = mkdtempSync(join(tmpdir(), "seedstack-action-"));
  const workspace = join(dir, "workspace");
  mkdirSync(workspace);
  const tempDir = join(dir, "tmp");
  mkdirSync(tempDir);
  if (options.stackJson) {
    const target = join(workspace, "cdktf.out", "stacks", options.stackJson.stack);
    mkdirSync(target, { recursive: true });
    cpSync(join(FIXTURES, options.stackJson.fixture), join(target, "cdk.tf.json"));
  }
  const eventPath = join(dir, "event.json");
  writeFileSync(eventPath, JSON.stringify(options.event));
  const journal = join(dir, "lifecycle-journal.jsonl");
  let stepCount = 0;
  let live = "";
  const ownTempDir = options.env?.TMPDIR === undefined;
  const tempLeftovers = () => (ownTempDir ? unexpectedTempEntries(tempDir) : []);

  const step = async (name: "main" | "post", stepOptions: StepOptions = {}): Promise<StepResult> => {
    stepCount++;
    const files = { output: join(dir, `output-${stepCount}`), state: join(dir, `state-${stepCount}`), summary: join(dir, `summary-${stepCount}.md`) };
    for (const f of Object.values(files)) writeFileSync(f, "");
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      GITHUB_ACTIONS: "true",
      GITHUB_EVENT_NAME: options.eventName ?? "pull_request",
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_OUTPUT: files.output,
      GITHUB_STATE: files.state,
      GITHUB_STEP_SUMMARY: files.summary,
      GITHUB_API_URL: options.apiUrl,
      GITHUB_SERVER_URL: "https://github.com",
      GITHUB_REPOSITORY: "octo-org/webshop",
      GITHUB_RUN_ID: "987654321",
      GITHUB_RUN_ATTEMPT: "1",
      GITHUB_SHA: "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a291807",
      GITHUB_WORKSPACE: workspace,
      RUNNER_TEMP: dir,
      // Not the machine's /tmp: what the step and its children (synth, seed servers, terraform)
      // leave there is removed with the job.
      TMPDIR: tempDir,
      // GitHub calls wait 1/1000 of their real backoff and writes are not spaced (test seam).
      SEEDSTACK_ACTION_TEST_GITHUB_SPEEDUP: "1000",
      ...(options.scenario !== undefined ? { SEEDSTACK_ACTION_FAKE_LIFECYCLE: options.scenario, SEEDSTACK_ACTION_FAKE_JOURNAL: journal } : {}),
      ...options.env,
    };
    for (const [k, v] of Object.entries(options.inputs)) env[`INPUT_${k.replace(/ /g, "_").toUpperCase()}`] = v;
    for (const [k, v] of Object.entries(stepOptions.state ?? {})) env[`STATE_${k}`] = v;

    const child = spawn(process.execPath, [join(options.distDir, `${name}.mjs`)], { cwd: workspace, env, stdio: ["ignore", "pipe", "pipe"] });
    running.add(child);
    let stdout = "";
    let stderr = "";
    live = "";
    child.stdout!.on("data", (d: Buffer) => {
      stdout += d.toString();
      live = stdout;
    });
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on("exit", (code, sig) => resolve([code, sig])));
    let timer: NodeJS.Timeout | undefined;
    const deadlineMs = stepOptions.deadlineMs ?? 60_000;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new Error(`the ${name} step did not exit within ${deadlineMs / 1000} s; output so far:\n${stdout}\n${stderr}`));
      }, deadlineMs);
    });
    try {
      if (stepOptions.whileRunning) await Promise.race([stepOptions.whileRunning(child), deadline]);
      const [exitCode, signal] = await Promise.race([exited, deadline]);
      // A step killed by a signal cannot tidy up; what its helpers remove after it, its test checks.
      const left = signal === null ? tempLeftovers() : [];
      if (left.length > 0) throw new Error(`the ${name} step exited leaving ${left.join(", ")} in its TMPDIR ${tempDir} (on a self-hosted runner, /tmp outlives the job); its output:\n${stdout}\n${stderr}`);
      return {
        exitCode,
        signal,
        stdout,
        stderr,
        outputs: parseFileCommands(readFileSync(files.output, "utf8")),
        state: parseFileCommands(readFileSync(files.state, "utf8")),
        summary: readFileSync(files.summary, "utf8"),
      };
    } finally {
      clearTimeout(timer);
      running.delete(child);
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
  };

  return {
    dir,
    workspace,
    tempDir,
    journal,
    step,
    tempLeftovers,
    liveStdout: () => live,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The FAKE lifecycle's journal: every call it received, in order. */
export function readJournal(job: Job): Record<string, unknown>[] {
  if (!existsSync(job.journal)) return [];
  return readFileSync(job.journal, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** A `pull_request` event payload, shaped like GitHub's (the fields the action reads and their neighbours). */
export function pullRequestEvent(options: {
  number: number;
  action: string;
  createdAt: string;
  headRepo?: string | null;
  baseRepo?: string;
  /** Names of the labels the PR carries. */
  labels?: readonly string[];
  /** The label added or removed, on a `labeled`/`unlabeled` event. */
  label?: string;
}): unknown {
  const baseRepo = options.baseRepo ?? "octo-org/webshop";
  const headRepo = options.headRepo === undefined ? baseRepo : options.headRepo;
  const repo = (fullName: string) => ({ id: 100200300, name: fullName.split("/")[1], full_name: fullName, private: false, owner: { login: fullName.split("/")[0], type: "Organization" }, fork: fullName !== baseRepo });
  const label = (name: string, i: number) => ({ id: 7100000000 + i, node_id: `LA_kwDO${i}`, url: `https://api.github.com/repos/${baseRepo}/labels/${encodeURIComponent(name)}`, name, color: "0e8a16", default: false, description: null });
  return {
    action: options.action,
    number: options.number,
    ...(options.label !== undefined ? { label: label(options.label, 99) } : {}),
    pull_request: {
      url: `https://api.github.com/repos/${baseRepo}/pulls/${options.number}`,
      id: 2100000000 + options.number,
      number: options.number,
      state: options.action === "closed" ? "closed" : "open",
      title: "Add the seed history page",
      user: { login: "mona", type: "User" },
      created_at: options.createdAt,
      updated_at: "2026-11-30T14:02:11Z",
      labels: (options.labels ?? []).map(label),
      head: { label: "mona:seed-history", ref: "seed-history", sha: "4f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39", repo: headRepo === null ? null : repo(headRepo) },
      base: { label: "octo-org:main", ref: "main", sha: "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567", repo: repo(baseRepo) },
    },
    repository: repo(baseRepo),
    sender: { login: "mona", type: "User" },
  };
}
