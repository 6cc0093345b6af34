/**
 * Where environment records live, behind one small interface: today a folder of JSON files
 * (environment-record.ts); a registry backed by the S3 state bucket can implement the same four
 * calls, so a sweeper on a fresh runner finds what other runs left.
 */
import { listRecords, readRecord, removeRecord, writeRecord, type EnvironmentRecord } from "./environment-record.js";

/** The environment records of one place. */
export interface RecordRegistry {
  /** Every readable record, and a problem for each one that is not. */
  list(): Promise<{ readonly records: readonly EnvironmentRecord[]; readonly problems: readonly string[] }>;
  /** The record of `name`, or undefined when there is none. */
  read(name: string): Promise<EnvironmentRecord | undefined>;
  /** Write (or replace) `record`; resolves to where it was written. */
  write(record: EnvironmentRecord): Promise<string>;
  /** Remove the record of `name` (no error when there is none). */
  remove(name: string): Promise<void>;
}

/** The registry of a record folder (`<state dir>/environments`). */
export function folderRegistry(recordDir: string): RecordRegistry {
  return {
    list: async () => listRecords(recordDir),
    read: async (name) => readRecord(recordDir, name),
    write: async (record) => writeRecord(recordDir, record),
    remove: async (name) => removeRecord(recordDir, name),
  };
}
