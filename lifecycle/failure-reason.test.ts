/** The one mapping from lifecycle error codes to failure reasons, over every code. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { CANCELLED, LEFT_BEHIND, SYSTEM_ERROR_CODES, USER_ERROR_CODES, type LifecycleErrorCode } from "./errors.js";
import type { Phase } from "./events.js";
import { FAILURE_REASONS, failureReasonOf, type FailureReason } from "./failure-reason.js";

const EVERY_CODE: readonly LifecycleErrorCode[] = [...USER_ERROR_CODES, ...SYSTEM_ERROR_CODES, CANCELLED, LEFT_BEHIND];

/** What each code means outside a phase that decides (up, wait-healthy, smoke, drill), written out by hand. */
const EXPECTED: Readonly<Record<LifecycleErrorCode, FailureReason>> = {
  ERR_USAGE: "plan-failed",
  ERR_STACK_NOT_FOUND: "plan-failed",
  ERR_STACK_INVALID: "plan-failed",
  ERR_STACK_UNSUPPORTED: "plan-failed",
  ERR_SYNTH_FAILED: "plan-failed",
  ERR_ALREADY_UP: "plan-failed",
  ERR_RECORD_UNREADABLE: "plan-failed",
  ERR_TARGETS_UNHEALTHY: "smoke-failed",
  ERR_SMOKE_FAILED: "smoke-failed",
  ERR_DRILL_FAILED: "smoke-failed",
  ERR_NO_ENVIRONMENT: "destroy-failed",
  ERR_STATE_LOCKED: "state-locked",
  ERR_PLAN_FAILED: "plan-failed",
  ERR_APPLY_FAILED: "apply-failed",
  ERR_BUNDLE_MISSING: "apply-failed",
  ERR_PROCESS_EXITED: "apply-failed",
  ERR_SPAWN: "apply-failed",
  ERR_POSTGRES: "apply-failed",
  ERR_ADDRESS_IN_USE: "apply-failed",
  ERR_TIMEOUT: "apply-failed",
  ERR_CANCELLED: "cancelled",
  ERR_DESTROY_FAILED: "destroy-failed",
};

test("every code has its reason in the up, smoke and drill phases (and with no phase); no information is lost on the way", () => {
  assert.is(EVERY_CODE.length, Object.keys(EXPECTED).length, "the test names every code");
  for (const code of EVERY_CODE) {
    for (const phase of [undefined, "up", "wait-healthy", "smoke", "drill"] as const) {
      assert.is(failureReasonOf({ code, ...(phase ? { phase } : {}) }), EXPECTED[code], `${code} in ${phase ?? "no phase"}`);
    }
  }
});

test("in the down phase every code but a cancellation or a lock is destroy-failed", () => {
  for (const code of EVERY_CODE) {
    const expected = code === "ERR_CANCELLED" ? "cancelled" : code === "ERR_STATE_LOCKED" ? "state-locked" : "destroy-failed";
    assert.is(failureReasonOf({ code, phase: "down" }), expected, code);
  }
});

test("before anything is up (synth, summary) every code but a cancellation or a lock is plan-failed", () => {
  for (const phase of ["synth", "summary"] satisfies Phase[]) {
    for (const code of EVERY_CODE) {
      const expected = code === "ERR_CANCELLED" ? "cancelled" : code === "ERR_STATE_LOCKED" ? "state-locked" : "plan-failed";
      assert.is(failureReasonOf({ code, phase }), expected, `${code} in ${phase}`);
    }
  }
});

test("every reason is reached by some code", () => {
  const reached = new Set(EVERY_CODE.map((code) => failureReasonOf({ code })));
  assert.equal([...reached].sort(), [...FAILURE_REASONS].sort());
});

test.run();
