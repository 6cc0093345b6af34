import { test } from "uvu";
import * as assert from "uvu/assert";
import { COLD_BOOT_SECONDS, COLD_BOOT_STEPS, DEFAULT_HEALTH_CHECK_GRACE_SECONDS } from "./boot-budget.js";
import { renderUserData } from "./user-data.js";
import { fixtureArtifact } from "../test/compute-fixtures.js";

const database = {
  host: "seed-db.abc123.us-east-1.rds.amazonaws.com",
  port: 5432,
  databaseName: "seed",
  username: "seedadmin",
  secretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1234-AbCdEf",
};

test("the cold boot is budgeted at 284 s and the grace period is 300 s, the next whole minute", () => {
  assert.is(COLD_BOOT_SECONDS, 284);
  assert.is(DEFAULT_HEALTH_CHECK_GRACE_SECONDS, 300);
  assert.ok(DEFAULT_HEALTH_CHECK_GRACE_SECONDS >= COLD_BOOT_SECONDS, "the grace period covers the whole budget");
});

test("every network call the boot script retries has a step in the budget (a new one must be budgeted)", () => {
  for (const withDatabase of [false, true]) {
    const script = renderUserData({ artifact: fixtureArtifact, port: 8080, drainSeconds: 15, logLevel: "info", ...(withDatabase ? { database } : {}) });
    const retried = [...script.matchAll(/(?:^|\$\()retry (.+?)(?:\)|$)/gm)].map((m) => m[1]!);
    assert.equal(retried.length, 3, `retried commands: ${retried.join(" | ")}`);
    for (const command of retried) {
      assert.ok(COLD_BOOT_STEPS.some((s) => s.retriedCommand !== undefined && command.startsWith(s.retriedCommand)), `no budget step for: retry ${command}`);
    }
  }
});

test("the package install, the slowest step, is budgeted twice: the script retries it", () => {
  const install = COLD_BOOT_STEPS.find((s) => s.retriedCommand === "dnf install")!;
  assert.is(install.seconds, 90);
  const retry = COLD_BOOT_STEPS.find((s) => s.step.startsWith("one retry of the install"))!;
  assert.is(retry.seconds, 5 + install.seconds, "the first back-off of retry() is 5 s");
  assert.match(renderUserData({ artifact: fixtureArtifact, port: 8080, drainSeconds: 15, logLevel: "info" }), /sleep \$\(\(attempt \* 5\)\)/);
});

test.run();
