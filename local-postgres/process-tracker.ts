/**
 * Where the local engine tells what it starts, as it starts it: the running record
 * (running-record.ts) writes each process group and folder down at once, so a later
 * `seedstack down` can reap what a killed run left. Processes are process-group leaders (the
 * engine starts every child `detached`), so one `kill(-pid)` reaches the whole group.
 */

/** Receives what the engine starts; each call returns the function that forgets it again. */
export interface ProcessTracker {
  /** A process group we lead (seed server, PostgreSQL's supervisor), with what it is and where it listens. */
  process(pid: number, role: string, address?: string): () => void;
  /** A folder we created (a cluster, the password file's folder). */
  folder(dir: string): () => void;
}

/** Records nothing (tests that run environments in-process, the Action). */
export const NO_TRACKING: ProcessTracker = { process: () => () => undefined, folder: () => () => undefined };
