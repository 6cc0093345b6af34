import { test } from "uvu";
import * as assert from "uvu/assert";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { LifecycleError } from "../errors.js";
import { checkLoadOptions, startLoad } from "./load-generator.js";

const refused = (o: Parameters<typeof checkLoadOptions>[0]): string => {
  try {
    checkLoadOptions(o);
  } catch (err) {
    assert.instance(err, LifecycleError);
    assert.is((err as LifecycleError).code, "ERR_USAGE");
    return (err as Error).message;
  }
  throw new Error("expected the options to be refused");
};

test("bad options are refused by name: not loopback, both or neither of users and rps, out of bounds", () => {
  assert.match(refused({ baseUrl: "https://example.com", users: 1, durationSeconds: 1 }), /host is example\.com; load is only sent to this machine/);
  assert.match(refused({ baseUrl: "http://127.0.0.1:1", users: 1, rps: 5, durationSeconds: 1 }), /exactly one of users and rps/);
  assert.match(refused({ baseUrl: "http://127.0.0.1:1", users: 201, durationSeconds: 1 }), /users is 201; allowed: a whole number from 1 to 200/);
  assert.match(refused({ baseUrl: "http://127.0.0.1:1", rps: 10, durationSeconds: 3601 }), /duration is 3601 s/);
  assert.match(refused({ baseUrl: "http://127.0.0.1:1", rps: 10, durationSeconds: 5, rampSeconds: 6 }), /ramp is 6 s/);
});

test("users send requests until the duration is over; every answer is counted with the instance that served it; 5xx are failures", async () => {
  let n = 0;
  const server = createServer((_req, res) => {
    n++;
    res.writeHead(n % 10 === 0 ? 503 : 200, { "x-served-by": n % 2 ? "i-0aaa" : "i-0bbb" });
    res.end("0");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  try {
    const seen: number[] = [];
    const load = startLoad({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, users: 3, durationSeconds: 1.2 }, (s) => seen.push(s.requests));
    const r = await load.done;
    assert.is(r.requests, n, "every request the server answered is counted");
    assert.ok(r.requests > 0);
    assert.is(r.servedBy["i-0aaa"]! + r.servedBy["i-0bbb"]!, n);
    assert.is(r.failures, Math.floor(n / 10));
    assert.equal(Object.keys(r.failureReasons), r.failures ? ["HTTP 503"] : []);
    assert.is(load.running(), false);
    const after = n;
    await new Promise((res) => setTimeout(res, 100));
    assert.is(n, after, "nothing is sent after the end");
    assert.ok(r.seconds.every((s) => s.users === 3 || s.requests === 0), JSON.stringify(r.seconds));
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});

test("a rate never sends more than that many requests per second, and stop() ends it early", async () => {
  let n = 0;
  const server = createServer((_req, res) => {
    n++;
    res.end("0");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  try {
    const t0 = Date.now();
    const load = startLoad({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, rps: 50, durationSeconds: 60 });
    await new Promise((r) => setTimeout(r, 1000));
    const r = await load.stop();
    const elapsed = (Date.now() - t0) / 1000;
    assert.ok(r.requests > 0 && r.requests <= Math.ceil(50 * elapsed) + 1, `${r.requests} requests in ${elapsed} s at 50/s`);
    assert.is(r.requests, n);
    assert.is(r.mode, "rps");
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});

test.run();
