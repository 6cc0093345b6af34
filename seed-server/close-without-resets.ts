/**
 * Closing an HTTP server at the end of a drain so that no client request is reset: every request
 * gets an answer, or its connection is refused before anything was sent.
 *
 * Two ways a close resets requests, and what this does about each:
 *
 * 1. Idle keep-alive connections. Closing one while its client is sending the next request on it
 *    resets that request. The caller prevents this by answering with `Connection: close` during the
 *    whole drain: a client never sends on a connection after such an answer, so by the end of the
 *    drain the only idle keep-alive connections left are ones that carried nothing for the whole
 *    drain. Those are closed here (as on any keep-alive timeout, a client that picks exactly that
 *    moment to use a connection idle for that long can still lose the race; HTTP/1.1 offers no way
 *    to close an idle connection without it).
 *
 * 2. The listening socket's accept queue. When a listening socket closes, the kernel resets every
 *    connection it has completed but the server has not yet accepted, and the requests their
 *    clients already sent are lost. A client that keeps sending opens such connections all the
 *    time. So before closing the listener this holds new requests unanswered: a client waiting for
 *    an answer opens no new connection. Once no connection has arrived for `quietMs`, the accept
 *    queue is empty and the listener closes; new connections are refused from then on; and the
 *    held requests are answered (with `Connection: close`). A client that keeps opening
 *    connections without waiting for answers never lets the queue go quiet: after `maxHoldMs` the
 *    listener closes anyway.
 */
import type { IncomingMessage, RequestListener, Server, ServerResponse } from "node:http";

/** Options of closeWithoutResets. */
export interface CloseWithoutResetsOptions {
  /** The request listener the server was created with; requests go back to it after the hold. */
  readonly handle: RequestListener;
  /** How long no new connection must arrive before the listener closes. */
  readonly quietMs: number;
  /** Longest hold of new requests before the listener closes regardless. */
  readonly maxHoldMs: number;
  /** After the listener closes, in-flight requests get this long before every connection is cut. */
  readonly forceCloseAfterMs: number;
  /** Called once the listener is closed: new connections are refused from then on. */
  readonly onListenerClosed?: () => void;
  /** Called when the force-close deadline cuts connections. */
  readonly onForceClose?: () => void;
}

/**
 * Stop listening, answer what is in flight, close idle connections, and resolve once every
 * connection is closed. Responses must already carry `Connection: close` (see the module comment).
 */
export async function closeWithoutResets(server: Server, options: CloseWithoutResetsOptions): Promise<void> {
  const held: Array<[IncomingMessage, ServerResponse]> = [];
  const hold = (req: IncomingMessage, res: ServerResponse) => void held.push([req, res]);
  let lastConnectionAt = Date.now();
  const onConnection = () => void (lastConnectionAt = Date.now());

  server.off("request", options.handle);
  server.on("request", hold);
  server.on("connection", onConnection);
  try {
    await waitForQuietAcceptQueue(() => lastConnectionAt, options.quietMs, options.maxHoldMs);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // server.close() also closes the idle connections (Node >= 19); see point 1 above.
    server.closeIdleConnections();
    options.onListenerClosed?.();
    const force = setTimeout(() => {
      options.onForceClose?.();
      server.closeAllConnections();
    }, options.forceCloseAfterMs);
    force.unref();
    releaseHeld();
    await closed;
    clearTimeout(force);
  } finally {
    releaseHeld();
  }

  function releaseHeld(): void {
    if (server.listeners("request").includes(hold)) {
      server.off("request", hold);
      server.on("request", options.handle);
    }
    server.off("connection", onConnection);
    for (const [req, res] of held.splice(0)) options.handle(req, res);
  }
}

/**
 * Resolve once no connection has arrived for `quietMs`, or after `maxHoldMs`. The final check runs
 * in the event loop's check phase (setImmediate), right after the poll phase has accepted whatever
 * was queued, so a connection that waited in the queue while the loop was busy counts as arrived.
 */
function waitForQuietAcceptQueue(lastConnectionAt: () => number, quietMs: number, maxHoldMs: number): Promise<void> {
  const giveUpAt = Date.now() + maxHoldMs;
  return new Promise((resolve) => {
    const check = () =>
      setImmediate(() => {
        const now = Date.now();
        const quietFor = now - lastConnectionAt();
        if (quietFor >= quietMs || now >= giveUpAt) resolve();
        else setTimeout(check, Math.min(quietMs - quietFor, giveUpAt - now));
      });
    setTimeout(check, quietMs);
  });
}
