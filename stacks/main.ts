/**
 * The cdktf app: `cdktf synth` runs this (see cdktf.json), and so can `node --import tsx stacks/main.ts`.
 *
 * 1. Read and validate the configuration (SEEDSTACK_* variables, cdktf.json context); report every
 *    problem at once and exit 1.
 * 2. Build the seed-server bundle, so the bundle that gets uploaded is always the one the current
 *    source produces (a stale bundle would deploy old code behind a passing synth). It costs about
 *    a tenth of a second: esbuild in this process, no extra npm run.
 * 3. Build the stacks (classic, autoscaled, pr-<n> when SEEDSTACK_PR_NUMBER is set, bootstrap when
 *    SEEDSTACK_GITHUB_REPOSITORY is) and synthesize.
 *
 * Any error is printed as one readable line (the stack trace only with SEEDSTACK_DEBUG=1).
 */
import { App } from "cdktf";
import { buildSeedServerBundle } from "../seed-server/build-bundle.js";
import { loadConfig } from "./config.js";
import { buildApp, buildBootstrap } from "./app.js";

try {
  const app = new App();
  const config = loadConfig({ env: process.env, context: (key) => app.node.tryGetContext(key) });
  await buildSeedServerBundle();
  buildApp(app, config);
  buildBootstrap(app, config);
  app.synth();
} catch (error) {
  const message = error instanceof Error ? (process.env.SEEDSTACK_DEBUG === "1" ? error.stack : error.message) : String(error);
  console.error(`seedstack: ${message}`);
  process.exitCode = 1;
}
