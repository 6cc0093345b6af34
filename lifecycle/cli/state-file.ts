/**
 * Where `seedstack up` tells later commands about the environment it keeps running: the owning
 * process, the URLs and the certificate to pin. `smoke` reads it; `down` signals the owner, which
 * tears its environment down (the owner is the only process that holds the children).
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SmokeTarget } from "../probes/smoke-test.js";

/** What an `up` process publishes. */
export interface UpState {
  readonly pid: number;
  readonly stack: string;
  readonly smoke: SmokeTarget;
}

/** The state file of `stack` in the project at `projectDir`. */
export function stateFile(projectDir: string, stack: string): string {
  const project = createHash("sha256").update(projectDir).digest("hex").slice(0, 12);
  return join(tmpdir(), "seedstack-local", `${project}-${stack}.json`);
}

/** Publish; returns the remover. */
export function writeUpState(file: string, state: UpState): () => void {
  mkdirSync(join(file, ".."), { recursive: true });
  writeFileSync(file, JSON.stringify(state, null, 2), { mode: 0o600 });
  return () => {
    rmSync(file, { force: true });
    removeDirIfEmpty(join(file, ".."));
  };
}

/** The published state, when its owner is still alive; a stale file is removed. */
export function readUpState(file: string): UpState | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const state = JSON.parse(readFileSync(file, "utf8")) as UpState;
    process.kill(state.pid, 0);
    return state;
  } catch {
    rmSync(file, { force: true });
    return undefined;
  }
}

/** Remove the state dir once no environment is published in it (another project's may be). */
export function removeDirIfEmpty(dir: string): void {
  try {
    if (readdirSync(dir).length === 0) rmdirSync(dir);
  } catch {
    // already gone, or another `up` just wrote into it
  }
}
