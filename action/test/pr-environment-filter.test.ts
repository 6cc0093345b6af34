/**
 * pr-environment.yml starts a runner only for the pull-request events the action acts on: its
 * job-level `if:`, evaluated by the expression STAND-IN (workflow-expression.ts) on events shaped
 * like GitHub's, agrees with the action's own label gate (label-gate.ts) on every event type,
 * with and without the opt-in label, whatever labels the PR carries; forks get no runner; and the
 * README's example to copy carries the same condition.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { findPackageRoot } from "../../shared/package-root.js";
import { WORKFLOWS_DIR } from "../lint-workflows.js";
import { labelDecision } from "../src/label-gate.js";
import { pullRequestFromEvent } from "../src/pull-request.js";
import { pullRequestEvent } from "./run-action.js";
import { conditionHolds, evaluateExpression, type ExpressionValue } from "./workflow-expression.js";

const workflow = readFileSync(join(WORKFLOWS_DIR, "pr-environment.yml"), "utf8");

/** The `environment` job's `if:`, a plain scalar that may go on over more-indented lines. */
function jobCondition(text: string): string {
  const lines = text.split("\n");
  const job = lines.indexOf("  environment:");
  const start = lines.findIndex((line, i) => i > job && line.startsWith("    if: "));
  assert.ok(job >= 0 && start > job, "pr-environment.yml has an `environment` job with an `if:`");
  const parts = [lines[start]!.slice("    if: ".length)];
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith("     ")) break;
    parts.push(line.trim());
  }
  return parts.join(" ");
}

const condition = jobCondition(workflow);
const REPOSITORY = "octo-org/webshop";

/** Whether the job runs for `event` with the repository variable SEEDSTACK_PR_LABEL = `label`. */
function jobRuns(event: unknown, label: string): boolean {
  const vars: Record<string, ExpressionValue> = label === "" ? {} : { SEEDSTACK_PR_LABEL: label };
  const context = { github: { repository: REPOSITORY, event: event as ExpressionValue }, vars };
  return conditionHolds(condition, context);
}

test("the action is given the label the condition filters on", () => {
  assert.match(workflow, /\n {10}label: \$\{\{ vars\.SEEDSTACK_PR_LABEL \}\}\n/);
});

test("a runner starts exactly for the events the action acts on, with and without the opt-in label", () => {
  const checked: string[] = [];
  for (const label of ["", "preview"]) {
    for (const action of ["opened", "synchronize", "reopened", "closed", "labeled", "unlabeled"]) {
      const eventLabels = action === "labeled" || action === "unlabeled" ? ["preview", "bug"] : [undefined];
      for (const eventLabel of eventLabels) {
        for (const others of [[], ["bug"], ["preview"], ["bug", "preview"]]) {
          // As GitHub sends it: the labels after the change, the one added among them, the one removed not.
          const carried = others.filter((l) => l !== eventLabel).concat(action === "labeled" ? [eventLabel!] : []);
          const event = pullRequestEvent({ number: 12, action, createdAt: "2026-11-28T09:15:00Z", labels: carried, ...(eventLabel !== undefined ? { label: eventLabel } : {}) });
          const mode = action === "closed" ? "destroy" : "deploy";
          const acts = labelDecision(pullRequestFromEvent(event), label === "" ? undefined : label, mode).run;
          const what = `label input ${JSON.stringify(label)}, ${action}${eventLabel ? ` ${eventLabel}` : ""}, PR labels [${carried.join(", ")}]`;
          assert.is(jobRuns(event, label), acts, `${what}: the action ${acts ? "acts" : "does nothing"}`);
          checked.push(what);
        }
      }
    }
  }
  assert.is(checked.length, 2 * (4 + 2 * 2) * 4);
});

test("the README's example workflow to copy has the same condition and passes the same label", () => {
  const readme = readFileSync(join(findPackageRoot(), "action", "README.md"), "utf8");
  assert.is(jobCondition(readme), condition);
  assert.match(readme, /\n {10}label: \$\{\{ vars\.SEEDSTACK_PR_LABEL \}\}\n/);
});

test("the one-run-per-PR group is the job's, not the workflow's: a run the `if:` skips never joins it (GitHub keeps one pending run per group and cancels the older one)", () => {
  const readme = readFileSync(join(findPackageRoot(), "action", "README.md"), "utf8");
  for (const [name, text] of [["pr-environment.yml", workflow], ["action/README.md", readme]] as const) {
    assert.not.match(text, /^concurrency:/m, `${name}: no workflow-level concurrency`);
    const job = text.slice(text.indexOf("\n  environment:\n"));
    assert.match(job, /\n {4}concurrency:\n {6}group: pr-environment-\$\{\{ github\.event\.pull_request\.number \}\}\n {6}cancel-in-progress: false/, `${name}: the job's group`);
  }
});

test("a pull request from a fork starts no runner, whatever the labels", () => {
  for (const label of ["", "preview"]) {
    for (const action of ["opened", "labeled"]) {
      const event = pullRequestEvent({ number: 12, action, createdAt: "2026-11-28T09:15:00Z", headRepo: "mallory/webshop", labels: ["preview"], label: "preview" });
      assert.is(jobRuns(event, label), false, `${action}, label ${JSON.stringify(label)}`);
    }
  }
});

test("the stand-in follows GitHub's rules: case-insensitive, missing is '', the object filter, operands returned, unknown functions refused", () => {
  const ctx = { github: { event: { Label: { name: "Preview" }, pull_request: { labels: [{ name: "a" }, { name: "B" }] } } }, vars: {} };
  assert.is(evaluateExpression("github.event.label.name == 'preview'", ctx), true);
  assert.is(evaluateExpression("vars.UNSET == ''", ctx), true);
  assert.is(evaluateExpression("github.event.nothing.here == ''", ctx), true);
  assert.equal(evaluateExpression("github.event.pull_request.labels.*.name", ctx), ["a", "B"]);
  assert.is(evaluateExpression("contains(github.event.pull_request.labels.*.name, 'b')", ctx), true);
  assert.is(evaluateExpression("contains(github.event.pull_request.labels.*.name, 'c')", ctx), false);
  assert.is(evaluateExpression("'x' && 'y'", ctx), "y");
  assert.is(evaluateExpression("'' || 'it''s'", ctx), "it's");
  assert.is(evaluateExpression("!(1 == 1) || false", ctx), false);
  assert.throws(() => evaluateExpression("startsWith('ab', 'a')", ctx), /startsWith\(\) is not part of this stand-in/);
  assert.throws(() => evaluateExpression("1 < 2", ctx), /cannot read "< 2"/);
});

test.run();
