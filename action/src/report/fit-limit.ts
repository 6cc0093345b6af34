/**
 * Keeps a Markdown report under a size limit: GitHub rejects a comment over 65,536 characters and
 * a step summary over 1 MiB. What does not fit is cut at a line boundary, an open code fence is
 * closed so the rest still renders, and a marker says so and links to where the whole report is.
 */

/** How a limit is measured: comments count characters, the job summary counts bytes. */
export type Measure = "chars" | "bytes";

function size(text: string, measure: Measure): number {
  return measure === "chars" ? text.length : Buffer.byteLength(text, "utf8");
}

/** The truncation marker; `where` is Markdown naming where the full report is. */
export function truncationNotice(limitWords: string, where: string): string {
  return `\n\n---\n> [!WARNING]\n> **Report truncated**: it was longer than ${limitWords}. ${where}\n`;
}

/**
 * `text` unchanged when it fits `limit`; otherwise its longest prefix that ends at a line break,
 * with code fences closed and `notice` appended, all within `limit`.
 */
export function fitLimit(text: string, limit: number, measure: Measure, notice: string): { text: string; truncated: boolean } {
  if (size(text, measure) <= limit) return { text, truncated: false };
  // Room for the notice and a closing fence.
  const budget = limit - size(notice, measure) - size("\n```\n", measure);
  if (budget <= 0) throw new Error(`limit ${limit} leaves no room for the truncation notice`);
  let cut = measure === "chars" ? budget : prefixLengthWithinBytes(text, budget);
  const lineEnd = text.lastIndexOf("\n", cut);
  if (lineEnd > 0) cut = lineEnd;
  let head = text.slice(0, cut);
  const fences = head.match(/^```/gm)?.length ?? 0;
  if (fences % 2 === 1) head += "\n```";
  return { text: head + notice, truncated: true };
}

/** The number of UTF-16 units of `text` whose UTF-8 encoding fits `bytes`. */
function prefixLengthWithinBytes(text: string, bytes: number): number {
  let used = 0;
  let i = 0;
  for (const ch of text) {
    const b = Buffer.byteLength(ch, "utf8");
    if (used + b > bytes) break;
    used += b;
    i += ch.length;
  }
  return i;
}
