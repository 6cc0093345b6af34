/**
 * The HTTP -> HTTPS redirect as a visitor meets it: ask the plain-HTTP listener for a path with a
 * query, expect a redirect to https:// with the same path and query, then go where it points: a
 * TLS handshake there (pinned to the stack's certificate when there is one) and an answer (200 OK
 * from /status). A 301 to a port where nothing listens, or to a listener that does not speak TLS,
 * fails here instead of passing on the status code alone. A 200 from the plain-HTTP listener is
 * the app served in plain text, and fails too.
 */
import { header, type HttpClient, type HttpResult } from "./http-client.js";
import { tlsHandshake } from "./tls-handshake.js";

/** Check once; the smoke test retries until its deadline. */
export async function followRedirect(
  fromUrl: string,
  send: HttpClient["send"],
  options: { readonly certificatePem: string | undefined; readonly timeoutMs: number; readonly describe: (r: HttpResult) => string },
): Promise<{ ok: boolean; detail: string }> {
  const pathAndQuery = "/status?probe=redirect";
  const from = `${fromUrl.replace(/\/$/, "")}${pathAndQuery}`;
  const first = await send(from);
  const location = header(first, "location");
  if (first.status < 300 || first.status > 399 || !location) {
    const plainText = first.status >= 200 && first.status < 300 ? ": the plain-HTTP listener serves the app in plain text instead of redirecting to HTTPS" : "";
    return { ok: false, detail: `GET ${from} answered ${options.describe(first)}${location ? ` location ${location}` : ""}, not a redirect to HTTPS${plainText}` };
  }
  let to: URL;
  try {
    to = new URL(location, from);
  } catch {
    return { ok: false, detail: `${first.status} -> ${JSON.stringify(location)}, which is not a URL` };
  }
  const redirect = `${first.status} -> ${location}`;
  if (to.protocol !== "https:") return { ok: false, detail: `${redirect}: not to HTTPS` };
  if (`${to.pathname}${to.search}` !== pathAndQuery) return { ok: false, detail: `${redirect}: the path and query ${pathAndQuery} are not kept` };
  const tls = await tlsHandshake(to.href, options.certificatePem, options.timeoutMs);
  if (!tls.ok) return { ok: false, detail: `${redirect}, where ${tls.detail}` };
  const answer = await send(to.href);
  if (answer.status !== 200 || answer.body !== "OK") return { ok: false, detail: `${redirect}, which answered ${options.describe(answer)}` };
  return { ok: true, detail: `${redirect}: ${tls.detail}; 200 OK` };
}
