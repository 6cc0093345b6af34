/**
 * The step outputs of a run. Sensitive terraform outputs are masked first (the runner then hides
 * them wherever they would be printed) and appear in `outputs-json` only as `"(sensitive)"`.
 * The local engine makes no plan: `has-changes` and the counts are empty for it.
 */
import { Outputs } from "./constants.js";
import type { RunOutcome } from "./lifecycle-port.js";
import type { OutputPort } from "./ports.js";
import { sensitiveStrings } from "./report/redact.js";

/** What `outputs-json` shows in place of a sensitive value. */
export const SENSITIVE_PLACEHOLDER = "(sensitive)";

/** `smoke-result`: passed, failed or skipped (the smoke test did not run). */
export function smokeWord(outcome: RunOutcome): "passed" | "failed" | "skipped" {
  const smoke = outcome.report.smoke;
  return smoke === undefined ? "skipped" : smoke.ok ? "passed" : "failed";
}

/** The run's outputs: terraform's, or for the local engine its URL. */
export function outputsOf(outcome: RunOutcome): Readonly<Record<string, { readonly value: unknown; readonly sensitive: boolean }>> {
  const { report } = outcome;
  return report.outputs ?? (report.url ? { url: { value: report.url, sensitive: false } } : {});
}

/** Sets every output of a `pr`/`deploy` run. */
export function writeRunOutputs(out: OutputPort, outcome: RunOutcome): void {
  const { report } = outcome;
  const outputs = outputsOf(outcome);
  for (const secret of sensitiveStrings(outputs)) out.mask(secret);
  const plan = report.plan;
  out.set(Outputs.Url, report.url ?? "");
  out.set(Outputs.Environment, outcome.environment);
  out.set(Outputs.HasChanges, plan ? String(plan.hasChanges) : "");
  out.set(Outputs.ToAdd, plan ? String(plan.counts.create + plan.counts.replace) : "");
  out.set(Outputs.ToChange, plan ? String(plan.counts.update) : "");
  out.set(Outputs.ToDestroy, plan ? String(plan.counts.delete + plan.counts.replace) : "");
  out.set(Outputs.SmokeResult, smokeWord(outcome));
  out.set(Outputs.FailureReason, report.error?.reason ?? "");
  out.set(Outputs.OutputsJson, JSON.stringify(Object.fromEntries(Object.entries(outputs).map(([k, o]) => [k, o.sensitive ? SENSITIVE_PLACEHOLDER : o.value]))));
}
