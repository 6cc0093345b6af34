/**
 * Opt-in by label, pullpreview's model: with the `label` input set (e.g. `preview`), only pull
 * requests carrying that label get an environment, removing the label destroys it, and adding or
 * removing any other label does nothing. Without the input every same-repository pull request gets
 * one, as before, and label events do nothing (they change no code). Labels come from the event
 * payload (`pull_request.labels[].name`, and `label.name` on `labeled`/`unlabeled`), so no API call
 * is needed to decide.
 */
import type { PullRequestInfo } from "./pull-request.js";

/** What the label says the run must do. */
export type LabelDecision = { readonly run: true; readonly destroy: boolean } | { readonly run: false; readonly reason: string };

/** The decision for `pr`'s event, with opt-in label `label` (or none) and mode `mode`. */
export function labelDecision(pr: PullRequestInfo | undefined, label: string | undefined, mode: string): LabelDecision {
  // Not a pull-request event (pr-number given by hand, a schedule): labels do not apply.
  if (pr === undefined || mode === "sweep") return { run: true, destroy: false };
  const labelEvent = pr.action === "labeled" || pr.action === "unlabeled";
  if (label === undefined) {
    return labelEvent ? { run: false, reason: `a label was ${pr.action === "labeled" ? "added" : "removed"} (${pr.eventLabel ?? "?"}); without the label input labels decide nothing, and no code changed` } : { run: true, destroy: false };
  }
  if (labelEvent && pr.eventLabel !== label) {
    return { run: false, reason: `the label ${JSON.stringify(pr.eventLabel ?? "")} was ${pr.action === "labeled" ? "added" : "removed"}; only ${JSON.stringify(label)} concerns seedstack` };
  }
  if (pr.action === "unlabeled") return { run: true, destroy: true };
  if (!pr.labels.includes(label)) {
    return mode === "destroy"
      ? { run: false, reason: `pull request #${pr.number} does not carry the ${JSON.stringify(label)} label, so it has no environment to destroy (removing the label destroyed it)` }
      : { run: false, reason: `pull request #${pr.number} does not carry the ${JSON.stringify(label)} label; add it to get an environment` };
  }
  return { run: true, destroy: false };
}

/**
 * The inputs to run with after the label's decision: unchanged, with mode `destroy` when the label
 * was removed, or undefined (said in the log) when there is nothing to do.
 */
export function gateByLabel<I extends { readonly mode: string; readonly label?: string }>(inputs: I, pr: PullRequestInfo | undefined, log: { info(message: string): void }): I | undefined {
  const decision = labelDecision(pr, inputs.label, inputs.mode);
  if (!decision.run) {
    log.info(`seedstack: nothing to do: ${decision.reason}`);
    return undefined;
  }
  if (decision.destroy && inputs.mode !== "destroy") {
    log.info(`seedstack: the ${JSON.stringify(inputs.label)} label was removed from pull request #${pr!.number}: destroying its environment`);
    return { ...inputs, mode: "destroy" };
  }
  return inputs;
}
