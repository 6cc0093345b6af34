/**
 * FAKE lifecycle for the action's own tests: a stand-in for `lifecycle/` that behaves per named
 * scenario, for what the real lifecycle cannot produce on this machine (a destroy that stops
 * half-way, a report too long for a comment, a lock held by someone else), in the lifecycle's own
 * report shapes.
 * It creates nothing. It appends every call it receives as a JSON line to the file named by
 * SEEDSTACK_ACTION_FAKE_JOURNAL (when set), so tests can check what the action asked for.
 *
 * It reaches the action through its ports, never through the production wiring: the test entry
 * points (fake-entry/main.ts, fake-entry/post.ts) build the ports with it, and bundled-action-suite.ts
 * bundles those for the suites that use it. The shipped bundle does not contain it.
 */
import { appendFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import type { PlanSummary, RunReport, SmokeResult } from "../../lifecycle/index.js";
import type { LifecyclePort, RunContext, RunOutcome, RunRequest } from "../src/lifecycle-port.js";

/** The scenarios, each named for what it makes the lifecycle do. */
export const FAKE_SCENARIOS = [
  "success",
  "no-changes",
  "apply-failed",
  "smoke-failed",
  "state-locked",
  "hang-until-cancelled",
  "huge-report",
  "destroy-incomplete",
  // As destroy-incomplete, with a state bucket: what is left is handed over beside the state.
  "destroy-handed-over",
] as const;

/** Where destroy-handed-over says it handed the environment over. */
export const FAKE_HANDOVER = "s3://fake-state-bucket/seedstack/pr-12/needs-destroy.json";
export type FakeScenario = (typeof FAKE_SCENARIOS)[number];

/** The value of the fake's sensitive output: it must never appear in a report. */
export const FAKE_SECRET = "fake-db-password-7c1e9";

const change = (address: string, action: "create" | "update") => ({ address, type: address.split(".")[0]!, action });
const PLAN: PlanSummary = {
  formatVersion: "1.2",
  terraformVersion: "1.11.4",
  counts: { create: 3, update: 1, replace: 0, delete: 0, read: 0, forget: 0 },
  changes: [
    change("aws_lb.lb_alb_3A88C95E", "create"),
    change("aws_lb_target_group.lb_targets_723A5708", "create"),
    change("aws_instance.web_server-0_14D093DF", "create"),
    change("aws_security_group.web_sg_BBC30E6E", "update"),
  ],
  changedOutputs: ["url"],
  hasChanges: true,
} as PlanSummary;
const NO_CHANGES: PlanSummary = { ...PLAN, counts: { create: 0, update: 0, replace: 0, delete: 0, read: 0, forget: 0 }, changes: [], changedOutputs: [], hasChanges: false };

const check = (name: string, ok: boolean, latencyMs: number, detail = "ok") => ({ name, ok, detail, attempts: 1, ms: latencyMs, latenciesMs: [latencyMs] });
const smoke = (checks: SmokeResult["checks"]): SmokeResult => ({ ok: checks.every((c) => c.ok), baseUrl: "https://seedstack-pr-12.example.test", startedAt: "2026-11-30T15:00:00.000Z", durationMs: 95, checks });
const SMOKE_PASSED = smoke([check("GET /status", true, 41.6), check("GET / (seed)", true, 23.2), check('POST / {"num":100}', true, 30.9)]);
const SMOKE_FAILED = smoke([check("GET /status", true, 38.1), check("GET / (seed)", false, 12.4, 'expected body 100, got "100"')]);

const CERT = "-----BEGIN CERTIFICATE-----\nMIIBfakecertificate\n-----END CERTIFICATE-----";
const PRIVATE_KEY = "-----BEGIN RSA PRIVATE KEY-----\nMIIEfakeprivatekeymaterial\n-----END RSA PRIVATE KEY-----";

function isScenario(name: string): name is FakeScenario {
  return (FAKE_SCENARIOS as readonly string[]).includes(name);
}

/** The FAKE lifecycle for `scenario`; `journalPath` receives every call it gets. */
export function fakeLifecycle(scenario: string, journalPath: string | undefined): LifecyclePort {
  if (!isScenario(scenario)) throw new Error(`unknown fake lifecycle scenario "${scenario}"; known: ${FAKE_SCENARIOS.join(", ")}`);
  const journal = (entry: Record<string, unknown>): void => {
    if (journalPath) appendFileSync(journalPath, `${JSON.stringify(entry)}\n`);
  };
  const now = (): string => new Date().toISOString();

  return {
    async runEnvironment(request: RunRequest, ctx: RunContext): Promise<RunOutcome> {
      journal({ call: "runEnvironment", request });
      const startedAt = now();
      const environment = `seedstack-${request.stack}`;
      const stackJson = join(request.workingDirectory, "cdktf.out", "stacks", request.stack, "cdk.tf.json");
      // The lifecycle's own report; its phase details carry what must never leak, to prove redaction.
      const leak = `key ${PRIVATE_KEY} password ${FAKE_SECRET}`;
      const base: RunReport = { stack: request.stack, engine: request.engine, ok: true, startedAt, durationMs: 1200, speedup: 1, summary: [], phases: [{ phase: "up", ok: true, ms: 800, detail: leak }], diagnoses: [], drills: [], resourcesMayExist: false };
      const outcome = (report: Partial<RunReport>, extra: Partial<RunOutcome> = {}): RunOutcome => ({
        report: { ...base, ...report },
        environment,
        ...(existsSync(stackJson) ? { stackJsonPath: stackJson } : {}),
        finishedAt: now(),
        ...extra,
      });
      const fail = (code: NonNullable<RunReport["error"]>["code"], reason: NonNullable<RunReport["error"]>["reason"], message: string) => ({ ok: false, error: { code, reason, message } });
      ctx.onEvent({ type: "phase", phase: "up", status: "start" });

      if (scenario === "state-locked") {
        ctx.onEvent({ type: "phase", phase: "up", status: "failed" });
        return outcome(fail("ERR_STATE_LOCKED", "state-locked", "the state is locked by another run (lock ID 1d2c-other, held by runner@fv-az123 since 2026-11-30 14:59:02 UTC); waited 300 s"));
      }
      const plan = scenario === "no-changes" ? NO_CHANGES : PLAN;
      ctx.onEvent({ type: "plan", plan });
      ctx.onEvent({ type: "resources-may-exist", stack: request.stack, engine: request.engine });

      if (scenario === "hang-until-cancelled") {
        journal({ call: "waiting-for-cancel" });
        const cancelled = await new Promise<boolean>((resolve) => {
          if (ctx.signal.aborted) return resolve(true);
          // The safety net keeps a forgotten test from hanging forever; the test's own deadline is shorter.
          const safety = setTimeout(() => resolve(false), 120_000);
          ctx.signal.addEventListener("abort", () => {
            clearTimeout(safety);
            resolve(true);
          }, { once: true });
        });
        journal({ call: "apply-interrupted", cancelled });
        const leftover = { engine: request.engine, stack: request.stack, workingDirectory: request.workingDirectory, ...(request.prNumber !== undefined ? { prNumber: request.prNumber } : {}), ...(request.createdAt !== undefined ? { createdAt: request.createdAt } : {}) };
        return outcome({ ...fail("ERR_CANCELLED", "cancelled", "cancelled"), plan, resourcesMayExist: true, teardown: { status: "left" } }, { leftover });
      }

      const outputs = {
        url: { value: `https://${environment}.example.test`, sensitive: false, type: "string" },
        certificate_pem: { value: CERT, sensitive: false, type: "string" },
        database_password: { value: FAKE_SECRET, sensitive: true, type: "string" },
        instance_ids: { value: ["i-0123456789abcdef0", "i-0fedcba9876543210"], sensitive: false, type: ["list", "string"] },
      };
      const url = outputs.url.value;
      const destroyed = { teardown: { status: "destroyed" as const } };
      if (scenario === "apply-failed") {
        ctx.onEvent({ type: "phase", phase: "up", status: "failed" });
        return outcome({ ...fail("ERR_APPLY_FAILED", "apply-failed", "Error: creating ELBv2 Target Group (seedstack-pr-12-tg-8080): DuplicateTargetGroupName"), plan, resourcesMayExist: true, ...destroyed });
      }
      ctx.onEvent({ type: "phase", phase: "up", status: "done" });
      const failed = scenario === "smoke-failed";
      const huge = scenario === "huge-report" ? { summary: Array.from({ length: 3000 }, (_, i) => ({ label: `row ${i}`, value: "filler text for a very long report" })) } : {};
      return outcome({
        ...huge,
        ...(failed ? fail("ERR_SMOKE_FAILED", "smoke-failed", "1 of 2 checks failed: GET / (seed)") : {}),
        url,
        plan,
        smoke: failed ? SMOKE_FAILED : SMOKE_PASSED,
        ...(request.drill ? { phases: [...base.phases, { phase: "drill" as const, ok: true, ms: 0, detail: "skipped health-fails on the fake engine: it has no processes" }] } : {}),
        outputs,
        resourcesMayExist: true,
        ...(request.mode === "pr" || failed ? destroyed : { teardown: { status: "kept" as const } }),
      });
    },

    async destroyEnvironment(record, ctx) {
      journal({ call: "destroyEnvironment", record, aborted: ctx.signal.aborted });
      ctx.onEvent({ type: "phase", phase: "down", status: "start" });
      if (scenario === "destroy-incomplete" || scenario === "destroy-handed-over") {
        return { status: "incomplete", remaining: ["aws_db_instance.database_instance_D7FC2283"], message: "stopped at the deadline while the database was still deleting" };
      }
      ctx.onEvent({ type: "phase", phase: "down", status: "done" });
      return { status: "destroyed", remaining: [] };
    },

    async sweep(request, ctx) {
      // The token is a credential: the journal says only whether GitHub would be asked.
      const { github, ...rest } = request;
      journal({ call: "sweep", request: { ...rest, now: request.now.toISOString(), ...(github ? { githubRepository: github.repository } : {}) } });
      ctx.onEvent({ type: "progress", phase: "down", message: "looking for environments tagged Project=seedstack" });
      return {
        swept: [
          { environment: "seedstack-pr-7", expiresAt: "2026-11-29T08:00:00Z", action: "destroyed" },
          { environment: "seedstack-pr-12", expiresAt: "2026-12-01T10:00:00Z", action: "kept", message: "expires later" },
        ],
      };
    },

    async recordForSweeper(record, reason) {
      journal({ call: "recordForSweeper", record, reason });
      return scenario === "destroy-handed-over" ? FAKE_HANDOVER : undefined;
    },
  };
}
