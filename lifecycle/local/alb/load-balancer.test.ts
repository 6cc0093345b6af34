/**
 * The local load balancer on its own, with small node:http servers as its targets (stand-ins for
 * seed servers whose behaviour each test controls: a failing health check, a slow answer).
 * The stack's settings come in as literals; the clock runs 10x faster.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { request } from "undici";
import type { SecurityGroupSpec, TargetGroupSpec } from "../../stack/stack.js";
import { waitFor } from "../../test-support/environments.js";
import { startLoadBalancer, type LocalLoadBalancer } from "./load-balancer.js";

const test = suite("local load balancer");

const TARGET_GROUP: TargetGroupSpec = {
  address: "aws_lb_target_group.tg",
  name: "tg",
  port: 0, // each registration says its port
  protocol: "HTTP",
  healthCheck: { path: "/status", port: "traffic-port", protocol: "HTTP", intervalSeconds: 5, timeoutSeconds: 4, healthyThreshold: 2, unhealthyThreshold: 2, matcher: "200" },
  deregistrationDelaySeconds: 30,
};
const OPEN: ReadonlyMap<string, SecurityGroupSpec> = new Map([
  ["sg.lb", { address: "sg.lb", name: "lb", ingress: [{ address: "in", direction: "ingress", group: "sg.lb", protocol: "-1", fromPort: 0, toPort: 65535, peer: { kind: "cidr", cidr: "0.0.0.0/0" } }], egress: [{ address: "out", direction: "egress", group: "sg.lb", protocol: "-1", fromPort: 0, toPort: 65535, peer: { kind: "group", group: "sg.web" } }] }],
  ["sg.web", { address: "sg.web", name: "web", ingress: [{ address: "in", direction: "ingress", group: "sg.web", protocol: "tcp", fromPort: 0, toPort: 65535, peer: { kind: "group", group: "sg.lb" } }], egress: [] }],
]);

/** A stand-in target: answers `/status` with `health()`, `/slow` after `slowMs`, everything else at once; names itself. */
async function target(id: string, health: () => number, slowMs = 0): Promise<{ server: Server; port: number; slowReceived: () => number }> {
  let slow = 0;
  const server = createServer((req, res) => {
    if (req.url === "/slow") slow++;
    const answer = () => {
      res.writeHead(req.url === "/status" ? health() : 200, { "x-served-by": id });
      res.end(id);
    };
    if (req.url === "/slow") setTimeout(answer, slowMs);
    else answer();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, port: (server.address() as AddressInfo).port, slowReceived: () => slow };
}

async function balancer(targetGroup: TargetGroupSpec = TARGET_GROUP): Promise<LocalLoadBalancer> {
  return startLoadBalancer({
    name: "lb",
    listeners: [{ address: "aws_lb_listener.http", port: 80, protocol: "HTTP", action: { type: "forward" } }],
    targetGroup,
    securityGroups: OPEN,
    endpoint: { label: "the load balancer", groups: ["sg.lb"], address: "10.0.0.10" },
    idleTimeoutSeconds: 60,
    speedup: 10,
    onEvent: () => undefined,
  });
}

const web = (id: string, port: number) => ({ id, name: id, host: "127.0.0.1", port, endpoint: { label: id, groups: ["sg.web"] } });
const servedBy = async (url: string, headers: Record<string, string> = {}) => {
  const res = await request(url, { headers });
  await res.body.dump();
  return { who: String(res.headers["x-served-by"]), cookies: res.headers["set-cookie"] };
};

test("a target whose health check fails gets no traffic once unhealthy; the healthy one gets it all", async () => {
  let bHealth = 200;
  const a = await target("a", () => 200);
  const b = await target("b", () => bHealth);
  const lb = await balancer();
  try {
    lb.register(web("a", a.port));
    lb.register(web("b", b.port));
    await waitFor("both targets healthy", () => lb.targets().every((t) => t.state === "healthy"));
    bHealth = 500;
    await waitFor("b unhealthy", () => lb.targets().find((t) => t.id === "b")?.state === "unhealthy");
    const who = [];
    for (let i = 0; i < 6; i++) who.push((await servedBy(lb.listeners[0]!.url + "/")).who);
    assert.equal(who, ["a", "a", "a", "a", "a", "a"]);
    assert.match(lb.targets().find((t) => t.id === "b")!.reason ?? "", /answered 500; the health check expects 200/);
  } finally {
    await lb.dispose();
    a.server.close();
    b.server.close();
  }
});

test("deregistration: the target drains (no new requests), its in-flight request completes, then it is gone", async () => {
  const a = await target("a", () => 200, 300);
  const b = await target("b", () => 200);
  const lb = await balancer();
  try {
    lb.register(web("a", a.port));
    lb.register(web("b", b.port));
    await waitFor("both targets healthy", () => lb.targets().every((t) => t.state === "healthy"));
    // Round robin starts with a: this request is in flight on a when a is deregistered.
    const inFlight = request(lb.listeners[0]!.url + "/slow").then(async (r) => ({ status: r.statusCode, body: await r.body.text() }));
    await waitFor("the slow request to reach a", () => a.slowReceived() === 1);
    const drained = lb.deregister("a");
    assert.is(lb.targets().find((t) => t.id === "a")?.state, "draining");
    assert.is((await servedBy(lb.listeners[0]!.url + "/")).who, "b");
    assert.equal(await inFlight, { status: 200, body: "a" });
    await drained;
    assert.equal(lb.targets().map((t) => t.id), ["b"]);
  } finally {
    await lb.dispose();
    a.server.close();
    b.server.close();
  }
});

test("stickiness: the AWSALB cookie from the first answer keeps the client on that target", async () => {
  const a = await target("a", () => 200);
  const b = await target("b", () => 200);
  const lb = await balancer({ ...TARGET_GROUP, stickiness: { durationSeconds: 3600 } });
  try {
    lb.register(web("a", a.port));
    lb.register(web("b", b.port));
    await waitFor("both targets healthy", () => lb.targets().every((t) => t.state === "healthy"));
    const first = await servedBy(lb.listeners[0]!.url + "/");
    const cookie = ([] as string[]).concat(first.cookies ?? []).find((c) => c.startsWith("AWSALB="))!.split(";")[0]!;
    const who = [];
    for (let i = 0; i < 5; i++) who.push((await servedBy(lb.listeners[0]!.url + "/", { cookie })).who);
    assert.equal(new Set(who), new Set([first.who]));
    const without = new Set<string>();
    for (let i = 0; i < 4; i++) without.add((await servedBy(lb.listeners[0]!.url + "/")).who);
    assert.is(without.size, 2, "without the cookie, requests are spread");
  } finally {
    await lb.dispose();
    a.server.close();
    b.server.close();
  }
});

test.run();
