/**
 * `seedstack sweep` end to end: environments really applied by terraform from FIXTURE stacks
 * (terraform_data only, local state), recorded as the engine records them, and the GitHub STAND-IN
 * (test/github-stand-in/) answering GET /repos/{owner}/{repo}/pulls/{n} in GitHub's REST response
 * shape (found through GITHUB_API_URL, as on Actions runners and GitHub Enterprise Server).
 */
import { existsSync, mkdirSync, readFileSync, renameSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { startGitHubStandIn } from "../../test/github-stand-in/github-stand-in.js";
import { main } from "../cli/main.js";
import { deployEnvironment } from "./deploy.js";
import { readRecord } from "./environment-record.js";
import { TERRAFORM_AVAILABLE, makeWorkspace, type Workspace } from "./test-support/workspace.js";

const test = suite("seedstack sweep");
const tfTest = TERRAFORM_AVAILABLE ? test : test.skip;

function resources(stackDir: string): unknown[] {
  const path = join(stackDir, "terraform.tfstate");
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as { resources: unknown[] }).resources : [];
}

tfTest("dry run says what and why; --apply destroys exactly the expired and the closed-PR environments", async () => {
  const ws: Workspace = makeWorkspace();
  const gitHub = await startGitHubStandIn({
    token: "test-token",
    repository: "octo/seed",
    pulls: { 1: { state: "open", merged: false }, 2: { state: "closed", merged: true }, 3: { state: "open", merged: false } },
  });
  const savedApiUrl = process.env.GITHUB_API_URL;
  process.env.GITHUB_API_URL = gitHub.url;
  const stateDir = join(ws.root, "state");
  const recordDir = join(stateDir, "environments");
  const envs: Array<{ name: string; prNumber?: number; expiresAt?: string }> = [
    { name: "pr-1", prNumber: 1, expiresAt: "2020-01-01T00:00:00Z" }, // expired, PR open
    { name: "pr-2", prNumber: 2, expiresAt: "2099-01-01T00:00:00Z" }, // PR closed (merged)
    { name: "pr-3", prNumber: 3, expiresAt: "2099-01-01T00:00:00Z" }, // PR open, not expired: kept
    { name: "pr-4", prNumber: 4, expiresAt: "2099-01-01T00:00:00Z" }, // GitHub says 404: unknown, kept
    { name: "classic" }, // long-lived: never swept
  ];
  const dirOf = (name: string) => join(ws.root, name);
  try {
    for (const e of envs) {
      mkdirSync(dirOf(e.name));
      ws.writeStack({ terraform: { backend: { local: { path: "terraform.tfstate" } } }, resource: { terraform_data: { web: { input: e.name } } } });
      renameSync(join(ws.stackDir, "cdk.tf.json"), join(dirOf(e.name), "cdk.tf.json"));
      const deployed = await deployEnvironment({ name: e.name, stackDir: dirOf(e.name), recordDir, env: ws.env, ...(e.prNumber ? { prNumber: e.prNumber } : {}), ...(e.expiresAt ? { expiresAt: e.expiresAt } : {}) });
      assert.ok(deployed.ok, `fixture ${e.name} deployed: ${JSON.stringify(deployed)}`);
    }
    const args = ["sweep", "--state-dir", stateDir, "--github-token", "test-token", "--repo", "octo/seed"];
    const lines: string[] = [];
    assert.is(await main(args, (l) => void lines.push(l)), 0, lines.join("\n"));
    const out = lines.join("\n");
    assert.match(out, /would destroy pr-1: expired at 2020-01-01T00:00:00.000Z/);
    assert.match(out, /would destroy pr-2: pull request #2 is closed/);
    assert.match(out, /keep pr-3: expires at 2099-01-01T00:00:00.000Z; pull request #3 is open/);
    assert.match(out, /keep pr-4: expires at 2099-01-01T00:00:00.000Z; the state of pull request #4 is unknown/);
    assert.match(out, /could not ask GitHub: pull request #4: GET \/repos\/octo\/seed\/pulls\/4: HTTP 404: Not Found/);
    assert.match(out, /keep classic: no ExpiresAt and no pull request: a long-lived environment, never swept/);
    assert.match(out, /dry run: nothing was destroyed/);
    for (const e of envs) assert.is(resources(dirOf(e.name)).length, 1, `${e.name} untouched by the dry run`);
    assert.equal(gitHub.requests.map((r) => r.path).sort(), ["/repos/octo/seed/pulls/1", "/repos/octo/seed/pulls/2", "/repos/octo/seed/pulls/3", "/repos/octo/seed/pulls/4"]);
    assert.ok(gitHub.requests.every((r) => r.headers.accept === "application/vnd.github+json" && r.headers["x-github-api-version"] === "2022-11-28"), "GitHub's media type and API version on every request");

    const applied: string[] = [];
    assert.is(await main([...args, "--apply"], (l) => void applied.push(l)), 0, applied.join("\n"));
    const destroyed = envs.filter((e) => resources(dirOf(e.name)).length === 0).map((e) => e.name);
    assert.equal(destroyed, ["pr-1", "pr-2"], applied.join("\n"));
    assert.equal(envs.filter((e) => readRecord(recordDir, e.name) !== undefined).map((e) => e.name), ["pr-3", "pr-4", "classic"], "records of the destroyed are removed, the kept stay");
  } finally {
    if (savedApiUrl === undefined) delete process.env.GITHUB_API_URL;
    else process.env.GITHUB_API_URL = savedApiUrl;
    await gitHub.close();
    ws.dispose();
  }
});

tfTest("bad usage: --github-token without a repository is refused before anything is asked or destroyed", async () => {
  const ws = makeWorkspace();
  const saved = process.env.GITHUB_REPOSITORY;
  delete process.env.GITHUB_REPOSITORY;
  try {
    const lines: string[] = [];
    assert.is(await main(["sweep", "--state-dir", join(ws.root, "state"), "--github-token", "t"], (l) => void lines.push(l)), 2);
    assert.match(lines.join("\n"), /--github-token needs --repo owner\/name/);
  } finally {
    if (saved !== undefined) process.env.GITHUB_REPOSITORY = saved;
    ws.dispose();
  }
});

test.run();
