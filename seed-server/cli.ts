/**
 * The seed-server command: configuration -> store -> app -> listening server -> signals.
 * main.ts runs it; tests run main.ts (or the bundle built from it) as a real process.
 *
 * Exit codes: 0 after a graceful shutdown (or --help), 1 when the server cannot start (port in
 * use, say), 2 for invalid configuration.
 */
import { createSeedApp } from "./app.js";
import { ConfigError, loadConfig, type SeedServerConfig } from "./config.js";
import { createLogger, type Logger } from "./logger.js";
import { startSeedServer, type RunningSeedServer } from "./server.js";
import { MemoryStore } from "./stores/memory-store.js";
import { PostgresStore } from "./stores/postgres-store.js";
import type { SeedStore } from "./stores/seed-store.js";

/** Exit status for invalid configuration (the convention for usage errors). */
export const EXIT_USAGE = 2;
/** Exit status when the server cannot start. */
export const EXIT_START_FAILED = 1;

/**
 * Run the server until SIGTERM/SIGINT and its graceful shutdown; resolves to the exit status.
 * A second signal skips the rest of the drain period; a third exits at once with status 1.
 */
export async function runSeedServerCli(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let config: SeedServerConfig;
  try {
    const result = loadConfig(argv, env);
    if (result.kind === "help") {
      process.stdout.write(result.text);
      return 0;
    }
    config = result.config;
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`seed-server: ${err.message}\n`);
      return EXIT_USAGE;
    }
    throw err;
  }

  const logger = createLogger({ level: config.logLevel, quiet: config.quiet });
  const store = createStore(config, logger);
  const app = createSeedApp({ store, instanceId: config.instanceId, logger });

  // Signal handlers go in before the server listens (and before the "listening" line, which a
  // supervisor may act on at once): a signal arriving without a handler kills the process outright.
  let running: RunningSeedServer | undefined;
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals === 1) {
      logger.info(`received ${signal}`);
      void running?.shutdown(`received ${signal}`);
    } else if (signals === 2) {
      logger.warn(`received ${signal} again: skipping the rest of the drain period`);
      running?.skipDrain();
    } else {
      logger.error(`received ${signal} a third time: exiting without waiting`);
      process.exit(1);
    }
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
  try {
    try {
      running = await startSeedServer({ app, store, port: config.port, host: config.host, drainSeconds: config.drainSeconds, logger });
    } catch (err) {
      logger.error((err as Error).message);
      await store.close().catch(() => undefined);
      return EXIT_START_FAILED;
    }
    logger.info("listening", { url: running.url, port: running.port, host: config.host, store: store.kind, instanceId: config.instanceId, drainSeconds: config.drainSeconds });
    if (signals > 0) void running.shutdown("signal received while starting");
    if (signals > 1) running.skipDrain();
    const server = running.server;
    await new Promise<void>((resolve) => server.once("close", resolve));
    await running.shutdown(); // already under way; wait for the store to close too
    return 0;
  } finally {
    process.off("SIGTERM", onSignal);
    process.off("SIGINT", onSignal);
  }
}

function createStore(config: SeedServerConfig, logger: Logger): SeedStore {
  if (config.store === "postgres") {
    return new PostgresStore({ connection: config.postgres ?? {}, logger });
  }
  return new MemoryStore();
}
