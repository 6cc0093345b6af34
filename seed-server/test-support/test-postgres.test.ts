/**
 * The test PostgreSQL starts wherever the checkout lives, and a failure to start is a clear,
 * catchable error (a test failure), never a crash of the runner and never a leftover directory.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import pg from "pg";
import { spawn, spawnSync } from "node:child_process";
import { connect } from "node:net";
import { fileURLToPath } from "node:url";
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { bundledPostgresInstall, postgresInstallAt, type PostgresInstall } from "../../local-postgres/install.js";
import { cannotExecute, postgresRunAs } from "../../local-postgres/run-as.js";
import { startTestPostgres } from "./test-postgres.js";

/** Copy a directory tree, as hard links when the file system allows. */
function copyTree(from: string, to: string): void {
  if (spawnSync("cp", ["-a", "-l", from, to]).status !== 0) cpSync(from, to, { recursive: true, verbatimSymlinks: true });
}

/** The error a start from `install` fails with; throws if it starts. */
async function startFailure(install: PostgresInstall): Promise<Error> {
  try {
    const db = await startTestPostgres({ install });
    await db.destroy();
  } catch (err) {
    return err as Error;
  }
  throw new Error(`a test PostgreSQL from ${install.dir} started; it should have failed`);
}

/** Run `body` with TMPDIR pointing at a fresh directory, and return what is left in it afterwards. */
async function leftoversOf(body: () => Promise<void>): Promise<string[]> {
  const scratch = mkdtempSync(join(tmpdir(), "seedstack-pg-test-"));
  chmodSync(scratch, 0o755);
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = scratch;
  try {
    await body();
    return readdirSync(scratch);
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
    rmSync(scratch, { recursive: true, force: true });
  }
}

test("starts from binaries under a directory only its owner can enter (a checkout in a mktemp -d folder or in /root)", async () => {
  const privateDir = mkdtempSync(join(tmpdir(), "seedstack-private-"));
  try {
    chmodSync(privateDir, 0o700);
    const install = postgresInstallAt(join(privateDir, "checkout", "native"));
    mkdirSync(join(privateDir, "checkout"));
    copyTree(bundledPostgresInstall().dir, install.dir);
    const runAs = postgresRunAs();
    if (userInfo().uid === 0) {
      // The situation of the bug: as root, PostgreSQL runs as "postgres", which cannot reach these binaries.
      assert.ok(cannotExecute(install, runAs, tmpdir()) !== undefined, "the postgres user can execute binaries under a mode-700 root directory; the test proves nothing");
    }
    const db = await startTestPostgres({ install });
    try {
      const client = new pg.Client(db.connection);
      await client.connect();
      try {
        assert.equal((await client.query("SELECT 6 * 7 AS answer")).rows, [{ answer: 42 }]);
      } finally {
        await client.end();
      }
    } finally {
      await db.destroy();
    }
  } finally {
    rmSync(privateDir, { recursive: true, force: true });
  }
});

test("missing binaries: a rejected start naming the problem, nothing left behind", async () => {
  const left = await leftoversOf(async () => {
    const empty = mkdtempSync(join(tmpdir(), "no-postgres-"));
    try {
      const error = await startFailure(postgresInstallAt(empty));
      assert.is(error.message, `could not start the test PostgreSQL: no PostgreSQL program at ${join(empty, "bin", "postgres")}`);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
  assert.equal(left, []);
});

test("initdb failing: a rejected start with its exit code and output, nothing left behind", async () => {
  const left = await leftoversOf(async () => {
    const fake = mkdtempSync(join(tmpdir(), "broken-postgres-"));
    try {
      chmodSync(fake, 0o755);
      mkdirSync(join(fake, "bin"));
      // A stand-in installation: a postgres that reports its version, an initdb that fails.
      writeFileSync(join(fake, "bin", "postgres"), "#!/bin/sh\necho 'postgres (PostgreSQL) 18.0'\n", { mode: 0o755 });
      writeFileSync(join(fake, "bin", "initdb"), "#!/bin/sh\necho 'initdb: error: directory is on fire' >&2\nexit 1\n", { mode: 0o755 });
      const error = await startFailure(postgresInstallAt(fake));
      assert.match(error.message, /^could not start the test PostgreSQL: .*initdb failed \(exit code 1\)/);
      assert.match(error.message, /--- PostgreSQL output ---\ninitdb: error: directory is on fire/);
    } finally {
      rmSync(fake, { recursive: true, force: true });
    }
  });
  assert.equal(left, []);
});

/** Whether something accepts TCP connections on 127.0.0.1:port. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

test("Ctrl-C (SIGINT) to a test process stops its PostgreSQL and removes its directory", async () => {
  const helper = fileURLToPath(new URL("./test-postgres.js", import.meta.url)).replace(/\.js$/, ".ts");
  let port = 0;
  const left = await leftoversOf(async () => {
    const script = `import { startTestPostgres } from ${JSON.stringify(helper)}; const db = await startTestPostgres(); process.stdout.write(db.port + "\\n"); setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { env: { ...process.env }, stdio: ["ignore", "pipe", "pipe"] });
    try {
      let stdout = "";
      let stderr = "";
      child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once("exit", (_code, signal) => resolve(signal)));
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the test process did not report a started PostgreSQL within 120 s; stderr: ${stderr}`)), 120_000);
        child.stdout.on("data", (c: Buffer) => {
          stdout += c.toString();
          if (/^\d+\n/.test(stdout)) {
            clearTimeout(timer);
            resolve();
          }
        });
        void exited.then(() => reject(new Error(`the test process exited before starting PostgreSQL; stderr: ${stderr}`)));
      });
      port = Number(stdout.trim());
      assert.ok(await accepts(port), "PostgreSQL accepts connections before the signal");
      child.kill("SIGINT");
      const deadline = setTimeout(() => child.kill("SIGKILL"), 30_000);
      assert.is(await exited, "SIGINT", "the test process still ends by the signal");
      clearTimeout(deadline);
    } finally {
      // On a failure above: the same signal first, so the child's own cleanup still runs.
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGINT");
        await new Promise((resolve) => setTimeout(resolve, 5_000).unref());
        child.kill("SIGKILL");
      }
    }
  });
  // tsx-<uid> is the child's TypeScript compile cache (tsx's, kept on purpose), not ours.
  assert.equal(left.filter((name) => !name.startsWith("tsx-")), [], "the test PostgreSQL's directory is removed");
  // The server was killed synchronously at exit; give the kernel a moment to release the port.
  const until = Date.now() + 10_000;
  while (await accepts(port)) {
    if (Date.now() > until) assert.unreachable(`PostgreSQL still accepts connections on port ${port} 10 s after its test process ended`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
});

test.run();
