/**
 * `npm start` is the README's main job: it must synthesize every stack, pass the security
 * baseline, and walk the seed server's contract, exiting 0, on a machine with no AWS account.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

test("npm start synthesizes both default stacks, checks them, and walks the seed contract", () => {
  const home = mkdtempSync(join(tmpdir(), "seedstack-demo-"));
  try {
    const run = spawnSync(process.execPath, ["--import", "tsx", join(root, "scripts", "demo.ts")], {
      cwd: root,
      encoding: "utf8",
      // Neither the caller's SEEDSTACK_* settings nor a terminal may change what the default is.
      env: { PATH: process.env.PATH ?? "", HOME: home, NO_COLOR: "1" },
    });
    assert.is(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /^ {2}classic +\d+ {2}passes /m);
    assert.match(run.stdout, /^ {2}autoscaled +\d+ {2}passes /m);
    assert.match(run.stdout, /All \d+ steps behaved\./);
    const manifest = JSON.parse(readFileSync(join(root, "cdktf.out", "manifest.json"), "utf8"));
    assert.equal(Object.keys(manifest.stacks).sort(), ["autoscaled", "classic"]);
    assert.ok(existsSync(join(root, "cdktf.out", "stacks", "classic", "cdk.tf.json")));
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test("npm start with a bad configuration: the problems once, one verdict, no contract walk", () => {
  const home = mkdtempSync(join(tmpdir(), "seedstack-demo-"));
  try {
    const run = spawnSync(process.execPath, ["--import", "tsx", join(root, "scripts", "demo.ts")], {
      cwd: root,
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "", HOME: home, NO_COLOR: "1", SEEDSTACK_TLS: "https", SEEDSTACK_PR_NUMBER: "abc" },
    });
    const output = run.stdout + run.stderr;
    assert.is(run.status, 1, output);
    assert.is(output.split('SEEDSTACK_TLS (context "tls") is "https"').length - 1, 1, output);
    assert.is(output.split('SEEDSTACK_PR_NUMBER (context "prNumber") is "abc"').length - 1, 1, output);
    assert.not.match(output, /steps behaved|steps misbehaved/, "no contract walk after a failed synth");
    assert.ok(run.stdout.trimEnd().endsWith("Stopped: the stacks failed to synthesize or broke the security baseline (see above); the seed server was not started."), run.stdout);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test.run();
