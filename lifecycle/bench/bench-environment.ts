/**
 * A local environment for the throughput benchmark, in its own process (so the load generator
 * does not share its event loop): the classic stack in plain HTTP, servers without request log
 * lines (both paths measured hit the same servers, so both gain alike). Prints one JSON line with
 * the load balancer's URL and one server's address, then stays up until SIGINT/SIGTERM.
 */
import { join } from "node:path";
import { findPackageRoot } from "../../seed-server/bundle-path.js";
import { quietContext } from "../events.js";
import { startLocalEnvironment } from "../local/engine.js";
import { readStack } from "../stack/read-stack.js";

const stack = readStack(process.argv[2] ?? join(findPackageRoot(), "cdktf.out"), "classic");
const env = await startLocalEnvironment(stack, quietContext(), { quietServers: true, speedup: 5 });
await env.waitHealthy();
const server = env.instances()[0]!;
console.log(JSON.stringify({ alb: env.url, server: `http://${server.host}:${server.appPort}` }));
const stop = async () => {
  await env.dispose();
  process.exit(0);
};
process.once("SIGINT", () => void stop());
process.once("SIGTERM", () => void stop());
