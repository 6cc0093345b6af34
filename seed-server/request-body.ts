/**
 * Reading a POST body safely: the content type must be JSON, the size is capped (a seed never needs
 * more than a few KiB, and an unbounded read is a memory attack), and the bytes must be UTF-8.
 */
import type { IncomingMessage } from "node:http";

/** Throws on invalid UTF-8. Safe to share: decode() without `stream` keeps no state between calls. */
const UTF8 = new TextDecoder("utf-8", { fatal: true });

/** Largest POST body accepted, in bytes. */
export const MAX_BODY_BYTES = 8 * 1024;

/** A request problem with the HTTP status to answer and a message for the client. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = "HttpError";
  }
}

/**
 * Throws HttpError 415 unless the Content-Type is JSON: `application/json` or a `+json` type,
 * optionally with `charset=utf-8` (JSON is UTF-8 by definition, RFC 8259).
 */
export function checkJsonContentType(header: string | undefined): void {
  if (header === "application/json") return; // the common case, without parsing
  const expected = "Content-Type must be application/json";
  if (header === undefined || header.trim() === "") throw new HttpError(415, `${expected}; got none`);
  const [mediaType = "", ...params] = header.split(";").map((part) => part.trim().toLowerCase());
  if (mediaType !== "application/json" && !/^application\/[a-z0-9.!#$&^_-]+\+json$/.test(mediaType)) {
    throw new HttpError(415, `${expected}; got ${abbreviate(header)}`);
  }
  for (const param of params) {
    const [name, value = ""] = param.split("=").map((s) => s.trim());
    if (name === "charset" && value.replace(/"/g, "") !== "utf-8" && value.replace(/"/g, "") !== "utf8") {
      throw new HttpError(415, `JSON must be UTF-8; got charset=${abbreviate(value)}`);
    }
  }
}

/**
 * The request body as text. Throws HttpError 413 when it is larger than `limit` bytes (by its
 * Content-Length, or while reading a chunked body) and 400 when it is not valid UTF-8.
 * On 413 the response asks the client to close the connection, since the rest of the body is not read.
 */
export async function readBodyText(req: IncomingMessage, limit: number = MAX_BODY_BYTES): Promise<string> {
  const tooLarge = () => new HttpError(413, `request body is larger than the ${limit}-byte limit`, { Connection: "close" });
  const declared = req.headers["content-length"];
  if (declared !== undefined && Number(declared) > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  // Events rather than `for await`: leaving an async iterator early destroys the request, and with
  // it the socket, so the 413 could never be sent.
  await new Promise<void>((resolve, reject) => {
    const cleanup = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("close", onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.pause(); // stop reading; the response closes the connection
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve();
    };
    const onError = (err: Error) => {
      cleanup();
      reject(new HttpError(400, `request body could not be read: ${err.message}`));
    };
    const onClose = () => {
      cleanup();
      reject(new HttpError(400, "client closed the connection before sending the whole body"));
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("close", onClose);
  });
  try {
    return UTF8.decode(Buffer.concat(chunks, size));
  } catch {
    throw new HttpError(400, "request body is not valid UTF-8");
  }
}

function abbreviate(text: string): string {
  return JSON.stringify(text.length <= 60 ? text : `${text.slice(0, 57)}...`);
}
