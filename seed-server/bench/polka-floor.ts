/**
 * The least any polka app can cost: one GET / route answering the same bytes and headers as the
 * bare server, nothing else. The benchmark measures it against the bare server in the same run, so
 * the seed server's ratio can be read against polka's own floor.
 *
 * Usage: node polka-floor.mjs <port>   (prints {"msg":"listening","url":...} like the real server)
 */
import { createServer } from "node:http";
import { listenForBench } from "./listen-for-bench.js";
import polka from "polka";

const router = polka();
router.get("/", (_req, res) => {
  res.writeHead(200, { "X-Served-By": "floor", "Content-Type": "text/plain; charset=utf-8", "Content-Length": 1, "Cache-Control": "no-store" });
  res.end("0");
});
const server = createServer(router.handler as unknown as Parameters<typeof createServer>[0] & object);
listenForBench(server, Number(process.argv[2] ?? 0));
