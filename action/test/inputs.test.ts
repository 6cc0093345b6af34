/** Inputs, the event and the comment marker: pure parsing, checked against literal expectations. */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { MAX_SWEEP_TTL_HOURS } from "../../lifecycle/index.js";
import { MAX_TTL_HOURS as STACKS_MAX_TTL_HOURS } from "../../stacks/config.js";
import { Inputs } from "../src/constants.js";
import { InputError, readInputs, splitArgs } from "../src/inputs.js";
import { marker, parseMarker } from "../src/pr-comment.js";
import { isFork, pullRequestFromEvent, type PullRequestInfo } from "../src/pull-request.js";
import { pullRequestEvent } from "./run-action.js";

const pr: PullRequestInfo = { number: 12, createdAt: "2026-11-28T09:15:00Z", action: "opened", headRepo: "o/r", baseRepo: "o/r", headSha: "abc", labels: [] };
const from = (values: Partial<Record<Inputs, string>>) => (name: Inputs) => values[name] ?? "";

const inputs = suite("inputs");
inputs("defaults: terraform engine, pr mode, stack pr-<n>, 24 h TTL, 5 min lock timeout, comment on, drill off", () => {
  const got = readInputs(from({ [Inputs.GitHubToken]: "t" }), pr, "/ws");
  assert.equal(got, { stack: "pr-12", engine: "terraform", mode: "pr", workingDirectory: "/ws", token: "t", prNumber: 12, ttlHours: 24, lockTimeoutSeconds: 300, extraArgs: [], drill: false, comment: true });
});
inputs("the label input is read (absent when empty); a name longer than GitHub allows is refused", () => {
  assert.is(readInputs(from({ [Inputs.GitHubToken]: "t", [Inputs.Label]: " preview " }), pr, "/ws").label, "preview");
  assert.not.ok("label" in readInputs(from({ [Inputs.GitHubToken]: "t" }), pr, "/ws"));
  assert.throws(() => readInputs(from({ [Inputs.GitHubToken]: "t", [Inputs.Label]: "x".repeat(51) }), pr, "/ws"), /label: .* longer than a GitHub label can be \(50 characters\)/);
});
inputs("the pr-number input wins over the event; relative directories start at the workspace", () => {
  const got = readInputs(from({ [Inputs.GitHubToken]: "t", [Inputs.PrNumber]: "7", [Inputs.WorkingDirectory]: "infra" }), pr, "/ws");
  assert.is(got.prNumber, 7);
  assert.is(got.stack, "pr-7");
  assert.is(got.workingDirectory, "/ws/infra");
});
inputs("every problem at once, each naming the input and the value", () => {
  try {
    readInputs(from({ [Inputs.Engine]: "pulumi", [Inputs.Mode]: "yolo", [Inputs.Ttl]: "0", [Inputs.LockTimeout]: "5 minutes", [Inputs.Comment]: "yes", [Inputs.TerraformArgs]: '-var "x' }), undefined, "/ws");
    assert.unreachable("should have thrown");
  } catch (e) {
    assert.instance(e, InputError);
    const problems = (e as InputError).problems.join("\n");
    for (const expected of ['engine: "pulumi"', 'mode: "yolo"', 'ttl: "0"', 'lock-timeout: "5 minutes"', 'comment: "yes"', "terraform-args: has an unclosed \" quote", "stack: not set", "github-token: empty"]) {
      assert.ok(problems.includes(expected), `missing "${expected}" in:\n${problems}`);
    }
  }
});
inputs("ttl: up to 720 hours in every mode; a longer one is refused when the inputs are read, naming the limit and why", () => {
  // The limit is the sweeper's (which the Action uses), and the stacks' the same: a longer ttl
  // would fail synthesis (pr, deploy) or the sweep itself.
  assert.is(MAX_SWEEP_TTL_HOURS, STACKS_MAX_TTL_HOURS);
  for (const mode of ["pr", "deploy", "sweep"]) {
    assert.is(readInputs(from({ [Inputs.GitHubToken]: "t", [Inputs.Mode]: mode, [Inputs.Ttl]: "720h" }), pr, "/ws").ttlHours, 720);
    for (const ttl of ["721", "1000h", "99999999999999999999"]) {
      assert.throws(
        () => readInputs(from({ [Inputs.GitHubToken]: "t", [Inputs.Mode]: mode, [Inputs.Ttl]: ttl }), pr, "/ws"),
        (e: unknown) => e instanceof InputError && e.problems.length === 1 && e.problems[0] === `ttl: "${ttl}" is more than 720 hours (30 days), the longest the stacks (SEEDSTACK_TTL_HOURS) and the sweeper accept: an environment meant to live longer is not ephemeral; deploy a long-lived stack instead`,
        `${mode} with ttl ${ttl}`,
      );
    }
  }
});
inputs("terraform arguments: quotes group words, whitespace separates them", () => {
  assert.equal(splitArgs(`-parallelism=4  -var 'a=b c' -var "d=" -refresh=false`), ["-parallelism=4", "-var", "a=b c", "-var", "d=", "-refresh=false"]);
  assert.equal(splitArgs(""), []);
  assert.equal(splitArgs('x "" y'), ["x", "", "y"]);
});
inputs.run();

const event = suite("pull request event");
event("reads number, creation time (to the second), repositories and head commit", () => {
  const got = pullRequestFromEvent(pullRequestEvent({ number: 31, action: "reopened", createdAt: "2026-01-02T03:04:05.678Z", headRepo: "fork/webshop" }));
  assert.equal(got, { number: 31, createdAt: "2026-01-02T03:04:05Z", action: "reopened", headRepo: "fork/webshop", baseRepo: "octo-org/webshop", headSha: "4f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39", labels: [] });
  assert.ok(isFork(got!));
});
event("a deleted fork (head.repo null) is a fork; not a PR event gives undefined; a broken one a clear error", () => {
  assert.ok(isFork(pullRequestFromEvent(pullRequestEvent({ number: 3, action: "opened", createdAt: "2026-01-02T03:04:05Z", headRepo: null }))!));
  assert.is(pullRequestFromEvent({ schedule: "17 * * * *" }), undefined);
  assert.throws(() => pullRequestFromEvent({ pull_request: { number: 3, created_at: "yesterday" } }), /pull_request.created_at is not a time: "yesterday"/);
});
event.run();

const markers = suite("comment marker");
markers("carries stack and PR as JSON; round-trips; foreign or malformed markers are not ours", () => {
  assert.is(marker({ stack: "classic", pr: 12 }), '<!-- seedstack:env {"stack":"classic","pr":12} -->');
  assert.equal(parseMarker('<!-- seedstack:env {"stack":"classic","pr":12} -->\n## report'), { stack: "classic", pr: 12 });
  assert.is(parseMarker('<!-- seedstack:env {"stack":"classic"} -->'), undefined);
  assert.is(parseMarker("<!-- seedstack:env {not json} -->"), undefined);
  assert.is(parseMarker('text first\n<!-- seedstack:env {"stack":"classic","pr":12} -->'), undefined);
});
markers.run();
