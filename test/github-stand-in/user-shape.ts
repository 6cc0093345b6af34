/** A GitHub account in the "simple user" shape every STAND-IN answer embeds (docs.github.com/rest/users/users). */

/** The user ID GitHub gives the github-actions[bot] account. */
const ACTIONS_BOT_ID = 41898282;
/** The ID the stand-in gives every other account of the tests. */
const PERSON_ID = 583231;

/** The simple-user object of `login`; a `[bot]` login is an App's bot account. */
export function userJson(login: string, id = login === "github-actions[bot]" ? ACTIONS_BOT_ID : PERSON_ID): Record<string, unknown> {
  const bot = login.endsWith("[bot]");
  return {
    login,
    id,
    node_id: `MDQ6VXNlcj${id}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: "",
    url: `https://api.github.com/users/${encodeURIComponent(login)}`,
    html_url: bot ? `https://github.com/apps/${login.replace("[bot]", "")}` : `https://github.com/${login}`,
    type: bot ? "Bot" : "User",
    site_admin: false,
  };
}
