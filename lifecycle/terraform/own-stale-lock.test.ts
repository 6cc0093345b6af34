/**
 * Force-unlock of our own stale lock, and only ours. The local backend never leaves a stale lock
 * (its lock dies with the process), so terraform is replaced here by a STAND-IN script that answers
 * the destroy sequence and prints terraform 1.11.4's lock error in the real binary's layout (as it
 * printed it on this machine) with the S3 lockfile backend's message (terraform-samples/SOURCES.md)
 * and the holder and time filled in. On S3 the real binary leaves such a lock after a kill.
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { destroyEnvironment, type TerraformEnvironmentOptions } from "./deploy.js";
import type { TerraformEngineEvent } from "./deploy-events.js";
import { readRecord, writeRecord } from "./environment-record.js";
import { lockHolderName } from "./state-lock.js";
import { happyStack } from "./test-support/fixture-stacks.js";
import { makeWorkspace, type Workspace } from "./test-support/workspace.js";

const LOCK_ID = "6b1c0f42-9d0e-4c55-8f36-2f1f5a0e7c11";

/** Go's time.Time.String() of `date`, as terraform prints `Created:`. */
function goTime(date: Date): string {
  return date.toISOString().replace("T", " ").replace("Z", "000000 +0000 UTC");
}

/** terraform 1.11.4's lock error in the real binary's layout, for `who` at `created`. */
function lockError(who: string, created: Date): string {
  return [
    "",
    "Error: Error acquiring the state lock",
    "",
    "Error message: operation error S3: PutObject, https response error StatusCode: 412, api error PreconditionFailed: At least one of the pre-conditions you specified did not hold",
    "Lock Info:",
    `  ID:        ${LOCK_ID}`,
    "  Path:      seedstack-state/seedstack-pr-7/pr-7/terraform.tfstate",
    "  Operation: OperationTypeApply",
    `  Who:       ${who}`,
    "  Version:   1.11.4",
    `  Created:   ${goTime(created)}`,
    "  Info:      ",
    "",
    "",
    "Terraform acquires a state lock to protect the state from being written",
    "by multiple users at the same time. Please resolve the issue above and try",
    'again. For most commands, you can disable locking with the "-lock=false"',
    "flag, but this is not recommended.",
    "",
  ].join("\n");
}

/** The STAND-IN terraform: logs its arguments; destroy fails with the lock error until force-unlock ran. */
function standInTerraform(ws: Workspace, lockText: string): string {
  const errorFile = join(ws.root, "lock-error.txt");
  writeFileSync(errorFile, lockText);
  const script = join(ws.root, "stand-in-terraform.sh");
  const unlocked = join(ws.root, "unlocked");
  writeFileSync(
    script,
    [
      "#!/bin/sh",
      "# STAND-IN for terraform in own-stale-lock.test.ts",
      `echo "$*" >> '${join(ws.root, "calls.log")}'`,
      'case "$1" in',
      "  init) echo 'Terraform has been successfully initialized!' ;;",
      `  show) echo '{"format_version":"1.0","terraform_version":"1.11.4","values":{"root_module":{"resources":[{"address":"aws_lb.web","mode":"managed"}]}}}' ;;`,
      `  force-unlock) touch '${unlocked}'; echo 'Terraform state has been successfully unlocked!' ;;`,
      `  destroy) if [ -e '${unlocked}' ]; then echo 'Destroy complete! Resources: 1 destroyed.'; else cat '${errorFile}' >&2; exit 1; fi ;;`,
      "  *) echo \"unexpected: $*\" >&2; exit 9 ;;",
      "esac",
      "",
    ].join("\n"),
  );
  chmodSync(script, 0o755);
  return script;
}

function setUp(ws: Workspace, lockHolder: string): { options: TerraformEnvironmentOptions; events: TerraformEngineEvent[] } {
  ws.writeStack(happyStack());
  const now = Date.now();
  const recordDir = join(ws.root, "records");
  // What deploy recorded when it had to kill terraform a minute ago.
  writeRecord(recordDir, {
    version: 1,
    name: "pr-7",
    stackDir: ws.stackDir,
    status: "needs-destroy",
    reason: "cancelled during apply: terraform ... was killed",
    killedRun: { who: lockHolderName(), startedAt: new Date(now - 60_000).toISOString(), killedAt: new Date(now - 10_000).toISOString() },
    createdAt: new Date(now - 60_000).toISOString(),
    updatedAt: new Date(now - 10_000).toISOString(),
  });
  const events: TerraformEngineEvent[] = [];
  const binary = standInTerraform(ws, lockError(lockHolder, new Date(now - 30_000)));
  return { options: { name: "pr-7", stackDir: ws.stackDir, recordDir, binary, lockTimeoutSeconds: 1, retry: { maxAttempts: 1, initialDelayMs: 0, maxDelayMs: 0 }, onEvent: (e) => events.push(e) }, events };
}

const calls = (ws: Workspace) => readFileSync(join(ws.root, "calls.log"), "utf8").trim().split("\n").map((l) => l.split(" ")[0]);

test("the lock our killed run left behind is force-unlocked by its ID, then the destroy succeeds", async () => {
  const ws = makeWorkspace();
  try {
    const { options, events } = setUp(ws, lockHolderName());
    const result = await destroyEnvironment(options);
    assert.equal(result, { ok: true, alreadyGone: false });
    assert.equal(calls(ws), ["init", "show", "destroy", "force-unlock", "destroy"]);
    assert.ok(readFileSync(join(ws.root, "calls.log"), "utf8").includes(`force-unlock -no-color -force ${LOCK_ID}`));
    assert.ok(events.some((e) => e.type === "own-lock-removed" && e.lockId === LOCK_ID));
    assert.is(readRecord(options.recordDir, "pr-7"), undefined);
  } finally {
    ws.dispose();
  }
});

test("a lock held by someone else is never force-unlocked: state-locked, recorded as still needing destroy", async () => {
  const ws = makeWorkspace();
  try {
    const { options } = setUp(ws, "ci@another-runner");
    const result = await destroyEnvironment(options);
    assert.is(result.ok, false);
    if (result.ok) return;
    assert.is(result.failure.reason, "state-locked");
    assert.is(result.failure.lock?.who, "ci@another-runner");
    assert.is(result.failure.lock?.id, LOCK_ID);
    assert.equal(calls(ws), ["init", "show", "destroy"]);
    assert.not.ok(existsSync(join(ws.root, "unlocked")));
    assert.is(readRecord(options.recordDir, "pr-7")?.status, "needs-destroy");
  } finally {
    ws.dispose();
  }
});

test.run();
