/**
 * The action's inputs, read through a port (`core.getInput` in production, a map in tests),
 * defaulted, and validated in one pass: every problem is reported at once, each naming the input,
 * the value given and what is allowed, before anything is changed.
 */
import { isAbsolute, resolve } from "node:path";
import { MAX_SWEEP_TTL_HOURS as MAX_TTL_HOURS } from "../../lifecycle/index.js";
import { ENGINES, Inputs, MODES } from "./constants.js";
import type { EngineName } from "./lifecycle-port.js";
import type { PullRequestInfo } from "./pull-request.js";

/** What the action was asked to do, validated. */
export interface ActionInputs {
  /** The stack to realize; `pr-<n>` by default on a pull request. */
  readonly stack: string;
  /** @default terraform */
  readonly engine: EngineName;
  /** @default pr: apply, smoke and destroy in one run */
  readonly mode: (typeof MODES)[number];
  /** Absolute directory holding cdktf.json. @default the workspace */
  readonly workingDirectory: string;
  /** Token for the PR comment; may be empty when the comment is off or the mode is sweep. */
  readonly token: string;
  /** The pull request; from the input, else from the event; absent outside pull requests. */
  readonly prNumber?: number;
  /** Hours before the sweeper may destroy the environment, from 1 to MAX_TTL_HOURS (720). @default 24 */
  readonly ttlHours: number;
  /** Seconds terraform waits for the state lock. @default 300 (5 minutes) */
  readonly lockTimeoutSeconds: number;
  /** Extra words for terraform plan and apply. @default none */
  readonly extraArgs: readonly string[];
  /** Run the failover drill after the smoke test. @default off */
  readonly drill: boolean;
  /** Write the report as a PR comment (always to the job summary). @default on */
  readonly comment: boolean;
  /**
   * Opt-in label: when set, only pull requests carrying it get an environment, and removing it
   * destroys the environment (see label-gate.ts). @default none: every same-repository PR
   */
  readonly label?: string;
}

/** Reads one input by name; returns "" when it is not set (as `core.getInput` does). */
export type InputSource = (name: Inputs) => string;

/** Thrown when inputs are invalid; the message lists every problem, one per line. */
export class InputError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid inputs:\n- ${problems.join("\n- ")}`);
    this.name = "InputError";
  }
}

const STACK_NAME = /^[a-z][a-z0-9-]{0,39}$/;
const DURATION = /^(\d+)(s|m|h)?$/;
const UNIT_SECONDS = { s: 1, m: 60, h: 3600 } as const;

/** Splits `-parallelism=5 -var "x=a b"` into words; quotes group, backslashes are not special. */
export function splitArgs(raw: string): string[] | string {
  const words: string[] = [];
  let current: string | undefined;
  let quote: '"' | "'" | undefined;
  for (const ch of raw) {
    if (quote !== undefined) {
      if (ch === quote) quote = undefined;
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      current ??= "";
    } else if (/\s/.test(ch)) {
      if (current !== undefined) words.push(current);
      current = undefined;
    } else {
      current = (current ?? "") + ch;
    }
  }
  if (quote !== undefined) return `an unclosed ${quote} quote`;
  if (current !== undefined) words.push(current);
  return words;
}

function onOff(value: string, name: Inputs, fallback: boolean, problems: string[]): boolean {
  if (value === "") return fallback;
  const v = value.toLowerCase();
  if (v === "on" || v === "true") return true;
  if (v === "off" || v === "false") return false;
  problems.push(`${name}: "${value}" is not allowed; use on or off`);
  return fallback;
}

/**
 * The validated inputs. `pr` is the event's pull request, when there is one; `workspace` the
 * directory relative working directories are resolved against (GITHUB_WORKSPACE).
 */
export function readInputs(get: InputSource, pr: PullRequestInfo | undefined, workspace: string): ActionInputs {
  const problems: string[] = [];
  const value = (name: Inputs): string => get(name).trim();

  const engineRaw = value(Inputs.Engine) || "terraform";
  const engine = (ENGINES as readonly string[]).includes(engineRaw) ? (engineRaw as EngineName) : undefined;
  if (engine === undefined) problems.push(`${Inputs.Engine}: "${engineRaw}" is not allowed; use one of ${ENGINES.join(", ")}`);

  const modeRaw = value(Inputs.Mode) || "pr";
  const mode = (MODES as readonly string[]).includes(modeRaw) ? (modeRaw as ActionInputs["mode"]) : undefined;
  if (mode === undefined) problems.push(`${Inputs.Mode}: "${modeRaw}" is not allowed; use one of ${MODES.join(", ")}`);

  let prNumber = pr?.number;
  const prRaw = value(Inputs.PrNumber);
  if (prRaw !== "") {
    if (/^\d{1,7}$/.test(prRaw) && Number(prRaw) >= 1) prNumber = Number(prRaw);
    else problems.push(`${Inputs.PrNumber}: "${prRaw}" is not a pull-request number (a whole number from 1 to 9999999)`);
  }

  let stack = value(Inputs.Stack);
  if (stack === "") {
    if (prNumber !== undefined) stack = `pr-${prNumber}`;
    else if (mode !== "sweep") problems.push(`${Inputs.Stack}: not set, and there is no pull request to name a pr-<n> stack after; set stack or pr-number`);
  } else if (!STACK_NAME.test(stack)) {
    problems.push(`${Inputs.Stack}: "${stack}" is not a stack name (lowercase letters, digits and hyphens, starting with a letter, at most 40)`);
  }

  const ttlRaw = value(Inputs.Ttl) || "24";
  const ttlMatch = /^(\d+)h?$/.exec(ttlRaw);
  const ttlHours = ttlMatch ? Number(ttlMatch[1]) : NaN;
  if (!(ttlHours >= 1)) problems.push(`${Inputs.Ttl}: "${ttlRaw}" is not allowed; use whole hours from 1 to ${MAX_TTL_HOURS}, e.g. 24 or 24h`);
  else if (ttlHours > MAX_TTL_HOURS) {
    problems.push(
      `${Inputs.Ttl}: "${ttlRaw}" is more than ${MAX_TTL_HOURS} hours (30 days), the longest the stacks (SEEDSTACK_TTL_HOURS) and the sweeper accept: ` +
        "an environment meant to live longer is not ephemeral; deploy a long-lived stack instead",
    );
  }

  const lockRaw = value(Inputs.LockTimeout) || "5m";
  const lockMatch = DURATION.exec(lockRaw);
  const lockTimeoutSeconds = lockMatch ? Number(lockMatch[1]) * UNIT_SECONDS[(lockMatch[2] ?? "s") as keyof typeof UNIT_SECONDS] : NaN;
  if (Number.isNaN(lockTimeoutSeconds)) problems.push(`${Inputs.LockTimeout}: "${lockRaw}" is not a duration; use e.g. 300, 90s, 5m or 1h`);

  const split = splitArgs(get(Inputs.TerraformArgs));
  if (typeof split === "string") problems.push(`${Inputs.TerraformArgs}: has ${split}`);

  const drill = onOff(value(Inputs.Drill), Inputs.Drill, false, problems);
  const comment = onOff(value(Inputs.Comment), Inputs.Comment, true, problems);

  if (engine === "local" && mode === "deploy") {
    problems.push(`${Inputs.Mode}: "deploy" keeps the environment after the step, but a local environment lives only as long as the step; use mode pr with engine local, or engine terraform`);
  }

  const token = value(Inputs.GitHubToken);
  if (token === "" && comment && mode !== "sweep") problems.push(`${Inputs.GitHubToken}: empty, but comment is on; pass a token or set comment: off`);

  const label = value(Inputs.Label);
  // GitHub's own limit on a label name.
  if (label.length > 50) problems.push(`${Inputs.Label}: "${label.slice(0, 60)}…" is longer than a GitHub label can be (50 characters)`);

  const dir = value(Inputs.WorkingDirectory) || ".";
  const workingDirectory = isAbsolute(dir) ? dir : resolve(workspace, dir);

  if (problems.length > 0) throw new InputError(problems);
  return {
    stack,
    engine: engine!,
    mode: mode!,
    workingDirectory,
    token,
    ...(prNumber !== undefined ? { prNumber } : {}),
    ttlHours,
    lockTimeoutSeconds,
    extraArgs: split as string[],
    drill,
    comment,
    ...(label !== "" ? { label } : {}),
  };
}
