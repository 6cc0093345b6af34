/**
 * Test-only: a zip archive of a few files, stored without compression (method 0), the format of a
 * provider package a registry serves. Stored, because deflating a 700 MB provider binary would
 * cost the test a minute of CPU for nothing: terraform reads both methods alike. Unix modes are
 * kept (the provider binary must stay executable when terraform unpacks it).
 */
import { closeSync, openSync, readSync, statSync, writeSync } from "node:fs";
import { createHash } from "node:crypto";
import { crc32 } from "node:zlib";

/** A file to put in the archive. */
export interface ZipEntry {
  /** The name inside the archive. */
  readonly name: string;
  /** Where its content is on disk. */
  readonly path: string;
}

const CHUNK = 8 * 1024 * 1024;
/** MS-DOS date and time fields for 1980-01-01 00:00 (the archive's entries carry no real time). */
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

function eachChunk(path: string, visit: (chunk: Buffer) => void): void {
  const fd = openSync(path, "r");
  try {
    const buffer = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      const n = readSync(fd, buffer, 0, CHUNK, null);
      if (n === 0) break;
      visit(buffer.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
}

/** Write the archive to `outfile`; resolves to its SHA-256 (hex). Files must be under 4 GiB (no zip64). */
export function writeStoredZip(outfile: string, entries: readonly ZipEntry[]): string {
  const sha = createHash("sha256");
  const fd = openSync(outfile, "w");
  let offset = 0;
  const write = (data: Buffer) => {
    writeSync(fd, data);
    sha.update(data);
    offset += data.length;
  };
  const central: Buffer[] = [];
  try {
    for (const entry of entries) {
      const stat = statSync(entry.path);
      if (stat.size >= 0xffffffff) throw new Error(`writeStoredZip: ${entry.path} is 4 GiB or more; zip64 is not supported`);
      let crc = 0;
      eachChunk(entry.path, (chunk) => {
        crc = crc32(chunk, crc);
      });
      const name = Buffer.from(entry.name, "utf8");
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(20, 4); // version needed: 2.0
      local.writeUInt16LE(0x0800, 6); // UTF-8 names
      local.writeUInt16LE(0, 8); // stored
      local.writeUInt16LE(DOS_TIME, 10);
      local.writeUInt16LE(DOS_DATE, 12);
      local.writeUInt32LE(crc >>> 0, 14);
      local.writeUInt32LE(stat.size, 18);
      local.writeUInt32LE(stat.size, 22);
      local.writeUInt16LE(name.length, 26);
      local.writeUInt16LE(0, 28);
      const localOffset = offset;
      write(Buffer.concat([local, name]));
      eachChunk(entry.path, write);
      const header = Buffer.alloc(46);
      header.writeUInt32LE(0x02014b50, 0);
      header.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, 2.0 (so the external attributes are a Unix mode)
      header.writeUInt16LE(20, 6);
      header.writeUInt16LE(0x0800, 8);
      header.writeUInt16LE(0, 10);
      header.writeUInt16LE(DOS_TIME, 12);
      header.writeUInt16LE(DOS_DATE, 14);
      header.writeUInt32LE(crc >>> 0, 16);
      header.writeUInt32LE(stat.size, 20);
      header.writeUInt32LE(stat.size, 24);
      header.writeUInt16LE(name.length, 28);
      header.writeUInt32LE(((0o100000 | (stat.mode & 0o777)) << 16) >>> 0, 38);
      header.writeUInt32LE(localOffset, 42);
      central.push(Buffer.concat([header, name]));
    }
    const centralOffset = offset;
    const directory = Buffer.concat(central);
    write(directory);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(entries.length, 8);
    end.writeUInt16LE(entries.length, 10);
    end.writeUInt32LE(directory.length, 12);
    end.writeUInt32LE(centralOffset, 16);
    write(end);
  } finally {
    closeSync(fd);
  }
  return sha.digest("hex");
}
