/**
 * Graceful shutdown of the real server process (source run with tsx) under load: requests keep
 * flowing through SIGTERM, none fails, /status turns 503 during the drain, a request still in flight
 * when the server closes completes, idle keep-alive connections do not hold the exit, exit code 0.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Agent } from "node:http";
import { connect } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { call } from "./test-support/http.js";
import { startServerProcess, type ServerProcess } from "./test-support/server-process.js";
import { waitFor } from "./test-support/wait-for.js";

const here = dirname(fileURLToPath(import.meta.url));
const DRAIN_SECONDS = 2;

/** Send a POST's headers and the first part of its body now; `finish()` sends the rest and resolves with the raw response. */
function slowPost(url: string, body: string, splitAt: number): Promise<{ finish: () => Promise<string> }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(`POST / HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, splitAt)}`);
      let response = "";
      socket.on("data", (chunk: Buffer) => (response += chunk.toString("utf8")));
      const closed = new Promise<string>((done) => socket.on("close", () => done(response)));
      resolve({
        finish: () => {
          socket.write(body.slice(splitAt));
          return closed;
        },
      });
    });
    socket.on("error", reject);
  });
}

test("SIGTERM under load: no failed request, /status 503 while draining, in-flight work finishes, exit 0", async () => {
  let server: ServerProcess | undefined;
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  try {
    server = startServerProcess(process.execPath, ["--import", "tsx", join(here, "main.ts"), "--port", "0", "--host", "127.0.0.1", "--drain-seconds", String(DRAIN_SECONDS)], { QUIET: "1" });
    const url = await server.listening;

    const failures: string[] = [];
    const statusSeen: number[] = [];
    let completed = 0;
    let stopLoad = false;
    let sawDraining = false;

    // Eight clients on keep-alive connections, like a balancer's connection pool.
    const worker = async (id: number) => {
      for (let i = 0; !stopLoad; i++) {
        try {
          const res =
            i % 2 === 0
              ? await call(url + "/", { agent })
              : await call(url + "/", { method: "POST", headers: { "Content-Type": "application/json" }, body: `{"num": ${id * 1_000_000 + i}}`, agent });
          if (res.status !== 200) failures.push(`HTTP ${res.status}: ${res.body}`);
          completed++;
        } catch (err) {
          failures.push(String(err));
        }
      }
    };
    // The balancer's health check.
    const healthChecker = async () => {
      while (!stopLoad) {
        const res = await call(url + "/status", { agent }).catch((err: unknown) => ({ status: -1, body: String(err) }));
        statusSeen.push(res.status);
        if (res.status === 503) sawDraining = true;
        await new Promise((r) => setTimeout(r, 25)); // a health check interval, not a wait for anything
      }
    };
    const load = Promise.all([...Array.from({ length: 8 }, (_, id) => worker(id)), healthChecker()]);

    await waitFor("50 requests answered before SIGTERM", () => completed >= 50, 15_000);
    const completedBeforeSignal = completed;
    server.child.kill("SIGTERM");
    await server.waitForLog("draining: /status now answers 503");

    // Keep the load on during the drain, as clients do until the balancer has deregistered us;
    // then stop sending new requests well before the drain period ends. Waits count requests,
    // not time, so a slow machine waits longer instead of failing.
    await waitFor("the health check to see 503", () => sawDraining, 5_000);
    const slow = await slowPost(url, '{"num": 424242}', 5);
    const completedAtSawDraining = completed;
    await waitFor("20 more requests answered during the drain", () => completed >= completedAtSawDraining + 20 || failures.length > 0, DRAIN_SECONDS * 1000);
    const completedAtDrain = completed;
    stopLoad = true;
    await load;

    // The request that is still in flight when the server closes must complete.
    await server.waitForLog("closing: no new connections; waiting for in-flight requests", DRAIN_SECONDS * 1000 + 10_000);
    const raw = await slow.finish();
    const exitCode = await server.exitedWithin(15_000);

    assert.equal(failures, [], "requests failed during shutdown");
    assert.ok(completedBeforeSignal > 0, "load was flowing before SIGTERM");
    assert.ok(completedAtDrain > completedBeforeSignal, "requests kept being served after SIGTERM");
    assert.is(statusSeen[0], 200, "healthy before SIGTERM");
    assert.ok(statusSeen.includes(503), "/status answered 503 during the drain");
    assert.ok(statusSeen.indexOf(503) > statusSeen.indexOf(200));
    assert.match(raw, /^HTTP\/1\.1 200 OK\r\n/);
    assert.match(raw, /\r\nConnection: close\r\n/i);
    assert.ok(raw.endsWith("\r\n\r\n424242"), raw);
    assert.is(exitCode, 0);
    const messages = server.logs.map((l) => l.msg);
    assert.ok(messages.indexOf("draining: /status now answers 503") < messages.indexOf("closing: no new connections; waiting for in-flight requests"));
    assert.is(messages[messages.length - 1], "stopped");
    assert.is(server.stderr(), "");
  } finally {
    agent.destroy();
    server?.kill();
  }
});

test("a second signal skips the rest of a long drain", async () => {
  const server = startServerProcess(process.execPath, ["--import", "tsx", join(here, "main.ts"), "--port", "0", "--host", "127.0.0.1", "--drain-seconds", "600"], { QUIET: "1" });
  try {
    const url = await server.listening;
    server.child.kill("SIGINT");
    await server.waitForLog("draining: /status now answers 503");
    assert.is((await call(url + "/status")).status, 503);
    assert.is((await call(url + "/")).status, 200);
    server.child.kill("SIGINT");
    assert.is(await server.exitedWithin(15_000), 0);
    assert.ok(server.logs.some((l) => l.level === "warn" && String(l.msg).includes("skipping the rest of the drain period")));
  } finally {
    server.kill();
  }
});

test.run();
