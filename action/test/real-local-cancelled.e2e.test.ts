/**
 * The bundled action's main step on the LOCAL engine, cancelled during the failover drill the way
 * GitHub's runner cancels a step: SIGINT to the step's process, SIGTERM 7.5 s later, SIGKILL 2.5 s
 * after that; then the post step runs, as the runner runs it after a cancel. At the stack's REAL
 * timing (no speedup seam: the drill's real waits are what a cancel must cut short), so this is the
 * suite's one real-timing case for the Action (~1-2 min). The run is real (the project's stacks
 * app synthesized, seed servers, load balancer) against the GitHub API STAND-IN (test/github-stand-in/).
 *
 * It proves what issue 16 asks of a cancel: the step ends its environment and exits within 5 s of
 * the SIGINT (so the runner's SIGTERM and SIGKILL are never needed), nothing of its process tree
 * or of the pids its log recorded stays alive or listening, and the PR comment says it was cancelled,
 * once.
 */
import * as assert from "uvu/assert";
import { tmpdir } from "node:os";
import type { ChildProcess } from "node:child_process";
import { portOpen } from "../../lifecycle/test-support/port-open.js";
import { commandOf, descendantsOf, killAll, stillRunningAfter } from "../../lifecycle/test-support/process-tree.js";
import { bundledActionSuite, github, MARKER_12, type ActionSuiteContext } from "./bundled-action-suite.js";
import { drillKillLogged, listenerPorts, localEngineJob, startedPids } from "./local-engine-job.js";

const test = bundledActionSuite<ActionSuiteContext>("action, local engine: cancelled during the drill at real timing (bundled, as GitHub runs it)", {});

/** GitHub's runner cancelling a step: SIGINT, SIGTERM 7.5 s later, SIGKILL 2.5 s after that, each only while the step runs. */
function cancelLikeTheRunner(child: ChildProcess): { signalledAt: number; sent: NodeJS.Signals[]; stop(): void } {
  const sent: NodeJS.Signals[] = [];
  const send = (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    sent.push(signal);
    child.kill(signal);
  };
  const signalledAt = Date.now();
  send("SIGINT");
  const term = setTimeout(() => send("SIGTERM"), 7_500);
  const kill = setTimeout(() => send("SIGKILL"), 10_000);
  const stop = () => (clearTimeout(term), clearTimeout(kill));
  child.once("exit", stop);
  return { signalledAt, sent, stop };
}

test("cancelled during the drill (SIGINT, SIGTERM +7.5 s, SIGKILL +2.5 s): exited within 5 s of the SIGINT, nothing left, the comment says cancelled once", async (ctx) => {
  const gh = await github(ctx);
  const job = localEngineJob(ctx, gh, {
    inputs: { drill: "on" },
    // The step's temp dir is the test's: anything it leaves there fails the run (the runner's leak check).
    env: { TMPDIR: tmpdir() },
  });

  let tree: number[] = [];
  let recorded: number[] = [];
  let cancel: ReturnType<typeof cancelLikeTheRunner> | undefined;
  try {
    const main = await job.step("main", {
      deadlineMs: 300_000,
      whileRunning: async (child) => {
        await drillKillLogged(job, 280_000);
        tree = descendantsOf(child.pid!);
        // The action keeps no running record file: its log is its record.
        recorded = startedPids(job.liveStdout());
        cancel = cancelLikeTheRunner(child);
      },
    });
    const ms = Date.now() - cancel!.signalledAt;
    cancel!.stop();
    console.log(`    main step exited ${ms} ms after SIGINT (the runner sends SIGTERM at 7500 ms); signals sent: ${cancel!.sent.join(", ")}`);
    assert.equal(cancel!.sent, ["SIGINT"], `only the SIGINT was needed\n${main.stdout}\n${main.stderr}`);
    assert.ok(ms < 5_000, `exited within 5 s of the SIGINT, took ${ms} ms\n${main.stdout}`);
    assert.is(main.outputs["failure-reason"], "cancelled", main.stdout);
    assert.ok(recorded.length >= 2 && recorded.some((pid) => tree.includes(pid)), `the step's tree (${tree.join(", ")}) held the seed servers its log names (${recorded.join(", ")})`);
    const left = await stillRunningAfter([...tree, ...recorded], 5_000);
    assert.equal(left.map((p) => `${p} ${commandOf(p)}`), [], `nothing of the step's tree or record runs\n${main.stdout}`);
    const ports = listenerPorts(main.stdout);
    assert.ok(ports.length > 0, `the log printed the listeners' addresses\n${main.stdout}`);
    for (const port of ports) assert.is(await portOpen(port), false, `port ${port} still accepts connections`);

    const post = await job.step("post", { state: main.state });
    assert.is(post.exitCode, 0, `${post.stdout}\n${post.stderr}`);

    const ours = gh.comments.filter((c) => c.body.startsWith(MARKER_12));
    assert.is(ours.length, 1, "one comment");
    const body = ours[0]!.body;
    assert.match(body, /the run was cancelled/, body);
    assert.not.match(body, /cancelled: cancel/i, `the cancellation is said once\n${body}`);
    const line = body.split("\n").find((l) => l.includes("the run was cancelled"))!;
    assert.is(line.match(/cancel/gi)!.length, 1, `one "cancelled" in ${line}`);
  } finally {
    cancel?.stop();
    killAll([...tree, ...recorded]);
  }
});

test.run();
