import { test } from "uvu";
import * as assert from "uvu/assert";
import type { TargetState } from "../../events.js";
import { pickTarget, routable, type Cursor } from "./pick-target.js";

const t = (id: string, state: TargetState) => ({ id, state });
const picks = (targets: ReturnType<typeof t>[], n: number, sticky?: string) => {
  const cursor: Cursor = { next: 0 };
  return Array.from({ length: n }, () => pickTarget(targets, cursor, sticky)?.id);
};

test("round robin over healthy targets only", () => {
  assert.equal(picks([t("a", "healthy"), t("b", "unhealthy"), t("c", "healthy")], 4), ["a", "c", "a", "c"]);
});

test("when no target is healthy, every registered target gets traffic (fail open), draining ones never", () => {
  assert.equal(picks([t("a", "unhealthy"), t("b", "initial"), t("c", "draining")], 4), ["a", "b", "a", "b"]);
  assert.equal(routable([t("a", "draining")]), []);
});

test("nothing registered: no target (the load balancer answers 503)", () => {
  assert.is(pickTarget([], { next: 0 }), undefined);
});

test("a sticky request stays on its target while that target is routable, and moves when it is not", () => {
  assert.equal(picks([t("a", "healthy"), t("b", "healthy")], 3, "b"), ["b", "b", "b"]);
  assert.equal(picks([t("a", "healthy"), t("b", "unhealthy")], 2, "b"), ["a", "a"]);
});

test.run();
