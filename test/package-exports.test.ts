/**
 * Another repo imports the constructs as `seedstack/modules`. This runs plain `node` (no tsx, no
 * TypeScript) against the compiled dist/ through package.json "exports" (Node's self-reference by
 * package name), builds a small topology with it and synthesizes it. `npm test` builds dist/ first.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { testTempDir } from "./temp-dirs.js";

const root = fileURLToPath(new URL("..", import.meta.url));

/**
 * Run `node --input-type=module -e <code>` as a consumer would, with its system temp dir inside this
 * process's test temp root: cdktf's `Testing.app()` in the child makes a folder there, removed with
 * the root at exit.
 */
function runConsumer(code: string, env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ["--input-type=module", "-e", code], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, TMPDIR: testTempDir("consumer-tmp-"), ...env },
  });
}

const consumer = `
import { App, TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import { Network, ArtifactBucket, WebServerPair, LoadBalancer } from "seedstack/modules";
const stack = new TerraformStack(Testing.app(), "consumer");
new AwsProvider(stack, "aws", { region: "eu-west-1" });
const network = new Network(stack, "network");
const artifacts = new ArtifactBucket(stack, "artifacts");
const pair = new WebServerPair(stack, "web", { network, artifact: artifacts });
new LoadBalancer(stack, "lb", { network, targets: pair, protocol: "http" });
const json = JSON.parse(Testing.synth(stack));
console.log(JSON.stringify({ instances: Object.keys(json.resource.aws_instance).length, lbs: Object.keys(json.resource.aws_lb).length }));
`;

test("plain node imports the compiled constructs as seedstack/modules and synthesizes with them", () => {
  const run = runConsumer(consumer);
  assert.is(run.status, 0, run.stderr);
  assert.equal(JSON.parse(run.stdout.trim().split("\n").pop()!), { instances: 2, lbs: 1 });
});

test("helpers that are not public API are not exported", () => {
  const run = runConsumer(`import * as m from "seedstack/modules"; console.log(Object.keys(m).sort().join(","))`);
  assert.is(run.status, 0, run.stderr);
  const names = run.stdout.trim().split(",");
  for (const exported of ["Network", "WebServerPair", "AutoScaledWebServers", "LoadBalancer", "Database", "ArtifactBucket", "InstanceRole"]) assert.ok(names.includes(exported), exported);
  for (const internal of ["renderUserData", "parseIpv4Cidr", "ensureTlsProvider"]) assert.not.ok(names.includes(internal), internal);
});

test("the README's module example runs as written and synthesizes", () => {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const example = /```ts\n(import[^`]*from "seedstack\/modules";[^`]*)```/.exec(readme)?.[1];
  assert.ok(example, "README.md has a ```ts example importing seedstack/modules");
  const outdir = testTempDir("readme-out-");
  const run = runConsumer(example, { CDKTF_OUTDIR: outdir });
  assert.is(run.status, 0, run.stderr);
  const json = JSON.parse(readFileSync(join(outdir, "stacks", "demo", "cdk.tf.json"), "utf8"));
  assert.is(Object.keys(json.resource.aws_instance).length, 2);
  assert.is(Object.keys(json.resource.aws_db_instance).length, 1);
  assert.ok(json.output.url);
});

test.run();
