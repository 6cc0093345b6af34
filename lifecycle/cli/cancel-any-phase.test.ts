/**
 * One SIGINT ends `seedstack run` from any phase (issue 16, section 1, "Cancellation within the
 * runner's window"): during synth, up (while PostgreSQL and the seed servers start), wait-healthy,
 * smoke and teardown, the run takes down what it started and exits 130 within 5 s, and nothing of
 * its process tree stays alive. The drill's phase at the stack's real timing is proven by
 * crash-safety.test.ts; here the clock runs 10x faster (`--speedup 10`), which is cheap and is
 * still the same code path: every wait is abortable or it is not.
 *
 * The SIGINT is sent from the output's `data` handler the moment the phase's line appears (not
 * from a polling loop), so even the short phases (smoke, down) are hit; each test also checks the
 * phase did not finish before the signal landed. The process tree is collected from /proc while
 * the run lives (children started after the signal count too), never the whole machine.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { stackFile } from "../stack/read-stack.js";
import { commandOf, descendantsOf, killAll, stillRunningAfter } from "../test-support/process-tree.js";
import { seedstack, type Cli } from "../test-support/seedstack-process.js";
import { removeSynthFixtures, stackJson, synthFixture } from "../test-support/synth-fixture.js";

const test = suite("seedstack run: one SIGINT ends it from any phase");
const seen: number[] = [];
const outdirs: string[] = [];
test.after(() => {
  killAll(seen);
  removeSynthFixtures();
  for (const d of outdirs) rmSync(d, { recursive: true, force: true });
});

/** Every pid of `cli`'s tree while it runs, polled from /proc until it exits. */
function watchTree(cli: Cli): { pids: Set<number>; stop(): void } {
  const pids = new Set<number>();
  const poll = () => {
    for (const p of descendantsOf(cli.child.pid!)) {
      if (!pids.has(p)) seen.push(p);
      pids.add(p);
    }
  };
  const timer = setInterval(poll, 20);
  cli.child.once("exit", () => clearInterval(timer));
  return { pids, stop: () => clearInterval(timer) };
}

/** Sends SIGINT the moment `pattern` appears in the output (and `ready()` holds); resolves with the time it was sent. */
function sigintOn(cli: Cli, pattern: RegExp, ready: () => boolean = () => true): Promise<number> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!pattern.test(cli.output()) || !ready()) return false;
      cli.child.kill("SIGINT");
      resolve(Date.now());
      return true;
    };
    const onData = () => {
      if (check()) off();
    };
    const timer = setInterval(onData, 20);
    const off = () => (clearInterval(timer), cli.child.stdout!.off("data", onData), cli.child.stderr!.off("data", onData));
    cli.child.stdout!.on("data", onData);
    cli.child.stderr!.on("data", onData);
    cli.child.once("exit", () => (off(), reject(new Error(`the run ended before ${pattern} appeared:\n${cli.output()}`))));
  });
}

/** SIGINT at `pattern` (in `phase`): exit 130 within 5 s, the signal landed before the phase ended, nothing of the tree alive. */
async function interruptedAt(cli: Cli, phase: string, pattern: RegExp, ready?: () => boolean, tree = watchTree(cli)): Promise<void> {
  try {
    const signalled = await sigintOn(cli, pattern, ready);
    const code = await cli.exited(30_000);
    const ms = Date.now() - signalled;
    console.log(`    exited ${ms} ms after SIGINT`);
    assert.is(code, 130, cli.output());
    assert.ok(ms < 5_000, `exited within 5 s of the SIGINT, took ${ms} ms\n${cli.output()}`);
    assert.match(cli.output(), /SIGINT: stopping and taking down what this command started/);
    // The signal's line comes after the phase began and before it ended (✔ or ✘), wherever it ended.
    const out = cli.output();
    const begun = out.search(new RegExp(`▶ ${phase}\\n`));
    const interrupted = out.indexOf("SIGINT: stopping");
    const ended = out.slice(begun).search(new RegExp(`[✔✘] ${phase} `));
    assert.ok(begun >= 0 && interrupted > begun && (ended < 0 || interrupted < begun + ended), `the signal landed during ${phase}, not after it\n${out}`);
    const left = await stillRunningAfter([...tree.pids], 5_000);
    assert.equal(left.map((p) => `${p} ${commandOf(p)}`), [], `nothing of the run's tree (${[...tree.pids].join(", ")}) runs\n${cli.output()}`);
  } finally {
    tree.stop();
    cli.child.kill("SIGKILL");
  }
}

async function onFixture(settings: Record<string, string>, more: string[] = []): Promise<Cli> {
  const outdir = await synthFixture(settings);
  return seedstack(["run", "--outdir", outdir, "--skip-synth", "--speedup", "10", "--drill", "none", ...more]);
}

test("during synth (the cdktf app running): exit 130, the app is gone", async () => {
  const outdir = mkdtempSync(join(tmpdir(), "seedstack-cancel-synth-"));
  outdirs.push(outdir);
  const cli = seedstack(["run", "--outdir", outdir, "--speedup", "10", "--drill", "none"]);
  const tree = watchTree(cli);
  await interruptedAt(cli, "synth", /▶ synth/, () => tree.pids.size > 0, tree);
});

test("during up, while PostgreSQL starts: exit 130, PostgreSQL and its supervisor are gone", async () => {
  const cli = await onFixture({ SEEDSTACK_DATABASE: "on", SEEDSTACK_TLS: "http" });
  const tree = watchTree(cli);
  await interruptedAt(cli, "up", /▶ up/, () => tree.pids.size > 0, tree);
});

test("during wait-healthy (targets that never pass the health check): exit 130", async () => {
  const json = await stackJson("classic", { SEEDSTACK_TLS: "http" });
  for (const tg of Object.values(json.resource.aws_lb_target_group as Record<string, any>)) {
    const hc = Array.isArray(tg.health_check) ? tg.health_check[0] : tg.health_check;
    hc.path = "/no-such-path";
  }
  const outdir = mkdtempSync(join(tmpdir(), "seedstack-cancel-wait-"));
  outdirs.push(outdir);
  const file = stackFile(outdir, "classic");
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(json));
  const cli = seedstack(["run", "--outdir", outdir, "--skip-synth", "--speedup", "10", "--drill", "none"]);
  await interruptedAt(cli, "wait-healthy", /▶ wait-healthy[\s\S]*-> unhealthy/);
});

test("during smoke: exit 130", async () => {
  await interruptedAt(await onFixture({}), "smoke", /▶ smoke/);
});

test("during teardown (PostgreSQL stopping): exit 130", async () => {
  await interruptedAt(await onFixture({ SEEDSTACK_DATABASE: "on", SEEDSTACK_TLS: "http" }), "down", /▶ down/);
});

test.run();
