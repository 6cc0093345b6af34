/**
 * For tests of the `seedstack` command line: every process a run reported starting has ended, and
 * every listener it reported is closed.
 */
import * as assert from "uvu/assert";
import { processAlive } from "../process-alive.js";
import { portOpen } from "./port-open.js";

/** Every PID the run reported starting, and every listener's port. */
export function startedBy(output: string): { pids: number[]; ports: number[] } {
  return {
    pids: [...output.matchAll(/, pid (\d+), listening on/g)].map((m) => Number(m[1])),
    ports: [...output.matchAll(/listener HTTPS?:\d+ -> https?:\/\/127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1])),
  };
}

/** Fails unless the output reports what it started, and none of it is still running or listening. */
export async function assertNothingLeft(output: string): Promise<void> {
  const { pids, ports } = startedBy(output);
  assert.ok(pids.length > 0 && ports.length > 0, "the run reported what it started");
  for (const pid of pids) {
    assert.is(processAlive(pid), false, `process ${pid} is still running`);
  }
  for (const port of ports) {
    assert.is(await portOpen(port), false, `port ${port} still accepts connections`);
  }
}
