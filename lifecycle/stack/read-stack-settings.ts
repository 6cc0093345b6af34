/**
 * The part of a synthesized stack terraform needs before it runs: the AWS provider (region,
 * default tags) and the state backend. `parseStack` reads them with the rest of the stack; the
 * terraform layer reads only them (`readStackSettings`), because a destroy, a sweep or `down` must
 * reach a stack's state even when the rest of its `cdk.tf.json` is not a shape the full reader
 * accepts. Nothing here is refused: what is not written as a literal is left out.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { BackendSpec, Stack } from "./stack.js";

/** The file cdktf synthesizes a stack into, in the stack's directory. */
export const STACK_FILE_NAME = "cdk.tf.json";

/** What `readStackSettings` gives: the provider's region and default tags, and the backend. */
export type StackSettings = Pick<Stack, "region" | "defaultTags" | "backend">;

type Json = Record<string, unknown>;

const asObject = (value: unknown): Json | undefined => (typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : undefined);

/** cdktf writes provider blocks and nested blocks as a list of one; written by hand they may be one object. */
const first = (value: unknown): Json | undefined => asObject(Array.isArray(value) ? value[0] : value);

/** The settings of parsed `cdk.tf.json` content (anything: a value that is not a stack has none). */
export function stackSettingsOf(json: unknown): StackSettings {
  const root = asObject(json);
  const aws = first(asObject(root?.provider)?.aws);
  const tags = asObject(first(aws?.default_tags)?.tags) ?? {};
  const defaultTags = Object.fromEntries(Object.entries(tags).filter((e): e is [string, string] => typeof e[1] === "string"));
  const region = aws?.region;
  return {
    defaultTags,
    ...(typeof region === "string" && /^[a-z]{2}(-[a-z]+)+-\d$/.test(region) ? { region } : {}),
    backend: backendOf(asObject(asObject(root?.terraform)?.backend)),
  };
}

/** The backend block (`terraform.backend.<type>`); none written is terraform's default, local. */
function backendOf(block: Json | undefined): BackendSpec {
  const [type, body] = Object.entries(block ?? {})[0] ?? ["local", {}];
  const settings = asObject(body) ?? {};
  const text = (key: string) => (typeof settings[key] === "string" ? (settings[key] as string) : undefined);
  const yes = (key: string) => settings[key] === true || settings[key] === "true";
  const literal = { bucket: text("bucket"), key: text("key"), region: text("region"), dynamodbTable: text("dynamodb_table") };
  return {
    type,
    ...(Object.fromEntries(Object.entries(literal).filter(([, v]) => v !== undefined)) as Pick<BackendSpec, keyof typeof literal>),
    ...(yes("use_lockfile") ? { useLockfile: true } : {}),
    // `force_path_style` is the older name of `use_path_style`; terraform still reads both.
    ...(yes("use_path_style") || yes("force_path_style") ? { usePathStyle: true } : {}),
  };
}

/** The settings of the stack synthesized in `stackDir`; undefined when its `cdk.tf.json` cannot be read (terraform reports that itself). */
export function readStackSettings(stackDir: string): StackSettings | undefined {
  try {
    return stackSettingsOf(JSON.parse(readFileSync(join(stackDir, STACK_FILE_NAME), "utf8")));
  } catch {
    return undefined;
  }
}
