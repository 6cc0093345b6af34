/**
 * The action as shipped: action.yml agrees with the names in src/constants.ts, the committed bundle
 * is what the source builds, and every workflow passes actionlint and uses only inputs the action
 * declares.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { distDifferences } from "../check-dist.js";
import { Inputs, Outputs } from "../src/constants.js";
import { lintWorkflows, WORKFLOWS_DIR } from "../lint-workflows.js";

const actionYml = readFileSync(join(dirname(fileURLToPath(import.meta.url)), "..", "action.yml"), "utf8");

/** The keys at two spaces' indent under a top-level `section:` of a YAML file. */
function keysUnder(text: string, section: string): string[] {
  const lines = text.split("\n");
  const start = lines.indexOf(`${section}:`);
  if (start < 0) return [];
  const keys: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^\S/.test(line)) break;
    const m = /^ {2}([A-Za-z0-9_-]+):/.exec(line);
    if (m) keys.push(m[1]!);
  }
  return keys;
}

/** The `with:` keys of every step that runs `uses: ./action`. */
function localActionWithKeys(workflow: string): string[][] {
  const lines = workflow.split("\n");
  const steps: string[][] = [];
  lines.forEach((line, i) => {
    const m = /^(\s*)(?:- )?uses: \.\/action\s*$/.exec(line);
    if (!m) return;
    const stepIndent = m[1]!.length + (line.trimStart().startsWith("- ") ? 2 : 0);
    const keys: string[] = [];
    let inWith = false;
    for (const next of lines.slice(i + 1)) {
      const indent = next.length - next.trimStart().length;
      if (next.trim() === "") continue;
      if (indent < stepIndent || next.trimStart().startsWith("- ")) break;
      if (indent === stepIndent) inWith = next.trim() === "with:";
      else if (inWith && indent === stepIndent + 2) keys.push(next.trim().split(":")[0]!);
    }
    steps.push(keys);
  });
  return steps;
}

const test = suite("action packaging");

test("action.yml declares exactly the inputs and outputs of src/constants.ts", () => {
  assert.equal(keysUnder(actionYml, "inputs").sort(), Object.values(Inputs).sort());
  assert.equal(keysUnder(actionYml, "outputs").sort(), Object.values(Outputs).sort());
});

test("action.yml: a node24 JavaScript action with a post step that always runs", () => {
  const runs = actionYml.slice(actionYml.indexOf("\nruns:"));
  assert.ok(runs.includes("  using: node24\n"));
  assert.ok(runs.includes("  main: dist/main.mjs\n"));
  assert.ok(runs.includes("  post: dist/post.mjs\n"));
  assert.ok(runs.includes("  post-if: always()\n"));
  assert.ok(actionYml.includes("default: ${{ github.token }}"), "github-token defaults to the workflow's token");
});

test("action/README.md documents every input and output", () => {
  const readme = readFileSync(join(dirname(fileURLToPath(import.meta.url)), "..", "README.md"), "utf8");
  for (const name of [...Object.values(Inputs), ...Object.values(Outputs)]) assert.ok(readme.includes(`\`${name}\``), `README lacks ${name}`);
});

test("action/dist is current with action/src (rebuilt into a temp folder and compared)", async () => {
  const differences = await distDifferences();
  assert.equal(differences, [], `run npm run build:action and commit action/dist: ${differences.join(", ")}`);
});

test("every workflow passes actionlint", async () => {
  const { files, problems } = await lintWorkflows();
  const names = files.map((f) => f.split("/").pop());
  for (const expected of ["ci.yml", "pr-environment.yml", "sweeper.yml", "fork-pr-notice.yml"]) assert.ok(names.includes(expected), `${expected} is linted`);
  assert.equal(problems.map((p) => `${p.file}:${p.line}: ${p.message}`), []);
});

test("actionlint does report a broken workflow (the linter really runs)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "seedstack-actionlint-"));
  try {
    writeFileSync(join(dir, "broken.yml"), "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.no_such_thing }}\n");
    const { problems } = await lintWorkflows(dir);
    assert.is(problems.length, 1);
    assert.match(problems[0]!.message, /property "no_such_thing" is not defined/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("workflows pass ./action only inputs it declares", () => {
  const declared = new Set(keysUnder(actionYml, "inputs"));
  for (const file of ["pr-environment.yml", "sweeper.yml", "fork-pr-notice.yml"]) {
    const steps = localActionWithKeys(readFileSync(join(WORKFLOWS_DIR, file), "utf8"));
    assert.ok(steps.length > 0, `${file} uses ./action`);
    for (const keys of steps) for (const k of keys) assert.ok(declared.has(k), `${file} passes undeclared input ${k}`);
  }
});

test("pr-environment.yml: per-PR concurrency that never cancels, label events, least privilege (the comment, the deployment), OIDC, terraform without its wrapper, destroy on close", () => {
  const wf = readFileSync(join(WORKFLOWS_DIR, "pr-environment.yml"), "utf8");
  for (const expected of [
    "types: [opened, synchronize, reopened, closed, labeled, unlabeled]",
    "group: pr-environment-${{ github.event.pull_request.number }}",
    "cancel-in-progress: false",
    "permissions:\n  contents: read\n  pull-requests: write\n  deployments: write ",
    "uses: aws-actions/configure-aws-credentials@",
    "role-to-assume:",
    "terraform_wrapper: false",
    "mode: ${{ github.event.action == 'closed' && 'destroy' || 'deploy' }}",
    "if: github.event.pull_request.head.repo.full_name == github.repository",
  ]) {
    assert.ok(wf.includes(expected), `pr-environment.yml lacks: ${expected}`);
  }
  assert.not.ok(/aws-access-key-id|aws-secret-access-key/.test(wf), "no long-lived keys");
});

test("fork-pr-notice.yml never checks out the fork's code", () => {
  const wf = readFileSync(join(WORKFLOWS_DIR, "fork-pr-notice.yml"), "utf8");
  assert.ok(wf.includes("pull_request_target"));
  assert.not.ok(/ref:|head\.sha|head\.ref/.test(wf.replace(/^#.*$/gm, "")), "checkout takes the base branch");
  assert.not.ok(wf.includes("id-token"), "no cloud credentials");
});

test("sweeper.yml runs on a schedule in mode sweep, over the state bucket, asking GitHub about pull requests and lock holders' runs", () => {
  const wf = readFileSync(join(WORKFLOWS_DIR, "sweeper.yml"), "utf8");
  assert.ok(wf.includes("schedule:\n    - cron:"));
  assert.ok(wf.includes("mode: sweep"));
  assert.ok(/^  pull-requests: read$/m.test(wf), "pull-requests: read");
  assert.ok(/^  actions: read\b/m.test(wf), "actions: read");
  assert.ok(/SEEDSTACK_STATE_BUCKET: \$\{\{ vars\.SEEDSTACK_STATE_BUCKET \}\}/.test(wf), "the action is given the state bucket");
  // The action's sweep mode sweeps the state bucket: no separate CLI sweep before it.
  assert.not.ok(/seedstack -- sweep/.test(wf.replace(/^\s*#.*$/gm, "")), "no stop-gap CLI sweep step");
});

test.run();
