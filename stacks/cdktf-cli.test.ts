/**
 * `npm run cdktf -- <command>` and `npm run synth` (stacks/cdktf-cli.ts) report a bad configuration
 * once, before cdktf starts (issue 8, item 7: it used to appear twice, because the cdktf CLI prints
 * the app's output as it comes and again in its "encountered an error while synthesizing" box).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { findPackageRoot } from "../shared/package-root.js";
import { testTempDir } from "../test/temp-dirs.js";
import { configurationProblem } from "./cli-preflight.js";

const root = findPackageRoot();
const PROBLEM = 'SEEDSTACK_TLS (context "tls") is "https"; allowed: one of self-signed, acm-arn, acm-dns, http.';

/** The environment of a user's shell without SEEDSTACK_* settings, and cdktf kept to this run's temp folders. */
function cleanEnv(extra: Record<string, string>): Record<string, string> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("SEEDSTACK_"))) as Record<string, string>;
  const home = testTempDir("cdktf-home-");
  const terraformRc = join(home, "terraform.rc");
  writeFileSync(terraformRc, "");
  return { ...inherited, CDKTF_HOME: home, TF_CLI_CONFIG_FILE: terraformRc, CHECKPOINT_DISABLE: "1", DISABLE_VERSION_CHECK: "1", ...extra };
}

function occurrences(text: string, part: string): number {
  return text.split(part).length - 1;
}

test("the wrapper checks the configuration before cdktf starts: each problem once, exit 1", () => {
  const run = spawnSync(process.execPath, ["--import", "tsx", "stacks/cdktf-cli.ts", "synth"], {
    cwd: root,
    encoding: "utf8",
    env: cleanEnv({ SEEDSTACK_TLS: "https", SEEDSTACK_PR_NUMBER: "abc" }),
  });
  const output = run.stdout + run.stderr;
  assert.is(run.status, 1, output);
  assert.ok(run.stderr.startsWith("seedstack: the configuration has 2 problems"), run.stderr);
  assert.is(occurrences(output, PROBLEM), 1, output);
  assert.is(occurrences(output, 'SEEDSTACK_PR_NUMBER (context "prNumber") is "abc"'), 1, output);
  assert.not.match(output, /Synth command|cdktf encountered an error/, "cdktf never started");
});

test("only commands that run the app check the configuration; --help and get do not", () => {
  const bad = { SEEDSTACK_TLS: "https" };
  assert.ok(configurationProblem(["synth"], bad, root)?.includes(PROBLEM));
  assert.ok(configurationProblem(["deploy", "classic", "--auto-approve"], bad, root)?.includes(PROBLEM));
  assert.ok(configurationProblem(["--log-level", "debug", "list"], bad, root) !== undefined);
  assert.is(configurationProblem(["--help"], bad, root), undefined);
  assert.is(configurationProblem(["get"], bad, root), undefined);
  assert.is(configurationProblem(["synth"], {}, root), undefined);
});

test.run();
