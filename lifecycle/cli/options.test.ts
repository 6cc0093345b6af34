import { test } from "uvu";
import * as assert from "uvu/assert";
import { LifecycleError } from "../errors.js";
import { parseOptions } from "./options.js";

function usageError(argv: string[], command: string): string {
  try {
    parseOptions(argv, command);
  } catch (error) {
    assert.instance(error, LifecycleError);
    assert.is((error as LifecycleError).code, "ERR_USAGE");
    return (error as Error).message;
  }
  throw new Error(`parseOptions(${argv.join(" ")}) for ${command} accepted it`);
}

test("an option of another command is refused, not silently ignored (`up --target-cpu 1` would keep the stack's 50%)", () => {
  assert.is(usageError(["--target-cpu", "1"], "up"), "--target-cpu is an option of `seedstack load`, not of up");
  assert.is(usageError(["--users", "5", "--apply"], "run"), "--users is an option of `seedstack load`, not of run\n--apply is an option of `seedstack sweep`, not of run");
});

test("each command keeps its own options", () => {
  assert.is(parseOptions(["--target-cpu", "2.5", "--users", "3"], "load").targetCpu, 2.5);
  assert.is(parseOptions(["--apply", "--repo", "octo/seed"], "sweep").apply, true);
  assert.is(parseOptions(["--stack", "autoscaled", "--speedup", "10"], "up").stack, "autoscaled");
});

test("load attaches to a running up unless --own is given; --own belongs to load", () => {
  assert.is(parseOptions(["--users", "3"], "load").own, false);
  assert.is(parseOptions(["--own"], "load").own, true);
  assert.is(usageError(["--own"], "up"), "--own is an option of `seedstack load`, not of up");
});

test.run();
