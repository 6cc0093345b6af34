/**
 * The report of one run as Markdown: the same text goes to the PR comment and the job summary.
 * Pure functions of plain data; the caller applies redact() and fitLimit() last.
 */
import { drillMarkdown, reportMarkdown, type PlanSummary, type RunReport, type SmokeResult, type Stack, type Teardown } from "../../../lifecycle/index.js";
import type { FailureReason, RunOutcome, SweepResult, TeardownResult } from "../lifecycle-port.js";
import { estimateCost, usd } from "./cost.js";
import { mermaidDiagram } from "./mermaid-diagram.js";

/** Who and what the report is about. */
export interface ReportContext {
  readonly stack: string;
  readonly prNumber?: number;
  readonly engine: string;
  readonly mode: string;
  /** Link to this workflow run. */
  readonly runUrl: string;
  readonly headSha?: string;
}

/** The diagram's source: the synthesized stack as the lifecycle read it, or why it could not be read. */
export type StackOrProblem = { readonly stack: Stack } | { readonly problem: string };

/** Wording per failure reason, for people (the reason code itself is the `failure-reason` output). */
export const FAILURE_WORDS: Readonly<Record<FailureReason, string>> = {
  "state-locked": "the terraform state is locked by another run",
  "plan-failed": "terraform plan failed",
  "apply-failed": "terraform apply failed",
  "smoke-failed": "the smoke test failed",
  "destroy-failed": "terraform destroy failed",
  cancelled: "the run was cancelled",
};

/** The local engine runs no terraform: its failures in its own words (synthesis, start, stop). */
const LOCAL_FAILURE_WORDS: Readonly<Partial<Record<FailureReason, string>>> = {
  "plan-failed": "synthesizing or reading the stack failed",
  "apply-failed": "bringing the local environment up failed",
  "destroy-failed": "taking the local environment down failed",
};

/**
 * What failed, for people: the run's failure reason in the engine's words, then the lifecycle's
 * message unless it only repeats them (a cancellation says "cancelled" once).
 */
export function failureWords(report: Pick<RunReport, "error">, engine: string): string {
  const error = report.error;
  if (!error) return "the run failed";
  const words = (engine === "local" ? LOCAL_FAILURE_WORDS[error.reason] : undefined) ?? FAILURE_WORDS[error.reason];
  const message = error.message.trim();
  return message === "" || words.includes(message) || message === error.reason ? words : `${words}: ${message}`;
}

/** `2026-11-30 15:04:05 UTC` from an ISO time. */
export function utc(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t).toISOString().replace("T", " ").replace(/\.\d{3}Z$/, " UTC");
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

function heading(ctx: ReportContext, status: string): string {
  return `## seedstack environment \`${ctx.stack}\`${ctx.prNumber !== undefined ? ` for #${ctx.prNumber}` : ""}: ${status}`;
}

function facts(rows: readonly (readonly [string, string | undefined])[]): string {
  const kept = rows.filter((r): r is readonly [string, string] => r[1] !== undefined && r[1] !== "");
  return ["| | |", "| --- | --- |", ...kept.map(([k, v]) => `| ${k} | ${cell(v)} |`)].join("\n");
}

function statusWords(report: RunReport, mode: string): string {
  if (report.ok) return mode === "pr" ? "passed: applied, smoke-tested and destroyed" : "ready";
  if (report.error?.reason === "cancelled") return "cancelled";
  return `failed (${report.error?.reason ?? "unknown"})`;
}

function statusIcon(report: RunReport): string {
  return report.ok ? "✅" : report.error?.reason === "cancelled" ? "⏹️" : "❌";
}

/** The plan's counts and changed resources; the local engine makes none. */
export function renderPlan(plan: PlanSummary | undefined, engine: string): string {
  if (plan === undefined) return engine === "local" ? "### Plan\nNo plan (local engine)." : "### Plan\nThe plan did not finish.";
  if (!plan.hasChanges) return "### Plan\nNo changes: the environment already matches the stack.";
  const c = plan.counts;
  const counts = `**${c.create + c.replace} to add, ${c.update} to change, ${c.delete + c.replace} to destroy**`;
  const changes = plan.changes.filter((x) => x.action !== "read" && x.action !== "forget");
  if (changes.length === 0) return `### Plan\n${counts}`;
  const rows = changes.map((x) => `| ${x.action} | \`${cell(x.address)}\` |`);
  return [`### Plan`, counts, "", `<details><summary>Changed resources (${changes.length})</summary>`, "", "| Action | Resource |", "| --- | --- |", ...rows, "", "</details>"].join("\n");
}

/** The smoke test's checks, each with its median latency. */
export function renderSmoke(smoke: SmokeResult | undefined): string {
  if (smoke === undefined) return "### Smoke test\nNot run.";
  const rows = smoke.checks.map((c) => {
    const sorted = [...c.latenciesMs].sort((a, b) => a - b);
    const latency = sorted.length ? sorted[Math.floor(sorted.length / 2)]! : c.ms;
    return `| ${cell(c.name)} | ${c.ok ? "✅ pass" : "❌ fail"} | ${Math.round(latency)} ms | ${cell(c.ok ? "" : c.detail)} |`;
  });
  return [`### Smoke test: ${smoke.ok ? "✅ passed" : "❌ failed"}`, "", "| Check | Result | Latency | Detail |", "| --- | --- | --- | --- |", ...rows].join("\n");
}

/** The failover drill: each mode's timeline, or why it was skipped; nothing when it was not asked for. */
export function renderDrill(report: RunReport): string {
  const skipped = report.phases.filter((p) => p.phase === "drill" && p.ms === 0 && p.detail?.startsWith("skipped"));
  if (report.drills.length === 0 && skipped.length === 0) return "";
  const ok = report.drills.every((d) => d.ok);
  return [
    `### Failover drill: ${report.drills.length === 0 ? "⏭️ skipped" : ok ? "✅ passed" : "❌ failed"}`,
    ...skipped.map((p) => `\n${p.detail}`),
    ...report.drills.map((d) => `\n${drillMarkdown(d).join("\n")}`),
  ].join("\n");
}

/** Which prices the table holds, next to the region the stack is in: only us-east-1's are in the table. */
export function pricesLine(region: string | undefined): string {
  if (region === undefined || region === "us-east-1") return "On-demand list prices for us-east-1, where this stack runs";
  return `us-east-1 on-demand list prices: this stack runs in ${region}, whose prices differ (see AWS's pricing pages for ${region})`;
}

/** The environment diagram and its cost on paper. */
export function renderEnvironment(source: StackOrProblem | undefined): string {
  if (source === undefined) return "";
  if ("problem" in source) return `### Environment\nNo diagram: ${source.problem}`;
  const cost = estimateCost(source.stack);
  const atLeast = (yes: boolean | undefined, text: string) => (yes ? `at least ${text}` : text);
  const costRows = cost.lines.map((l) => `| ${cell(l.item)} | ${atLeast(l.atLeast, String(l.quantity))} | ${atLeast(l.atLeast, usd(l.hourly))} |`);
  const unpriced = cost.unpriced.length > 0 ? `\n\nNot in the price table, so not in the total: ${cost.unpriced.join(", ")}.` : "";
  return [
    "### Environment",
    "```mermaid",
    mermaidDiagram(source.stack),
    "```",
    "",
    "### Cost per hour, on paper",
    "| Resource | Count | USD per hour |",
    "| --- | --- | --- |",
    ...costRows,
    `| **Total** | | **${atLeast(cost.atLeast, usd(cost.totalHourly))}** (${atLeast(cost.atLeast, usd(cost.totalHourly * 24))} per day) |`,
    "",
    `${pricesLine(source.stack.region)}; load-balancer capacity units, data transfer and requests are not counted.${unpriced}`,
  ].join("\n");
}

/** What became of tearing down. */
export function renderTeardown(title: string, teardown: TeardownResult | undefined): string {
  if (teardown === undefined) return "";
  const icon = teardown.status === "destroyed" ? "✅" : "⚠️";
  const words = teardown.status === "destroyed" ? "destroyed, nothing left" : teardown.status === "incomplete" ? "not finished" : "failed";
  const left = teardown.remaining.length > 0 ? `\n\nStill there:\n${teardown.remaining.map((r) => `- \`${r}\``).join("\n")}` : "";
  const message = teardown.message ? `\n\n${teardown.message}` : "";
  return `### ${title}: ${icon} ${words}${message}${left}`;
}

/** A run's teardown in the action's words: a cancelled run's is the post step's. */
function runTeardown(teardown: Teardown | undefined, environment: string): TeardownResult | undefined {
  switch (teardown?.status) {
    case undefined:
    case "kept":
      return undefined;
    case "destroyed":
      return { status: "destroyed", remaining: [] };
    case "left":
      return { status: "incomplete", remaining: [environment], message: "cancelled: the post step destroys it" };
    case "failed":
      return { status: "failed", remaining: [environment], ...(teardown.message ? { message: teardown.message } : {}) };
  }
}

/** The whole report of a `pr` or `deploy` run. */
export function renderRunReport(ctx: ReportContext, outcome: RunOutcome, diagram: StackOrProblem | undefined): string {
  const { report } = outcome;
  const failure = report.ok ? "" : `\n> [!CAUTION]\n> **${failureWords(report, ctx.engine).replace(/\n/g, "\n> ")}**\n`;
  const sections = [
    heading(ctx, `${statusIcon(report)} ${statusWords(report, ctx.mode)}`),
    facts([
      ["Status", statusWords(report, ctx.mode)],
      ["Started", utc(report.startedAt)],
      ["Finished", utc(outcome.finishedAt)],
      ["URL", report.url && report.ok && ctx.mode !== "pr" ? report.url : report.url ? `${report.url} (${ctx.mode === "pr" ? "destroyed at the end of the run" : "not serving"})` : undefined],
      ["Environment", outcome.environment],
      ["Engine / mode", `${ctx.engine} / ${ctx.mode}`],
      ["Commit", ctx.headSha?.slice(0, 12)],
      ["Run", `[workflow run](${ctx.runUrl})`],
    ]),
    failure,
    renderPlan(report.plan, ctx.engine),
    renderEnvironment(diagram),
    renderSmoke(report.smoke),
    renderDrill(report),
    renderTeardown("Teardown", runTeardown(report.teardown, outcome.environment)),
    `<details><summary>Lifecycle report</summary>\n\n${reportMarkdown(report)}\n\n</details>`,
  ];
  return sections.filter((s) => s !== "").join("\n\n") + "\n";
}

/** The report of a `destroy` run (the PR was closed). */
export function renderDestroyReport(ctx: ReportContext, teardown: TeardownResult, startedAt: string, finishedAt: string): string {
  const ok = teardown.status === "destroyed";
  return [
    heading(ctx, ok ? "🗑️ destroyed" : "⚠️ destroy not finished"),
    facts([
      ["Started", utc(startedAt)],
      ["Finished", utc(finishedAt)],
      ["Engine", ctx.engine],
      ["Run", `[workflow run](${ctx.runUrl})`],
    ]),
    renderTeardown("Destroy", teardown),
  ].join("\n\n") + "\n";
}

/** The comment on a pull request from a fork: nothing was deployed, and why. */
export function renderForkReport(ctx: ReportContext, headRepo: string | null): string {
  return [
    heading(ctx, "⏭️ not deployed"),
    `This pull request comes from ${headRepo ? `the fork \`${headRepo}\`` : "a fork that no longer exists"}. ` +
      "Its code would run with this repository's AWS role, so no environment is built for it. " +
      "A maintainer can push the branch to this repository to get an environment.",
    `[workflow run](${ctx.runUrl})`,
  ].join("\n\n") + "\n";
}

/** The job summary of a sweep. */
export function renderSweepReport(runUrl: string, sweep: SweepResult, now: string): string {
  const rows = sweep.swept.map((s) => `| \`${cell(s.environment)}\` | ${s.expiresAt ? utc(s.expiresAt) : ""} | ${s.action} | ${cell(s.message ?? "")} |`);
  return [
    `## seedstack sweep at ${utc(now)}`,
    sweep.swept.length === 0 ? "No environments found." : ["| Environment | Expires | Action | Detail |", "| --- | --- | --- | --- |", ...rows].join("\n"),
    sweep.notes && sweep.notes.length > 0 ? ["```text", ...sweep.notes, "```"].join("\n") : "",
    `[workflow run](${runUrl})`,
  ].filter((s) => s !== "").join("\n\n") + "\n";
}

const POST_START = "<!-- seedstack:post-step -->";
const POST_END = "<!-- /seedstack:post-step -->";

/** The post step's section, bracketed so the next post step replaces it instead of adding another. */
export function renderPostSection(teardown: TeardownResult, at: string, recordedForSweeper: boolean | string): string {
  const sweeper =
    typeof recordedForSweeper === "string"
      ? `\n\nWhat is left is handed over to the sweeper through the state bucket (\`${recordedForSweeper}\`); its next run destroys it, whatever the TTL says.`
      : recordedForSweeper
        ? "\n\nWhat is left is recorded for the sweeper, which destroys it on its next run."
        : "";
  return `${POST_START}\n${renderTeardown(`Cleanup after the cancelled run (${utc(at)})`, teardown)}${sweeper}\n${POST_END}`;
}

/** `body` without its post-step section. */
export function withoutPostSection(body: string): string {
  const start = body.indexOf(POST_START);
  const end = body.indexOf(POST_END);
  if (start < 0) return body;
  return end > start ? body.slice(0, start) + body.slice(end + POST_END.length) : body.slice(0, start);
}

/** `body` with its post-step section replaced by `section` (or `section` appended). */
export function withPostSection(body: string, section: string): string {
  const start = body.indexOf(POST_START);
  const end = body.indexOf(POST_END);
  if (start >= 0 && end > start) return body.slice(0, start) + section + body.slice(end + POST_END.length);
  return `${body.trimEnd()}\n\n${section}\n`;
}
