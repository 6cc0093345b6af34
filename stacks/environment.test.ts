import { test } from "uvu";
import * as assert from "uvu/assert";
import { loadConfig } from "./config.js";
import { environmentsFor, longLivedEnvironment, prEnvironment } from "./environment.js";
import { validateNamePrefix } from "../modules/naming.js";

const config = (env: Record<string, string> = {}) =>
  loadConfig({ env: { SEEDSTACK_OWNER: "octocat", SEEDSTACK_CREATED_AT: "2025-01-31T12:00:00Z", ...env } });

test("classic and autoscaled always; pr-<n> only with a PR number", () => {
  assert.equal(environmentsFor(config()).map((e) => e.stackName), ["classic", "autoscaled"]);
  assert.equal(environmentsFor(config({ SEEDSTACK_PR_NUMBER: "12" })).map((e) => e.stackName), ["classic", "autoscaled", "pr-12"]);
});

test("a PR environment copies the chosen topology, classic by default", () => {
  assert.is(prEnvironment(config(), 3).topology, "classic");
  assert.is(prEnvironment(config({ SEEDSTACK_PR_TOPOLOGY: "autoscaled" }), 3).topology, "autoscaled");
});

test("PR tags record owner, PR, creation and expiry (creation + TTL)", () => {
  const env = prEnvironment(config({ SEEDSTACK_TTL_HOURS: "36" }), 12);
  assert.equal(env.tags, {
    Project: "seedstack",
    Stack: "pr-12",
    Owner: "octocat",
    PR: "12",
    CreatedAt: "2025-01-31T12:00:00Z",
    ExpiresAt: "2025-02-02T00:00:00Z",
  });
  assert.ok(env.ephemeral);
});

test("long-lived stacks carry no creation time (it would re-tag everything on each apply) and are not ephemeral", () => {
  const env = longLivedEnvironment(config(), "classic");
  assert.equal(env.tags, { Project: "seedstack", Stack: "classic", Owner: "octocat" });
  assert.not.ok(env.ephemeral);
});

test("every stack's name prefix is a valid construct prefix, even at the limits", () => {
  const longest = config({ SEEDSTACK_NAME_PREFIX: "abcdefghi", SEEDSTACK_PR_NUMBER: "9999999" });
  for (const env of environmentsFor(longest)) {
    validateNamePrefix(env.namePrefix, env.stackName);
    assert.ok(env.namePrefix.length <= 20, `${env.namePrefix}: the constructs accept 20 characters`);
  }
});

test("different PRs and different app prefixes give different name prefixes", () => {
  const prefixes = [
    prEnvironment(config(), 1).namePrefix,
    prEnvironment(config(), 11).namePrefix,
    prEnvironment(config({ SEEDSTACK_NAME_PREFIX: "other" }), 1).namePrefix,
    longLivedEnvironment(config(), "classic").namePrefix,
    longLivedEnvironment(config(), "autoscaled").namePrefix,
  ];
  assert.is(new Set(prefixes).size, prefixes.length, prefixes.join(", "));
});

test.run();
