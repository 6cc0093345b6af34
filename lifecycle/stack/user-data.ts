/**
 * What an instance's user data tells the seed server: its port, its store, its drain period.
 *
 * The user data is a shell script (plain, or wrapped in terraform's `${base64encode("...")}` by a
 * launch template). We read the shell assignments it makes (`PORT='8080'`) and the environment
 * file it writes (`SEED_STORE=postgres`), the same names the seed server reads, so a stack that
 * starts the server on another port is run on that port here too. Names absent from the script
 * take the seed server's own defaults (port 8080, memory store, 10 s drain), as on an instance.
 */
import type { UserDataFacts } from "./stack.js";

/** The seed server's defaults for settings a script does not make (seed-server/config.ts). */
const SEED_SERVER_DEFAULTS = { port: 8080, drainSeconds: 10, logLevel: "info" } as const;

/** The script text of a user_data value: unwraps `${base64encode("...")}` (an HCL string literal). */
export function userDataScript(value: string): string {
  const wrapped = /^\$\{base64encode\("([\s\S]*)"\)\}$/.exec(value);
  return wrapped ? unescapeHclString(wrapped[1]!) : value;
}

/** Reads an HCL quoted string's escapes: \n \t \r \" \\ \uXXXX, and $${ / %%{ for literal ${ / %{. */
export function unescapeHclString(body: string): string {
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === "\\") {
      const next = body[++i];
      if (next === "n") out += "\n";
      else if (next === "t") out += "\t";
      else if (next === "r") out += "\r";
      else if (next === "u") {
        out += String.fromCharCode(parseInt(body.slice(i + 1, i + 5), 16));
        i += 4;
      } else out += next ?? "";
    } else if ((c === "$" || c === "%") && body[i + 1] === c && body[i + 2] === "{") {
      out += c;
      i += 1;
    } else out += c;
  }
  return out;
}

/** Every `NAME=value` / `NAME='value'` line of the script, last one winning. */
function assignments(script: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const line of script.split("\n")) {
    const m = /^\s*(?:export\s+)?([A-Z][A-Z0-9_]*)=(?:'([^']*)'|"([^"]*)"|([^\s'"]*))\s*$/.exec(line);
    if (!m) continue;
    const value = m[2] ?? m[3] ?? m[4] ?? "";
    // `PORT=$PORT` (the env file the script writes) restates the earlier assignment: keep that.
    if (value === `$${m[1]}` || value === `\${${m[1]}}`) continue;
    found.set(m[1]!, value);
  }
  return found;
}

/**
 * The seed-server settings a user-data script makes; a problem message per unusable value.
 * A value that is itself a shell variable (`PORT=$PORT` in the env file) is resolved through the
 * script's own assignments.
 */
export function readUserData(value: string): { facts: UserDataFacts; problems: string[] } {
  const vars = assignments(userDataScript(value));
  const resolve = (name: string): string | undefined => {
    let v = vars.get(name);
    for (let depth = 0; v !== undefined && /^\$\{?[A-Z_]+\}?$/.test(v) && depth < 4; depth++) v = vars.get(v.replace(/[${}]/g, ""));
    return v;
  };
  const problems: string[] = [];
  const int = (name: string, fallback: number, max: number): number => {
    const v = resolve(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!/^\d+$/.test(v) || n > max) {
      problems.push(`user data sets ${name} to ${JSON.stringify(v)}; expected a whole number up to ${max}`);
      return fallback;
    }
    return n;
  };
  const port = int("PORT", SEED_SERVER_DEFAULTS.port, 65535);
  const drainSeconds = int("DRAIN_SECONDS", SEED_SERVER_DEFAULTS.drainSeconds, 3600);
  const storeText = resolve("SEED_STORE") ?? "memory";
  if (storeText !== "memory" && storeText !== "postgres") problems.push(`user data sets SEED_STORE to ${JSON.stringify(storeText)}; expected memory or postgres`);
  const store = storeText === "postgres" ? "postgres" : "memory";
  const facts: UserDataFacts = {
    port,
    store,
    drainSeconds,
    logLevel: resolve("LOG_LEVEL") ?? SEED_SERVER_DEFAULTS.logLevel,
    ...(store === "postgres"
      ? { database: { name: resolve("PGDATABASE") ?? "postgres", user: resolve("PGUSER") ?? "postgres", port: int("PGPORT", 5432, 65535) } }
      : {}),
  };
  return { facts, problems };
}
