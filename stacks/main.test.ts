/**
 * The app as cdktf runs it (cdktf.json "app": `node stacks/run-app.mjs`, which compiles
 * stacks/main.ts with esbuild and runs it): a separate process, configured by environment
 * variables, writing into CDKTF_OUTDIR.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { findPackageRoot } from "../shared/package-root.js";
import { testTempDir } from "../test/temp-dirs.js";

const root = findPackageRoot();

/** Run the cdktf.json app command with `env` into a fresh outdir. */
function runApp(env: Record<string, string>): { status: number | null; stdout: string; stderr: string; outdir: string; pid: number } {
  const outdir = testTempDir("main-out-");
  // Only what the app needs: no SEEDSTACK_* leaking in from the developer's shell.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("SEEDSTACK_")));
  const result = spawnSync(process.execPath, ["stacks/run-app.mjs"], {
    cwd: root,
    env: { ...inherited, CDKTF_OUTDIR: outdir, ...env },
    encoding: "utf8",
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, outdir, pid: result.pid };
}

test("cdktf.json runs the launcher", () => {
  const cdktfJson = JSON.parse(readFileSync(join(root, "cdktf.json"), "utf8")) as { app: string; sendCrashReports: string };
  assert.is(cdktfJson.app, "node stacks/run-app.mjs");
  assert.is(cdktfJson.sendCrashReports, "false");
});

test("bad configuration: exit 1 and one line per problem, no stack trace, nothing synthesized", () => {
  const { status, stderr, outdir } = runApp({ SEEDSTACK_TLS: "https", SEEDSTACK_PR_NUMBER: "abc" });
  try {
    assert.is(status, 1, stderr);
    assert.ok(stderr.startsWith('seedstack: the configuration has 2 problems (SEEDSTACK_* environment variables, cdktf.json "context"):\n'), stderr);
    assert.match(stderr, /SEEDSTACK_TLS \(context "tls"\) is "https"; allowed: one of self-signed, acm-arn, acm-dns, http\./);
    assert.match(stderr, /SEEDSTACK_PR_NUMBER \(context "prNumber"\) is "abc"/);
    assert.not.match(stderr, /\n\s+at /, "no stack trace for a user error");
    assert.not.ok(existsSync(join(outdir, "manifest.json")));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
});

test("good configuration: builds the bundle and synthesizes every stack, PR included", () => {
  const { status, stderr, outdir, pid } = runApp({ SEEDSTACK_PR_NUMBER: "8", SEEDSTACK_CREATED_AT: "2025-01-31T12:00:00Z" });
  try {
    assert.is(status, 0, stderr);
    const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as { stacks: Record<string, unknown> };
    assert.equal(Object.keys(manifest.stacks).sort(), ["autoscaled", "classic", "pr-8"]);
    const pr = JSON.parse(readFileSync(join(outdir, "stacks", "pr-8", "cdk.tf.json"), "utf8"));
    assert.is(pr.provider.aws[0].default_tags[0].tags.ExpiresAt, "2025-02-01T12:00:00Z");
    assert.ok(existsSync(join(root, "dist", "bundle", "seed-server.mjs")), "the seed-server bundle was built");
    // The launcher removes the app it compiled for this run.
    assert.not.ok(existsSync(join(root, "node_modules", ".cache", "seedstack", `app-${pid}.mjs`)));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
});

test.run();
