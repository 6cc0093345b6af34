/**
 * What the main step hands to the post step, through the action's state (`core.saveState`, read
 * back by the runner into the post step's environment). The post step decides from this alone.
 */
import { State } from "./constants.js";
import type { EngineName, EnvironmentRecord } from "./lifecycle-port.js";

/** Saves and reads the action's state (core.saveState / core.getState). */
export interface StatePort {
  save(name: State, value: string): void;
  get(name: State): string;
}

/** Where the post step reports: the environment's comment and the engine it used. */
export interface ReportTarget {
  readonly stack: string;
  readonly engine: EngineName;
  readonly mode: string;
  readonly prNumber?: number;
  /** Whether the comment input was on. */
  readonly comment: boolean;
}

function object(raw: string, what: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error(`the saved ${what} is not JSON: ${raw.slice(0, 200)}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error(`the saved ${what} is not a JSON object`);
  return parsed as Record<string, unknown>;
}

function engineOf(v: unknown, what: string): EngineName {
  if (v === "terraform" || v === "local") return v;
  throw new Error(`the saved ${what} names no engine (terraform or local): ${JSON.stringify(v)}`);
}

/** The environment the post step must destroy, or undefined when none was saved. */
export function readPendingDestroy(state: StatePort): EnvironmentRecord | undefined {
  const raw = state.get(State.PendingDestroy);
  if (raw === "") return undefined;
  const o = object(raw, "environment record");
  if (typeof o.stack !== "string" || typeof o.workingDirectory !== "string") throw new Error("the saved environment record lacks its stack or working directory");
  return { ...(o as unknown as EnvironmentRecord), engine: engineOf(o.engine, "environment record") };
}

/** Saves (or, with undefined, clears) the environment the post step must destroy. */
export function savePendingDestroy(state: StatePort, record: EnvironmentRecord | undefined): void {
  state.save(State.PendingDestroy, record === undefined ? "" : JSON.stringify(record));
}

/** The report target saved by the main step, or undefined. */
export function readReportTarget(state: StatePort): ReportTarget | undefined {
  const raw = state.get(State.ReportTarget);
  if (raw === "") return undefined;
  const o = object(raw, "report target");
  if (typeof o.stack !== "string") throw new Error("the saved report target lacks its stack");
  return { ...(o as unknown as ReportTarget), engine: engineOf(o.engine, "report target"), comment: o.comment === true };
}
