/**
 * The command line's options, declared once: parsing (node:util parseArgs), validation with
 * messages that name the option, the value and what is allowed, and the --help text.
 */
import { parseArgs } from "node:util";
import { LifecycleError } from "../errors.js";
import type { FailureMode } from "../probes/failover-drill.js";

/** Parsed and checked options. */
export interface CliOptions {
  readonly stack: string;
  readonly keep: boolean;
  readonly json?: string;
  readonly markdown?: string;
  readonly speedup: number;
  readonly drills: readonly FailureMode[];
  readonly url?: string;
  readonly cacert?: string;
  readonly targets: number;
  readonly outdir?: string;
  readonly clientIp?: string;
  /** Read what --outdir holds instead of synthesizing. */
  readonly skipSynth: boolean;
  /** `local` (this machine) or `terraform` (real AWS). */
  readonly engine: "local" | "terraform";
  /** engine terraform: the directory terraform runs in, instead of <outdir>/stacks/<stack>. */
  readonly terraformDir?: string;
  /** engine terraform and sweep: seedstack's own files (environment records, terraform's CLI configuration, plugin cache). */
  readonly stateDir?: string;
  /** How long the smoke test retries a failing check, ms. */
  readonly smokeDeadlineMs?: number;
  /** How long to wait for healthy targets, ms. */
  readonly healthyDeadlineMs?: number;
  /** sweep: destroy (otherwise a dry run). */
  readonly apply: boolean;
  /** sweep: a GitHub token, to ask whether pull requests are closed. */
  readonly githubToken?: string;
  /** sweep: the repository (owner/name) the pull requests belong to. */
  readonly repo?: string;
  readonly help: boolean;
  /** load: users, or a request rate, the duration and the ramp (seconds). */
  readonly load?: { readonly users?: number; readonly rps?: number; readonly durationSeconds: number; readonly rampSeconds: number };
  /** load: synthesize with SEEDSTACK_TARGET_CPU set to this (the autoscaled topology's CPU target, percent). */
  readonly targetCpu?: number;
  /** load: bring up an environment of its own even when a `seedstack up` of the stack runs. @default false (attach to that up) */
  readonly own: boolean;
}

/** Each option: its flag, its value, and what it does (the --help text). */
export const OPTION_HELP: ReadonlyArray<readonly [string, string]> = [
  ["--stack <name>", "the synthesized stack to use (default: classic)"],
  ["--keep", "run: stay up after the checks and print the URL until Ctrl-C (--engine terraform: leave it up on AWS, after a failure too)"],
  ["--json <file>", "write the run report as JSON"],
  ["--markdown <file>", "write the run report as Markdown (with the drill's Mermaid chart)"],
  ["--drill <mode>", "both (default), process-dies, health-fails or none"],
  ["--url <base url>", "smoke: test this URL (any load balancer) instead of a local environment"],
  ["--cacert <file>", "smoke --url: the certificate (PEM) to pin for HTTPS"],
  ["--targets <n>", "smoke --url: how many instances must answer (default 1)"],
  ["--outdir <dir>", "where stacks are synthesized (default: cdktf.out in the project)"],
  ["--skip-synth", "use the stack already in --outdir (one synthesized elsewhere, or by another repo) instead of synthesizing"],
  ["--client-ip <ip>", "the address clients are taken to come from, for the load balancer's security groups (default: the real one, 127.0.0.1)"],
  ["--engine <name>", "local (default): processes on this machine; terraform: the real stack on your AWS account (terraform >= 1.10, AWS credentials)"],
  ["--terraform-dir <dir>", "engine terraform: run terraform in this directory instead of <outdir>/stacks/<stack>"],
  ["--state-dir <dir>", "engine terraform, sweep: seedstack's files: environments/ (records), terraform.tfrc, plugin-cache/ (default: .seedstack in the project)"],
  ["--smoke-deadline <s>", "how long the smoke test retries a failing check (default 30; a new ALB's DNS name can take longer)"],
  ["--healthy-deadline <s>", "how long to wait for healthy targets (default: from the health check locally; 600 with --engine terraform, instances boot first)"],
  ["--apply", "sweep: destroy what it chose (default: a dry run that only says what and why)"],
  ["--github-token <t>", "sweep: ask GitHub whether each environment's pull request is closed (default: $GITHUB_TOKEN)"],
  ["--repo <owner/name>", "sweep: the repository of those pull requests (default: $GITHUB_REPOSITORY)"],
  ["--users <n> | --rps <n>", "load: concurrent users without think time (default 10), or a request rate"],
  ["--duration <s>", "load: seconds of load (default 60); --ramp <s>: seconds to reach it (default 0)"],
  ["--target-cpu <n>", "load, its own environment: synthesize with SEEDSTACK_TARGET_CPU=n, the autoscaled group's CPU target (1-100; 1 scales on this machine, 50 does not: docs/console.md)"],
  ["--own", "load: bring up an environment of its own and take it down after, even when `seedstack up` runs the stack (default: attach to that up through its console, load it, leave it running)"],
  ["--speedup <n>", "run the stack's clock n times faster (tests); default 1: the stack's own health-check timing"],
  ["-h, --help", "this help"],
];

const DRILL_CHOICES: Record<string, readonly FailureMode[]> = { both: ["process-dies", "health-fails"], "process-dies": ["process-dies"], "health-fails": ["health-fails"], none: [] };

/** Options that mean something to one command only; given to another, they would be silently ignored. */
const COMMAND_ONLY: Readonly<Record<string, string>> = {
  users: "load",
  rps: "load",
  duration: "load",
  ramp: "load",
  "target-cpu": "load",
  own: "load",
  apply: "sweep",
  "github-token": "sweep",
  repo: "sweep",
};

/** Parse `argv` (after the command name); `command` refuses the options of other commands. */
export function parseOptions(argv: readonly string[], command?: string): CliOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      allowPositionals: false,
      options: {
        stack: { type: "string" },
        keep: { type: "boolean" },
        json: { type: "string" },
        markdown: { type: "string" },
        drill: { type: "string" },
        url: { type: "string" },
        cacert: { type: "string" },
        targets: { type: "string" },
        outdir: { type: "string" },
        "client-ip": { type: "string" },
        "skip-synth": { type: "boolean" },
        speedup: { type: "string" },
        engine: { type: "string" },
        "terraform-dir": { type: "string" },
        "state-dir": { type: "string" },
        "smoke-deadline": { type: "string" },
        "healthy-deadline": { type: "string" },
        apply: { type: "boolean" },
        "github-token": { type: "string" },
        repo: { type: "string" },
        help: { type: "boolean", short: "h" },
        users: { type: "string" },
        rps: { type: "string" },
        duration: { type: "string" },
        ramp: { type: "string" },
        "target-cpu": { type: "string" },
        own: { type: "boolean" },
      },
    }));
  } catch (err) {
    throw new LifecycleError("ERR_USAGE", `${(err as Error).message} (see --help)`);
  }
  const problems: string[] = [];
  if (command !== undefined) {
    for (const [option, only] of Object.entries(COMMAND_ONLY)) {
      if (values[option] !== undefined && only !== command) problems.push(`--${option} is an option of \`seedstack ${only}\`, not of ${command}`);
    }
  }
  const stack = String(values.stack ?? "classic");
  if (!/^[A-Za-z0-9-]+$/.test(stack)) problems.push(`--stack is ${JSON.stringify(stack)}; allowed: a stack name such as classic, autoscaled or pr-12`);
  const speedup = Number(values.speedup ?? 1);
  if (!Number.isFinite(speedup) || speedup < 1 || speedup > 100) problems.push(`--speedup is ${JSON.stringify(values.speedup)}; allowed: a number from 1 to 100`);
  const drill = String(values.drill ?? "both");
  if (!(drill in DRILL_CHOICES)) problems.push(`--drill is ${JSON.stringify(drill)}; allowed: ${Object.keys(DRILL_CHOICES).join(", ")}`);
  const targets = Number(values.targets ?? 1);
  if (!Number.isInteger(targets) || targets < 1) problems.push(`--targets is ${JSON.stringify(values.targets)}; allowed: a whole number from 1`);
  if (values.url !== undefined && !/^https?:\/\//.test(String(values.url))) problems.push(`--url is ${JSON.stringify(values.url)}; allowed: an http:// or https:// URL`);
  const clientIp = values["client-ip"] as string | undefined;
  if (clientIp !== undefined && !/^\d{1,3}(\.\d{1,3}){3}$/.test(clientIp)) problems.push(`--client-ip is ${JSON.stringify(clientIp)}; allowed: an IPv4 address`);
  const engine = String(values.engine ?? "local");
  if (engine !== "local" && engine !== "terraform") problems.push(`--engine is ${JSON.stringify(engine)}; allowed: local, terraform`);
  const smokeDeadline = values["smoke-deadline"] === undefined ? undefined : Number(values["smoke-deadline"]);
  if (smokeDeadline !== undefined && !(Number.isFinite(smokeDeadline) && smokeDeadline > 0 && smokeDeadline <= 3600)) problems.push(`--smoke-deadline is ${JSON.stringify(values["smoke-deadline"])}; allowed: seconds, more than 0 and at most 3600`);
  const healthyDeadline = values["healthy-deadline"] === undefined ? undefined : Number(values["healthy-deadline"]);
  if (healthyDeadline !== undefined && !(Number.isFinite(healthyDeadline) && healthyDeadline > 0 && healthyDeadline <= 7200)) problems.push(`--healthy-deadline is ${JSON.stringify(values["healthy-deadline"])}; allowed: seconds, more than 0 and at most 7200`);
  const repo = values.repo as string | undefined;
  if (repo !== undefined && !/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repo)) problems.push(`--repo is ${JSON.stringify(repo)}; allowed: owner/name`);
  if (values["terraform-dir"] !== undefined && engine !== "terraform") problems.push("--terraform-dir is only for --engine terraform");
  const load = loadOptionsOf(values, problems);
  const targetCpu = values["target-cpu"] === undefined ? undefined : Number(values["target-cpu"]);
  if (targetCpu !== undefined && !(/^\d{1,3}(\.\d+)?$/.test(String(values["target-cpu"])) && targetCpu >= 1 && targetCpu <= 100)) problems.push(`--target-cpu is ${JSON.stringify(values["target-cpu"])}; allowed: a CPU percentage from 1 to 100 (decimals allowed, such as 2.5)`);
  if (targetCpu !== undefined && values["skip-synth"] === true) problems.push("--target-cpu is a setting of the synthesis, and --skip-synth skips it: synthesize with SEEDSTACK_TARGET_CPU set instead, or drop --skip-synth");
  if (problems.length) throw new LifecycleError("ERR_USAGE", problems.join("\n"));
  return {
    stack,
    keep: values.keep === true,
    ...(values.json !== undefined ? { json: String(values.json) } : {}),
    ...(values.markdown !== undefined ? { markdown: String(values.markdown) } : {}),
    speedup,
    drills: DRILL_CHOICES[drill]!,
    ...(values.url !== undefined ? { url: String(values.url) } : {}),
    ...(values.cacert !== undefined ? { cacert: String(values.cacert) } : {}),
    targets,
    ...(values.outdir !== undefined ? { outdir: String(values.outdir) } : {}),
    ...(clientIp !== undefined ? { clientIp } : {}),
    skipSynth: values["skip-synth"] === true,
    engine: engine as CliOptions["engine"],
    ...(values["terraform-dir"] !== undefined ? { terraformDir: String(values["terraform-dir"]) } : {}),
    ...(values["state-dir"] !== undefined ? { stateDir: String(values["state-dir"]) } : {}),
    ...(smokeDeadline !== undefined ? { smokeDeadlineMs: smokeDeadline * 1000 } : {}),
    ...(healthyDeadline !== undefined ? { healthyDeadlineMs: healthyDeadline * 1000 } : {}),
    apply: values.apply === true,
    ...(values["github-token"] !== undefined ? { githubToken: String(values["github-token"]) } : {}),
    ...(repo !== undefined ? { repo } : {}),
    help: values.help === true,
    ...(load ? { load } : {}),
    ...(targetCpu !== undefined ? { targetCpu } : {}),
    own: values.own === true,
  };
}

/** The load command's options; bounds are checked by the load generator too. */
function loadOptionsOf(values: Record<string, string | boolean | undefined>, problems: string[]): CliOptions["load"] {
  if (values.users === undefined && values.rps === undefined && values.duration === undefined && values.ramp === undefined) return undefined;
  const num = (flag: string, ok: (n: number) => boolean, allowed: string): number | undefined => {
    if (values[flag] === undefined) return undefined;
    const n = Number(values[flag]);
    if (!ok(n)) problems.push(`--${flag} is ${JSON.stringify(values[flag])}; allowed: ${allowed}`);
    return n;
  };
  const users = num("users", (n) => Number.isInteger(n) && n >= 1 && n <= 200, "a whole number from 1 to 200");
  const rps = num("rps", (n) => Number.isFinite(n) && n > 0 && n <= 2000, "more than 0 and at most 2000");
  if (users !== undefined && rps !== undefined) problems.push("--users and --rps are alternatives; give one");
  const durationSeconds = num("duration", (n) => Number.isFinite(n) && n > 0 && n <= 3600, "seconds, more than 0 and at most 3600") ?? 60;
  const rampSeconds = num("ramp", (n) => Number.isFinite(n) && n >= 0 && n <= Math.min(600, durationSeconds), "seconds, from 0 to the duration (at most 600)") ?? 0;
  return { ...(rps !== undefined ? { rps } : { users: users ?? 10 }), durationSeconds, rampSeconds };
}
