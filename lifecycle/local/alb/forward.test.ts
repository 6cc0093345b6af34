import { test } from "uvu";
import * as assert from "uvu/assert";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { Pool, request } from "undici";
import { forward } from "./forward.js";

/** An upstream that echoes the headers it received, and a front server forwarding to it. */
async function pair(front: (pool: Pool) => Parameters<typeof createServer>[1]) {
  let seen: IncomingHttpHeaders = {};
  const upstream = createServer((req, res) => {
    seen = req.headers;
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      res.writeHead(201, { "x-echo": body, connection: "keep-alive", "set-cookie": "app=1" });
      res.end("done");
    });
  });
  await new Promise<void>((r) => upstream.listen(0, "127.0.0.1", r));
  const pool = new Pool(`http://127.0.0.1:${(upstream.address() as AddressInfo).port}`);
  const server = createServer(front(pool));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen: () => seen,
    close: async () => {
      server.closeAllConnections();
      upstream.closeAllConnections();
      await Promise.all([new Promise((r) => server.close(r)), new Promise((r) => upstream.close(r)), pool.destroy()]);
    },
  };
}

test("forwarded headers are added (X-Forwarded-For appended), bodies and status pass through, cookies are added", async () => {
  const p = await pair((pool) => (req, res) => void forward(pool, req, res, { clientAddress: "198.51.100.7", protocol: "https", port: 443, idleTimeoutMs: 5000, setCookies: ["AWSALB=x"] }));
  try {
    const res = await request(p.url + "/path?q=1", { method: "POST", body: '{"num":1}', headers: { "x-forwarded-for": "203.0.113.9", "content-type": "application/json" } });
    assert.is(res.statusCode, 201);
    assert.is(await res.body.text(), "done");
    assert.is(res.headers["x-echo"], '{"num":1}');
    assert.equal(res.headers["set-cookie"], ["app=1", "AWSALB=x"]);
    assert.is(p.seen()["x-forwarded-for"], "203.0.113.9, 198.51.100.7");
    assert.is(p.seen()["x-forwarded-proto"], "https");
    assert.is(p.seen()["x-forwarded-port"], "443");
  } finally {
    await p.close();
  }
});

test("a target that refuses the connection gets the ALB's 502", async () => {
  const dead = new Pool("http://127.0.0.1:1");
  const p = await pair(() => (req, res) => void forward(dead, req, res, { clientAddress: "x", protocol: "http", port: 80, idleTimeoutMs: 1000 }));
  try {
    const res = await request(p.url + "/");
    assert.is(res.statusCode, 502);
    await res.body.dump();
  } finally {
    await p.close();
    await dead.destroy();
  }
});

test.run();
