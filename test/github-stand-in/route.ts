/** The shape of one area of the GitHub STAND-IN's API: a function that answers the requests it knows. */
import { gitHubError, reply, type Reply } from "./reply.js";
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

/**
 * A route for GET of one of the repository's objects by number (`pattern` captures `owner/name`,
 * then the number): its shape from `json`, or GitHub's 404 for a number the test did not set or
 * another repository (`doc` names the endpoint's page under docs.github.com/rest).
 */
export function getByNumberRoute<T>(pattern: RegExp, objects: (state: StandInState) => Readonly<Record<number, T>>, json: (state: StandInState, n: number, object: T) => unknown, doc: string): Route {
  return (request, state) => {
    const m = pattern.exec(request.url.pathname);
    if (!m || request.method !== "GET") return undefined;
    const n = Number(m[2]);
    const object = m[1] === state.repository ? objects(state)[n] : undefined;
    if (object === undefined) return gitHubError(404, "Not Found", doc);
    return reply(200, json(state, n, object));
  };
}
