/**
 * The environment record: one small JSON file per environment the terraform engine may have
 * created, `<recordDir>/<name>.json`. It is written before the first apply and removed only after
 * a destroy succeeded, so an environment left behind by a failure, a cancelled run or a killed
 * process is always findable by a later step (the Action's post step, `seedstack down`, the sweeper).
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * - `applying`: an apply is (or was, if the process died) in progress.
 * - `up`: applied; outputs were read.
 * - `needs-destroy`: a run failed or was cancelled after apply began, and was not destroyed (yet).
 * - `destroying`: a destroy is (or was) in progress.
 */
export type EnvironmentStatus = "applying" | "up" | "needs-destroy" | "destroying";

const STATUSES: readonly EnvironmentStatus[] = ["applying", "up", "needs-destroy", "destroying"];

/** A terraform run this process killed after the interrupt grace (its lock may be left behind). */
export interface KilledRunRecord {
  readonly who: string;
  readonly startedAt: string;
  readonly killedAt: string;
}

/** What is recorded about one environment. */
export interface EnvironmentRecord {
  readonly version: 1;
  /** The environment (stack) name: `classic`, `pr-12`. */
  readonly name: string;
  /** The synthesized stack directory its state is reached from. */
  readonly stackDir: string;
  readonly status: EnvironmentStatus;
  /** Why it needs destroying, for people (`apply-failed: ...`, `cancelled during apply`). */
  readonly reason?: string;
  /** The pull request it belongs to, for the sweeper. */
  readonly prNumber?: number;
  /** The stack's ExpiresAt tag (ISO 8601), for the sweeper. */
  readonly expiresAt?: string;
  /** Set when terraform had to be killed: a lock it left behind may be force-unlocked by us. */
  readonly killedRun?: KilledRunRecord;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A record file that could not be read, named with the problem. */
export class EnvironmentRecordError extends Error {
  override readonly name = "EnvironmentRecordError";
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

function checkName(name: string): string {
  if (!NAME.test(name) || name.includes("..")) {
    throw new EnvironmentRecordError(`environment name must be letters, digits, "-", "_" or "." (a file name); got "${name}"`);
  }
  return name;
}

/** Where the record of `name` lives. */
export function recordPath(recordDir: string, name: string): string {
  return join(recordDir, `${checkName(name)}.json`);
}

/** Write `record` atomically (a reader sees the old file or the new one, never half of one). */
export function writeRecord(recordDir: string, record: EnvironmentRecord): string {
  mkdirSync(recordDir, { recursive: true });
  const path = recordPath(recordDir, record.name);
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(record, null, 2) + "\n");
  renameSync(temporary, path);
  return path;
}

/** Check a parsed record file and name every problem. */
export function validateRecord(value: unknown, source: string): EnvironmentRecord {
  const problems: string[] = [];
  const r = (typeof value === "object" && value !== null ? value : {}) as Record<string, unknown>;
  if (r.version !== 1) problems.push(`version must be 1; got ${JSON.stringify(r.version)}`);
  if (typeof r.name !== "string" || !NAME.test(r.name)) problems.push(`name must be an environment name; got ${JSON.stringify(r.name)}`);
  if (typeof r.stackDir !== "string" || r.stackDir === "") problems.push("stackDir must be a path");
  if (!STATUSES.includes(r.status as EnvironmentStatus)) problems.push(`status must be one of ${STATUSES.join(", ")}; got ${JSON.stringify(r.status)}`);
  if (r.prNumber !== undefined && !(Number.isInteger(r.prNumber) && (r.prNumber as number) > 0)) problems.push(`prNumber must be a positive integer; got ${JSON.stringify(r.prNumber)}`);
  if (r.expiresAt !== undefined && (typeof r.expiresAt !== "string" || Number.isNaN(Date.parse(r.expiresAt)))) problems.push(`expiresAt must be an ISO date; got ${JSON.stringify(r.expiresAt)}`);
  for (const key of ["createdAt", "updatedAt"]) {
    if (typeof r[key] !== "string" || Number.isNaN(Date.parse(r[key] as string))) problems.push(`${key} must be an ISO date; got ${JSON.stringify(r[key])}`);
  }
  if (problems.length > 0) throw new EnvironmentRecordError(`${source}: ${problems.join("; ")}`);
  return r as unknown as EnvironmentRecord;
}

/** The record of `name`, or undefined when there is none. */
export function readRecord(recordDir: string, name: string): EnvironmentRecord | undefined {
  const path = recordPath(recordDir, name);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new EnvironmentRecordError(`${path}: not JSON (${(error as Error).message})`);
  }
  return validateRecord(parsed, path);
}

/** Remove the record of `name`; no error when there is none. */
export function removeRecord(recordDir: string, name: string): void {
  rmSync(recordPath(recordDir, name), { force: true });
}

/** Every record in `recordDir`, and every file that could not be read (with its problem). */
export function listRecords(recordDir: string): { records: EnvironmentRecord[]; problems: string[] } {
  let files: string[];
  try {
    files = readdirSync(recordDir).filter((f) => f.endsWith(".json")).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { records: [], problems: [] };
    throw error;
  }
  const records: EnvironmentRecord[] = [];
  const problems: string[] = [];
  for (const file of files) {
    try {
      const record = readRecord(recordDir, file.slice(0, -".json".length));
      if (record) records.push(record);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  return { records, problems };
}
