/**
 * Another repo imports the constructs as `seedstack/modules`, from an ES module project (`import`)
 * or a CommonJS one (`require`, as cdktf's TypeScript template makes). This runs plain `node` (no
 * tsx, no TypeScript) against the compiled dist/ through package.json "exports" (Node's
 * self-reference by package name), both ways, builds a small topology and synthesizes it.
 * `npm test` builds dist/ first. package-consumer.test.ts does the same from a packed tarball.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { assertReadmeExampleSynthesized, readmeModuleExample } from "./package-readme-example.js";

const root = fileURLToPath(new URL("..", import.meta.url));

/** The same topology in each module system; `load` brings in cdktf, the provider and seedstack/modules. */
const topology = (load: string) => `
${load}
const stack = new TerraformStack(Testing.app(), "consumer");
new AwsProvider(stack, "aws", { region: "eu-west-1" });
const network = new Network(stack, "network");
const artifacts = new ArtifactBucket(stack, "artifacts");
const pair = new WebServerPair(stack, "web", { network, artifact: artifacts });
new LoadBalancer(stack, "lb", { network, targets: pair, protocol: "http" });
const json = JSON.parse(Testing.synth(stack));
console.log(JSON.stringify({ instances: Object.keys(json.resource.aws_instance).length, lbs: Object.keys(json.resource.aws_lb).length }));
`;

const esmConsumer = topology(`
import { TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import { Network, ArtifactBucket, WebServerPair, LoadBalancer } from "seedstack/modules";`);

const cjsConsumer = topology(`
const { TerraformStack, Testing } = require("cdktf");
const { AwsProvider } = require("@cdktf/provider-aws/lib/provider/index.js");
const { Network, ArtifactBucket, WebServerPair, LoadBalancer } = require("seedstack/modules");`);

/**
 * Run `source` with plain node. Its TMPDIR is a folder of its own, removed afterwards: cdktf's
 * Testing.app() makes a `cdktf.outdir.*` folder there on every call and never removes it.
 */
function runNode(inputType: "module" | "commonjs", source: string, env: NodeJS.ProcessEnv = {}) {
  const tmp = mkdtempSync(join(tmpdir(), "seedstack-exports-"));
  try {
    return spawnSync(process.execPath, [`--input-type=${inputType}`, "-e", source], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, TMPDIR: tmp, ...env },
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

test("plain node imports the compiled constructs as seedstack/modules and synthesizes with them", () => {
  const run = runNode("module", esmConsumer);
  assert.is(run.status, 0, run.stderr);
  assert.equal(JSON.parse(run.stdout.trim().split("\n").pop()!), { instances: 2, lbs: 1 });
});

test("plain node requires the constructs from CommonJS as seedstack/modules and synthesizes with them", () => {
  const run = runNode("commonjs", cjsConsumer);
  assert.is(run.status, 0, run.stderr);
  assert.equal(JSON.parse(run.stdout.trim().split("\n").pop()!), { instances: 2, lbs: 1 });
});

test("import and require see the same public names, and helpers that are not public API are not exported", () => {
  const esm = runNode("module", `import * as m from "seedstack/modules"; console.log(Object.keys(m).sort().join(","))`);
  const cjs = runNode("commonjs", `console.log(Object.keys(require("seedstack/modules")).sort().join(","))`);
  assert.is(esm.status, 0, esm.stderr);
  assert.is(cjs.status, 0, cjs.stderr);
  const names = esm.stdout.trim().split(",");
  assert.equal(cjs.stdout.trim().split(","), names);
  for (const exported of ["Network", "ExistingNetwork", "WebServerPair", "AutoScaledWebServers", "LoadBalancer", "Database", "ArtifactBucket", "InstanceRole"]) assert.ok(names.includes(exported), exported);
  for (const internal of ["renderUserData", "parseIpv4Cidr", "ensureTlsProvider"]) assert.not.ok(names.includes(internal), internal);
});

test("the CommonJS build finds the seed-server bundle the package ships (it has no import.meta)", () => {
  const run = runNode("commonjs", `
const { TerraformStack, Testing } = require("cdktf");
const { ArtifactBucket } = require("seedstack/modules");
console.log(new ArtifactBucket(new TerraformStack(Testing.app(), "s"), "a").bundlePath);`);
  assert.is(run.status, 0, run.stderr);
  assert.is(run.stdout.trim(), join(root, "dist", "bundle", "seed-server.mjs"));
});

test("the README's module example runs as written and synthesizes", () => {
  const example = readmeModuleExample(root);
  const outdir = mkdtempSync(join(tmpdir(), "seedstack-readme-"));
  try {
    const run = runNode("module", example, { CDKTF_OUTDIR: outdir });
    assert.is(run.status, 0, run.stderr);
    assertReadmeExampleSynthesized(outdir);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
});

test.run();
