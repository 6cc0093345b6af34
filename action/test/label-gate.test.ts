/** The opt-in label, the handled events and the swept PR's number: pure decisions on literal events. */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { Inputs } from "../src/constants.js";
import { sweptPrNumber } from "../src/deployment-steps.js";
import { checkHandledEvent, UnhandledEventError } from "../src/event-gate.js";
import { InputError } from "../src/inputs.js";
import { gateByLabel, labelDecision } from "../src/label-gate.js";
import { pullRequestFromEvent, type PullRequestInfo } from "../src/pull-request.js";
import { pullRequestEvent } from "./run-action.js";

const CREATED = "2026-11-28T09:15:00Z";
const pr = (action: string, labels: string[] = [], label?: string): PullRequestInfo =>
  pullRequestFromEvent(pullRequestEvent({ number: 12, action, createdAt: CREATED, labels, ...(label !== undefined ? { label } : {}) }))!;

const test = suite("label gate and handled events");

test("the event's labels and the label of a labeled event are read from the payload", () => {
  const got = pr("labeled", ["bug", "preview"], "preview");
  assert.equal(got.labels, ["bug", "preview"]);
  assert.is(got.eventLabel, "preview");
  assert.is(pr("synchronize").eventLabel, undefined);
});

test("without the label input: every PR runs in its mode; label events do nothing", () => {
  assert.equal(labelDecision(pr("synchronize"), undefined, "deploy"), { run: true, destroy: false });
  assert.equal(labelDecision(pr("closed"), undefined, "destroy"), { run: true, destroy: false });
  const ev = labelDecision(pr("unlabeled", [], "preview"), undefined, "deploy");
  assert.is(ev.run, false);
});

test("with the label: unlabelled PRs skip (also on close), labelled PRs run, removing it destroys, other labels do nothing", () => {
  assert.is(labelDecision(pr("synchronize", ["bug"]), "preview", "deploy").run, false);
  const closedUnlabelled = labelDecision(pr("closed", []), "preview", "destroy");
  assert.ok(!closedUnlabelled.run && closedUnlabelled.reason.includes("no environment to destroy"));
  assert.equal(labelDecision(pr("closed", ["preview"]), "preview", "destroy"), { run: true, destroy: false });
  assert.equal(labelDecision(pr("labeled", ["preview"], "preview"), "preview", "deploy"), { run: true, destroy: false });
  assert.equal(labelDecision(pr("unlabeled", [], "preview"), "preview", "deploy"), { run: true, destroy: true });
  assert.is(labelDecision(pr("unlabeled", ["preview"], "bug"), "preview", "deploy").run, false);
  assert.is(labelDecision(pr("labeled", ["preview", "bug"], "bug"), "preview", "deploy").run, false, "another label on a labelled PR: no redeploy");
});

test("no pull request in the event (pr-number given) or a sweep: the label does not apply", () => {
  assert.equal(labelDecision(undefined, "preview", "deploy"), { run: true, destroy: false });
  assert.equal(labelDecision(pr("synchronize"), "preview", "sweep"), { run: true, destroy: false });
});

test("gateByLabel turns a removed label into mode destroy, and says why it skips", () => {
  const said: string[] = [];
  const log = { info: (m: string) => said.push(m) };
  assert.equal(gateByLabel({ mode: "deploy", label: "preview" }, pr("unlabeled", [], "preview"), log), { mode: "destroy", label: "preview" });
  assert.is(gateByLabel({ mode: "deploy", label: "preview" }, pr("opened"), log), undefined);
  assert.ok(said.some((m) => m.includes('does not carry the "preview" label')), said.join("\n"));
});

test("handled events: a PR event, any event with pr-number, a sweep; anything else is refused saying what is expected", () => {
  const get = (values: Partial<Record<Inputs, string>>) => (name: Inputs) => values[name] ?? "";
  checkHandledEvent("pull_request", pr("opened"), get({}));
  checkHandledEvent("workflow_dispatch", undefined, get({ [Inputs.PrNumber]: "12" }));
  checkHandledEvent("schedule", undefined, get({ [Inputs.Mode]: "sweep" }));
  try {
    checkHandledEvent("push", undefined, get({ [Inputs.Stack]: "classic" }));
    assert.unreachable("a push without pr-number is refused");
  } catch (error) {
    assert.instance(error, UnhandledEventError);
    assert.instance(error, InputError, "reported as a user error, without a stack trace");
    assert.match((error as Error).message, "the `push` event names no pull request");
    assert.match((error as Error).message, "`mode: sweep`");
  }
});

test("the swept environment's PR: from a pr-<n> stack only", () => {
  assert.is(sweptPrNumber("seedstack-pr-12"), 12);
  assert.is(sweptPrNumber("pr-7"), 7);
  assert.is(sweptPrNumber("seedstack-classic"), undefined);
  assert.is(sweptPrNumber("seedstack-pr-12-old"), undefined);
});

test.run();
