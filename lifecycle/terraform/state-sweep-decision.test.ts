/** The state bucket's keys and the sweeper's decision, on literal data (pure functions). */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseStateKey, stateIsEmpty, stateObjectsOf } from "./state-objects.js";
import { decideStateSweep } from "./state-sweep-decision.js";

const NOW = new Date("2026-12-02T12:00:00Z");
const at = (iso: string) => new Date(iso);

test("parseStateKey: the stacks' state key and the hand-over note; lock files, other prefixes and odd names are other", () => {
  assert.equal(parseStateKey("seedstack/pr-12/terraform.tfstate", "seedstack"), { kind: "state", stackName: "pr-12", prNumber: 12 });
  assert.equal(parseStateKey("seedstack/pr-12/needs-destroy.json", "seedstack"), { kind: "handover", stackName: "pr-12", prNumber: 12 });
  for (const key of [
    "seedstack/pr-12/terraform.tfstate.tflock",
    "seedstack/classic/terraform.tfstate",
    "other/pr-12/terraform.tfstate",
    "seedstack2/pr-12/terraform.tfstate",
    "seedstack/pr-012/terraform.tfstate",
    "seedstack/pr-0/terraform.tfstate",
    "seedstack/pr-12/x/terraform.tfstate",
    "seedstack/pr-12345678/terraform.tfstate",
  ]) assert.equal(parseStateKey(key, "seedstack"), { kind: "other" }, key);
  assert.equal(parseStateKey("acme/pr-3/terraform.tfstate", "acme"), { kind: "state", stackName: "pr-3", prNumber: 3 });
});

test("stateObjectsOf: states sorted by PR, notes matched by number, the rest ignored", () => {
  const { states, handoverKeys, ignored } = stateObjectsOf(
    [
      { Key: "seedstack/pr-9/terraform.tfstate", LastModified: at("2026-12-01T00:00:00Z") },
      { Key: "seedstack/pr-9/terraform.tfstate.tflock", LastModified: at("2026-12-01T00:00:00Z") },
      { Key: "seedstack/pr-2/needs-destroy.json", LastModified: at("2026-12-01T00:00:00Z") },
      { Key: "seedstack/pr-2/terraform.tfstate", LastModified: at("2026-11-01T00:00:00Z") },
    ],
    "seedstack",
  );
  assert.equal(states.map((s) => s.stackName), ["pr-2", "pr-9"]);
  assert.equal([...handoverKeys], [[2, "seedstack/pr-2/needs-destroy.json"]]);
  assert.equal(ignored, ["seedstack/pr-9/terraform.tfstate.tflock"]);
});

test("decideStateSweep: the TTL counts from the last deploy, not from the PR's age", () => {
  const state = (n: number, lastModified: string) => ({ key: `seedstack/pr-${n}/terraform.tfstate`, stackName: `pr-${n}`, prNumber: n, lastModified: at(lastModified) });
  const prs = new Map([[1, "open" as const], [2, "open" as const], [3, "closed" as const]]);
  const d = decideStateSweep([state(1, "2026-12-02T11:00:00Z"), state(2, "2026-12-01T12:00:00Z"), state(3, "2026-12-02T11:59:00Z"), state(4, "2026-12-02T11:00:00Z")], prs, { ttlHours: 24, now: NOW });
  assert.equal(d.map((x) => [x.state.stackName, x.destroy, x.reasons]), [
    ["pr-1", false, []],
    ["pr-2", true, ["expired"]], // exactly 24 h: at or before now
    ["pr-3", true, ["pr-closed"]],
    ["pr-4", false, []], // GitHub did not say: never destroyed for being closed
  ]);
  assert.is(d[0]!.why, "last deployed 2026-12-02T11:00:00.000Z, expires at 2026-12-03T11:00:00.000Z; pull request #1 is open");
  assert.is(d[1]!.why, "last deployed 2026-12-01T12:00:00.000Z, expired at 2026-12-02T12:00:00.000Z (TTL 24 h)");
  assert.is(d[3]!.why, "last deployed 2026-12-02T11:00:00.000Z, expires at 2026-12-03T11:00:00.000Z; the state of pull request #4 is unknown");
  assert.equal(d[0]!.expiresAt, at("2026-12-03T11:00:00Z"));
});

test("decideStateSweep: a hand-over note destroys a fresh environment of an open PR", () => {
  const d = decideStateSweep(
    [{ key: "k", stackName: "pr-5", prNumber: 5, lastModified: NOW, handover: { reason: "cancelled: post step ran out of time", since: "2026-12-02T11:30:00Z" } }],
    new Map([[5, "open" as const]]),
    { ttlHours: 1, now: NOW },
  );
  assert.equal(d[0]!.reasons, ["handed-over"]);
  assert.is(d[0]!.why, "a destroy was handed over at 2026-12-02T11:30:00Z: cancelled: post step ran out of time");
});

test("decideStateSweep: a TTL that is not 1..720 whole hours is refused, naming it", () => {
  for (const ttl of [0, 1.5, 721, Number.NaN]) assert.throws(() => decideStateSweep([], new Map(), { ttlHours: ttl, now: NOW }), /TTL must be a whole number of hours from 1 to 720/);
});

test("stateIsEmpty: only a state whose resources list is empty", () => {
  assert.ok(stateIsEmpty('{"version":4,"resources":[]}'));
  assert.not.ok(stateIsEmpty('{"version":4,"resources":[{}]}'));
  assert.not.ok(stateIsEmpty("{"));
  assert.not.ok(stateIsEmpty('{"version":4}'));
});

test.run();
