/**
 * The console over plain HTTP, on a real local environment (classic stack, clock 10x): who may use
 * it (token, Host header), what its state says (targets with AWS's reason codes, per-target
 * requests), and that its controls act on the real processes.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { request } from "node:http";
import { request as undiciRequest } from "undici";
import { assertAllDisposed, startTestEnvironment, waitFor } from "../test-support/environments.js";
import { removeSynthFixtures } from "../test-support/synth-fixture.js";
import { startConsole, type RunningConsole } from "./console-server.js";
import type { ConsoleSnapshot } from "./snapshot.js";

const test = suite("console server");
test.after(() => {
  removeSynthFixtures();
  assertAllDisposed();
});

/** A raw request, so the Host header can be anything. */
function raw(port: number, path: string, init: { method?: string; host?: string; token?: string; body?: string; origin?: string } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        path,
        method: init.method ?? "GET",
        headers: {
          host: init.host ?? `127.0.0.1:${port}`,
          ...(init.token ? { "x-seedstack-token": init.token } : {}),
          ...(init.origin ? { origin: init.origin } : {}),
          ...(init.body !== undefined ? { "content-type": "application/json" } : {}),
        },
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c) => (body += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    req.end(init.body);
  });
}

const state = async (c: RunningConsole): Promise<ConsoleSnapshot> => JSON.parse((await raw(c.port, "/api/state", { token: c.token })).body) as ConsoleSnapshot;

test("refuses requests without the token, with a wrong one, with a foreign Host or Origin; serves the page and state with it", async () => {
  const { env } = await startTestEnvironment("classic", { settings: { SEEDSTACK_TLS: "http" } });
  const c = await startConsole(env, { signal: new AbortController().signal, onEvent: () => undefined });
  try {
    await env.waitHealthy({ deadlineMs: 15_000 });
    assert.match(c.url, new RegExp(`^http://127\\.0\\.0\\.1:${c.port}/\\?token=[A-Za-z0-9_-]{32}$`));
    const victim = env.instances()[0]!.id;
    for (const attempt of [
      raw(c.port, `/api/instances/${victim}/stop`, { method: "POST", body: "{}" }),
      raw(c.port, `/api/instances/${victim}/stop`, { method: "POST", body: "{}", token: c.token.slice(0, -1) + (c.token.endsWith("A") ? "B" : "A") }),
      raw(c.port, "/api/state"),
      raw(c.port, "/"),
    ]) {
      const r = await attempt;
      assert.is(r.status, 403, r.body);
      assert.match(r.body, /needs the token/);
    }
    const rebinding = await raw(c.port, `/?token=${c.token}`, { host: `attacker.example:${c.port}` });
    assert.is(rebinding.status, 421);
    assert.match(rebinding.body, /does not name this console/);
    const crossSite = await raw(c.port, `/api/instances/${victim}/stop`, { method: "POST", body: "{}", token: c.token, origin: "http://attacker.example" });
    assert.is(crossSite.status, 403);
    assert.ok(env.instances().every((i) => i.running), "no refused control reached an instance");

    const page = await raw(c.port, `/?token=${c.token}`, { host: `localhost:${c.port}` });
    assert.is(page.status, 200);
    assert.match(page.body, /seedstack console/);
    assert.match(page.body, /uPlot/, "uPlot is inlined");
    const s = await state(c);
    assert.equal(s.targets.map((t) => t.state), ["healthy", "healthy"]);
    assert.equal(s.map.listeners.map((l) => l.rule), ["default: forward to " + env.stack.targetGroup.name]);
  } finally {
    await c.dispose();
    await env.dispose();
  }
});

test("per-target requests are counted; stop makes the target unhealthy with AWS's reason, start brings it back; the drill runs from the console", async () => {
  const { env } = await startTestEnvironment("classic", { settings: { SEEDSTACK_TLS: "http" } });
  const c = await startConsole(env, { signal: new AbortController().signal, onEvent: () => undefined });
  try {
    await env.waitHealthy({ deadlineMs: 15_000 });
    for (let i = 0; i < 10; i++) await (await undiciRequest(env.url + "/")).body.dump();
    await waitFor("a closed second of per-target requests", () => {
      const charts = c.snapshot().charts;
      return Object.values(charts).reduce((n, s) => n + s.reduce((m, x) => m + x.requests, 0), 0) === 10;
    }, 5_000);
    assert.equal(Object.keys(c.snapshot().charts).sort(), env.instances().map((i) => i.id).sort(), "both targets served");

    const victim = env.instances()[0]!.id;
    const stopped = await raw(c.port, `/api/instances/${victim}/stop`, { method: "POST", body: "{}", token: c.token });
    assert.is(stopped.status, 200, stopped.body);
    assert.is(env.instances().find((i) => i.id === victim)!.running, false, "the process died");
    await waitFor("the stopped target to be unhealthy", () => c.snapshot().targets.find((t) => t.id === victim)?.state === "unhealthy", 10_000);
    const row = (await state(c)).targets.find((t) => t.id === victim)!;
    assert.equal(row.reason, { code: "Target.FailedHealthChecks", description: "Health checks failed" });
    assert.ok(row.diagnosis && /exited|killed/.test(row.diagnosis), `diagnosis: ${row.diagnosis}`);

    const unknown = await raw(c.port, `/api/instances/i-0nope/stop`, { method: "POST", body: "{}", token: c.token });
    assert.is(unknown.status, 400);
    assert.match(unknown.body, /no running instance i-0nope/);

    const started = await raw(c.port, `/api/instances/${victim}/start`, { method: "POST", body: "{}", token: c.token });
    assert.is(started.status, 200, started.body);
    await waitFor("the restarted target to be healthy", () => c.snapshot().targets.find((t) => t.id === victim)?.state === "healthy", 10_000);

    const badMode = await raw(c.port, "/api/drill", { method: "POST", body: '{"mode":"explode"}', token: c.token });
    assert.is(badMode.status, 400);
    assert.match(badMode.body, /allowed: process-dies, health-fails/);
    const drill = await raw(c.port, "/api/drill", { method: "POST", body: '{"mode":"health-fails"}', token: c.token });
    assert.is(drill.status, 200, drill.body);
    await waitFor("the drill from the console to finish", () => !c.snapshot().drill.running, 90_000);
    const d = c.snapshot().drill;
    assert.ok(d.result, `drill error: ${d.error}; log: ${d.log.join(" | ")}`);
    assert.is(d.result!.mode, "health-fails");
    assert.ok(d.result!.timeline.length > 0 && d.log.length > 1, "its timeline and log are on the page");
  } finally {
    await c.dispose();
    await env.dispose();
  }
});

test.run();
