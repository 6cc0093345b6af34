/**
 * No workflow and no README example may run another repository's action by a movable ref
 * (action/pinned-actions.ts): each is a full commit SHA with its version in a comment.
 */
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { actionReferences, filesToCheck, repositoryPinProblems, unpinnedReferences } from "../pinned-actions.js";

const SHA = "3d3c42e5aac5ba805825da76410c181273ba90b1";

test("every workflow and README example pins its actions to a full commit SHA with the version in a comment", () => {
  const problems = repositoryPinProblems();
  assert.equal(problems.map((p) => `${p.file}:${p.line}: ${p.action}: ${p.problem}`), []);
});

test("the check reads the files that hold actions (workflows and the action's README example)", () => {
  const files = filesToCheck();
  const withReferences = files.filter((f) => actionReferences(readFileSync(f, "utf8"), f).length > 0).map((f) => f.split("/").slice(-2).join("/"));
  for (const expected of ["workflows/ci.yml", "workflows/pr-environment.yml", "workflows/sweeper.yml", "workflows/fork-pr-notice.yml", "action/README.md"]) {
    assert.ok(withReferences.includes(expected), `${expected} has action references the check reads`);
  }
});

test("one action, one pin: every file runs the same commit of it, named by the same version", () => {
  const pins = new Map<string, Set<string>>();
  for (const file of filesToCheck()) {
    for (const r of actionReferences(readFileSync(file, "utf8"), file)) {
      if (!/^[0-9a-f]{40}$/.test(r.ref)) continue;
      const seen = pins.get(r.action) ?? new Set<string>();
      seen.add(`${r.ref} # ${r.version}`);
      pins.set(r.action, seen);
    }
  }
  assert.ok(pins.has("actions/checkout") && pins.has("hashicorp/setup-terraform"), "the pinned actions are found");
  for (const [action, seen] of pins) assert.is(seen.size, 1, `${action} is pinned differently: ${[...seen].join(", ")}`);
});

test("a movable tag, a branch, a short SHA, no ref, or a SHA without its version are each reported", () => {
  const workflow = [
    "steps:",
    "  - uses: actions/checkout@v4",
    "  - uses: actions/setup-node@main",
    "  - uses: hashicorp/setup-terraform@dfe3c3f",
    "  - uses: aws-actions/configure-aws-credentials",
    `  - uses: actions/checkout@${SHA}`,
    `  - uses: "owner/repo/sub/path@v1.2.3" # v1.2.3`,
  ].join("\n");
  const problems = unpinnedReferences(workflow, "wf.yml");
  assert.equal(
    problems.map((p) => [p.line, p.action, p.ref]),
    [
      [2, "actions/checkout", "v4"],
      [3, "actions/setup-node", "main"],
      [4, "hashicorp/setup-terraform", "dfe3c3f"],
      [5, "aws-actions/configure-aws-credentials", ""],
      [6, "actions/checkout", SHA],
      [7, "owner/repo/sub/path", "v1.2.3"],
    ],
  );
  assert.match(problems[0]!.problem, "@v4 is a movable ref");
  assert.match(problems[3]!.problem, "no ref at all");
  assert.match(problems[4]!.problem, "no `# vX.Y.Z` comment");
});

test("pinned references, local actions and docker images pass", () => {
  const workflow = [
    `      - uses: actions/checkout@${SHA} # v7.0.1`,
    `        uses: 'actions/setup-node@${SHA}'  #  v7.0.0`,
    "      - uses: ./action",
    "      - uses: docker://alpine:3.20",
    "      - run: echo uses: actions/checkout@v4", // not a uses: key
  ].join("\n");
  assert.equal(unpinnedReferences(workflow, "wf.yml"), []);
  assert.equal(actionReferences(workflow, "wf.yml").map((r) => r.version), ["v7.0.1", "v7.0.0"]);
});

test("Markdown: the YAML examples in a README are checked the same way", () => {
  const readme = ["# Use it", "", "```yaml", "steps:", "  - uses: actions/checkout@v4", "```", "Pin `actions/checkout@v4` to a SHA (prose is not checked)."].join("\n");
  assert.equal(unpinnedReferences(readme, "README.md").map((p) => p.line), [5]);
});

test.run();
