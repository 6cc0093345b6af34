/**
 * How the benchmark's baseline servers listen: ALB-like keep-alive timeouts (as the seed server
 * sets them), loopback only, a `listening` JSON line the benchmark waits for (the seed server's
 * own format), and a clean exit on SIGTERM.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

/** Listen on `port` (0: any free port) on 127.0.0.1 and announce it. */
export function listenForBench(server: Server, port: number): void {
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.listen(port, "127.0.0.1", () => {
    const { port: bound } = server.address() as AddressInfo;
    process.stdout.write(JSON.stringify({ msg: "listening", url: `http://127.0.0.1:${bound}` }) + "\n");
  });
  process.on("SIGTERM", () => server.close(() => process.exit(0)));
}
