/** Serve a SeedApp on a throwaway loopback port, for in-process HTTP tests. */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createSeedApp, type SeedApp, type SeedAppOptions } from "../app.js";

/** A served app. */
export interface ServedApp {
  readonly app: SeedApp;
  readonly url: string;
  close(): Promise<void>;
}

/** Create the app and listen on 127.0.0.1:<free port>. */
export async function serveApp(options: SeedAppOptions): Promise<ServedApp> {
  const app = createSeedApp(options);
  const server = createServer(app.handle);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
