/**
 * A report that could not be written (the PR comment after GitHub's retries, or the job summary)
 * never decides the job's result: that is the environment's. It is said where people look instead:
 * as a warning annotation, and in the job summary when that is writable.
 */
import type { StepPorts } from "./ports.js";

/** Warns of each problem and appends them to the job summary; never throws. */
export async function sayUnpublished(ports: Pick<StepPorts, "log" | "summary">, problems: readonly string[]): Promise<void> {
  if (problems.length === 0) return;
  for (const p of problems) ports.log.warning(p);
  const lines = problems.map((p) => `> ⚠️ ${p.replace(/\n/g, " ")}`).join("\n>\n");
  try {
    await ports.summary(`\n\n${lines}\n>\n> The job's result is the environment's; only the report above could not be delivered.\n`);
  } catch {
    // the summary itself is what failed: the warnings above say it
  }
}
