import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { deployEnvironment, destroyEnvironment, type TerraformEnvironmentOptions } from "./deploy.js";
import { listRecords } from "./environment-record.js";
import { candidateFromTags, candidatesFromRecords, chooseForSweep, sweep, type PullRequestState, type SweepCandidate } from "./sweep.js";
import { stackSettingsOf } from "../stack/read-stack-settings.js";
import { happyStack } from "./test-support/fixture-stacks.js";
import { makeWorkspace, tfTest } from "./test-support/workspace.js";

const NOW = new Date("2026-06-01T12:00:00Z");

/** Every ExpiresAt case against every pull-request case. */
const EXPIRES = {
  none: undefined,
  past: "2026-06-01T11:59:59Z",
  now: "2026-06-01T12:00:00Z",
  future: "2026-06-01T12:00:01Z",
  invalid: "next tuesday",
} as const;
const PRS = { none: undefined, closed: 1, open: 2, unknown: 3 } as const;
const STATES = new Map<number, PullRequestState>([
  [1, "closed"],
  [2, "open"],
]); // #3 is not in the map: unknown

/** [expires, pr, destroy, reasons, why] — the requirement, written out. */
const TABLE: [keyof typeof EXPIRES, keyof typeof PRS, boolean, string[], string][] = [
  ["none", "none", false, [], "no ExpiresAt and no pull request: a long-lived environment, never swept"],
  ["none", "closed", true, ["pr-closed"], "pull request #1 is closed"],
  ["none", "open", false, [], "pull request #2 is open"],
  ["none", "unknown", false, [], "the state of pull request #3 is unknown"],
  ["past", "none", true, ["expired"], "expired at 2026-06-01T11:59:59.000Z"],
  ["past", "closed", true, ["expired", "pr-closed"], "expired at 2026-06-01T11:59:59.000Z; pull request #1 is closed"],
  ["past", "open", true, ["expired"], "expired at 2026-06-01T11:59:59.000Z"],
  ["past", "unknown", true, ["expired"], "expired at 2026-06-01T11:59:59.000Z"],
  ["now", "none", true, ["expired"], "expired at 2026-06-01T12:00:00.000Z"],
  ["now", "closed", true, ["expired", "pr-closed"], "expired at 2026-06-01T12:00:00.000Z; pull request #1 is closed"],
  ["now", "open", true, ["expired"], "expired at 2026-06-01T12:00:00.000Z"],
  ["now", "unknown", true, ["expired"], "expired at 2026-06-01T12:00:00.000Z"],
  ["future", "none", false, [], "expires at 2026-06-01T12:00:01.000Z"],
  ["future", "closed", true, ["pr-closed"], "pull request #1 is closed"],
  ["future", "open", false, [], "expires at 2026-06-01T12:00:01.000Z; pull request #2 is open"],
  ["future", "unknown", false, [], "expires at 2026-06-01T12:00:01.000Z; the state of pull request #3 is unknown"],
  ["invalid", "none", false, [], 'ExpiresAt "next tuesday" is not a date'],
  ["invalid", "closed", true, ["pr-closed"], "pull request #1 is closed"],
  ["invalid", "open", false, [], 'ExpiresAt "next tuesday" is not a date; pull request #2 is open'],
  ["invalid", "unknown", false, [], 'ExpiresAt "next tuesday" is not a date; the state of pull request #3 is unknown'],
];

test("selection: every ExpiresAt case against every pull request case", () => {
  assert.is(TABLE.length, Object.keys(EXPIRES).length * Object.keys(PRS).length);
  for (const [expires, pr, destroy, reasons, why] of TABLE) {
    const candidate: SweepCandidate = {
      name: `${expires}-${pr}`,
      source: "table",
      ...(EXPIRES[expires] !== undefined ? { expiresAt: EXPIRES[expires] } : {}),
      ...(PRS[pr] !== undefined ? { prNumber: PRS[pr] } : {}),
    };
    const [decision] = chooseForSweep([candidate], NOW, STATES);
    assert.equal({ destroy: decision!.destroy, reasons: decision!.reasons, why: decision!.why }, { destroy, reasons, why }, candidate.name);
  }
});

test("selection keeps the order given and decides each candidate on its own", () => {
  const decisions = chooseForSweep(
    [
      { name: "a", expiresAt: EXPIRES.future, source: "s" },
      { name: "b", expiresAt: EXPIRES.past, source: "s" },
      { name: "c", prNumber: 1, source: "s" },
    ],
    NOW,
    STATES,
  );
  assert.equal(decisions.map((d) => [d.candidate.name, d.destroy]), [["a", false], ["b", true], ["c", true]]);
});

test("candidates from a synthesized PR stack's default tags (as the stack reader gives them); a long-lived stack has none", () => {
  const prStack = { provider: { aws: [{ region: "us-east-1", default_tags: [{ tags: { Project: "seedstack", Stack: "pr-12", PR: "12", ExpiresAt: "2025-02-01T12:00:00Z" } }] }] } };
  const candidate = (name: string, json: unknown, source: string) => candidateFromTags(name, stackSettingsOf(json).defaultTags, source);
  assert.equal(candidate("pr-12", prStack, "cdktf.out/stacks/pr-12"), { name: "pr-12", expiresAt: "2025-02-01T12:00:00Z", prNumber: 12, source: "cdktf.out/stacks/pr-12" });
  const classic = { provider: { aws: [{ default_tags: [{ tags: { Project: "seedstack", Stack: "classic" } }] }] } };
  assert.equal(candidate("classic", classic, "x"), { name: "classic", source: "x" });
  assert.equal(candidate("odd", { provider: { aws: [{ default_tags: [{ tags: { PR: "twelve" } }] }] } }, "x"), { name: "odd", source: "x" });
  assert.equal(candidate("none", null, "x"), { name: "none", source: "x" });
});

const candidates: SweepCandidate[] = [
  { name: "pr-1", prNumber: 1, source: "s" },
  { name: "pr-2", prNumber: 2, expiresAt: EXPIRES.future, source: "s" },
  { name: "pr-1-again", prNumber: 1, expiresAt: EXPIRES.past, source: "s" },
  { name: "classic", source: "s" },
];

test("dry run by default: decides, asks about each pull request once, destroys nothing", async () => {
  const asked: number[] = [];
  const report = await sweep({
    candidates,
    now: NOW,
    isPullRequestClosed: async (n) => (asked.push(n), n === 1),
    destroy: async () => {
      assert.unreachable("a dry run destroyed something");
      return { ok: true, alreadyGone: true };
    },
  });
  assert.is(report.dryRun, true);
  assert.equal(asked, [1, 2]);
  assert.equal(report.decisions.filter((d) => d.destroy).map((d) => d.candidate.name), ["pr-1", "pr-1-again"]);
  assert.equal(report.destroyed, []);
});

test("not dry: every chosen environment is destroyed, on past a failure; a PR that cannot be read is unknown", async () => {
  const destroyedNames: string[] = [];
  const report = await sweep({
    candidates,
    now: NOW,
    dryRun: false,
    isPullRequestClosed: async (n) => {
      if (n === 2) throw new Error("GitHub answered 502");
      return true;
    },
    destroy: async (c) => {
      destroyedNames.push(c.name);
      return c.name === "pr-1" ? { ok: false, failure: { reason: "destroy-failed", step: "destroy", message: "boom" } } : { ok: true, alreadyGone: false };
    },
  });
  assert.equal(destroyedNames, ["pr-1", "pr-1-again"]);
  assert.equal(report.destroyed.map((d) => [d.name, d.result.ok]), [["pr-1", false], ["pr-1-again", true]]);
  assert.equal(report.problems, ["pull request #2: GitHub answered 502"]);
  assert.is(report.decisions.find((d) => d.candidate.name === "pr-2")!.why, "expires at 2026-06-01T12:00:01.000Z; the state of pull request #2 is unknown");
});

test("without a way to ask GitHub, only expiry decides", async () => {
  const report = await sweep({ candidates, now: NOW, destroy: async () => ({ ok: true, alreadyGone: true }) });
  assert.equal(report.decisions.filter((d) => d.destroy).map((d) => d.candidate.name), ["pr-1-again"]);
});

tfTest("real binary: the sweep finds recorded environments and destroys exactly the expired one through its own state", async () => {
  const expired = makeWorkspace();
  const live = makeWorkspace();
  const recordDir = join(expired.root, "records");
  const opts = (ws: typeof expired, name: string, expiresAt: string): TerraformEnvironmentOptions => ({
    name,
    stackDir: ws.stackDir,
    recordDir,
    env: ws.env,
    lockTimeoutSeconds: 1,
    expiresAt,
  });
  try {
    expired.writeStack(happyStack());
    live.writeStack(happyStack());
    const byName = { "pr-5": opts(expired, "pr-5", "2020-01-01T00:00:00Z"), "pr-6": opts(live, "pr-6", "2999-01-01T00:00:00Z") };
    assert.ok((await deployEnvironment(byName["pr-5"])).ok);
    assert.ok((await deployEnvironment(byName["pr-6"])).ok);

    const { records, problems } = listRecords(recordDir);
    assert.equal(problems, []);
    const report = await sweep({
      candidates: candidatesFromRecords(records, recordDir),
      dryRun: false,
      destroy: (c) => destroyEnvironment(byName[c.name as keyof typeof byName]),
    });
    assert.equal(report.destroyed, [{ name: "pr-5", result: { ok: true, alreadyGone: false } }]);
    assert.equal(listRecords(recordDir).records.map((r) => [r.name, r.status]), [["pr-6", "up"]]);
  } finally {
    expired.dispose();
    live.dispose();
  }
});

test.run();
