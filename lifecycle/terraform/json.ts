/**
 * Typed decoding of terraform's machine-readable JSON: `terraform show -json <plan file>` and
 * `terraform output -json`. The formats are HashiCorp's "JSON Output Format"
 * (developer.hashicorp.com/terraform/internals/json-format); unknown keys are ignored, as a minor
 * `format_version` bump only adds keys. Anything we rely on that is missing or malformed is a
 * `TerraformJsonError` naming where, never a crash further on.
 */

/** terraform printed JSON this module cannot use. */
export class TerraformJsonError extends Error {
  override readonly name = "TerraformJsonError";
}

/** What a plan does to one resource instance, `["delete","create"]` and `["create","delete"]` both being `replace`. */
export type PlannedAction = "create" | "update" | "replace" | "delete" | "read" | "forget";

/** One resource instance the plan changes. */
export interface PlannedChange {
  /** Its address, e.g. `module.web.aws_instance.server[0]`. */
  readonly address: string;
  readonly action: PlannedAction;
}

/** Per-action counts; `read` (data sources read at apply) and `forget` (removed blocks) included. */
export type PlanCounts = Readonly<Record<PlannedAction, number>>;

/** What a saved plan will do, as the summary, PR comment and events report it. */
export interface PlanSummary {
  readonly formatVersion: string;
  readonly terraformVersion: string;
  readonly counts: PlanCounts;
  /** Every resource instance that is not a no-op, in terraform's order. */
  readonly changes: readonly PlannedChange[];
  /** Names of root outputs whose value changes (created, updated or deleted). */
  readonly changedOutputs: readonly string[];
  /** Anything to apply: a resource change other than `read`, or an output change. */
  readonly hasChanges: boolean;
}

/** One root module output from `terraform output -json`. */
export interface OutputValue {
  /** Declared sensitive. Terraform still prints the value with -json; do not log it. */
  readonly sensitive: boolean;
  /** The HCL type as terraform serializes it: `"string"`, `["tuple", [...]]`, `["object", {...}]`. */
  readonly type: unknown;
  readonly value: unknown;
}

/** Every root output by name. */
export type Outputs = Readonly<Record<string, OutputValue>>;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parse(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const start = text.trim().slice(0, 80);
    throw new TerraformJsonError(`${what} is not JSON (${(error as Error).message}); it starts with: ${start || "(empty)"}`);
  }
}

/** Map a `change.actions` list to one action; `undefined` for a no-op. */
function actionOf(actions: unknown, address: string): PlannedAction | undefined {
  if (!Array.isArray(actions) || !actions.every((a) => typeof a === "string")) {
    throw new TerraformJsonError(`plan JSON: resource_changes entry "${address}" has no change.actions list`);
  }
  switch (actions.join(",")) {
    case "no-op":
      return undefined;
    case "create":
    case "update":
    case "delete":
    case "read":
    case "forget":
      return actions[0] as PlannedAction;
    case "delete,create":
    case "create,delete":
      return "replace";
    default:
      throw new TerraformJsonError(`plan JSON: resource "${address}" has actions [${actions.join(", ")}], which this version of seedstack does not know`);
  }
}

/** Decode `terraform show -json <plan file>` into a summary. */
export function decodePlan(text: string): PlanSummary {
  const plan = parse(text, "terraform show -json output");
  if (!isObject(plan)) throw new TerraformJsonError("plan JSON: expected an object at the top level");
  const formatVersion = plan.format_version;
  if (typeof formatVersion !== "string" || !/^[01]\.\d+$/.test(formatVersion)) {
    throw new TerraformJsonError(`plan JSON: format_version ${JSON.stringify(formatVersion)} is not one this decoder reads (0.x or 1.x)`);
  }
  const resourceChanges = plan.resource_changes ?? [];
  if (!Array.isArray(resourceChanges)) throw new TerraformJsonError("plan JSON: resource_changes is not a list");

  const counts: Record<PlannedAction, number> = { create: 0, update: 0, replace: 0, delete: 0, read: 0, forget: 0 };
  const changes: PlannedChange[] = [];
  resourceChanges.forEach((entry, index) => {
    if (!isObject(entry) || typeof entry.address !== "string") {
      throw new TerraformJsonError(`plan JSON: resource_changes[${index}] has no address`);
    }
    const change = entry.change;
    const action = actionOf(isObject(change) ? change.actions : undefined, entry.address);
    if (action === undefined) return;
    counts[action] += 1;
    changes.push({ address: entry.address, action });
  });

  const outputChanges = plan.output_changes ?? {};
  if (!isObject(outputChanges)) throw new TerraformJsonError("plan JSON: output_changes is not an object");
  const changedOutputs = Object.entries(outputChanges)
    .filter(([name, change]) => actionOf(isObject(change) ? change.actions : undefined, `output.${name}`) !== undefined)
    .map(([name]) => name);

  return {
    formatVersion,
    terraformVersion: typeof plan.terraform_version === "string" ? plan.terraform_version : "unknown",
    counts,
    changes,
    changedOutputs,
    hasChanges: changes.some((c) => c.action !== "read") || changedOutputs.length > 0,
  };
}

/** Decode `terraform output -json` (no output name): every output with its sensitive flag and type. */
export function decodeOutputs(text: string): Outputs {
  const outputs = parse(text, "terraform output -json output");
  if (!isObject(outputs)) throw new TerraformJsonError("output JSON: expected an object of outputs at the top level");
  const decoded: Record<string, OutputValue> = {};
  for (const [name, entry] of Object.entries(outputs)) {
    if (!isObject(entry) || typeof entry.sensitive !== "boolean" || !("value" in entry) || !("type" in entry)) {
      throw new TerraformJsonError(`output JSON: output "${name}" is not {sensitive, type, value}`);
    }
    decoded[name] = { sensitive: entry.sensitive, type: entry.type, value: entry.value };
  }
  return decoded;
}

/** The string value of output `name`; a clear error when it is missing or not a string. */
export function stringOutput(outputs: Outputs, name: string): string {
  const output = outputs[name];
  if (output === undefined) {
    const known = Object.keys(outputs).sort().join(", ") || "none";
    throw new TerraformJsonError(`the stack has no output "${name}"; its outputs: ${known}`);
  }
  if (typeof output.value !== "string") {
    throw new TerraformJsonError(`output "${name}" is ${JSON.stringify(output.type)}, not a string`);
  }
  return output.value;
}

/** Outputs safe to print: sensitive values replaced by `"(sensitive)"`. */
export function redactedOutputs(outputs: Outputs): Readonly<Record<string, unknown>> {
  return Object.fromEntries(Object.entries(outputs).map(([name, o]) => [name, o.sensitive ? "(sensitive)" : o.value]));
}

/** Managed resources in the state shown by `terraform show -json` (no plan file), child modules included. */
export function decodeStateResourceAddresses(text: string): string[] {
  const state = parse(text, "terraform show -json (state) output");
  if (!isObject(state) || typeof state.format_version !== "string") {
    throw new TerraformJsonError("state JSON: expected an object with a format_version");
  }
  // An empty or missing state is `{"format_version":"1.0"}`: no `values` at all.
  if (state.values === undefined) return [];
  if (!isObject(state.values)) throw new TerraformJsonError("state JSON: values is not an object");
  const addresses: string[] = [];
  const walk = (module: unknown, where: string): void => {
    if (module === undefined) return;
    if (!isObject(module)) throw new TerraformJsonError(`state JSON: ${where} is not a module object`);
    for (const resource of Array.isArray(module.resources) ? module.resources : []) {
      if (isObject(resource) && resource.mode === "managed" && typeof resource.address === "string") addresses.push(resource.address);
    }
    (Array.isArray(module.child_modules) ? module.child_modules : []).forEach((child, i) => walk(child, `${where}.child_modules[${i}]`));
  };
  walk(state.values.root_module, "values.root_module");
  return addresses;
}
