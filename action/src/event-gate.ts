/**
 * Which events the action handles, checked first, so that a run on any other says what it expected
 * instead of failing later with a message about a missing stack or PR number.
 */
import { Inputs } from "./constants.js";
import { InputError, type InputSource } from "./inputs.js";
import type { PullRequestInfo } from "./pull-request.js";

/** Thrown for an event the action does not handle; the message says what it expects instead. */
export class UnhandledEventError extends InputError {
  constructor(message: string) {
    super([message]);
    this.message = message;
    this.name = "UnhandledEventError";
  }
}

/**
 * Throws UnhandledEventError unless the run has a pull request to work on (from the event, or the
 * `pr-number` input) or is a sweep, which needs none.
 */
export function checkHandledEvent(eventName: string | undefined, pr: PullRequestInfo | undefined, get: InputSource): void {
  if (pr !== undefined || get(Inputs.PrNumber).trim() !== "" || get(Inputs.Mode).trim() === "sweep") return;
  const event = eventName ? `the \`${eventName}\` event` : "this event";
  throw new UnhandledEventError(
    `seedstack: ${event} names no pull request, and the ${Inputs.PrNumber} input is not set, so there is no environment to work on. ` +
      `The action expects a \`pull_request\` event (types opened, synchronize, reopened, closed; labeled and unlabeled with the ${Inputs.Label} input), ` +
      `or, on any other event such as \`workflow_dispatch\`, the ${Inputs.PrNumber} input (e.g. \`pr-number: \${{ inputs.pr }}\`), ` +
      `or \`mode: sweep\` (on a schedule).`,
  );
}
