/**
 * The single-file bundle, built fresh from the current source into a temp dir that has no
 * node_modules anywhere above it, run with plain `node`: what EC2 instances run.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { createServer, type Server } from "node:net";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { buildSeedServerBundle } from "./build-bundle.js";
import { call, postJson } from "./test-support/http.js";
import { startServerProcess, type ServerProcess } from "./test-support/server-process.js";
import { setupOrFail } from "./test-support/setup-or-fail.js";
import { onProcessEnd } from "./test-support/stop-on-exit.js";
import { startTestPostgres, type TestPostgres } from "./test-support/test-postgres.js";

interface Ctx {
  dir: string;
  /** Cancels the removal of `dir` at process end (the after hook removes it). */
  forgetDir: () => void;
  bundle: string;
  processes: ServerProcess[];
}
const bundleSuite = suite<Ctx>("bundle", { dir: "", forgetDir: () => undefined, bundle: "", processes: [] });

/** Remove `dir` if the test process ends (a crash, Ctrl-C) before the after hook does. */
function removedOnProcessEnd(dir: string): () => void {
  return onProcessEnd(() => rmSync(dir, { recursive: true, force: true }));
}

/** Start the bundle with plain node from the temp dir. */
function runBundle(ctx: Ctx, args: string[], env: Record<string, string> = {}): ServerProcess {
  const proc = startServerProcess(process.execPath, [ctx.bundle, ...args], env, ctx.dir);
  ctx.processes.push(proc);
  return proc;
}

setupOrFail(bundleSuite, async (ctx) => {
  ctx.dir = mkdtempSync(join(tmpdir(), "seedstack-bundle-"));
  ctx.forgetDir = removedOnProcessEnd(ctx.dir);
  ctx.bundle = join(ctx.dir, "seed-server.mjs");
  await buildSeedServerBundle(ctx.bundle);
  ctx.processes = [];
});
bundleSuite.after(async (ctx) => {
  for (const p of ctx.processes) p.kill();
  await Promise.all(ctx.processes.map((p) => p.exited));
  rmSync(ctx.dir, { recursive: true, force: true });
  ctx.forgetDir();
});

bundleSuite("it is one self-contained file: no node_modules within reach, only node: imports", (ctx) => {
  for (let dir = ctx.dir; dir !== dirname(dir); dir = dirname(dir)) assert.not.ok(existsSync(join(dir, "node_modules")), `node_modules above the temp dir: ${dir}`);
  const source = readFileSync(ctx.bundle, "utf8");
  assert.ok(source.startsWith("#!/usr/bin/env node\n"));
  const staticImports = [...source.matchAll(/\bimport\s*(?:[\w{}\s,*]+from\s*)?["']([^"']+)["']/g)].map((m) => m[1]);
  assert.ok(staticImports.length > 0);
  for (const specifier of staticImports) assert.ok(specifier?.startsWith("node:") || ["http", "net", "os", "util", "fs", "events", "crypto", "tls", "dns", "stream", "string_decoder", "path", "url", "timers"].includes(specifier ?? ""), `imports ${specifier}`);
});

bundleSuite("it serves the contract with plain node", async (ctx) => {
  const server = runBundle(ctx, ["--port", "0", "--host", "127.0.0.1", "--instance-id", "bundle-1", "--drain-seconds", "0"]);
  const url = await server.listening;
  assert.is((await call(url + "/")).body, "0");
  const big = "-" + "1234567890".repeat(40);
  const post = await postJson(url + "/", `{"num": ${big}}`);
  assert.is(post.status, 200);
  assert.is(post.headers["x-served-by"], "bundle-1");
  assert.is((await call(url + "/")).body, big);
  assert.is((await call(url + "/status")).body, "OK");
  assert.is((await postJson(url + "/", '{"num": 1.5}')).status, 400);
  server.child.kill("SIGTERM");
  assert.is(await server.exited, 0);
  const requestLines = server.logs.filter((l) => l.msg === "request");
  assert.equal(requestLines.map((l) => [l.method, l.path, l.status, l.servedBy]), [
    ["GET", "/", 200, "bundle-1"],
    ["POST", "/", 200, "bundle-1"],
    ["GET", "/", 200, "bundle-1"],
    ["GET", "/status", 200, "bundle-1"],
    ["POST", "/", 400, "bundle-1"],
  ]);
});

bundleSuite("--help prints every option and exits 0; bad values exit 2 naming the flag", (ctx) => {
  const help = spawnSync(process.execPath, [ctx.bundle, "--help"], { cwd: ctx.dir, encoding: "utf8" });
  assert.is(help.status, 0);
  for (const name of ["--port", "PORT", "--host", "HOST", "--store", "SEED_STORE", "DATABASE_URL", "--drain-seconds", "DRAIN_SECONDS", "--log-level", "LOG_LEVEL", "--quiet", "QUIET", "--instance-id", "SEED_INSTANCE_ID", "PGSSLMODE"]) {
    assert.ok(help.stdout.includes(name), name);
  }
  const bad = spawnSync(process.execPath, [ctx.bundle, "--port", "http"], { cwd: ctx.dir, encoding: "utf8" });
  assert.is(bad.status, 2);
  assert.is(bad.stderr, 'seed-server: --port must be an integer from 0 to 65535; got "http"\n');
  const badEnv = spawnSync(process.execPath, [ctx.bundle], { cwd: ctx.dir, encoding: "utf8", env: { LOG_LEVEL: "loud" } });
  assert.is(badEnv.status, 2);
  assert.match(badEnv.stderr, /LOG_LEVEL must be one of debug, info, warn, error; got "loud"/);
});

bundleSuite("a port already in use is reported and exits 1", async (ctx) => {
  const blocker: Server = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
  try {
    const port = (blocker.address() as { port: number }).port;
    const server = runBundle(ctx, ["--port", String(port), "--host", "127.0.0.1"]);
    assert.is(await server.exited, 1);
    assert.ok(server.logs.some((l) => l.level === "error" && l.msg === `cannot listen on 127.0.0.1:${port}: address already in use`));
  } finally {
    blocker.close();
  }
});

bundleSuite.run();

// ---------------------------------------------------------------------------------------------
const sharedSuite = suite<Ctx & { db: TestPostgres }>("bundle with PostgreSQL", { dir: "", forgetDir: () => undefined, bundle: "", processes: [], db: undefined as unknown as TestPostgres });

setupOrFail(sharedSuite, async (ctx) => {
  ctx.dir = mkdtempSync(join(tmpdir(), "seedstack-bundle-pg-"));
  ctx.forgetDir = removedOnProcessEnd(ctx.dir);
  ctx.bundle = join(ctx.dir, "seed-server.mjs");
  ctx.processes = [];
  // Assigned as soon as it runs, so `after` stops it even when the build fails.
  const db = startTestPostgres().then((started) => (ctx.db = started));
  await Promise.all([db, buildSeedServerBundle(ctx.bundle)]);
});
sharedSuite.after(async (ctx) => {
  for (const p of ctx.processes) p.kill();
  await Promise.all(ctx.processes.map((p) => p.exited));
  await ctx.db?.destroy();
  rmSync(ctx.dir, { recursive: true, force: true });
  ctx.forgetDir();
});

sharedSuite("two servers with DATABASE_URL share one seed, and a restart loses nothing", async (ctx) => {
  const env = { DATABASE_URL: ctx.db.url, QUIET: "1" };
  const a = runBundle(ctx, ["--port", "0", "--host", "127.0.0.1", "--instance-id", "a", "--drain-seconds", "0"], env);
  const b = runBundle(ctx, ["--port", "0", "--host", "127.0.0.1", "--instance-id", "b", "--drain-seconds", "0"], env);
  const [urlA, urlB] = await Promise.all([a.listening, b.listening]);
  assert.is((await a.waitForLog("listening")).store, "postgres");
  const seed = (2n ** 200n).toString();
  assert.is((await postJson(urlA + "/", `{"num": ${seed}}`)).body, seed);
  const fromB = await call(urlB + "/");
  assert.is(fromB.body, seed);
  assert.is(fromB.headers["x-served-by"], "b");

  a.child.kill("SIGTERM");
  assert.is(await a.exited, 0);
  const again = runBundle(ctx, ["--port", "0", "--host", "127.0.0.1", "--instance-id", "a2"], env);
  assert.is((await call((await again.listening) + "/")).body, seed);
});

sharedSuite("the libpq variables work when DATABASE_URL is unset", async (ctx) => {
  const { host, port, user, password, database } = ctx.db.connection;
  const server = runBundle(ctx, ["--port", "0", "--host", "127.0.0.1", "--store", "postgres"], {
    PGHOST: String(host),
    PGPORT: String(port),
    PGUSER: String(user),
    PGPASSWORD: String(password),
    PGDATABASE: String(database),
    PGSSLMODE: "disable",
    QUIET: "1",
  });
  const url = await server.listening;
  assert.is((await call(url + "/status")).status, 200);
  assert.is((await postJson(url + "/", '{"num": 8}')).body, "8");
});

sharedSuite.run();
