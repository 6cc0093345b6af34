/**
 * One JSON object per line on stdout: easy to read in a terminal, and CloudWatch / journald /
 * any log shipper can parse it without configuration.
 */

/** Log levels, least to most severe. */
export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
/** One of LOG_LEVELS. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Fields of one request log line. */
export interface RequestLogFields {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** Milliseconds from request start to response finish, rounded to 0.01 ms. */
  readonly ms: number;
  readonly servedBy: string;
}

/** Where the server's log lines go. */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** One line per request, at info level; nothing when quiet. */
  request(fields: RequestLogFields): void;
  /** False when request lines are suppressed, so the app can skip timing work. */
  readonly logsRequests: boolean;
}

/** Options of createLogger. */
export interface LoggerOptions {
  /** Lines below this level are dropped. @default info */
  readonly level?: LogLevel;
  /** Drop request lines (other lines still follow `level`). @default request lines are written */
  readonly quiet?: boolean;
  /** Where lines are written. @default process.stdout */
  readonly write?: (line: string) => void;
}

/** A JSON-lines logger. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const threshold = LOG_LEVELS.indexOf(options.level ?? "info");
  const write = options.write ?? ((line: string) => void process.stdout.write(line));
  const emit = (level: LogLevel, msg: string, fields?: Record<string, unknown>): void => {
    if (LOG_LEVELS.indexOf(level) < threshold) return;
    write(JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }) + "\n");
  };
  const logsRequests = !options.quiet && threshold <= LOG_LEVELS.indexOf("info");
  return {
    debug: (msg, fields) => emit("debug", msg, fields),
    info: (msg, fields) => emit("info", msg, fields),
    warn: (msg, fields) => emit("warn", msg, fields),
    error: (msg, fields) => emit("error", msg, fields),
    request: (fields) => {
      if (logsRequests) emit("info", "request", { ...fields });
    },
    logsRequests,
  };
}

/** A logger that drops everything (tests, embedding). */
export const silentLogger: Logger = createLogger({ write: () => undefined, level: "error", quiet: true });
