/**
 * `npm start`: the main job on the embedded default, no AWS account needed.
 *
 * First synthesizes every stack and checks it against the security baseline (demo-synth.ts).
 * Then starts the built bundle (dist/bundle/seed-server.mjs) with plain node on a free loopback port
 * with the in-memory store, walks the HTTP contract step by step, printing each request and what
 * came back, then shuts the server down gracefully. Exits 0 when every step behaved, 1 otherwise.
 *
 * This is a stand-in for the "local engine" (the synthesized stack realized on this machine);
 * when that lands, `npm start` points at it instead and this file can go.
 */
import { spawn } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { relative } from "node:path";
import { createInterface } from "node:readline";
import { findPackageRoot, seedServerBundlePath } from "../seed-server/bundle-path.js";
import { demoSynth } from "./demo-synth.js";

interface Step {
  /** What the step shows, in words. */
  readonly why: string;
  readonly method: "GET" | "POST" | "HEAD";
  readonly path: string;
  readonly body?: string;
  readonly contentType?: string;
  readonly expectStatus: number;
  /** Exact body expected, or a pattern. */
  readonly expectBody: string | RegExp;
}

const BIG = "123456789012345678901234567890123456789"; // far beyond 2^53: JSON.parse would round it

const STEPS: readonly Step[] = [
  { why: "the seed starts at 0", method: "GET", path: "/", expectStatus: 200, expectBody: "0" },
  { why: "set the seed", method: "POST", path: "/", body: '{"num": 100}', expectStatus: 200, expectBody: "100" },
  { why: "read it back: bare digits, no quotes, no newline", method: "GET", path: "/", expectStatus: 200, expectBody: "100" },
  { why: "any integer, exactly", method: "POST", path: "/", body: `{"num": ${BIG}}`, expectStatus: 200, expectBody: BIG },
  { why: "still exact when read", method: "GET", path: "/", expectStatus: 200, expectBody: BIG },
  { why: "a fraction is refused and the seed kept", method: "POST", path: "/", body: '{"num": 1.5}', expectStatus: 400, expectBody: /must be an integer/ },
  { why: "so is a body that is not JSON", method: "POST", path: "/", body: "num=5", contentType: "application/x-www-form-urlencoded", expectStatus: 415, expectBody: /Content-Type must be application\/json/ },
  { why: "the seed is unchanged", method: "GET", path: "/", expectStatus: 200, expectBody: BIG },
  { why: "the health check", method: "GET", path: "/status", expectStatus: 200, expectBody: "OK" },
];

// Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org).
const colour = process.stdout.isTTY === true && !process.env.NO_COLOR;
const paint = (open: string, close: string) => (s: string) => (colour ? `\u001b[${open}m${s}\u001b[${close}m` : s);
const ok = paint("32", "39");
const bad = paint("31", "39");
const dim = paint("2", "22");

async function main(): Promise<number> {
  const root = findPackageRoot();
  const bundle = seedServerBundlePath();
  if (!existsSync(bundle)) {
    console.error(`seed-server bundle not found at ${bundle}: run \`npm run build:bundle\` (npm ci does it for you)`);
    return 1;
  }
  console.log("seedstack demo on the embedded default (no AWS account)\n");
  const synthProblems = demoSynth((line) => console.log(line));
  if (synthProblems > 0) {
    // One verdict: the walk below would "behave" regardless and read as a pass next to a failure.
    console.log(bad("Stopped: the stacks failed to synthesize or broke the security baseline (see above); the seed server was not started."));
    return 1;
  }
  console.log("2. Run the seed server every instance runs (in-memory store) and walk its contract\n");
  console.log(`  bundle   ${relative(root, bundle)} (${(statSync(bundle).size / 1024).toFixed(1)} KiB), run with plain node`);

  const child = spawn(process.execPath, [bundle, "--port", "0", "--host", "127.0.0.1", "--store", "memory", "--drain-seconds", "1", "--instance-id", "demo-1", "--quiet"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
  const lines = createInterface({ input: child.stdout });
  const listening = new Promise<string>((resolve, reject) => {
    lines.on("line", (line) => {
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        if (entry.msg === "listening") resolve(String(entry.url));
      } catch {
        // not a log line; ignore
      }
    });
    void exited.then((code) => reject(new Error(`the server exited (code ${code}) before listening`)));
  });

  let failures = 0;
  try {
    const url = await listening;
    console.log(`  server   ${url}  (instance demo-1, pid ${child.pid})\n`);
    for (const step of STEPS) {
      const res = await fetch(url + step.path, {
        method: step.method,
        ...(step.body !== undefined ? { body: step.body, headers: { "Content-Type": step.contentType ?? "application/json" } } : {}),
      });
      const body = await res.text();
      const bodyOk = typeof step.expectBody === "string" ? body === step.expectBody : step.expectBody.test(body);
      const passed = res.status === step.expectStatus && bodyOk && res.headers.get("x-served-by") === "demo-1";
      if (!passed) failures++;
      const request = `${step.method.padEnd(4)} ${step.path}${step.body !== undefined ? ` ${step.body}` : ""}`;
      console.log(`  ${passed ? ok("✔") : bad("✘")} ${request.length > 58 ? request.slice(0, 55) + "..." : request.padEnd(58)} ${dim(step.why)}`);
      console.log(`      -> ${res.status} ${body.trimEnd()}${passed ? "" : bad(`  (expected ${step.expectStatus} ${String(step.expectBody)})`)}`);
    }

    // Graceful shutdown, as an instance being replaced behind a load balancer sees it.
    child.kill("SIGTERM");
    let draining = await fetch(url + "/status");
    for (let i = 0; i < 20 && draining.status !== 503; i++) {
      await new Promise((r) => setTimeout(r, 50));
      draining = await fetch(url + "/status");
    }
    const drainingOk = draining.status === 503;
    const code = await exited;
    const shutdownOk = drainingOk && code === 0;
    if (!shutdownOk) failures++;
    console.log(`  ${shutdownOk ? ok("✔") : bad("✘")} ${"SIGTERM".padEnd(58)} ${dim("graceful shutdown")}`);
    console.log(`      -> /status ${draining.status} while draining, then exit code ${code}`);
  } catch (err) {
    failures++;
    console.error(bad(`\n  ${(err as Error).message}`));
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }

  const total = STEPS.length + 1;
  console.log(failures === 0 ? ok(`\nAll ${total} steps behaved.`) : bad(`\n${failures} of ${total} steps misbehaved.`));
  return failures === 0 ? 0 : 1;
}

process.exitCode = await main();
