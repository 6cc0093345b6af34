/**
 * Build and synthesize a throwaway stack in a test.
 */
import { Testing, TerraformStack } from "cdktf";
import { testApp } from "./temp-dirs.js";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import { toSynthJson, type SynthJson } from "./synth-json.js";

/** A synthesized stack: the parsed cdk.tf.json plus whatever the builder returned. */
export interface Synthesized<T> {
  /** The parsed cdk.tf.json. */
  readonly json: SynthJson;
  /** The builder's return value (the constructs, for asserting on their properties). */
  readonly result: T;
  /** The stack itself (e.g. for `Testing.fullSynth`). */
  readonly stack: TerraformStack;
}

/**
 * Create an app and a stack named `name` with an AWS provider (us-east-1), let `build` add
 * constructs to it, and synthesize it.
 */
export function synthStack<T>(build: (stack: TerraformStack) => T, name = "test"): Synthesized<T> {
  const app = testApp();
  const stack = new TerraformStack(app, name);
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  const result = build(stack);
  return { json: toSynthJson(Testing.synth(stack)), result, stack };
}

/** The one resource of `type` (throws, listing what exists, when there is not exactly one). */
export function onlyResource(json: SynthJson, type: string): { name: string; attrs: Record<string, any> } {
  const entries = Object.entries(json.resource?.[type] ?? {});
  if (entries.length !== 1) {
    throw new Error(`expected exactly one ${type}; found ${entries.length}: ${entries.map(([n]) => n).join(", ") || "none"}`);
  }
  const [name, attrs] = entries[0]!;
  return { name, attrs };
}

/** `${type.name.attribute}`: how a reference to that resource appears in synthesized JSON. */
export function ref(type: string, name: string, attribute = "id"): string {
  return `\${${type}.${name}.${attribute}}`;
}
