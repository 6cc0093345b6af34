/**
 * Who the token is, two ways, in the GitHub STAND-IN: GET /user (docs.github.com/rest/users/users#get-the-authenticated-user),
 * which an installation token (the GITHUB_TOKEN) is refused, and GraphQL `query { viewer { login } }`.
 */
import { gitHubError, reply, type Reply } from "./reply.js";
import type { StandInState } from "./stored.js";
import type { StandInRequest } from "./route.js";
import { userJson } from "./user-shape.js";

/** Answers GET /user and POST /graphql; undefined for any other request. */
export function identityRoute(request: StandInRequest, state: StandInState): Reply | undefined {
  const { account } = state;
  if (request.method === "POST" && request.url.pathname === "/graphql") {
    if (!account.graphql) return reply(200, { errors: [{ type: "FORBIDDEN", message: "Resource not accessible by personal access token" }] });
    return reply(200, { data: { viewer: { login: account.login } } });
  }
  if (request.method === "GET" && request.url.pathname === "/user") {
    if (account.kind === "installation") return gitHubError(403, "Resource not accessible by integration", "users/users#get-the-authenticated-user");
    return reply(200, { ...userJson(account.login), name: account.login, public_repos: 3 });
  }
  return undefined;
}
