/**
 * Where the lock-holder note of a stack goes (lock-holder.ts): only when its backend is the state
 * bucket the sweeper lists, an S3 backend whose key is `<namePrefix>/pr-<n>/terraform.tfstate`
 * (stacks/backend.ts `stateKey`). A view over the stack's backend as the stack reader gives it
 * (`Stack.backend`), so every caller (the CLI, the Action, the sweeper) writes the note without
 * wiring of its own.
 */
import type { Stack } from "../stack/stack.js";
import type { StateBucket } from "./state-objects.js";

/** The note's bucket and pull request. */
export interface LockHolderTarget {
  readonly where: StateBucket;
  readonly prNumber: number;
}

/** The target of a stack; undefined for any other backend or key. */
export function lockHolderTargetOf({ backend }: Pick<Stack, "backend">): LockHolderTarget | undefined {
  if (backend.type !== "s3" || backend.bucket === undefined || backend.key === undefined) return undefined;
  const m = /^(.+)\/pr-([1-9]\d{0,6})\/terraform\.tfstate$/.exec(backend.key);
  if (!m) return undefined;
  return {
    where: { bucket: backend.bucket, namePrefix: m[1]!, ...(backend.region !== undefined ? { region: backend.region } : {}), ...(backend.usePathStyle ? { forcePathStyle: true } : {}) },
    prNumber: Number(m[2]),
  };
}
