/**
 * A local environment for the throughput benchmark, in its own process (so the load generator
 * does not share its event loop): the classic stack in plain HTTP, servers without request log
 * lines (both paths measured hit the same servers, so both gain alike). Also a bare proxy to one
 * server (node:http in, undici's pool.stream out, nothing else): the floor any Node proxy pays for
 * the extra hop, measured in the same run. Prints one JSON line with the three URLs, then stays up
 * until SIGINT/SIGTERM. A line "console-on" / "console-off" on stdin starts / stops the console
 * (answered with a JSON line naming its URL), so the benchmark can compare throughput with it open.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { Pool } from "undici";
import { startConsole } from "../console/console-server.js";
import { findPackageRoot } from "../../shared/package-root.js";
import { quietContext } from "../events.js";
import { startLocalEnvironment } from "../local/local-environment.js";
import { readStack } from "../stack/read-stack.js";

const stack = readStack(process.argv[2] ?? join(findPackageRoot(), "cdktf.out"), "classic");
const env = await startLocalEnvironment(stack, quietContext(), { quietServers: true, speedup: 5 });
await env.waitHealthy();
const server = env.instances()[0]!;
const serverUrl = `http://${server.host}:${server.appPort}`;
const pool = new Pool(serverUrl, { connections: 128 });
const bare = createServer((req, res) => {
  pool
    .stream({ method: "GET", path: req.url ?? "/", headers: {} }, ({ statusCode, headers }) => {
      res.writeHead(statusCode, headers as Record<string, string>);
      return res;
    })
    .catch(() => res.destroy());
});
await new Promise<void>((resolve) => bare.listen(0, "127.0.0.1", resolve));
console.log(JSON.stringify({ alb: env.url, server: serverUrl, bareProxy: `http://127.0.0.1:${(bare.address() as AddressInfo).port}` }));
let console_: Awaited<ReturnType<typeof startConsole>> | undefined;
createInterface({ input: process.stdin }).on("line", (line) => {
  void (async () => {
    if (line === "console-on") console_ ??= await startConsole(env, quietContext());
    if (line === "console-off") {
      await console_?.dispose();
      console_ = undefined;
    }
    console.log(JSON.stringify({ console: console_?.url ?? null }));
  })();
});
const stop = async () => {
  await console_?.dispose();
  bare.closeAllConnections();
  bare.close();
  await pool.destroy();
  await env.dispose();
  process.exit(0);
};
process.once("SIGINT", () => void stop());
process.once("SIGTERM", () => void stop());
