/** Whose lock may be cleared: the verdict on literal notes and locks, and the /proc start time. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { holderNoteFor, holderVerdict, lockFromLockFile, parseHolderNote, processStartTicks, type HolderNote } from "./lock-holder.js";

// The lock file the real terraform 1.11.4 wrote on s3rver during an apply (use_lockfile).
const LOCK_FILE = '{"ID":"2d84e025-6a8a-632b-b036-a15ef46d9e48","Operation":"OperationTypeApply","Info":"","Who":"root@vm","Version":"1.11.4","Created":"2026-12-02T11:54:53.142471896Z","Path":"state/seedstack/pr-1/terraform.tfstate"}';
const lock = lockFromLockFile(LOCK_FILE)!;
const note = (extra: Partial<HolderNote> = {}): HolderNote => ({ version: 1, who: "root@vm", host: "vm", pid: 4242, pidStartTicks: 1000, startedAt: "2026-12-02T11:54:52Z", ...extra });
const probes = (alive: Record<number, number>, status?: string | Error) => ({
  host: "vm",
  startTicks: (pid: number) => alive[pid],
  ...(status !== undefined ? { githubRunStatus: async () => { if (status instanceof Error) throw status; return status; } } : {}),
});

test("lockFromLockFile: terraform's S3 lock file as a StateLock", () => {
  assert.is(lock.id, "2d84e025-6a8a-632b-b036-a15ef46d9e48");
  assert.is(lock.who, "root@vm");
  assert.equal(lock.createdAt, new Date("2026-12-02T11:54:53.142Z"));
  assert.is(lockFromLockFile("{}"), undefined);
  assert.is(lockFromLockFile("not json"), undefined);
});

test("holderVerdict: dead only on evidence, running only on evidence", async () => {
  const v = (n: HolderNote | undefined, p = probes({})) => holderVerdict(lock, n, p);
  assert.equal(await v(undefined), { dead: false, running: false, why: "no holder note names the run that took the lock" });
  const other = await v(note({ who: "runner@fv-az1" }));
  assert.equal([other.dead, other.running], [false, false], "another holder");
  assert.match(other.why, /, not by the run the note names \(runner@fv-az1\)$/);
  assert.is((await v(note({ startedAt: "2026-12-02T12:30:00Z" }))).running, false, "the lock is older than the noted run");
  assert.equal(await v(note(), probes({ 4242: 1000 })), { dead: false, running: true, why: "terraform (pid 4242) is still running on this machine" }, "the same pid with the same start time runs");
  assert.equal(await v(note(), probes({ 4242: 777 })), { dead: true, running: false, why: "terraform (pid 4242, started 2026-12-02T11:54:52Z) on this machine is no longer running" }, "a reused pid is not ours");
  assert.is((await v(note(), probes({}))).dead, true, "gone");
  const ci = note({ host: "fv-az123", githubRun: { repository: "octo/seed", runId: 99, runAttempt: 2 } });
  assert.equal(await v(ci, probes({}, "completed")), { dead: true, running: false, why: "GitHub run 99 (attempt 2) of octo/seed, which took the lock, has finished" });
  assert.equal(await v(ci, probes({}, "in_progress")), { dead: false, running: true, why: "GitHub run 99 of octo/seed is in_progress" });
  const silent = await v(ci, probes({}, new Error("HTTP 403: Resource not accessible by integration")));
  assert.match(silent.why, /GitHub did not say whether run 99 has finished: HTTP 403/);
  assert.is(silent.running, false, "GitHub silent: unknown, not running");
  assert.equal([(await v(ci, probes({}))).dead, (await v(ci, probes({}))).running], [false, false], "GitHub not asked: unknown");
  assert.equal([(await v(note({ host: "laptop" }))).dead, (await v(note({ host: "laptop" }))).running], [false, false], "another machine outside Actions: unknown");
});

test("processStartTicks: this process has one, stable; a pid that does not run has none", () => {
  const mine = processStartTicks(process.pid);
  assert.ok(mine !== undefined && mine > 0);
  assert.is(processStartTicks(process.pid), mine);
  assert.is(processStartTicks(2 ** 22 + 1), undefined);
});

test("holderNoteFor: names the GitHub run only on Actions; parseHolderNote reads it back and refuses half notes", () => {
  const env = { GITHUB_ACTIONS: "true", GITHUB_REPOSITORY: "octo/seed", GITHUB_RUN_ID: "99", GITHUB_RUN_ATTEMPT: "2" };
  const n = holderNoteFor(process.pid, "root@vm", env, new Date("2026-12-02T12:00:00Z"));
  assert.equal(n.githubRun, { repository: "octo/seed", runId: 99, runAttempt: 2 });
  assert.is(n.pidStartTicks, processStartTicks(process.pid));
  assert.equal(parseHolderNote(JSON.stringify(n)), n);
  assert.is(holderNoteFor(process.pid, "root@vm", {}).githubRun, undefined);
  assert.is(parseHolderNote('{"version":1,"who":"x"}'), undefined);
});

test.run();
