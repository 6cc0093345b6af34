/**
 * Which stacks the app synthesizes: `classic` and `autoscaled` always, `pr-<n>` when a PR number
 * is configured (a copy of SEEDSTACK_PR_TOPOLOGY, classic by default).
 */
import type { App } from "cdktf";
import type { SeedstackConfig } from "./config.js";
import { environmentsFor } from "./environment.js";
import { SeedstackStack } from "./seedstack-stack.js";

/** Options of {@link buildApp}. */
export interface BuildAppOptions {
  /**
   * The seed-server bundle file every stack uploads.
   * @default the built bundle, dist/bundle/seed-server.mjs
   */
  readonly bundlePath?: string;
}

/** Add every configured stack to `app`; returns them in synth order. */
export function buildApp(app: App, config: SeedstackConfig, options: BuildAppOptions = {}): SeedstackStack[] {
  return environmentsFor(config).map(
    (environment) => new SeedstackStack(app, { environment, config, ...(options.bundlePath !== undefined ? { bundlePath: options.bundlePath } : {}) }),
  );
}
