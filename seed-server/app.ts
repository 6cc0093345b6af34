/**
 * The seed server's HTTP behaviour (polka routes), without listening: server.ts owns the socket,
 * tests mount the handler on a throwaway server.
 *
 *   GET|HEAD /        200, the seed as bare decimal digits, text/plain
 *   POST /            {"num": <integer>} sets the seed; 200 with the new value
 *   GET|HEAD /status  200 "OK" while healthy; 503 while draining or when the store is unreachable
 *
 * Every response carries `X-Served-By: <instance id>` so load distribution and stickiness can be
 * seen through a load balancer.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import polka from "polka";
import { silentLogger, type Logger } from "./logger.js";
import { checkJsonContentType, HttpError, MAX_BODY_BYTES, readBodyText } from "./request-body.js";
import { parseSeedBody } from "./seed-value.js";
import { StoreUnavailableError, type SeedStore } from "./stores/seed-store.js";

/** Options of createSeedApp. */
export interface SeedAppOptions {
  /** Where the seed lives. */
  readonly store: SeedStore;
  /** Sent as `X-Served-By` on every response. */
  readonly instanceId: string;
  /** Request lines and errors go here. @default nothing is logged */
  readonly logger?: Logger;
  /** Largest POST body in bytes; larger ones get 413. @default 8192 (MAX_BODY_BYTES) */
  readonly maxBodyBytes?: number;
}

/** The app: a request handler plus the health switch the server flips on shutdown. */
export interface SeedApp {
  /** Handle one request (for `http.createServer(app.handle)`). */
  readonly handle: (req: IncomingMessage, res: ServerResponse) => void;
  /** From now on `/status` answers 503 "draining"; everything else keeps working. */
  startDraining(): void;
  /** True after startDraining. */
  readonly draining: boolean;
  /**
   * From now on every response carries `Connection: close`, including those of requests already in
   * flight, so their connections end instead of idling until the keep-alive timeout (server.ts
   * calls this when the drain begins: a client never sends on a connection after such an answer,
   * so closing the server later cannot cut a request on it).
   */
  startClosing(): void;
}

/** Header naming the instance that served a response. */
export const SERVED_BY_HEADER = "X-Served-By";

const TEXT = "text/plain; charset=utf-8";

/** The methods each known path answers: the `Allow` header of a 405, and its message. */
const ALLOWED_METHODS: Readonly<Record<string, { readonly allow: string; readonly message: string }>> = {
  "/": { allow: "GET, HEAD, POST", message: "method not allowed on /; use GET, HEAD or POST\n" },
  "/status": { allow: "GET, HEAD", message: "method not allowed on /status; use GET or HEAD\n" },
};

/** Build the app. */
export function createSeedApp(options: SeedAppOptions): SeedApp {
  const { store, instanceId } = options;
  const logger = options.logger ?? silentLogger;
  const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
  let draining = false;
  let closing = false;

  const send = (res: ServerResponse, status: number, body: string, headers?: Readonly<Record<string, string>>): void => {
    if (res.headersSent || res.destroyed) return;
    // One writeHead with every header: measurably cheaper than a setHeader per header.
    const head: Record<string, string | number> = {
      [SERVED_BY_HEADER]: instanceId,
      "Content-Type": TEXT,
      "Content-Length": Buffer.byteLength(body),
      // The seed changes; no proxy or browser may answer from a cache.
      "Cache-Control": "no-store",
    };
    if (headers !== undefined) Object.assign(head, headers);
    if (closing) head.Connection = "close";
    res.writeHead(status, head);
    res.end(body);
  };

  const sendError = (res: ServerResponse, err: unknown): void => {
    if (err instanceof HttpError) {
      send(res, err.status, `${err.message}\n`, err.headers);
    } else if (err instanceof StoreUnavailableError) {
      logger.warn("store unavailable", { error: err.message });
      send(res, 503, `${err.message}\n`, { "Retry-After": "5" });
    } else {
      logger.error("unexpected error", { error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      send(res, 500, "internal error\n");
    }
  };

  const router = polka({
    onError: (err, _req, res) => sendError(res, err),
    // Wrong methods on known paths are answered here rather than by catch-all `router.all` routes:
    // polka matches every route against every request, and this keeps GET / to a single match.
    onNoMatch: (req, res) => {
      const allowed = ALLOWED_METHODS[req.path];
      if (allowed !== undefined) send(res, 405, allowed.message, { Allow: allowed.allow });
      else send(res, 404, `not found: ${req.method} ${req.path.slice(0, 200)}; the seed server serves / and /status\n`);
    },
  });

  router.get("/", (_req, res) => {
    const seed = store.get();
    // Answer in the same tick when the store can (memory); a promise goes back to polka, which
    // routes a rejection to onError.
    if (typeof seed === "string") send(res, 200, seed);
    else return seed.then((value) => send(res, 200, value));
    return undefined;
  });

  router.post("/", async (req, res) => {
    checkJsonContentType(req.headers["content-type"]);
    const parsed = parseSeedBody(await readBodyText(req, maxBodyBytes));
    if (!parsed.ok) throw new HttpError(400, parsed.message);
    const stored = store.set(parsed.seed);
    send(res, 200, typeof stored === "string" ? stored : await stored);
  });

  router.get("/status", async (_req, res) => {
    if (draining) {
      send(res, 503, "draining\n");
      return;
    }
    await store.check();
    send(res, 200, "OK");
  });


  // polka's own `attach` defers every request by a setImmediate; calling its handler directly
  // saves that hop. Request log lines are hooked here, once, only when they are wanted.
  const route = router.handler as unknown as (req: IncomingMessage, res: ServerResponse) => void;
  const handle = !logger.logsRequests
    ? route
    : (req: IncomingMessage, res: ServerResponse): void => {
        const start = performance.now();
        res.once("finish", () => {
          logger.request({
            method: req.method ?? "",
            path: (req as { path?: string }).path ?? req.url ?? "",
            status: res.statusCode,
            ms: Math.round((performance.now() - start) * 100) / 100,
            servedBy: instanceId,
          });
        });
        route(req, res);
      };

  return {
    handle,
    startDraining: () => {
      draining = true;
    },
    get draining() {
      return draining;
    },
    startClosing: () => {
      closing = true;
    },
  };
}
