/**
 * The process-wide exit hook, in a real child process: whatever it still holds when the process
 * exits (normally, or on a signal nobody else handles) is killed and removed, synchronously.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { processAlive } from "../process-alive.js";

const hook = fileURLToPath(new URL("./exit-hook.ts", import.meta.url));

/** Run a child that starts `sleep`, registers it and a temp dir with the hook, then ends as `how` says. */
async function orphanCheck(how: "exit" | "SIGTERM"): Promise<{ sleepPid: number; dir: string; code: number | null }> {
  const dir = mkdtempSync(join(tmpdir(), "seedstack-exit-hook-"));
  const script = `
    import { spawn } from "node:child_process";
    import { killOnExit, removeOnExit } from ${JSON.stringify(hook)};
    const sleeper = spawn("sleep", ["60"], { stdio: "ignore" });
    killOnExit(sleeper.pid);
    removeOnExit(${JSON.stringify(dir)});
    console.log(sleeper.pid);
    ${how === "exit" ? "setTimeout(() => process.exit(3), 50);" : "setInterval(() => {}, 1000);"}
  `;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  const sleepPid = await new Promise<number>((resolve, reject) => {
    child.stdout.once("data", (c: Buffer) => resolve(Number(c.toString().trim())));
    child.once("close", () => reject(new Error("the child exited before reporting its sleeper")));
  });
  if (how === "SIGTERM") child.kill("SIGTERM");
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      resolve(-1);
    }, 20_000);
    child.once("close", (c) => (clearTimeout(timer), resolve(c)));
  });
  return { sleepPid, dir, code };
}

const alive = processAlive;

for (const how of ["exit", "SIGTERM"] as const) {
  test(`on ${how}, registered children are killed and registered dirs removed`, async () => {
    const { sleepPid, dir, code } = await orphanCheck(how);
    try {
      assert.is(code, how === "exit" ? 3 : 143, "the exit code is kept (128 + 15 for SIGTERM)");
      // A killed orphan is reaped by init a moment later: wait for that, with a deadline.
      const deadline = Date.now() + 5_000;
      while (alive(sleepPid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.is(alive(sleepPid), false, `sleep ${sleepPid} outlived its parent`);
      assert.is(existsSync(dir), false, `${dir} was left behind`);
    } finally {
      if (alive(sleepPid)) process.kill(sleepPid, "SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test.run();
