/**
 * Where the lock-holder note of a synthesized stack goes (lock-holder.ts): only when its backend is
 * the state bucket the sweeper lists, an S3 backend whose key is `<namePrefix>/pr-<n>/terraform.tfstate`
 * (stacks/backend.ts `stateKey`). Read from the synthesized `cdk.tf.json` itself, so every caller
 * (the CLI, the Action, the sweeper) writes the note without wiring of its own.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { StateBucket } from "./state-objects.js";

/** The note's bucket and pull request. */
export interface LockHolderTarget {
  readonly where: StateBucket;
  readonly prNumber: number;
}

/** The target of a synthesized stack document; undefined for any other backend or key. */
export function lockHolderTargetOf(stack: unknown): LockHolderTarget | undefined {
  const s3 = (stack as { terraform?: { backend?: { s3?: Record<string, unknown> } } } | undefined)?.terraform?.backend?.s3;
  if (!s3 || typeof s3.bucket !== "string" || typeof s3.key !== "string") return undefined;
  const m = /^(.+)\/pr-([1-9]\d{0,6})\/terraform\.tfstate$/.exec(s3.key);
  if (!m) return undefined;
  const pathStyle = s3.use_path_style === true || s3.force_path_style === true;
  return {
    where: { bucket: s3.bucket, namePrefix: m[1]!, ...(typeof s3.region === "string" ? { region: s3.region } : {}), ...(pathStyle ? { forcePathStyle: true } : {}) },
    prNumber: Number(m[2]),
  };
}

/** The target of the stack synthesized in `stackDir` (its cdk.tf.json); undefined when unreadable. */
export function lockHolderTargetIn(stackDir: string): LockHolderTarget | undefined {
  try {
    return lockHolderTargetOf(JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")));
  } catch {
    return undefined;
  }
}
