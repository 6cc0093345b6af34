/**
 * The stack's `aws_db_instance` as a service: PostgreSQL (postgres.ts) when the stack has a
 * database, plus a port where connections are dropped, for servers whose security groups do not
 * let them reach it (as in AWS, the database itself stays reachable for the others).
 */
import { createServer } from "node:net";
import type { EmulatedService } from "./emulated-service.js";
import { addressInCidr } from "./loopback-network.js";
import { startDatabase } from "./postgres.js";

export const databaseService: EmulatedService = {
  name: "database",
  async start(w) {
    const spec = w.stack.database;
    if (!spec) return { [Symbol.asyncDispose]: async () => undefined };
    w.ctx.onEvent({ type: "progress", phase: "up", message: `starting PostgreSQL for ${spec.address}` });
    const local = await startDatabase(spec, w.settings.track, w.ctx.signal);
    const dropping = createServer((socket) => socket.destroy());
    try {
      await new Promise<void>((resolve, reject) => {
        dropping.once("error", reject);
        dropping.listen(0, "127.0.0.1", resolve);
      });
    } catch (err) {
      await local.dispose();
      throw err;
    }
    w.ctx.onEvent({ type: "database", status: "started", port: local.port });
    const address = addressInCidr(spec.subnetCidrs[0], 5);
    w.database = {
      local,
      endpoint: { label: `database ${spec.name}`, groups: spec.securityGroups, ...(address ? { address } : {}) },
      droppedPort: (dropping.address() as { port: number }).port,
    };
    return {
      async [Symbol.asyncDispose]() {
        await new Promise<void>((resolve) => dropping.close(() => resolve()));
        await local.dispose();
        w.ctx.onEvent({ type: "database", status: "stopped", port: local.port });
      },
    };
  },
};
