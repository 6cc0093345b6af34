/**
 * How long each test file took (its import plus its suites), so a slow `npm test` shows where the
 * time goes: one line per file as it finishes, and the slowest files at the end.
 */

/** One file's time. */
export interface FileDuration {
  readonly file: string;
  readonly ms: number;
}

/** Collects the time of each file; a file may be added to in parts (import, then each suite). */
export class FileDurations {
  private readonly byFile = new Map<string, number>();

  /** Adds `ms` to `file`'s time. */
  add(file: string, ms: number): void {
    this.byFile.set(file, (this.byFile.get(file) ?? 0) + ms);
  }

  /** `file`'s time so far (0 when none was added). */
  of(file: string): number {
    return this.byFile.get(file) ?? 0;
  }

  /** The `n` slowest files, slowest first; ties in file-name order so the list is stable. */
  slowest(n = 10): FileDuration[] {
    return [...this.byFile]
      .map(([file, ms]) => ({ file, ms }))
      .sort((a, b) => b.ms - a.ms || a.file.localeCompare(b.file))
      .slice(0, n);
  }
}

/** `12.3 s` */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** The end-of-run table: the slowest files with their times and their share of the total. */
export function slowestTable(durations: FileDurations, n = 10): string {
  const list = durations.slowest(Number.MAX_SAFE_INTEGER);
  const total = list.reduce((sum, d) => sum + d.ms, 0);
  const shown = list.slice(0, n);
  const width = Math.max(...shown.map((d) => seconds(d.ms).length), 0);
  const rows = shown.map((d) => `  ${seconds(d.ms).padStart(width)}  ${total > 0 ? `${Math.round((d.ms / total) * 100)}%`.padStart(4) : "  0%"}  ${d.file}`);
  return [`  Slowest ${shown.length} of ${list.length} file(s) (${seconds(total)} in all):`, ...rows].join("\n");
}
