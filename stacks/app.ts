/**
 * Which stacks the app synthesizes: `classic` and `autoscaled` always, `pr-<n>` when a PR number
 * is configured (a copy of SEEDSTACK_PR_TOPOLOGY, classic by default), and `bootstrap` when a
 * GitHub repository is (SEEDSTACK_GITHUB_REPOSITORY).
 */
import type { App } from "cdktf";
import type { SeedstackConfig } from "./config.js";
import { environmentsFor } from "./environment.js";
import { SeedstackStack } from "./seedstack-stack.js";
import { BootstrapStack } from "./bootstrap-stack.js";

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

/** Add the `bootstrap` stack when SEEDSTACK_GITHUB_REPOSITORY is set; returns it, or undefined. */
export function buildBootstrap(app: App, config: SeedstackConfig): BootstrapStack | undefined {
  return config.github === undefined ? undefined : new BootstrapStack(app, { config });
}
