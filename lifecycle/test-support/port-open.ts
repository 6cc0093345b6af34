/**
 * Whether a listener a test's run opened is still there: the one check the tests use for "nothing
 * left listening", for the CLI's runs and the bundled action's alike.
 */
import { connect } from "node:net";

/** Whether something accepts TCP connections on the loopback `port` (the connection is closed at once). */
export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}
