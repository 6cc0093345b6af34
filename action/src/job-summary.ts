/**
 * The job summary: the same report as the PR comment, written to the file GitHub names in
 * GITHUB_STEP_SUMMARY (a plain file append, as actions/toolkit's core.summary does), cut to
 * GitHub's 1 MiB limit per step.
 */
import { appendFile } from "node:fs/promises";
import { SUMMARY_LIMIT_BYTES } from "./constants.js";
import { fitLimit, truncationNotice } from "./report/fit-limit.js";

/** Appends Markdown to the job summary. */
export type SummaryPort = (markdown: string) => Promise<void>;

/** A SummaryPort writing to the file at `path` (GITHUB_STEP_SUMMARY); a no-op with a note when unset. */
export function fileSummary(path: string | undefined, note: (m: string) => void): SummaryPort {
  return async (markdown) => {
    if (!path) {
      note("GITHUB_STEP_SUMMARY is not set; no job summary written");
      return;
    }
    await appendFile(path, markdown, "utf8");
  };
}

/** `markdown` cut to the job summary's limit, with a marker pointing at the run's log. */
export function fitSummary(markdown: string, runUrl: string): string {
  const notice = truncationNotice("GitHub's 1 MiB limit for a job summary", `The full lifecycle output is in the [log of this run](${runUrl}).`);
  return fitLimit(markdown, SUMMARY_LIMIT_BYTES, "bytes", notice).text;
}
