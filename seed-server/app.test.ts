import { suite } from "uvu";
import * as assert from "uvu/assert";
import { Agent } from "node:http";
import { createLogger } from "./logger.js";
import { MemoryStore } from "./stores/memory-store.js";
import { StoreUnavailableError, type SeedStore } from "./stores/seed-store.js";
import { serveApp, type ServedApp } from "./test-support/app-server.js";
import { call, postJson } from "./test-support/http.js";

const INSTANCE = "test-instance-1";

// ---------------------------------------------------------------------------------------------
const contract = suite<{ served: ServedApp; logLines: string[] }>("contract", { served: undefined as unknown as ServedApp, logLines: [] });

contract.before(async (ctx) => {
  ctx.logLines = [];
  const logger = createLogger({ write: (line) => void ctx.logLines.push(line) });
  ctx.served = await serveApp({ store: new MemoryStore(), instanceId: INSTANCE, logger });
});
contract.after(async (ctx) => ctx.served.close());

contract("GET / starts at 0: bare digits, text/plain, no caching, names the instance", async ({ served }) => {
  const res = await call(served.url + "/");
  assert.is(res.status, 200);
  assert.is(res.body, "0");
  assert.is(res.headers["content-type"], "text/plain; charset=utf-8");
  assert.is(res.headers["cache-control"], "no-store");
  assert.is(res.headers["x-served-by"], INSTANCE);
});

contract("POST sets the seed and answers the new value; GET returns it without quotes or newline", async ({ served }) => {
  const post = await postJson(served.url + "/", '{"num": 100}');
  assert.is(post.status, 200);
  assert.is(post.body, "100");
  const get = await call(served.url + "/");
  assert.is(get.body, "100");
  assert.is(get.headers["content-length"], "3");
});

contract("integers beyond 2^53 and with hundreds of digits survive exactly", async ({ served }) => {
  for (const n of [(2n ** 53n + 1n).toString(), "-" + "123456789".repeat(50), "0"]) {
    assert.is((await postJson(served.url + "/", `{"num": ${n}}`)).body, n);
    assert.is((await call(served.url + "/")).body, n);
  }
});

contract("integer-valued forms are stored canonically", async ({ served }) => {
  assert.is((await postJson(served.url + "/", '{"num": 1e3}')).body, "1000");
  assert.is((await postJson(served.url + "/", '{"num": 100.0}')).body, "100");
  assert.is((await postJson(served.url + "/", '{"num": -0}')).body, "0");
});

contract("HEAD / answers like GET without a body", async ({ served }) => {
  await postJson(served.url + "/", '{"num": 12345}');
  const res = await call(served.url + "/", { method: "HEAD" });
  assert.is(res.status, 200);
  assert.is(res.body, "");
  assert.is(res.headers["content-length"], "5");
  assert.is(res.headers["x-served-by"], INSTANCE);
});

contract("bad bodies get 400 with a message naming the problem, and the seed does not change", async ({ served }) => {
  await postJson(served.url + "/", '{"num": 777}');
  const cases: Array<[string, RegExp]> = [
    ['{"num": 100', /malformed JSON/],
    ["not json", /malformed JSON/],
    ["{}", /missing "num"/],
    ['{"num": 1.5}', /must be an integer, got 1\.5/],
    ['{"num": "100"}', /must be an integer, got a string/],
    ['{"num": true}', /must be an integer, got true/],
    ['{"num": null}', /must be an integer, got null/],
    ['{"num": [1]}', /must be an integer, got an array/],
    ['{"num": {}}', /must be an integer, got an object/],
    ["[1]", /must be a JSON object/],
    ["42", /must be a JSON object/],
    ['{"num": 1, "num": 2}', /appears 2 times/],
    ["", /request body is empty/],
  ];
  for (const [body, message] of cases) {
    const res = await postJson(served.url + "/", body);
    assert.is(res.status, 400, body);
    assert.match(res.body, message, body);
    assert.is(res.headers["x-served-by"], INSTANCE);
  }
  assert.is((await call(served.url + "/")).body, "777");
});

contract("a content type other than JSON gets 415 naming what was sent", async ({ served }) => {
  await postJson(served.url + "/", '{"num": 5}');
  const form = await call(served.url + "/", { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: '{"num": 1}' });
  assert.is(form.status, 415);
  assert.match(form.body, /Content-Type must be application\/json; got "application\/x-www-form-urlencoded"/);
  const none = await call(served.url + "/", { method: "POST", body: '{"num": 1}' });
  assert.is(none.status, 415);
  assert.match(none.body, /got none/);
  const latin1 = await postJson(served.url + "/", '{"num": 1}', { "Content-Type": "application/json; charset=iso-8859-1" });
  assert.is(latin1.status, 415);
  assert.match(latin1.body, /must be UTF-8/);
  assert.is((await call(served.url + "/")).body, "5");
  // JSON in its other legitimate spellings is accepted.
  assert.is((await postJson(served.url + "/", '{"num": 6}', { "Content-Type": "application/json; charset=UTF-8" })).body, "6");
  assert.is((await postJson(served.url + "/", '{"num": 7}', { "Content-Type": "application/merge-patch+json" })).body, "7");
});

/** The contract's body limit (docs/seed-server.md): 8 KiB, so a body of 8192 bytes is accepted and 8193 is refused. */
const BODY_LIMIT = 8192;

/** A valid seed body of exactly `bytes` bytes: {"num":333...}. */
function seedBodyOfSize(bytes: number): string {
  return `{"num":${"3".repeat(bytes - '{"num":}'.length)}}`;
}

contract("a body of exactly 8192 bytes is accepted, declared or streamed", async ({ served }) => {
  const body = seedBodyOfSize(BODY_LIMIT);
  assert.is(Buffer.byteLength(body), 8192);
  const declared = await postJson(served.url + "/", body);
  assert.is(declared.status, 200, declared.body);
  assert.is(declared.body, body.slice(7, -1));
  const streamed = await call(served.url + "/", { method: "POST", headers: { "Content-Type": "application/json" }, chunks: [body.slice(0, 4000)], body: body.slice(4000) });
  assert.is(streamed.status, 200, streamed.body);
});

contract("a body of 8193 bytes gets 413 naming the 8192-byte limit, declared or streamed, and the seed does not change", async ({ served }) => {
  await postJson(served.url + "/", '{"num": 9}');
  const body = seedBodyOfSize(BODY_LIMIT + 1);
  assert.is(Buffer.byteLength(body), 8193);
  const declared = await postJson(served.url + "/", body);
  assert.is(declared.status, 413);
  assert.is(declared.body, "request body is larger than the 8192-byte limit\n");
  assert.is(declared.headers.connection, "close");
  // Chunked: no Content-Length, so the limit is found while reading.
  const streamed = await call(served.url + "/", { method: "POST", headers: { "Content-Type": "application/json" }, chunks: [body.slice(0, 4000)], body: body.slice(4000) });
  assert.is(streamed.status, 413);
  assert.is(streamed.body, "request body is larger than the 8192-byte limit\n");
  assert.is((await call(served.url + "/")).body, "9");
});

contract("bytes that are not UTF-8 get 400", async ({ served }) => {
  const res = await call(served.url + "/", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: Buffer.concat([Buffer.from('{"num": 1, "x": "'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]),
  });
  assert.is(res.status, 400);
  assert.match(res.body, /not valid UTF-8/);
});

contract("unknown paths get 404, other methods 405 with Allow", async ({ served }) => {
  const missing = await call(served.url + "/nope");
  assert.is(missing.status, 404);
  assert.match(missing.body, /not found: GET \/nope/);
  assert.is(missing.headers["x-served-by"], INSTANCE);
  for (const method of ["PUT", "DELETE", "PATCH", "OPTIONS"]) {
    const res = await call(served.url + "/", { method });
    assert.is(res.status, 405, method);
    assert.is(res.headers.allow, "GET, HEAD, POST");
  }
  const postStatus = await call(served.url + "/status", { method: "POST" });
  assert.is(postStatus.status, 405);
  assert.is(postStatus.headers.allow, "GET, HEAD");
});

contract("a query string does not change the route", async ({ served }) => {
  await postJson(served.url + "/?x=1", '{"num": 31}');
  assert.is((await call(served.url + "/?cache-buster=2")).body, "31");
});

contract("one JSON log line per request with method, path, status, ms, servedBy", async ({ served, logLines }) => {
  logLines.length = 0;
  await call(served.url + "/status");
  await call(served.url + "/missing?q=1");
  const entries = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
  assert.is(entries.length, 2);
  assert.equal(
    entries.map((e) => [e.msg, e.method, e.path, e.status, e.servedBy, typeof e.ms]),
    [
      ["request", "GET", "/status", 200, INSTANCE, "number"],
      ["request", "GET", "/missing", 404, INSTANCE, "number"],
    ],
  );
});

contract("/status is 200 OK until draining, then 503 while / keeps working", async ({ served }) => {
  const ok = await call(served.url + "/status");
  assert.is(ok.status, 200);
  assert.is(ok.body, "OK");
  assert.is((await call(served.url + "/status", { method: "HEAD" })).status, 200);
  served.app.startDraining();
  const draining = await call(served.url + "/status");
  assert.is(draining.status, 503);
  assert.match(draining.body, /draining/);
  assert.is((await call(served.url + "/")).status, 200);
  assert.is((await postJson(served.url + "/", '{"num": 2}')).status, 200);
});

contract.run();

// ---------------------------------------------------------------------------------------------
const concurrency = suite("concurrency");

concurrency("concurrent writes of distinct big values never tear; every read is a value that was set", async () => {
  const served = await serveApp({ store: new MemoryStore(), instanceId: INSTANCE });
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  try {
    const values = Array.from({ length: 200 }, (_, i) => `${i + 1}${"8".repeat(300)}${i}`);
    const allowed = new Set(["0", ...values]);
    const reads: string[] = [];
    await Promise.all([
      ...values.map(async (v) => {
        const res = await call(served.url + "/", { method: "POST", headers: { "Content-Type": "application/json" }, body: `{"num": ${v}}`, agent });
        assert.is(res.body, v);
      }),
      ...Array.from({ length: 200 }, async () => reads.push((await call(served.url + "/", { agent })).body)),
    ]);
    for (const read of reads) assert.ok(allowed.has(read), `read a value that was never set: ${read.slice(0, 40)}...`);
    assert.ok(values.includes((await call(served.url + "/", { agent })).body));
  } finally {
    agent.destroy();
    await served.close();
  }
});

concurrency.run();

// ---------------------------------------------------------------------------------------------
const failures = suite("store failures");

/** A store whose every call fails the given way: stands in for an unreachable database. */
function failingStore(error: Error): SeedStore {
  return {
    kind: "failing",
    get: () => Promise.reject(error),
    set: () => Promise.reject(error),
    check: () => Promise.reject(error),
    close: () => Promise.resolve(),
  };
}

failures("an unavailable store gives a clear 503 on every route, not a crash", async () => {
  const served = await serveApp({ store: failingStore(new StoreUnavailableError("seed store (postgres) unavailable: connect ECONNREFUSED")), instanceId: INSTANCE });
  try {
    for (const res of [await call(served.url + "/"), await postJson(served.url + "/", '{"num": 1}'), await call(served.url + "/status")]) {
      assert.is(res.status, 503);
      assert.match(res.body, /seed store \(postgres\) unavailable: connect ECONNREFUSED/);
      assert.is(res.headers["retry-after"], "5");
      assert.is(res.headers["x-served-by"], INSTANCE);
    }
    // Validation still comes first: a bad body is the client's problem whatever the store's state.
    assert.is((await postJson(served.url + "/", '{"num": "x"}')).status, 400);
  } finally {
    await served.close();
  }
});

failures("an unexpected store error is a 500 and is logged; the server keeps serving", async () => {
  const lines: string[] = [];
  const served = await serveApp({ store: failingStore(new Error("boom")), instanceId: INSTANCE, logger: createLogger({ write: (l) => void lines.push(l), quiet: true }) });
  try {
    const res = await call(served.url + "/");
    assert.is(res.status, 500);
    assert.is(res.body, "internal error\n");
    assert.ok(lines.some((l) => l.includes('"level":"error"') && l.includes("boom")));
    assert.is((await call(served.url + "/nope")).status, 404);
  } finally {
    await served.close();
  }
});

failures("quiet logging writes no request lines", async () => {
  const lines: string[] = [];
  const served = await serveApp({ store: new MemoryStore(), instanceId: INSTANCE, logger: createLogger({ write: (l) => void lines.push(l), quiet: true }) });
  try {
    await call(served.url + "/");
    assert.equal(lines, []);
  } finally {
    await served.close();
  }
});

failures.run();
