/**
 * FAKE lifecycle for the action's own tests: a stand-in for `lifecycle/` that behaves per named
 * scenario, so the bundled action can be run as GitHub runs it before the real lifecycle is merged.
 * It creates nothing. It appends every call it receives as a JSON line to the file named by
 * SEEDSTACK_ACTION_FAKE_JOURNAL (when set), so tests can check what the action asked for.
 *
 * Selected only through SEEDSTACK_ACTION_FAKE_LIFECYCLE (see ../lifecycle.ts).
 */
import { appendFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import type {
  EnvironmentRecord,
  EnvironmentResult,
  LifecyclePort,
  PlanSummary,
  RunContext,
  RunRequest,
  SmokeResult,
  TeardownResult,
} from "../lifecycle-port.js";

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
] as const;
export type FakeScenario = (typeof FAKE_SCENARIOS)[number];

/** Env var naming the journal file. */
export const FAKE_JOURNAL_ENV = "SEEDSTACK_ACTION_FAKE_JOURNAL";
/** The value of the fake's sensitive output: it must never appear in a report. */
export const FAKE_SECRET = "fake-db-password-7c1e9";
/** The lock ID the cancelled scenario leaves behind. */
export const FAKE_LOCK_ID = "9f1c2d3e-fake-lock";

const PLAN: PlanSummary = {
  hasChanges: true,
  toAdd: 3,
  toChange: 1,
  toDestroy: 0,
  changes: [
    { address: "aws_lb.lb_alb_3A88C95E", action: "create" },
    { address: "aws_lb_target_group.lb_targets_723A5708", action: "create" },
    { address: "aws_instance.web_server-0_14D093DF", action: "create" },
    { address: "aws_security_group.web_sg_BBC30E6E", action: "update" },
  ],
};

const SMOKE_PASSED: SmokeResult = {
  passed: true,
  checks: [
    { name: "GET /status", passed: true, latencyMs: 41.6 },
    { name: "GET / (seed)", passed: true, latencyMs: 23.2 },
    { name: 'POST / {"num":100}', passed: true, latencyMs: 30.9 },
  ],
};

const SMOKE_FAILED: SmokeResult = {
  passed: false,
  checks: [
    { name: "GET /status", passed: true, latencyMs: 38.1 },
    { name: "GET / (seed)", passed: false, latencyMs: 12.4, detail: 'expected body 100, got "100"' },
  ],
};

const CERT = "-----BEGIN CERTIFICATE-----\nMIIBfakecertificate\n-----END CERTIFICATE-----";
const PRIVATE_KEY = "-----BEGIN RSA PRIVATE KEY-----\nMIIEfakeprivatekeymaterial\n-----END RSA PRIVATE KEY-----";

function isScenario(name: string): name is FakeScenario {
  return (FAKE_SCENARIOS as readonly string[]).includes(name);
}

/** The FAKE lifecycle for `scenario`. */
export function fakeLifecycle(scenario: string, env: NodeJS.ProcessEnv): LifecyclePort {
  if (!isScenario(scenario)) throw new Error(`unknown fake lifecycle scenario "${scenario}"; known: ${FAKE_SCENARIOS.join(", ")}`);
  const journalPath = env[FAKE_JOURNAL_ENV];
  const journal = (entry: Record<string, unknown>): void => {
    if (journalPath) appendFileSync(journalPath, `${JSON.stringify(entry)}\n`);
  };
  const now = (): string => new Date().toISOString();

  return {
    async runEnvironment(request: RunRequest, ctx: RunContext): Promise<EnvironmentResult> {
      journal({ call: "runEnvironment", request });
      const startedAt = now();
      const environment = `seedstack-${request.stack}`;
      const record: EnvironmentRecord = {
        engine: request.engine,
        stack: request.stack,
        environment,
        workingDirectory: request.workingDirectory,
        ...(request.prNumber !== undefined ? { prNumber: request.prNumber } : {}),
        ...(request.createdAt !== undefined ? { createdAt: request.createdAt } : {}),
      };
      const stackJson = join(request.workingDirectory, "cdktf.out", "stacks", request.stack, "cdk.tf.json");
      const base = {
        environment,
        startedAt,
        reportMarkdown: `| phase | result |\n| --- | --- |\n| plan | done |\n\nThe stack's key, should it leak:\n${PRIVATE_KEY}\nand its password: ${FAKE_SECRET}`,
        ...(existsSync(stackJson) ? { stackJsonPath: stackJson } : {}),
        outputs: {},
      };
      ctx.onEvent({ kind: "phase", phase: "plan", state: "started", at: now() });

      if (scenario === "state-locked") {
        ctx.onEvent({ kind: "phase", phase: "plan", state: "failed", at: now() });
        return {
          ...base,
          status: "failed",
          failureReason: "state-locked",
          failureMessage: "the state is locked by another run (lock ID 1d2c-other, held by runner@fv-az123 since 2026-11-30 14:59:02 UTC); waited 300 s",
          finishedAt: now(),
        };
      }
      const plan = scenario === "no-changes" ? { hasChanges: false, toAdd: 0, toChange: 0, toDestroy: 0, changes: [] } : PLAN;
      ctx.onEvent({ kind: "phase", phase: "plan", state: "succeeded", at: now() });
      ctx.onEvent({ kind: "resources-may-exist", record: { ...record, lockId: FAKE_LOCK_ID }, at: now() });
      ctx.onEvent({ kind: "phase", phase: "apply", state: "started", at: now() });

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
        return {
          ...base,
          status: "cancelled",
          failureReason: "cancelled",
          failureMessage: "terraform apply was interrupted; the environment may be half-built",
          plan,
          leftover: { ...record, lockId: FAKE_LOCK_ID },
          finishedAt: now(),
        };
      }

      const outputs = {
        url: { value: `https://${environment}.example.test`, sensitive: false },
        certificate_pem: { value: CERT, sensitive: false },
        database_password: { value: FAKE_SECRET, sensitive: true },
        instance_ids: { value: ["i-0123456789abcdef0", "i-0fedcba9876543210"], sensitive: false },
      };
      const url = outputs.url.value;
      const teardown: TeardownResult | undefined = request.mode === "pr" || scenario === "apply-failed" ? { status: "destroyed", remaining: [] } : undefined;

      if (scenario === "apply-failed") {
        ctx.onEvent({ kind: "phase", phase: "apply", state: "failed", at: now() });
        return {
          ...base,
          status: "failed",
          failureReason: "apply-failed",
          failureMessage: "Error: creating ELBv2 Target Group (seedstack-pr-12-tg-8080): DuplicateTargetGroupName",
          plan,
          ...(teardown ? { teardown } : {}),
          finishedAt: now(),
        };
      }
      ctx.onEvent({ kind: "phase", phase: "apply", state: "succeeded", at: now() });
      const smoke = scenario === "smoke-failed" ? SMOKE_FAILED : SMOKE_PASSED;
      const drill = request.drill
        ? { passed: true, markdown: "```mermaid\ngantt\n  title Failover drill\n  dateFormat X\n  axisFormat %s s\n  server-0 stopped :0, 4\n  traffic on server-1 only :4, 9\n```" }
        : undefined;
      const failed = scenario === "smoke-failed";
      return {
        ...base,
        ...(scenario === "huge-report" ? { reportMarkdown: `${"| row | filler text for a very long report |\n".repeat(3000)}` } : {}),
        status: failed ? "failed" : "succeeded",
        ...(failed ? { failureReason: "smoke-failed" as const, failureMessage: "1 of 2 checks failed: GET / (seed)" } : {}),
        url,
        plan,
        smoke,
        ...(drill ? { drill } : {}),
        outputs,
        ...(teardown ? { teardown } : failed ? { teardown: { status: "destroyed" as const, remaining: [] } } : {}),
        finishedAt: now(),
      };
    },

    async destroyEnvironment(record, ctx) {
      journal({ call: "destroyEnvironment", record, aborted: ctx.signal.aborted });
      ctx.onEvent({ kind: "phase", phase: "destroy", state: "started", at: now() });
      if (scenario === "destroy-incomplete") {
        return { status: "incomplete", remaining: ["aws_db_instance.database_instance_D7FC2283"], message: "stopped at the deadline while the database was still deleting" };
      }
      ctx.onEvent({ kind: "phase", phase: "destroy", state: "succeeded", at: now() });
      return { status: "destroyed", remaining: [] };
    },

    async sweep(request, ctx) {
      journal({ call: "sweep", request: { ...request, now: request.now.toISOString() } });
      ctx.onEvent({ kind: "log", level: "info", message: "looking for environments tagged Project=seedstack", at: now() });
      return {
        swept: [
          { environment: "seedstack-pr-7", expiresAt: "2026-11-29T08:00:00Z", action: "destroyed" },
          { environment: "seedstack-pr-12", expiresAt: "2026-12-01T10:00:00Z", action: "kept", message: "expires later" },
        ],
        reportMarkdown: "",
      };
    },

    async recordForSweeper(record, reason) {
      journal({ call: "recordForSweeper", record, reason });
    },
  };
}
