/**
 * The terraform run's own report for the collapsed section of the PR comment: the phases with their
 * results and times, and the end of terraform's stderr when a step failed. The plan, the smoke
 * checks and the teardown are rendered by the action's report from the result itself.
 */

/** One phase of a terraform run, as it went. */
export interface PhaseLine {
  readonly phase: string;
  readonly ok: boolean;
  readonly ms: number;
  readonly detail?: string;
}

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** The report as Markdown. */
export function terraformReportMarkdown(stack: string, ok: boolean, startedAt: string, phases: readonly PhaseLine[], stderrTail?: string): string {
  const lines = [
    `## seedstack: \`${stack}\` on the terraform engine ${ok ? "✅ passed" : "❌ failed"}`,
    "",
    `started ${startedAt}`,
    "",
    "| phase | result | time |",
    "| --- | --- | --- |",
    ...phases.map((p) => `| ${p.phase} | ${p.ok ? "✅" : "❌"}${p.detail ? ` ${cell(p.detail)}` : ""} | ${(p.ms / 1000).toFixed(1)} s |`),
  ];
  if (stderrTail) lines.push("", "terraform's last words:", "", "```text", stderrTail.trim().replace(/```/g, "'''"), "```");
  return lines.join("\n") + "\n";
}
