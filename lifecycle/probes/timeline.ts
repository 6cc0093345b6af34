/**
 * The drill's per-second timeline: requests per target and errors in each second, with the
 * failure, detection and recovery marks, drawn so a person reads it at a glance: as bars in the
 * terminal, and as a Mermaid xychart in Markdown (GitHub renders Mermaid in comments).
 */

/** One request of the drill's load. */
export interface LoadSample {
  /** When it was sent, ms since the drill started. */
  readonly atMs: number;
  readonly ok: boolean;
  readonly servedBy?: string;
  readonly status: number;
  readonly ms: number;
}

/** One second of the timeline. */
export interface TimelineBucket {
  readonly second: number;
  readonly byTarget: Readonly<Record<string, number>>;
  readonly errors: number;
  readonly marks: readonly string[];
}

/** Bucket samples into seconds (`bucketMs` wide; a second of stack time when the clock runs faster). */
export function buildTimeline(samples: readonly LoadSample[], marks: ReadonlyArray<{ atMs: number; label: string }>, bucketMs: number): TimelineBucket[] {
  const last = Math.max(0, ...samples.map((s) => s.atMs), ...marks.map((m) => m.atMs));
  const buckets = Array.from({ length: Math.floor(last / bucketMs) + 1 }, (_, second) => ({ second, byTarget: {} as Record<string, number>, errors: 0, marks: [] as string[] }));
  for (const s of samples) {
    const b = buckets[Math.floor(s.atMs / bucketMs)]!;
    if (s.ok && s.servedBy) b.byTarget[s.servedBy] = (b.byTarget[s.servedBy] ?? 0) + 1;
    else b.errors++;
  }
  for (const m of marks) buckets[Math.floor(m.atMs / bucketMs)]!.marks.push(m.label);
  return buckets;
}

const BLOCKS = ["█", "▓", "▒", "░"];

/** Terminal chart: one row per second, a bar per target (its own shade), errors as ✗. */
export function terminalChart(timeline: readonly TimelineBucket[], targets: readonly string[]): string[] {
  const legend = targets.map((t, i) => `${BLOCKS[i % BLOCKS.length]} ${t}`).join("   ") + "   ✗ failed request";
  const rows = timeline.map((b) => {
    const bars = targets.map((t, i) => BLOCKS[i % BLOCKS.length]!.repeat(b.byTarget[t] ?? 0)).join("");
    const counts = targets.map((t) => String(b.byTarget[t] ?? 0).padStart(3)).join(" ");
    return `  ${String(b.second).padStart(3)}s ${counts} ${String(b.errors).padStart(3)}  ${bars}${"✗".repeat(b.errors)}${b.marks.length ? `  ← ${b.marks.join(", ")}` : ""}`;
  });
  return [`  legend: ${legend}`, `  ${"t".padStart(4)} ${targets.map((_, i) => `  ${String.fromCharCode(65 + i)}`).join(" ")} err`, ...rows];
}

/** Mermaid xychart: one line per target, errors as bars; marks listed under it. */
export function mermaidChart(timeline: readonly TimelineBucket[], targets: readonly string[], title: string): string {
  const xs = timeline.map((b) => b.second).join(", ");
  const max = Math.max(1, ...timeline.map((b) => Math.max(b.errors, ...targets.map((t) => b.byTarget[t] ?? 0))));
  const lines = [
    "```mermaid",
    "xychart-beta",
    `  title "${title.replace(/"/g, "'")}"`,
    `  x-axis "second" [${xs}]`,
    `  y-axis "requests" 0 --> ${max}`,
    `  bar [${timeline.map((b) => b.errors).join(", ")}]`,
    ...targets.map((t) => `  line [${timeline.map((b) => b.byTarget[t] ?? 0).join(", ")}]`),
    "```",
  ];
  return lines.join("\n");
}
