/**
 * Who a local PostgreSQL (tests, the local engine) runs as, and binaries that user can execute.
 *
 * PostgreSQL refuses to run as root. As root (CI containers, this project's dev machines) it runs as
 * the system user `postgres`, created when missing. That user must be able to execute the binaries,
 * which live in node_modules under the checkout, and a checkout often sits under a directory only
 * root can enter (root's home, a `mktemp -d` folder, mode 700): executing them as `postgres` then
 * fails with EACCES. In that case the installation is hard-linked (or, across file systems,
 * copied) into the test's own temp directory, which that user can enter.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { cp } from "node:fs/promises";
import { userInfo } from "node:os";
import { join } from "node:path";
import { postgresInstallAt, type PostgresInstall } from "./install.js";

/** A uid and gid to run a child process as. */
export interface RunAs {
  readonly uid: number;
  readonly gid: number;
}

/** Undefined when not root (PostgreSQL runs as the current user); as root, the `postgres` user, created when missing. */
export function postgresRunAs(): RunAs | undefined {
  if (userInfo().uid !== 0) return undefined;
  const existing = lookUpUser("postgres");
  if (existing !== undefined) return existing;
  for (const [command, args] of [
    ["groupadd", ["--system", "postgres"]],
    ["useradd", ["--system", "--gid", "postgres", "--no-create-home", "--shell", "/usr/sbin/nologin", "postgres"]],
  ] as const) {
    const result = spawnSync(command, args, { encoding: "utf8" });
    if (result.error !== undefined || (result.status !== 0 && !/already exists/.test(result.stderr))) {
      throw new Error(`PostgreSQL cannot run as root, and creating the system user "postgres" failed: ${command} ${args.join(" ")}: ${result.error?.message ?? result.stderr.trim()}`);
    }
  }
  const created = lookUpUser("postgres");
  if (created === undefined) throw new Error('PostgreSQL cannot run as root, and the system user "postgres" is still missing after useradd');
  return created;
}

function lookUpUser(name: string): RunAs | undefined {
  const uid = spawnSync("id", ["-u", name], { encoding: "utf8" });
  const gid = spawnSync("id", ["-g", name], { encoding: "utf8" });
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** Why `runAs` cannot execute the installation's postgres, or undefined when it can. */
export function cannotExecute(install: PostgresInstall, runAs: RunAs | undefined, cwd: string): string | undefined {
  const result = spawnSync(install.postgres, ["--version"], { ...runAs, cwd, encoding: "utf8", timeout: 60_000 });
  if (result.error !== undefined) return result.error.message;
  if (result.status !== 0) return `exit status ${result.status}: ${result.stderr.trim()}`;
  return undefined;
}

/**
 * An installation `runAs` can execute: `install` itself when it can, else a hard-linked (or
 * copied) tree in `scratchDir`, which that user must be able to enter. Throws naming the problem.
 */
export async function executableInstall(install: PostgresInstall, runAs: RunAs | undefined, scratchDir: string): Promise<PostgresInstall> {
  if (!existsSync(install.postgres)) throw new Error(`no PostgreSQL program at ${install.postgres}`);
  const problem = cannotExecute(install, runAs, scratchDir);
  if (problem === undefined) return install;
  const who = runAs === undefined ? "the current user" : `the user "postgres" (uid ${runAs.uid})`;
  if (runAs === undefined) throw new Error(`cannot execute ${install.postgres} as ${who}: ${problem}`);

  const copyDir = join(scratchDir, "postgres-install");
  const linked = spawnSync("cp", ["-a", "-l", install.dir, copyDir], { encoding: "utf8" });
  if (linked.status !== 0) await cp(install.dir, copyDir, { recursive: true, verbatimSymlinks: true, force: true });
  const copy = postgresInstallAt(copyDir);
  const stillProblem = cannotExecute(copy, runAs, scratchDir);
  if (stillProblem !== undefined) {
    throw new Error(`cannot execute ${install.postgres} as ${who} (${problem}), nor a copy in ${copyDir} (${stillProblem}); is the temp directory ${scratchDir} reachable for that user? Set TMPDIR to one that is`);
  }
  return copy;
}
