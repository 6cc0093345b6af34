/**
 * The GitHub STAND-IN's answers: a status, a JSON body and headers, and GitHub's error body
 * (`message`, `documentation_url`, `status`), as docs.github.com/rest/using-the-rest-api/troubleshooting-the-rest-api shows them.
 */

/** One answer of a route, sent by the server with GitHub's usual headers. */
export interface Reply {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A JSON answer. */
export function reply(status: number, body: unknown, headers?: Record<string, string>): Reply {
  return headers ? { status, body, headers } : { status, body };
}

/** GitHub's error body; `doc` is the path under docs.github.com/rest of the endpoint's page. */
export function gitHubError(status: number, message: string, doc: string, extra: Record<string, unknown> = {}): Reply {
  return reply(status, { message, ...extra, documentation_url: `https://docs.github.com/rest/${doc}`, status: String(status) });
}

/** GitHub's 422 "Validation Failed" with one field error. */
export function validationFailed(doc: string, resource: string, field: string, message: string): Reply {
  return gitHubError(422, "Validation Failed", doc, { errors: [{ resource, code: "custom", field, message }] });
}

/** The headers GitHub sends on every REST answer. */
export const GITHUB_HEADERS: Readonly<Record<string, string>> = {
  "content-type": "application/json; charset=utf-8",
  "x-github-media-type": "github.v3; format=json",
  "x-ratelimit-limit": "5000",
  "x-ratelimit-remaining": "4999",
  "x-ratelimit-resource": "core",
};
