/**
 * The README's module example ("Modules: use the constructs from another repo"), as the packaging
 * tests run it: here through the package's self-reference, and in fresh consumer projects from
 * the packed tarball. Both check its synthesized stack the same way.
 */
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The first ```ts block of README.md that imports from "seedstack/modules", as written. */
export function readmeModuleExample(root: string): string {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const example = /```ts\n(import[^`]*from "seedstack\/modules";[^`]*)```/.exec(readme)?.[1];
  assert.ok(example, "README.md has a ```ts example importing seedstack/modules");
  return example;
}

/** Check the stack the README example synthesized into `outdir` (its CDKTF_OUTDIR). */
export function assertReadmeExampleSynthesized(outdir: string): void {
  const json = JSON.parse(readFileSync(join(outdir, "stacks", "demo", "cdk.tf.json"), "utf8"));
  assert.is(Object.keys(json.resource.aws_instance).length, 2, "the example's WebServerPair has 2 instances");
  assert.is(Object.keys(json.resource.aws_db_instance).length, 1, "the example has 1 database");
  assert.ok(json.output.url, "the example outputs url");
  // The modules target the hashicorp/aws 5.x provider (6.x renamed attributes they use).
  const aws = json.terraform.required_providers.aws;
  assert.ok(/^5\./.test(aws.version), `hashicorp/aws 5.x required by the synthesized stack; got ${JSON.stringify(aws)}`);
}
