/**
 * The bundled action's main step on the LOCAL engine, SIGKILLed in the middle of the failover
 * drill (what GitHub's runner does 10 s after a cancel the step did not honour): nothing of the
 * step's process tree may stay alive, since the runner's own end-of-job sweep would not see
 * processes re-parented to init, nor anything in its temp folder, which a self-hosted runner keeps.
 * The run is real (the project's stacks app synthesized, seed
 * servers, load balancer), against the GitHub API STAND-IN (test/github-stand-in/), 10x faster through the
 * TEST-ONLY seam SEEDSTACK_ACTION_TEST_SPEEDUP. On the way it checks that the drill's own,
 * deliberate kill is logged as news, not as a `::warning::` annotation on every run.
 */
import * as assert from "uvu/assert";
import { portOpen } from "../../lifecycle/test-support/port-open.js";
import { commandOf, descendantsOf, killAll, stillRunningAfter } from "../../lifecycle/test-support/process-tree.js";
import { bundledActionSuite, github, type ActionSuiteContext } from "./bundled-action-suite.js";
import { drillKillLogged, listenerPorts, localEngineJob, startedPids } from "./local-engine-job.js";

const test = bundledActionSuite<ActionSuiteContext>("action, local engine: the main step SIGKILLed leaves nothing (bundled, as GitHub runs it)", {});

test("main step SIGKILLed during the drill: its seed servers are gone within 5 s, its ports closed; the drill's kill was no warning", async (ctx) => {
  const gh = await github(ctx);
  const job = localEngineJob(ctx, gh, { inputs: { drill: "on" }, env: { SEEDSTACK_ACTION_TEST_SPEEDUP: "10" } });

  let tree: number[] = [];
  try {
    const result = await job.step("main", {
      deadlineMs: 150_000,
      whileRunning: async (child) => {
        await drillKillLogged(job, 140_000);
        tree = descendantsOf(child.pid!);
        child.kill("SIGKILL");
      },
    });
    assert.is(result.signal, "SIGKILL", result.stdout);
    const servers = startedPids(result.stdout);
    assert.ok(servers.length >= 2 && servers.some((pid) => tree.includes(pid)), `the step's tree (${tree.join(", ")}) held its seed servers (${servers.join(", ")})`);
    assert.not.match(result.stdout, /::warning::instance i-0/, "the drill's deliberate kill is not a warning");
    const left = await stillRunningAfter([...tree, ...servers], 5_000);
    assert.equal(left.map((p) => `${p} ${commandOf(p)}`), [], `nothing of the step runs 5 s after its SIGKILL\n${result.stdout}`);
    for (const port of listenerPorts(result.stdout)) assert.is(await portOpen(port), false, `port ${port} still accepts connections`);
    // The lifelines' supervisors remove the database's folders once the step is gone (they are gone now).
    assert.equal(job.tempLeftovers(), [], `nothing left in the step's TMPDIR\n${result.stdout}`);
  } finally {
    killAll(tree);
  }
});

test.run();
