/** The shape of one area of the GitHub STAND-IN's API: a function that answers the requests it knows. */
import type { Reply } from "./reply.js";
import type { StandInState } from "./stored.js";

/** What a route sees of one request (authenticated already, and not failed on purpose). */
export interface StandInRequest {
  readonly method: string;
  readonly url: URL;
  /** Parsed JSON body, when there was one. */
  readonly body: unknown;
}

/** Answers the requests of its area; undefined for a request of another area. */
export type Route = (request: StandInRequest, state: StandInState) => Reply | undefined;

/** A regular expression source matching `owner/name` in a path. */
export const OWNER_REPO = "[^/]+/[^/]+";
