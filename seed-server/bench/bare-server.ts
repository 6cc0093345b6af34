/**
 * The benchmark's baseline: the same work as the seed server (the same exact integer parsing, the
 * same headers, an in-memory seed) on bare `node:http`, with no framework, no store interface, no
 * logging hooks. The seed server's overhead is measured against this floor.
 *
 * Usage: node bare-server.mjs <port>   (prints {"msg":"listening","url":...} like the real server)
 */
import { createServer, type ServerResponse } from "node:http";
import { listenForBench } from "./listen-for-bench.js";
import { parseSeedBody } from "../seed-value.js";

let seed = "0";

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, {
    "X-Served-By": "bare",
    "Content-Type": "text/plain; charset=utf-8",
    "Content-Length": Buffer.byteLength(body),
    "Cache-Control": "no-store",
  });
  res.end(body);
}

const server = createServer((req, res) => {
  if (req.url === "/" && req.method === "GET") return send(res, 200, seed);
  if (req.url === "/" && req.method === "POST") {
    if (!req.headers["content-type"]?.startsWith("application/json")) return send(res, 415, "Content-Type must be application/json\n");
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const parsed = parseSeedBody(Buffer.concat(chunks).toString("utf8"));
      if (!parsed.ok) return send(res, 400, parsed.message);
      seed = parsed.seed;
      send(res, 200, seed);
    });
    return;
  }
  send(res, 404, "not found\n");
});
listenForBench(server, Number(process.argv[2] ?? 0));
