/**
 * SHA-256 of a file read in chunks: provider packages are hundreds of megabytes, more than a test
 * should hold in memory at once to hash.
 */
import { createHash } from "node:crypto";
import { closeSync, openSync, readSync } from "node:fs";

const CHUNK = 8 * 1024 * 1024;

/** The SHA-256 of the file at `path`, as lowercase hex (the form registries and SHA256SUMS use). */
export function fileSha256(path: string): string {
  const hash = createHash("sha256");
  const fd = openSync(path, "r");
  try {
    const buffer = Buffer.allocUnsafe(CHUNK);
    for (let n; (n = readSync(fd, buffer, 0, buffer.length, null)) > 0; ) hash.update(buffer.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest("hex");
}
