/**
 * The last filter before anything leaves the runner (comment, job summary, log): the values of
 * sensitive outputs and any PEM private key block are replaced. Applied to the whole text, so
 * Markdown the lifecycle wrote (its report, the drill timeline) is covered too.
 */
/** An output as terraform reports it (only its value and its sensitive flag matter here). */
type OutputValue = { readonly value: unknown; readonly sensitive: boolean };

const PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z0-9 ]*PRIVATE KEY-----/g;
/** Shorter strings would blank out ordinary words; GitHub's own masking has the same floor. */
const MIN_SECRET_LENGTH = 4;

/** Every string inside a sensitive output's value (objects and lists are walked). */
export function sensitiveStrings(outputs: Readonly<Record<string, OutputValue>>): string[] {
  const found: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === "string" || typeof v === "number") {
      const s = String(v);
      if (s.length >= MIN_SECRET_LENGTH) found.push(s);
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === "object" && v !== null) Object.values(v).forEach(walk);
  };
  for (const o of Object.values(outputs)) if (o.sensitive) walk(o.value);
  // Longest first, so a secret that contains another is replaced whole.
  return [...new Set(found)].sort((a, b) => b.length - a.length);
}

/** `text` with every secret and private key block replaced. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text.replace(PRIVATE_KEY, "[private key removed]");
  for (const s of secrets) out = out.split(s).join("***");
  return out;
}
