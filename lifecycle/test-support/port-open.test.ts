/** portOpen: true while a listener accepts on the port, false once it has closed. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createServer, type AddressInfo } from "node:net";
import { portOpen } from "./port-open.js";

test("a listening port is open; the same port after the listener closed is not", async () => {
  const server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  try {
    assert.is(await portOpen(port), true);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  assert.is(await portOpen(port), false);
});

test.run();
