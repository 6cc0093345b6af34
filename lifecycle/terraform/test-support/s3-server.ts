/**
 * A REAL S3-protocol server on loopback for the tests: s3rver (npm), which stores objects in a
 * directory and answers S3's REST API (ListObjectsV2, GetObject, PutObject, DeleteObject, HEAD),
 * so terraform's real S3 backend and the AWS SDK talk to it as to S3 (AWS_ENDPOINT_URL_S3, path-style).
 *
 * What s3rver does NOT do (found by trying, see docs/terraform-engine.md): it ignores
 * `If-None-Match: *` on PutObject, the conditional write terraform's S3 lock file (`use_lockfile`)
 * relies on, so two terraforms both "get" the lock. STAND-IN: `conditionalWrites` adds that one
 * behaviour in front of s3rver as S3 documents it (412 PreconditionFailed when the key exists),
 * so the lock tests see real contention; with it off, s3rver answers as it is.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The parts of s3rver (a Koa app) used here; it ships no types. */
interface S3rverApp {
  middleware: Array<(ctx: KoaContext, next: () => Promise<void>) => Promise<void>>;
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}
interface KoaContext {
  method: string;
  path: string;
  query: Record<string, string | undefined>;
  req: { socket: { resetAndDestroy(): void } };
  respond: boolean;
  headers: Record<string, string | undefined>;
  status: number;
  body: unknown;
  set(name: string, value: string): void;
  store: { existsObject(bucket: string, key: string): Promise<boolean> };
}

/** One running server. */
export interface S3Server {
  /** `http://127.0.0.1:<port>`: AWS_ENDPOINT_URL_S3. */
  readonly endpoint: string;
  readonly bucket: string;
  /** Where s3rver keeps the objects (`<dir>/<bucket>/<key>._S3rver_object`). */
  readonly directory: string;
  /** Answer `If-None-Match: *` on PutObject as S3 does (the STAND-IN above). Default on. */
  conditionalWrites: boolean;
  /**
   * FAULT INJECTION: reset the TCP connection of the next `count` requests `matching` accepts (what
   * a network blip does), so terraform and the SDK print their real errors for it.
   */
  resetNext(count: number, matching: (request: { method: string; path: string; query: Readonly<Record<string, string | undefined>> }) => boolean): void;
  /** Environment for terraform and the SDK: endpoint and dummy credentials (s3rver checks no signatures' keys). */
  readonly env: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

const PRECONDITION_FAILED = [
  '<?xml version="1.0" encoding="UTF-8"?>',
  "<Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message><Condition>If-None-Match</Condition></Error>",
].join("");

/** Start s3rver on a free loopback port with one bucket, in a temp directory removed by `close`. */
export async function startS3Server(bucket = "seedstack-state"): Promise<S3Server> {
  const S3rver = createRequire(import.meta.url)("s3rver") as new (options: object) => S3rverApp;
  const directory = mkdtempSync(join(tmpdir(), "seedstack-s3rver-"));
  const app = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
  const server: { conditionalWrites: boolean } = { conditionalWrites: true };
  let queue: Promise<unknown> = Promise.resolve();
  let resets: { count: number; matching: Parameters<S3Server["resetNext"]>[1] } | undefined;

  app.middleware.unshift(async (ctx, next) => {
    if (resets && resets.count > 0 && resets.matching({ method: ctx.method, path: ctx.path, query: ctx.query })) {
      resets.count--;
      ctx.respond = false;
      ctx.req.socket.resetAndDestroy();
      return;
    }
    await next();
  });

  // Koa composes `middleware` when it starts listening: these run before s3rver's own routes.
  app.middleware.splice(1, 0, async (ctx, next) => {
    const conditional = ctx.method === "PUT" && ctx.headers["if-none-match"] === "*" && ctx.headers["x-amz-copy-source"] === undefined;
    if (!server.conditionalWrites || !conditional) return next();
    // One conditional PUT at a time, so check-then-write is atomic as S3 makes it.
    const turn = queue.then(async () => {
      const [, b, ...key] = ctx.path.split("/");
      if (b && key.length > 0 && (await ctx.store.existsObject(decodeURIComponent(b), decodeURIComponent(key.join("/"))))) {
        ctx.status = 412;
        ctx.set("Content-Type", "application/xml");
        ctx.body = PRECONDITION_FAILED;
        return;
      }
      await next();
    });
    queue = turn.catch(() => undefined);
    await turn;
  });

  const { port } = await app.run();
  const endpoint = `http://127.0.0.1:${port}`;
  return Object.assign(server, {
    endpoint,
    bucket,
    directory,
    resetNext(count: number, matching: Parameters<S3Server["resetNext"]>[1]) {
      resets = { count, matching };
    },
    env: { AWS_ENDPOINT_URL_S3: endpoint, AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: "S3RVER", AWS_REGION: "us-east-1" },
    async close() {
      await app.close();
      rmSync(directory, { recursive: true, force: true });
    },
  });
}

/**
 * The S3 backend block of a FIXTURE stack, pointed at `server` (path-style; no STS, no EC2
 * metadata, no region check: nothing of AWS but S3 is there), locked by the S3 lock file as our
 * stacks are (stacks/backend.ts).
 */
export function s3Backend(server: S3Server, key: string): object {
  return {
    s3: {
      bucket: server.bucket,
      key,
      region: "us-east-1",
      encrypt: true,
      use_lockfile: true,
      use_path_style: true,
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
      skip_metadata_api_check: true,
      skip_region_validation: true,
    },
  };
}
