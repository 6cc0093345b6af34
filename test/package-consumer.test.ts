/**
 * seedstack as another repository gets it: `npm pack` (which runs `prepare`, the build), the
 * tarball installed into a fresh consumer project in a temp folder next to the newest cdktf,
 * constructs and provider bindings that our peer-dependency ranges allow (straight from the npm
 * registry), then the README's module example, unchanged, type-checked with tsc and synthesized
 * there: once from a CommonJS project set up the way cdktf's TypeScript template sets one up,
 * once from an ES module project.
 *
 * One `npm install` serves both: the CommonJS and the ES module project are two folders, each with
 * its own package.json ("type" decides how Node and TypeScript read its files), under one folder
 * holding node_modules; module resolution walks up to it exactly as from a project of its own.
 * tsc is this repository's (the consumer's own TypeScript version is theirs to choose).
 *
 * Needs the npm registry. When it cannot be reached the test says so in one loud line and skips,
 * unless SEEDSTACK_CONSUMER_TEST=required (.ci/run sets it), in which case that is a failure.
 * Takes about a minute here with a warm npm cache.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runStep, StepError, stopRunningSteps } from "./package-run-step.js";
import { assertReadmeExampleSynthesized, readmeModuleExample } from "./package-readme-example.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const peers: Record<string, string> = manifest.peerDependencies;
const tsc = join(root, "node_modules", "typescript", "bin", "tsc");

/** cdktf's TypeScript template's tsconfig.json (`cdktf init --template=typescript`), as it makes it. */
const CDKTF_TEMPLATE_TSCONFIG = {
  compilerOptions: {
    alwaysStrict: true,
    declaration: true,
    experimentalDecorators: true,
    inlineSourceMap: true,
    inlineSources: true,
    lib: ["es2018"],
    module: "CommonJS",
    noEmitOnError: true,
    noFallthroughCasesInSwitch: true,
    noImplicitAny: true,
    noImplicitReturns: true,
    noImplicitThis: true,
    noUnusedLocals: true,
    noUnusedParameters: true,
    resolveJsonModule: true,
    strict: true,
    strictNullChecks: true,
    strictPropertyInitialization: true,
    stripInternal: true,
    target: "ES2018",
    incremental: true,
    skipLibCheck: true,
  },
  include: ["**/*.ts"],
  exclude: ["node_modules", "cdktf.out"],
};

/** An ES module project's tsconfig.json, as Node's own TypeScript guidance has it. */
const NODENEXT_TSCONFIG = {
  compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, skipLibCheck: true },
  include: ["**/*.ts"],
  exclude: ["node_modules", "cdktf.out"],
};

interface Consumer {
  readonly name: string;
  readonly packageJson: Record<string, unknown>;
  readonly tsconfig: typeof CDKTF_TEMPLATE_TSCONFIG | typeof NODENEXT_TSCONFIG;
  /** Further compiler settings (tsc flags) this kind of project may use; each is type-checked too. */
  readonly alsoChecked: ReadonlyArray<readonly string[]>;
}

const CONSUMERS: readonly Consumer[] = [
  {
    name: "commonjs",
    packageJson: { name: "consumer-commonjs", private: true },
    tsconfig: CDKTF_TEMPLATE_TSCONFIG, // moduleResolution left to its default for CommonJS: node10
    alsoChecked: [
      ["--module", "node16", "--moduleResolution", "node16"],
      ["--module", "nodenext", "--moduleResolution", "nodenext"],
    ],
  },
  {
    name: "esm",
    packageJson: { name: "consumer-esm", private: true, type: "module" },
    tsconfig: NODENEXT_TSCONFIG,
    alsoChecked: [
      ["--module", "node16", "--moduleResolution", "node16"],
      ["--module", "esnext", "--moduleResolution", "bundler"],
    ],
  },
];

/**
 * The environment for child npm and node processes: ours without what `npm test` adds for its own
 * script (npm_config_local_prefix would point a child npm at this repository instead of the
 * consumer), and with TMPDIR in the test's own folder so nothing is left in the system one.
 */
function childEnv(tmp: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key === "npm_config_local_prefix" || key === "INIT_CWD" || key === "npm_command" || /^npm_(package|lifecycle)_/.test(key)) continue;
    env[key] = value;
  }
  return { ...env, TMPDIR: tmp, ...extra };
}

/** npm's error codes for a registry it cannot reach (as `npm view --json` reports them). */
const NETWORK_ERROR_CODES = ["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "ECONNRESET", "ENETUNREACH", "EHOSTUNREACH"];

/** Why the registry cannot be reached, or undefined when the failure is something else. */
function unreachableReason(error: unknown): string | undefined {
  if (!(error instanceof StepError)) return undefined;
  if (error.timedOut) return error.message.split("\n")[0];
  const code = /"code":\s*"([A-Z_]+)"/.exec(error.stdout)?.[1];
  const summary = /"summary":\s*"([^"]*)"/.exec(error.stdout)?.[1];
  return code && NETWORK_ERROR_CODES.includes(code) ? `${code}: ${summary}` : undefined;
}

/** The newest version of `name` that `range` allows, as the registry says (one retry, quickly). */
async function newestAllowed(name: string, range: string, env: NodeJS.ProcessEnv): Promise<string> {
  const args = ["view", `${name}@${range}`, "version", "--json", "--fetch-retries=1", "--fetch-retry-mintimeout=1000", "--fetch-retry-maxtimeout=5000"];
  const out = await runStep(`npm view ${name}@${range}`, "npm", args, { cwd: root, env, timeoutS: 60 });
  const versions: string | string[] = JSON.parse(out);
  return Array.isArray(versions) ? versions[versions.length - 1]! : versions;
}

/** `npm pack --json` prints the prepare script's output first; the JSON array is the rest. */
function packedTarballName(output: string): string {
  const start = output.startsWith("[") ? 0 : output.indexOf("\n[") + 1;
  return JSON.parse(output.slice(start))[0].filename;
}

test("the packed package installs into fresh CommonJS and ES module projects next to the newest peers our ranges allow; the README example type-checks and synthesizes in both", async () => {
  const work = mkdtempSync(join(tmpdir(), "seedstack-consumer-"));
  // Interrupted (Ctrl-C, or a SIGTERM from outside): stop
  // npm / tsc / node and remove the temp folder before going, as the finally below would have.
  const onSignal = (signal: NodeJS.Signals) => {
    stopRunningSteps();
    rmSync(work, { recursive: true, force: true });
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  process.once("SIGINT", onSignal).once("SIGTERM", onSignal);
  try {
    const tmp = join(work, "tmp");
    mkdirSync(tmp);
    const env = childEnv(tmp);

    // allSettled, not all: every lookup has ended before the test goes on or returns.
    const lookups = await Promise.allSettled(Object.entries(peers).map(async ([name, range]) => [name, await newestAllowed(name, range, env)] as const));
    const failed = lookups.find((l): l is PromiseRejectedResult => l.status === "rejected");
    if (failed) {
      const error: unknown = failed.reason;
      const why = unreachableReason(error);
      if (why === undefined) throw error;
      if (process.env.SEEDSTACK_CONSUMER_TEST === "required") assert.unreachable(`the npm registry is needed (SEEDSTACK_CONSUMER_TEST=required): ${why}`);
      console.log(`\n!!! SKIPPED the packed-package consumer test: the npm registry cannot be reached (${why}) !!!\n`);
      return;
    }
    const newest = Object.fromEntries(lookups.map((l) => (l as PromiseFulfilledResult<readonly [string, string]>).value));

    const packOutput = await runStep("npm pack (with its prepare build)", "npm", ["pack", "--json", "--pack-destination", work], { cwd: root, env, timeoutS: 300 });
    const tarball = join(work, packedTarballName(packOutput));

    const project = join(work, "consumer");
    mkdirSync(project);
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "seedstack-consumers", private: true }, null, 2));
    const peerSpecs = Object.entries(peers).map(([name, range]) => `${name}@${range}`);
    await runStep("npm install of the tarball and the peer ranges", "npm", ["install", "--no-audit", "--no-fund", tarball, ...peerSpecs], { cwd: project, env, timeoutS: 600 });

    for (const [name, version] of Object.entries(newest)) {
      const installed = JSON.parse(readFileSync(join(project, "node_modules", name, "package.json"), "utf8")).version;
      assert.is(installed, version, `${name}: the consumer got ${installed}, the newest ${peers[name]} allows is ${version}`);
      // One copy, the consumer's: a second constructs under seedstack breaks synth (issue 8).
      assert.not.ok(existsSync(join(project, "node_modules", "seedstack", "node_modules", name)), `seedstack brought its own copy of ${name}`);
    }

    const example = readmeModuleExample(root);
    for (const consumer of CONSUMERS) {
      const dir = join(project, consumer.name);
      mkdirSync(dir);
      writeFileSync(join(dir, "package.json"), JSON.stringify(consumer.packageJson, null, 2));
      writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ ...consumer.tsconfig, compilerOptions: { ...consumer.tsconfig.compilerOptions, outDir: "out" } }, null, 2));
      writeFileSync(join(dir, "main.ts"), example);

      // The other settings first, while main.ts is the only input (the emit below adds out/*.d.ts).
      for (const flags of consumer.alsoChecked) {
        await runStep(`tsc ${flags.join(" ")} in the ${consumer.name} consumer`, process.execPath, [tsc, "-p", "tsconfig.json", "--noEmit", ...flags], { cwd: dir, env, timeoutS: 180 });
      }
      await runStep(`tsc in the ${consumer.name} consumer`, process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: dir, env, timeoutS: 180 });
      const outdir = join(dir, "cdktf.out");
      await runStep(`synth of the README example in the ${consumer.name} consumer`, process.execPath, [join("out", "main.js")], { cwd: dir, env: childEnv(tmp, { CDKTF_OUTDIR: outdir }), timeoutS: 120 });
      assertReadmeExampleSynthesized(outdir);
    }
  } finally {
    process.off("SIGINT", onSignal).off("SIGTERM", onSignal);
    rmSync(work, { recursive: true, force: true });
  }
});

test.run();
