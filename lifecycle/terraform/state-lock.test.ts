/**
 * Lock-info parsing against terraform's real text: a copy of the real binary's output, and a live
 * lock held by a second terraform process on a FIXTURE stack.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { applyArgs, initArgs, planArgs } from "./args.js";
import { runTerraform } from "./run-terraform.js";
import { describeStateLock, isOwnStaleLock, lockHolderName, parseStateLock } from "./state-lock.js";
import { sleepingStack } from "./test-support/fixture-stacks.js";
import { makeWorkspace, tfTest, waitFor } from "./test-support/workspace.js";

/** Copied from terraform 1.11.4's stderr on this machine (local backend, lock held by an apply). */
const REAL_LOCK_ERROR = `
Error: Error acquiring the state lock

Error message: resource temporarily unavailable
Lock Info:
  ID:        aaafe49e-204d-f8f7-ce70-0a08a7d94009
  Path:      terraform.tfstate
  Operation: OperationTypeApply
  Who:       root@vm
  Version:   1.11.4
  Created:   2026-11-30 15:16:22.560553741 +0000 UTC
  Info:      


Terraform acquires a state lock to protect the state from being written
by multiple users at the same time. Please resolve the issue above and try
again. For most commands, you can disable locking with the "-lock=false"
flag, but this is not recommended.
`;

test("the Lock Info block gives ID, holder, operation and creation time", () => {
  const lock = parseStateLock(REAL_LOCK_ERROR);
  assert.equal(lock, {
    id: "aaafe49e-204d-f8f7-ce70-0a08a7d94009",
    who: "root@vm",
    operation: "OperationTypeApply",
    created: "2026-11-30 15:16:22.560553741 +0000 UTC",
    createdAt: new Date("2026-11-30T15:16:22.560Z"),
    path: "terraform.tfstate",
    version: "1.11.4",
    backendMessage: "resource temporarily unavailable",
  });
  assert.is(
    describeStateLock(lock!),
    "the state is locked by root@vm since 2026-11-30T15:16:22.560Z (OperationTypeApply, lock ID aaafe49e-204d-f8f7-ce70-0a08a7d94009)",
  );
});

test("a creation time with an offset is read in that offset", () => {
  const lock = parseStateLock(REAL_LOCK_ERROR.replace("15:16:22.560553741 +0000 UTC", "17:16:22.5 +0200 CEST"));
  assert.equal(lock?.createdAt, new Date("2026-11-30T15:16:22.500Z"));
});

test("not a held lock: other errors, the summary without lock info, a block without an ID", () => {
  assert.is(parseStateLock("Error: Reference to undeclared resource"), undefined);
  // A permission problem reaching the lock table is not someone holding the lock.
  assert.is(
    parseStateLock("Error: Error acquiring the state lock\n\nError message: operation error DynamoDB: PutItem, https response error StatusCode: 400, api error AccessDeniedException: not authorized\n"),
    undefined,
  );
  assert.is(parseStateLock(REAL_LOCK_ERROR.replace(/  ID: .*\n/, "")), undefined);
  // "Lock Info:" text before the summary (a provisioner's output, say) is ignored.
  assert.is(parseStateLock("Lock Info:\n  ID: x\nError: something else"), undefined);
});

test("only a lock with our holder name, taken while our killed run was alive, is our own stale lock", () => {
  const lock = parseStateLock(REAL_LOCK_ERROR)!;
  const killed = { who: "root@vm", startedAt: new Date("2026-11-30T15:16:20Z"), killedAt: new Date("2026-11-30T15:18:00Z") };
  assert.is(isOwnStaleLock(lock, killed), true);
  assert.is(isOwnStaleLock(lock, { ...killed, who: "ci@runner-7" }), false, "someone else's name");
  assert.is(isOwnStaleLock(lock, { ...killed, startedAt: new Date("2026-11-30T15:17:00Z") }), false, "taken before our run started");
  assert.is(isOwnStaleLock(lock, { ...killed, killedAt: new Date("2026-11-30T15:16:00Z") }), false, "taken after our run was killed");
});

tfTest("real binary: a lock held by a second terraform process is reported with its ID, holder and time", async () => {
  const ws = makeWorkspace();
  const holder = new AbortController();
  try {
    ws.writeStack(sleepingStack(60));
    assert.is((await runTerraform({ args: initArgs(), cwd: ws.stackDir, env: ws.env })).reason, "ok");
    const plan = await runTerraform({ args: planArgs({ planFile: "held.tfplan", lockTimeoutSeconds: 1 }), cwd: ws.stackDir, env: ws.env, successExitCodes: [2] });
    assert.is(plan.reason, "ok");
    const before = Date.now();
    let sleeping = false;
    const holding = runTerraform({
      args: applyArgs({ planFile: "held.tfplan", lockTimeoutSeconds: 1 }),
      cwd: ws.stackDir,
      env: ws.env,
      signal: holder.signal,
      onLine: (line) => (sleeping ||= line.includes("(local-exec): Executing:")),
    });
    await waitFor("the holder's apply to be inside its sleeping provisioner", () => sleeping);

    const contender = await runTerraform({ args: planArgs({ planFile: "other.tfplan", lockTimeoutSeconds: 1 }), cwd: ws.stackDir, env: ws.env, successExitCodes: [0, 2] });
    assert.is(contender.reason, "exit");
    const lock = parseStateLock(contender.reason === "exit" ? contender.stderr : "");
    // Terraform's own record of the lock it holds is the reference.
    const truth = JSON.parse(readFileSync(join(ws.stackDir, ".terraform.tfstate.lock.info"), "utf8")) as { ID: string; Who: string; Operation: string };
    assert.ok(lock, "the lock error was recognised");
    assert.is(lock!.id, truth.ID);
    assert.is(lock!.who, truth.Who);
    assert.is(lock!.who, lockHolderName());
    assert.is(lock!.operation, "OperationTypeApply");
    assert.ok(lock!.createdAt && lock!.createdAt.getTime() >= before - 1000 && lock!.createdAt.getTime() <= Date.now(), `created ${lock!.created}`);

    holder.abort();
    const held = await holding;
    assert.is(held.reason, "cancelled");
  } finally {
    holder.abort();
    ws.dispose();
  }
});

test.run();
