/**
 * Test-only: synthesize the app under a configuration to a directory, as `cdktf synth` would
 * (cdk.tf.json plus the assets terraform reads, such as the bundle the artifact bucket uploads),
 * in this process, with the stack tests' fixed owner, creation time and fixture bundle.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { App } from "cdktf";
import { loadConfig } from "../../stacks/config.js";
import { buildApp, buildBootstrap } from "../../stacks/app.js";
import { fixtureBundlePath, TEST_BASE_ENV } from "../../stacks/test-support.js";

/** One synthesized stack on disk. */
export interface StackOnDisk {
  /** The stack name: classic, autoscaled, pr-12. */
  readonly name: string;
  /** Its directory, holding cdk.tf.json and assets/. */
  readonly dir: string;
  /** The parsed cdk.tf.json. */
  readonly json: Record<string, any>;
}

/** Synthesize every stack of the app (the bootstrap stack too, when configured) under `env` (on top of the stack tests' base settings) into `outdir`. */
export function synthToDisk(env: Readonly<Record<string, string>>, outdir: string): StackOnDisk[] {
  const config = loadConfig({ env: { ...TEST_BASE_ENV, ...env } });
  const app = new App({ outdir, skipValidation: false });
  const names = buildApp(app, config, { bundlePath: fixtureBundlePath() }).map((stack) => stack.environment.stackName);
  const bootstrap = buildBootstrap(app, config);
  if (bootstrap) names.push(bootstrap.stackName);
  app.synth();
  return names.map((name) => {
    const dir = join(outdir, "stacks", name);
    return { name, dir, json: JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8")) as Record<string, any> };
  });
}
