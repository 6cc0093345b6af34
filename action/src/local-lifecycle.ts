/**
 * The action's lifecycle on the LOCAL engine: the port (lifecycle-port.ts) adapted to the
 * lifecycle core (`lifecycle/run-lifecycle.ts`), the same run `seedstack run` does: synth, up,
 * wait healthy, smoke test, drill when asked, down. The core's events (`type`, no time) become the
 * port's (`kind`, `at`); its RunReport becomes the EnvironmentResult, with the core's own Markdown
 * report (`lifecycle/report/markdown.ts`) as `reportMarkdown`.
 *
 * A local environment is processes of this step: it never outlives the main step (the core takes
 * it down, and its exit hook kills what a crash leaves), so nothing is ever left for the post step.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { LifecycleEvent as CoreEvent, RunContext as CoreContext } from "../../lifecycle/events.js";
import type { FailureMode } from "../../lifecycle/probes/failover-drill.js";
import type { SmokeResult as CoreSmoke } from "../../lifecycle/probes/smoke-test.js";
import { drillMarkdown, reportMarkdown } from "../../lifecycle/report/markdown.js";
import type { RunReport } from "../../lifecycle/report/run-report.js";
import { runLifecycle } from "../../lifecycle/run-lifecycle.js";
import { SEED_SERVER_BUNDLE_RELATIVE_PATH } from "../../seed-server/bundle-path.js";
import { findPackageRoot } from "../../shared/package-root.js";
import { TEST_SPEEDUP_ENV } from "./constants.js";
import type { EnvironmentResult, FailureReason, LifecycleEvent, LifecyclePort, RunContext, RunRequest, SmokeResult, TeardownResult } from "./lifecycle-port.js";
import { environmentName, outdirOf, stackJsonOf, synthEnv, useSynthesized } from "./stack-synthesis.js";

const BOTH_DRILLS: readonly FailureMode[] = ["process-dies", "health-fails"];

/** The port's event for one of the core's, stamped now; undefined for events only the terminal shows. */
export function portEvent(e: CoreEvent, at: string): LifecycleEvent | undefined {
  switch (e.type) {
    case "phase":
      return { kind: "phase", phase: e.phase, state: e.status === "start" ? "started" : e.status === "done" ? "succeeded" : "failed", at, ...(e.detail ? { message: e.detail } : {}) };
    case "progress":
      return { kind: "log", level: "info", message: `${e.phase}: ${e.message}`, at };
    case "check":
      return { kind: "log", level: e.ok ? "info" : "warning", message: `${e.ok ? "✓" : "✗"} ${e.name}: ${e.detail}`, at };
    case "diagnosis":
      return { kind: "log", level: "warning", message: e.diagnosis.message, at };
    case "hop-denied":
      return { kind: "log", level: "warning", message: `${e.hop}: ${e.message}`, at };
    case "instance-started":
      return { kind: "log", level: "info", message: `instance ${e.instance} (${e.name}) started: pid ${e.pid} at ${e.address}`, at };
    case "instance-exited":
      return { kind: "log", level: "warning", message: `instance ${e.instance} exited (code ${e.code}, signal ${e.signal}): ${e.lastLines.join(" | ")}`, at };
    case "listener":
      return { kind: "log", level: "info", message: `${e.protocol} listener (stack port ${e.stackPort}) at ${e.url}`, at };
    case "target-health":
      return { kind: "log", level: "info", message: `target ${e.instance}: ${e.from} -> ${e.to}${e.reason ? ` (${e.reason})` : ""}`, at };
    default:
      return undefined;
  }
}

/** The smoke test as the port reports it: one latency per check (the median of its requests). */
export function portSmoke(smoke: CoreSmoke): SmokeResult {
  return {
    passed: smoke.ok,
    checks: smoke.checks.map((c) => {
      const sorted = [...c.latenciesMs].sort((a, b) => a - b);
      return { name: c.name, passed: c.ok, latencyMs: sorted.length ? sorted[Math.floor(sorted.length / 2)]! : c.ms, ...(c.ok ? {} : { detail: c.detail }) };
    }),
  };
}

/** Which port failure reason a core error code means. */
export function failureReasonOf(code: string, report: Pick<RunReport, "phases">): FailureReason {
  if (code === "ERR_CANCELLED") return "cancelled";
  if (code === "ERR_SMOKE_FAILED" || code === "ERR_DRILL_FAILED" || code === "ERR_TARGETS_UNHEALTHY") return "smoke-failed";
  const failed = report.phases.find((p) => !p.ok)?.phase;
  if (failed === "down") return "destroy-failed";
  if (failed === "synth" || failed === "summary") return "plan-failed";
  return "apply-failed";
}

/**
 * The seed-server bundle the local engine starts: the one of the seedstack package the working
 * directory uses (its own checkout, or its `node_modules/seedstack`), else the one next to this
 * action. When none is built, the first place looked: the engine then says it is missing there.
 */
function bundleFor(workingDirectory: string): string {
  const candidates: string[] = [];
  const inPackageOf = (dir: string) => {
    try {
      candidates.push(join(findPackageRoot(dir), SEED_SERVER_BUNDLE_RELATIVE_PATH));
    } catch {
      // Not inside the seedstack package.
    }
  };
  inPackageOf(workingDirectory);
  candidates.push(join(workingDirectory, "node_modules", "seedstack", SEED_SERVER_BUNDLE_RELATIVE_PATH));
  inPackageOf(dirname(fileURLToPath(import.meta.url)));
  return candidates.find((c) => existsSync(c)) ?? candidates[0]!;
}

function speedupOf(env: NodeJS.ProcessEnv): number {
  const raw = env[TEST_SPEEDUP_ENV];
  if (raw === undefined || raw === "") return 1;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 1 || n > 100) throw new Error(`${TEST_SPEEDUP_ENV} is "${raw}"; allowed: a number from 1 to 100 (test-only)`);
  return n;
}

/** Turn the core's report into the port's result. */
export function environmentResult(request: RunRequest, report: RunReport, env: NodeJS.ProcessEnv, finishedAt: string): EnvironmentResult {
  const down = report.phases.find((p) => p.phase === "down");
  const teardown: TeardownResult | undefined = down
    ? down.ok
      ? { status: "destroyed", remaining: [] }
      : { status: "failed", remaining: [], message: down.detail ?? "the local environment did not stop cleanly" }
    : undefined;
  const drills = report.drills;
  const stackJson = stackJsonOf(request.workingDirectory, request.stack);
  const status = report.ok ? "succeeded" : report.error?.code === "ERR_CANCELLED" ? "cancelled" : "failed";
  return {
    status,
    ...(report.error ? { failureReason: failureReasonOf(report.error.code, report), failureMessage: report.error.message } : {}),
    environment: environmentName(request.stack, env),
    ...(report.url ? { url: report.url } : {}),
    ...(report.smoke ? { smoke: portSmoke(report.smoke) } : {}),
    ...(drills.length > 0 ? { drill: { passed: drills.every((d) => d.ok), markdown: drills.map((d) => drillMarkdown(d).join("\n")).join("\n\n") } } : {}),
    outputs: report.url ? { url: { value: report.url, sensitive: false } } : {},
    ...(teardown ? { teardown } : {}),
    reportMarkdown: reportMarkdown(report),
    ...(existsSync(stackJson) ? { stackJsonPath: stackJson } : {}),
    startedAt: report.startedAt,
    finishedAt,
  };
}

/** The port over the local engine. */
export function localLifecycle(env: NodeJS.ProcessEnv): Pick<LifecyclePort, "runEnvironment" | "destroyEnvironment"> {
  return {
    async runEnvironment(request: RunRequest, ctx: RunContext): Promise<EnvironmentResult> {
      const core: CoreContext = {
        signal: ctx.signal,
        onEvent: (e) => {
          const mapped = portEvent(e, new Date().toISOString());
          if (mapped) ctx.onEvent(mapped);
        },
      };
      const bundle = bundleFor(request.workingDirectory);
      const report = await runLifecycle(
        {
          projectDir: request.workingDirectory,
          outdir: outdirOf(request.workingDirectory),
          stack: request.stack,
          synth: !useSynthesized(env),
          synthEnv: synthEnv(request, env),
          local: { speedup: speedupOf(env), bundle },
          smoke: true,
          drills: request.drill ? BOTH_DRILLS : [],
          keep: false,
        },
        core,
      );
      return environmentResult(request, report, env, new Date().toISOString());
    },

    async destroyEnvironment(record, ctx) {
      ctx.onEvent({ kind: "log", level: "info", message: `${record.stack}: a local environment lives only inside the step that started it; nothing outlives it`, at: new Date().toISOString() });
      return { status: "destroyed", remaining: [] };
    },
  };
}
