/**
 * The listening HTTP server around the app: load-balancer-friendly timeouts and graceful shutdown.
 *
 * Timeouts: an ALB keeps idle connections to targets open for 60 s and reuses them. If the server
 * closes an idle connection first (Node's default keep-alive timeout is 5 s), a request the ALB
 * sends at that moment fails and the client sees a 502. So the server outlasts the ALB: keep-alive
 * 65 s, headers 66 s (the headers timeout must exceed the keep-alive timeout, or Node can cut a
 * reused connection while the next request's headers arrive). Node enforces the headers timeout
 * only when it sweeps its connections, every 30 s by default, so a slow-loris connection (half a
 * request header, then nothing) would live up to 96 s; the sweep runs every second here.
 *
 * Shutdown, in order: /status turns 503 at once so the balancer stops routing here, and every
 * response from then on carries `Connection: close`, so no connection a client is using stays open
 * as an idle keep-alive connection; the server keeps serving for the drain period (the ALB's
 * deregistration delay); then it stops listening without resetting any request
 * (close-without-resets.ts), closes the connections left idle, waits for in-flight requests to
 * finish, and closes the store.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { SeedApp } from "./app.js";
import { closeWithoutResets } from "./close-without-resets.js";
import { silentLogger, type Logger } from "./logger.js";
import type { SeedStore } from "./stores/seed-store.js";

/** Above the ALB's 60-second idle timeout. */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;
/** Above the keep-alive timeout. */
export const HEADERS_TIMEOUT_MS = 66_000;
/** How often Node sweeps connections for expired headers: a slow header is cut at most this late. */
export const CONNECTIONS_CHECK_INTERVAL_MS = 1_000;
/** At the end of the drain, the listener closes once no connection has arrived for this long. */
export const LISTENER_QUIET_MS = 100;
/** ... or after this long regardless (clients that never stop opening connections). */
export const MAX_LISTENER_HOLD_MS = 2_000;

/** Options of startSeedServer. */
export interface SeedServerOptions {
  /** The request handling. */
  readonly app: SeedApp;
  /** Closed after the last request on shutdown. */
  readonly store: SeedStore;
  /** Port to listen on; 0 for any free port. */
  readonly port: number;
  /** Address to bind. @default "0.0.0.0" */
  readonly host?: string;
  /** Seconds /status answers 503 before the server stops accepting. @default 10 */
  readonly drainSeconds?: number;
  /** After the drain, in-flight requests get this long to finish before their connections are cut. @default 10 000 ms */
  readonly forceCloseAfterMs?: number;
  /**
   * A request whose headers have not all arrived this long after its first byte (or a connection
   * that sent nothing for this long) is answered 408 and closed, within a second. Shorter values
   * are for tests; in production it must stay above the keep-alive timeout.
   * @default 66 000 ms (HEADERS_TIMEOUT_MS)
   */
  readonly headersTimeoutMs?: number;
  /** Lifecycle lines go here. @default nothing is logged */
  readonly logger?: Logger;
}

/** A listening seed server. */
export interface RunningSeedServer {
  /** The Node server (for tests and embedding). */
  readonly server: Server;
  /** The port actually bound (useful with port 0). */
  readonly port: number;
  /** `http://<host>:<port>`, with a loopback host when bound to all interfaces. */
  readonly url: string;
  /**
   * Drain and close (see the module comment). Idempotent: later calls return the same promise.
   * Resolves once every connection is closed and the store is closed.
   */
  shutdown(reason?: string): Promise<void>;
  /** Cut the drain period short (e.g. on a second SIGTERM); closing proceeds at once. */
  skipDrain(): void;
}

/** Listen and return the running server. Rejects (e.g. EADDRINUSE) with a message naming the address. */
export async function startSeedServer(options: SeedServerOptions): Promise<RunningSeedServer> {
  const { app, store } = options;
  const logger = options.logger ?? silentLogger;
  const host = options.host ?? "0.0.0.0";
  const drainMs = (options.drainSeconds ?? 10) * 1000;
  const forceCloseAfterMs = options.forceCloseAfterMs ?? 10_000;
  const headersTimeout = options.headersTimeoutMs ?? HEADERS_TIMEOUT_MS;
  if (!Number.isInteger(headersTimeout) || headersTimeout < 1) throw new Error(`headersTimeoutMs must be a whole number of milliseconds, at least 1; got ${headersTimeout}`);

  const server = createServer(
    { keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS, headersTimeout, connectionsCheckingInterval: CONNECTIONS_CHECK_INTERVAL_MS },
    app.handle,
  );

  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      reject(new Error(`cannot listen on ${host}:${options.port}: ${err.code === "EADDRINUSE" ? "address already in use" : err.message}`, { cause: err }));
    };
    server.once("error", onError);
    server.listen(options.port, host, () => {
      server.off("error", onError);
      resolve();
    });
  });
  server.on("error", (err) => logger.error("server error", { error: err.message }));

  const port = (server.address() as AddressInfo).port;
  const urlHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  const url = `http://${urlHost}:${port}`;

  let endDrain: (() => void) | undefined;
  let shuttingDown: Promise<void> | undefined;

  const closeServer = (): Promise<void> =>
    closeWithoutResets(server, {
      handle: app.handle,
      quietMs: LISTENER_QUIET_MS,
      maxHoldMs: MAX_LISTENER_HOLD_MS,
      forceCloseAfterMs,
      onListenerClosed: () => logger.info("closing: no new connections; waiting for in-flight requests"),
      onForceClose: () => logger.warn("requests still running after the close grace period; cutting their connections"),
    });

  const shutdown = (reason = "shutdown requested"): Promise<void> => {
    shuttingDown ??= (async () => {
      app.startDraining();
      // Every answer from now on ends its connection: a keep-alive connection left idle when the
      // server closes could be carrying a request at that moment, which would be reset.
      app.startClosing();
      logger.info("draining: /status now answers 503", { reason, drainSeconds: drainMs / 1000 });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, drainMs);
        endDrain = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      await closeServer();
      await store.close().catch((err: unknown) => logger.warn("closing the store failed", { error: (err as Error).message }));
      logger.info("stopped");
    })();
    return shuttingDown;
  };

  return {
    server,
    port,
    url,
    shutdown,
    skipDrain: () => endDrain?.(),
  };
}
