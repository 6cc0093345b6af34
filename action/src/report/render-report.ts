/**
 * The report of one run as Markdown: the same text goes to the PR comment and the job summary.
 * Pure functions of plain data; the caller applies redact() and fitLimit() last.
 */
import type { EnvironmentResult, FailureReason, PlanSummary, SmokeResult, SweepResult, TeardownResult } from "../lifecycle-port.js";
import { estimateCost, usd } from "./cost.js";
import { mermaidDiagram } from "./mermaid-diagram.js";
import type { StackFacts } from "./stack-facts.js";

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

/** The diagram's source: facts read from the synthesized stack, or why they could not be. */
export type FactsOrProblem = { readonly facts: StackFacts } | { readonly problem: string };

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

/** What failed, for people: the run's failure reason (or status) in the engine's words. */
export function failureWords(result: Pick<EnvironmentResult, "failureReason" | "status">, engine: string): string {
  if (result.failureReason) return (engine === "local" ? LOCAL_FAILURE_WORDS[result.failureReason] : undefined) ?? FAILURE_WORDS[result.failureReason];
  return result.status === "cancelled" ? FAILURE_WORDS.cancelled : "the run failed";
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

function statusWords(result: EnvironmentResult, mode: string): string {
  if (result.status === "succeeded") return mode === "pr" ? "passed: applied, smoke-tested and destroyed" : "ready";
  if (result.status === "cancelled") return "cancelled";
  return `failed (${result.failureReason ?? "unknown"})`;
}

function statusIcon(result: EnvironmentResult): string {
  return result.status === "succeeded" ? "✅" : result.status === "cancelled" ? "⏹️" : "❌";
}

/** The plan's counts and changed resources. */
export function renderPlan(plan: PlanSummary | undefined): string {
  if (plan === undefined) return "### Plan\nThe plan did not finish.";
  if (!plan.hasChanges) return "### Plan\nNo changes: the environment already matches the stack.";
  const counts = `**${plan.toAdd} to add, ${plan.toChange} to change, ${plan.toDestroy} to destroy**`;
  if (plan.changes.length === 0) return `### Plan\n${counts}`;
  const rows = plan.changes.map((c) => `| ${c.action} | \`${cell(c.address)}\` |`);
  return [`### Plan`, counts, "", `<details><summary>Changed resources (${plan.changes.length})</summary>`, "", "| Action | Resource |", "| --- | --- |", ...rows, "", "</details>"].join("\n");
}

/** The smoke test's checks with latencies. */
export function renderSmoke(smoke: SmokeResult | undefined): string {
  if (smoke === undefined) return "### Smoke test\nNot run.";
  const rows = smoke.checks.map((c) => `| ${cell(c.name)} | ${c.passed ? "✅ pass" : "❌ fail"} | ${Math.round(c.latencyMs)} ms | ${cell(c.detail ?? "")} |`);
  return [`### Smoke test: ${smoke.passed ? "✅ passed" : "❌ failed"}`, "", "| Check | Result | Latency | Detail |", "| --- | --- | --- | --- |", ...rows].join("\n");
}

/** The environment diagram and its cost on paper. */
export function renderEnvironment(source: FactsOrProblem | undefined): string {
  if (source === undefined) return "";
  if ("problem" in source) return `### Environment\nNo diagram: ${source.problem}`;
  const cost = estimateCost(source.facts);
  const costRows = cost.lines.map((l) => `| ${cell(l.item)} | ${l.quantity} | ${usd(l.hourly)} |`);
  const unpriced = cost.unpriced.length > 0 ? `\n\nNot in the price table, so not in the total: ${cost.unpriced.join(", ")}.` : "";
  return [
    "### Environment",
    "```mermaid",
    mermaidDiagram(source.facts),
    "```",
    "",
    "### Cost per hour, on paper",
    "| Resource | Count | USD per hour |",
    "| --- | --- | --- |",
    ...costRows,
    `| **Total** | | **${usd(cost.totalHourly)}** (${usd(cost.totalHourly * 24)} per day) |`,
    "",
    `On-demand list prices for us-east-1; load-balancer capacity units, data transfer and requests are not counted.${unpriced}`,
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

/** The whole report of a `pr` or `deploy` run. */
export function renderRunReport(ctx: ReportContext, result: EnvironmentResult, diagram: FactsOrProblem | undefined): string {
  const what = failureWords(result, ctx.engine);
  const failure = result.status !== "succeeded"
    ? `\n> [!CAUTION]\n> **${what}**${result.failureMessage ? `: ${result.failureMessage.replace(/\n/g, "\n> ")}` : ""}\n`
    : "";
  const sections = [
    heading(ctx, `${statusIcon(result)} ${statusWords(result, ctx.mode)}`),
    facts([
      ["Status", statusWords(result, ctx.mode)],
      ["Started", utc(result.startedAt)],
      ["Finished", utc(result.finishedAt)],
      ["URL", result.url && result.status === "succeeded" && ctx.mode !== "pr" ? result.url : result.url ? `${result.url} (${ctx.mode === "pr" ? "destroyed at the end of the run" : "not serving"})` : undefined],
      ["Environment", result.environment],
      ["Engine / mode", `${ctx.engine} / ${ctx.mode}`],
      ["Commit", ctx.headSha?.slice(0, 12)],
      ["Run", `[workflow run](${ctx.runUrl})`],
    ]),
    failure,
    renderPlan(result.plan),
    renderEnvironment(diagram),
    renderSmoke(result.smoke),
    result.drill ? `### Failover drill: ${result.drill.passed ? "✅ passed" : "❌ failed"}\n\n${result.drill.markdown}` : "",
    renderTeardown("Teardown", result.teardown),
    result.reportMarkdown ? `<details><summary>Lifecycle report</summary>\n\n${result.reportMarkdown}\n\n</details>` : "",
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
    sweep.reportMarkdown,
    `[workflow run](${runUrl})`,
  ].filter((s) => s !== "").join("\n\n") + "\n";
}

const POST_START = "<!-- seedstack:post-step -->";
const POST_END = "<!-- /seedstack:post-step -->";

/** The post step's section, bracketed so the next post step replaces it instead of adding another. */
export function renderPostSection(teardown: TeardownResult, at: string, recordedForSweeper: boolean): string {
  const sweeper = recordedForSweeper ? "\n\nWhat is left is recorded for the sweeper, which destroys it on its next run." : "";
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
