/**
 * The step outputs of a run. Sensitive terraform outputs are masked first (the runner then hides
 * them wherever they would be printed) and appear in `outputs-json` only as `"(sensitive)"`.
 */
import { Outputs } from "./constants.js";
import type { EnvironmentResult } from "./lifecycle-port.js";
import type { OutputPort } from "./ports.js";
import { sensitiveStrings } from "./report/redact.js";

/** What `outputs-json` shows in place of a sensitive value. */
export const SENSITIVE_PLACEHOLDER = "(sensitive)";

/** `smoke-result`: passed, failed or skipped (the smoke test did not run). */
export function smokeWord(result: EnvironmentResult): "passed" | "failed" | "skipped" {
  return result.smoke === undefined ? "skipped" : result.smoke.passed ? "passed" : "failed";
}

/** Sets every output of a `pr`/`deploy` run. */
export function writeRunOutputs(out: OutputPort, result: EnvironmentResult): void {
  for (const secret of sensitiveStrings(result.outputs)) out.mask(secret);
  out.set(Outputs.Url, result.url ?? "");
  out.set(Outputs.Environment, result.environment);
  out.set(Outputs.HasChanges, result.plan ? String(result.plan.hasChanges) : "");
  out.set(Outputs.ToAdd, result.plan ? String(result.plan.toAdd) : "");
  out.set(Outputs.ToChange, result.plan ? String(result.plan.toChange) : "");
  out.set(Outputs.ToDestroy, result.plan ? String(result.plan.toDestroy) : "");
  out.set(Outputs.SmokeResult, smokeWord(result));
  out.set(Outputs.FailureReason, result.failureReason ?? "");
  const values = Object.fromEntries(Object.entries(result.outputs).map(([k, o]) => [k, o.sensitive ? SENSITIVE_PLACEHOLDER : o.value]));
  out.set(Outputs.OutputsJson, JSON.stringify(values));
}
