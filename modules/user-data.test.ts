/**
 * Tests of the web servers' boot script. Besides `bash -n` and content checks, one test runs the
 * whole script in a sandbox: its absolute paths are moved under a temp dir and the commands that
 * need AWS or root (curl to IMDS, dnf, aws, useradd, systemctl) are replaced by small stand-in
 * scripts on PATH that answer like the real ones. The real seed-server bundle is then started with
 * the unit's ExecStart and environment file, and must answer /status on the configured port.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { postgresConnectionFromEnv, postgresPoolConfig } from "../seed-server/stores/postgres-connection.js";
import { renderUserData, SECRET_TO_PASSWORD_PROGRAM, SERVER_PATHS, type UserDataOptions } from "./user-data.js";
import { fixtureArtifact } from "../test/compute-fixtures.js";
import { readSeedServerBundle } from "../seed-server/bundle-path.js";
import { testTempDir } from "../test/temp-dirs.js";

const database = {
  host: "seed-db.abc123.us-east-1.rds.amazonaws.com",
  port: 5432,
  databaseName: "seed",
  username: "seedadmin",
  secretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1234-AbCdEf",
};
const base: UserDataOptions = { artifact: fixtureArtifact, port: 8080, drainSeconds: 15, logLevel: "info" };

function bashSyntaxCheck(script: string): { ok: boolean; stderr: string } {
  const result = spawnSync("bash", ["-n"], { input: script, encoding: "utf8" });
  return { ok: result.status === 0, stderr: result.stderr };
}

/** The body of the heredoc that writes `path` (lines between `cat > path <<EOF` and `EOF`). */
function heredoc(script: string, path: string): string[] {
  const lines = script.split("\n");
  const start = lines.findIndex((l) => l.startsWith(`cat > ${path} <<`));
  assert.ok(start >= 0, `script writes ${path}`);
  const end = lines.indexOf("EOF", start + 1);
  return lines.slice(start + 1, end);
}

test("bash -n accepts the script, with and without a database; and rejects a broken one", () => {
  for (const options of [base, { ...base, database }, { ...base, port: 80 }]) {
    const check = bashSyntaxCheck(renderUserData(options));
    assert.ok(check.ok, check.stderr);
  }
  assert.not.ok(bashSyntaxCheck(renderUserData(base) + "\nif then fi\n").ok, "the check itself can fail");
});

test("the environment file carries PORT = the construct's port, and the memory store without a database", () => {
  for (const port of [8080, 3000, 443]) {
    const env = heredoc(renderUserData({ ...base, port }), SERVER_PATHS.environmentFile);
    assert.ok(env.includes("PORT=$PORT"));
    assert.ok(renderUserData({ ...base, port }).includes(`\nPORT='${port}'\n`));
    assert.ok(env.includes("SEED_STORE=memory"));
    assert.ok(env.includes("SEED_INSTANCE_ID=$INSTANCE_ID"));
    assert.ok(env.includes("DRAIN_SECONDS=$DRAIN_SECONDS"));
    assert.not.ok(env.some((l) => l.startsWith("PG")));
  }
  const script = renderUserData(base);
  assert.not.ok(script.includes("secretsmanager"));
  assert.not.ok(script.includes("ExecStartPre"));
});

test("with a database: postgres store, PG* connection, TLS required, password file from the secret via ExecStartPre and a timer", () => {
  const script = renderUserData({ ...base, database });
  const env = heredoc(script, SERVER_PATHS.environmentFile);
  for (const line of ["SEED_STORE=postgres", "PGHOST=$PGHOST", "PGPORT=$PGPORT", "PGDATABASE=$PGDATABASE", "PGUSER=$PGUSER", "PGSSLMODE=require", `PGPASSWORD_FILE=${SERVER_PATHS.passwordFile}`]) {
    assert.ok(env.includes(line), line);
  }
  assert.not.ok(env.some((l) => l.startsWith("PGPASSWORD=")), "no password in the environment file");
  assert.ok(script.includes(`PGHOST='${database.host}'`));
  assert.ok(script.includes(`DB_SECRET_ARN='${database.secretArn}'`));
  const unit = heredoc(script, SERVER_PATHS.unit);
  assert.ok(unit.includes(`ExecStartPre=+${SERVER_PATHS.credentialsScript}`));
  assert.equal(unit.filter((l) => l.startsWith("EnvironmentFile=")), [`EnvironmentFile=${SERVER_PATHS.environmentFile}`], "only the file the boot script writes");
  // RDS rotates the password: the timer re-fetches it while the server runs.
  assert.equal(heredoc(script, SERVER_PATHS.refreshUnit).filter((l) => l.startsWith("ExecStart=")), [`ExecStart=${SERVER_PATHS.credentialsScript}`]);
  const timer = heredoc(script, SERVER_PATHS.refreshTimer);
  // Every 2 minutes (docs/modules-compute.md): after a rotation new connections fail until then.
  assert.ok(timer.includes("OnUnitActiveSec=2min"), timer.join("\n"));
  assert.match(script, /^systemctl enable --now seed-server-db-credentials\.timer$/m);
  assert.not.match(renderUserData(base), /db-credentials\.timer/, "no timer without a database");
});

test("the unit runs as a dedicated user, restarts always, and never uses Terraform template syntax", () => {
  for (const options of [base, { ...base, database }]) {
    const script = renderUserData(options);
    const unit = heredoc(script, SERVER_PATHS.unit);
    assert.ok(unit.includes("User=seedserver"));
    assert.ok(unit.includes("Restart=always"));
    assert.ok(unit.includes(`ExecStart=$NODE_BIN ${SERVER_PATHS.bundle}`));
    assert.not.ok(script.includes("${"), "no ${ (Terraform interpolation)");
    assert.not.ok(script.includes("%{"), "no %{ (Terraform directive)");
  }
});

test("the bundle's hash is in the script and is checked after download", () => {
  const script = renderUserData(base);
  assert.ok(script.includes(`BUNDLE_SHA256='${fixtureArtifact.contentHash}'`));
  assert.match(script, /sha256sum --check --strict/);
  const other = renderUserData({ ...base, artifact: { ...fixtureArtifact, contentHash: "f".repeat(64) } });
  assert.is.not(other, script, "a new bundle hash changes the user data (which replaces instances)");
});

/** systemd's double-quoted environment-file value: backslash escapes the next character. */
function systemdDoubleQuoted(line: string, name: string): string {
  const prefix = `${name}="`;
  assert.ok(line.startsWith(prefix) && line.endsWith('"'), line);
  const body = line.slice(prefix.length, -1);
  let out = "";
  for (let i = 0; i < body.length; i++) {
    if (body[i] === "\\") i++;
    else assert.not.ok(body[i] === '"' || body[i] === "$" || body[i] === "`", `unescaped ${body[i]} in ${line}`);
    out += body[i];
  }
  return out;
}

test("the secret-to-password program prints the password exactly, then one newline; rejects unusable ones", () => {
  for (const password of ["plain", `q"u'o$te\`back\\slash`, "ends with backslash\\", "$HOME ${x} %{y} #;", " spaces "]) {
    const run = spawnSync(process.execPath, ["-e", SECRET_TO_PASSWORD_PROGRAM], { input: JSON.stringify({ username: "u", password }), encoding: "utf8" });
    assert.is(run.status, 0, run.stderr);
    assert.is(run.stdout, `${password}\n`);
  }
  for (const secret of [{ password: "a\nb" }, { password: "" }, {}, { password: 5 }]) {
    const bad = spawnSync(process.execPath, ["-e", SECRET_TO_PASSWORD_PROGRAM], { input: JSON.stringify(secret), encoding: "utf8" });
    assert.is.not(bad.status, 0, JSON.stringify(secret));
    assert.is(bad.stdout, "");
  }
});

test("validation: values that could break the script are rejected, naming what was given", () => {
  assert.throws(() => renderUserData({ ...base, artifact: { ...fixtureArtifact, objectKey: "a'; rm -rf /" } }), /objectKey.*"a'; rm -rf \/"/);
  assert.throws(() => renderUserData({ ...base, artifact: { ...fixtureArtifact, bucketName: "bucket $(id)" } }), /bucketName.*bucket \$\(id\)/);
  assert.throws(() => renderUserData({ ...base, database: { ...database, host: "db host" } }), /database host.*"db host"/);
  assert.throws(() => renderUserData({ ...base, port: 0 }), /port must be 1-65535; got 0/);
  assert.throws(() => renderUserData({ ...base, drainSeconds: -1 }), /drainSeconds.*got -1/);
  assert.throws(() => renderUserData({ ...base, logLevel: "loud" as never }), /logLevel.*got "loud"/);
  assert.throws(() => renderUserData({ ...base, database: { ...database, port: 70000 } }), /database port.*got 70000/);
});

// ---- the sandboxed run ------------------------------------------------------------------------

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Write an executable stand-in command. */
function stub(bin: string, name: string, body: string): void {
  const path = join(bin, name);
  writeFileSync(path, `#!/bin/bash\n${body}\n`);
  chmodSync(path, 0o755);
}

interface Sandbox {
  readonly root: string;
  readonly log: string;
  readonly path: (p: string) => string;
  readonly status: number | null;
  readonly output: string;
}

/**
 * Run the script with its absolute paths moved under a temp root and AWS/root commands replaced by
 * stand-ins. With `secretUnreadable`, the stand-in `aws secretsmanager get-secret-value` fails the
 * way the AWS CLI does when the secret cannot be read yet (exit 254, the service's error on stderr).
 */
function runInSandbox(options: UserDataOptions, bundle: Buffer, secret: object, secretUnreadable = false): Sandbox {
  const root = testTempDir("userdata-sandbox-");
  const bin = join(root, "bin");
  const log = join(root, "calls.log");
  mkdirSync(bin);
  const moved = ["/opt/seed-server", "/etc/seed-server", "/etc/systemd/system", "/usr/local/libexec", "/var/log"];
  moved.forEach((dir) => mkdirSync(join(root, dir), { recursive: true }));
  const path = (p: string) => join(root, p);
  let script = renderUserData(options);
  for (const dir of moved) script = script.split(`${dir}/`).join(`${path(dir)}/`);
  writeFileSync(join(root, "bundle.mjs"), bundle);
  writeFileSync(join(root, "secret.json"), JSON.stringify(secret));

  stub(bin, "curl", `echo "curl $*" >> ${log}
case "$*" in
  *api/token*) echo -n token-123 ;;
  *placement/region*) echo -n us-east-1 ;;
  *instance-id*) echo -n i-0123456789abcdef0 ;;
  *) exit 22 ;;
esac`);
  stub(bin, "dnf", `echo "dnf $*" >> ${log}`);
  stub(bin, "id", `exit 1`);
  stub(bin, "useradd", `echo "useradd $*" >> ${log}`);
  stub(bin, "chgrp", `echo "chgrp $*" >> ${log}`);
  // Stand-in for systemctl: `start` (and `enable --now`) of a unit with ExecStartPre=+<script> runs
  // that script first, as systemd does, and fails the way systemctl does when it fails.
  stub(bin, "systemctl", `echo "systemctl $*" >> ${log}
if [ "$1" = start ] || { [ "$1" = enable ] && [ "$2" = --now ]; }; then
  unit="$\{@: -1}"
  pre=$(sed -n 's/^ExecStartPre=+//p' "${path("/etc/systemd/system")}/$unit")
  if [ -n "$pre" ] && ! "$pre" >/dev/null 2>&1; then
    echo "Job for $unit failed because the control process exited with error code." >&2
    echo "systemctl: $unit failed" >> ${log}
    exit 1
  fi
fi`.replace("$\\{", "${"));
  stub(bin, "aws", `echo "aws $*" >> ${log}
case "$1 $2" in
  "s3 cp") cp ${join(root, "bundle.mjs")} "$\{@: -1}" ;;
  "secretsmanager get-secret-value") ${secretUnreadable
    ? `echo "An error occurred (AccessDeniedException) when calling the GetSecretValue operation: not authorized" >&2; exit 254`
    : `cat ${join(root, "secret.json")}`} ;;
  *) exit 1 ;;
esac`.replace("$\\{", "${"));
  // node-22 is what AL2023's nodejs22 package installs.
  stub(bin, "node-22", `exec ${process.execPath} "$@"`);
  const scriptPath = join(root, "user-data.sh");
  writeFileSync(scriptPath, script);
  const run = spawnSync("bash", [scriptPath], { encoding: "utf8", env: { PATH: `${bin}:${process.env.PATH}`, HOME: root } });
  return { root, log, path, status: run.status, output: run.stdout + run.stderr };
}

/** Parse a systemd unit's [Service] lines into key -> values. */
function unitSettings(unitText: string): Map<string, string[]> {
  const settings = new Map<string, string[]>();
  for (const line of unitText.split("\n")) {
    const match = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (match) settings.set(match[1]!, [...(settings.get(match[1]!) ?? []), match[2]!]);
  }
  return settings;
}

/** Parse an EnvironmentFile the simple way (KEY=value, optional double quotes with escapes). */
function envFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split("\n").filter((l) => l.includes("="))) {
    const key = line.slice(0, line.indexOf("="));
    const raw = line.slice(key.length + 1);
    env[key] = raw.startsWith('"') ? systemdDoubleQuoted(line, key) : raw;
  }
  return env;
}

/**
 * The environment systemd gives one command of a service start. systemd loads every
 * EnvironmentFile= before *each* command it spawns, ExecStartPre= included; a file that does not
 * exist fails that command ("Failed to load environment files: No such file or directory") unless
 * its path has the "-" prefix (systemd.exec(5), EnvironmentFile=).
 */
function environmentForCommand(unit: Map<string, string[]>, command: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of unit.get("EnvironmentFile") ?? []) {
    const optional = entry.startsWith("-");
    const path = optional ? entry.slice(1) : entry;
    if (!existsSync(path)) {
      if (optional) continue;
      throw new Error(`systemd would fail ${command}: Failed to load environment files: ${path}: No such file or directory`);
    }
    Object.assign(env, envFile(readFileSync(path, "utf8")));
  }
  return env;
}

/**
 * Poll `GET /status` on `port` until `server` (identified by its X-Served-By) answers, or it exits,
 * or the deadline passes. The port was free when chosen but released before the server could bind
 * it, so another process may take it meanwhile; then the server exits ("address already in use")
 * or someone else answers, and the caller tries another port.
 */
async function waitForServer(server: ChildProcess, instanceId: string, port: number, deadlineMs: number): Promise<Response | "port taken"> {
  let last = "no attempt";
  while (Date.now() < deadlineMs) {
    if (server.exitCode !== null || server.signalCode !== null) return "port taken";
    try {
      const response = await fetch(`http://127.0.0.1:${port}/status`);
      if (response.headers.get("x-served-by") === instanceId) return response;
      last = `answered by ${response.headers.get("x-served-by") ?? "another process"}`;
    } catch (error) {
      last = String(error);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the seed server (instance ${instanceId}) did not answer GET /status on port ${port} within the deadline; last: ${last}`);
}

/** Stop `child` and wait until it has exited (at once when it already has). */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await exited;
}

/** Ports tried before the sandboxed start gives up (each lost only if another process grabs it in between). */
const PORT_ATTEMPTS = 5;

test("sandboxed run: the script installs a unit whose server answers /status on the configured port", async () => {
  const bundle = readSeedServerBundle();
  const artifact = { ...fixtureArtifact, contentHash: createHash("sha256").update(bundle).digest("hex") };
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const box = runInSandbox({ ...base, artifact, port, drainSeconds: 0 }, bundle, {});
    try {
      assert.is(box.status, 0, box.output);
      const calls = readFileSync(box.log, "utf8");
      assert.match(calls, /dnf install -y nodejs22/);
      assert.match(calls, /aws s3 cp --only-show-errors --region us-east-1 s3:\/\/fixture-artifacts\/seed-server\/0123456789ab\.mjs /);
      assert.match(calls, /useradd --system .* seedserver/);
      assert.match(calls, /systemctl enable --now seed-server\.service/);
      assert.ok(readFileSync(box.path(SERVER_PATHS.bundle)).equals(bundle));

      const envPath = box.path(SERVER_PATHS.environmentFile);
      assert.is(statSync(envPath).mode & 0o777, 0o600);
      const env = envFile(readFileSync(envPath, "utf8"));
      assert.is(env.PORT, String(port));
      assert.is(env.SEED_INSTANCE_ID, "i-0123456789abcdef0");
      assert.is(env.SEED_STORE, "memory");

      const unit = unitSettings(readFileSync(box.path(SERVER_PATHS.unit), "utf8"));
      assert.equal(unit.get("User"), ["seedserver"]);
      assert.equal(unit.get("TimeoutStopSec"), ["30"]);
      assert.is(unit.get("AmbientCapabilities"), undefined, "no extra capability above port 1024");
      const [execStart] = unit.get("ExecStart")!;
      const [nodeBin, bundlePath] = execStart!.split(" ");
      assert.ok(nodeBin!.endsWith("/node-22"), execStart);

      // Start what systemd would start, with the environment file systemd would read.
      const server = spawn(nodeBin!, [bundlePath!], { env: { PATH: process.env.PATH, ...env, HOST: "127.0.0.1", QUIET: "1" }, stdio: "ignore" });
      try {
        const response = await waitForServer(server, "i-0123456789abcdef0", port, Date.now() + 10_000);
        if (response === "port taken") {
          assert.ok(attempt < PORT_ATTEMPTS, `port taken by another process on each of ${PORT_ATTEMPTS} tries`);
          continue;
        }
        assert.is(response.status, 200);
        return;
      } finally {
        await stop(server);
      }
    } finally {
      rmSync(box.root, { recursive: true, force: true });
    }
  }
});

test("sandboxed run with a database: connection settings, and the credentials script writes the password file the server reads", async () => {
  const bundle = Buffer.from("console.log('stand-in bundle');\n");
  const artifact = { ...fixtureArtifact, contentHash: createHash("sha256").update(bundle).digest("hex") };
  const password = `pa"ss$w\`o\\rd' `;
  const box = runInSandbox({ ...base, artifact, port: 80, database }, bundle, { username: "seedadmin", password });
  try {
    assert.is(box.status, 0, box.output);
    const env = envFile(readFileSync(box.path(SERVER_PATHS.environmentFile), "utf8"));
    assert.equal(
      [env.SEED_STORE, env.PGHOST, env.PGPORT, env.PGDATABASE, env.PGUSER, env.PGSSLMODE, env.PORT],
      ["postgres", database.host, "5432", "seed", "seedadmin", "require", "80"],
    );
    const passwordPath = box.path(SERVER_PATHS.passwordFile);
    assert.is(env.PGPASSWORD_FILE, passwordPath);
    const unit = unitSettings(readFileSync(box.path(SERVER_PATHS.unit), "utf8"));
    assert.equal(unit.get("AmbientCapabilities"), ["CAP_NET_BIND_SERVICE"], "port 80 needs the bind capability");
    // The boot's start (the stand-in systemctl runs ExecStartPre) wrote the password file; remove it
    // and start again as systemd does: ExecStartPre (as root, "+") with the unit's environment.
    assert.ok(existsSync(passwordPath), "the first start fetched the password");
    rmSync(passwordPath);
    const [pre] = unit.get("ExecStartPre")!;
    const preEnv = environmentForCommand(unit, "ExecStartPre");
    const run = spawnSync("bash", [pre!.slice(1)], { encoding: "utf8", env: { ...preEnv, PATH: `${join(box.root, "bin")}:${process.env.PATH}` } });
    assert.is(run.status, 0, run.stderr);
    assert.is(statSync(passwordPath).mode & 0o777, 0o640);
    assert.match(readFileSync(box.log, "utf8"), new RegExp(`chgrp seedserver ${passwordPath}\\.new`));
    // What the seed server will send: its own PGPASSWORD_FILE reader gives back the exact password.
    const startEnv = environmentForCommand(unit, "ExecStart");
    assert.is(startEnv.PGPASSWORD, undefined, "the password is not in the server's environment");
    const readPassword = postgresPoolConfig(postgresConnectionFromEnv(startEnv)).password as () => Promise<string>;
    assert.is(await readPassword(), password);
    assert.match(readFileSync(box.log, "utf8"), /aws secretsmanager get-secret-value --region us-east-1 --secret-id arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1234-AbCdEf --query SecretString --output text/);
    assert.not.ok(box.output.includes(password), "the password never reaches the boot log");
  } finally {
    rmSync(box.root, { recursive: true, force: true });
  }
});

test("sandboxed run with a database whose secret cannot be read at first boot: the refresh timer is still enabled, the service left to systemd's retries", () => {
  const bundle = Buffer.from("console.log('stand-in bundle');\n");
  const artifact = { ...fixtureArtifact, contentHash: createHash("sha256").update(bundle).digest("hex") };
  const box = runInSandbox({ ...base, artifact, database }, bundle, { username: "seedadmin", password: "unused" }, true);
  try {
    const calls = readFileSync(box.log, "utf8").split("\n").filter((l) => l.startsWith("systemctl"));
    // The first start really failed (the stand-in ran ExecStartPre, which could not fetch the secret)...
    assert.ok(calls.includes("systemctl: seed-server.service failed"), calls.join("\n"));
    // ...yet the timer that keeps the password fresh was enabled, before that start, and the boot finished.
    const timer = calls.indexOf("systemctl enable --now seed-server-db-credentials.timer");
    assert.ok(timer >= 0, `timer enabled: ${calls.join("\n")}`);
    assert.ok(timer < calls.indexOf("systemctl enable --now seed-server.service"), calls.join("\n"));
    assert.is(box.status, 0, box.output);
    assert.match(box.output, /seed-server did not start yet; systemd retries it/);
    assert.not.ok(existsSync(box.path(SERVER_PATHS.passwordFile)));
  } finally {
    rmSync(box.root, { recursive: true, force: true });
  }
});

test("sandboxed run: a bundle that does not match its hash stops the boot before anything is installed", () => {
  const bundle = Buffer.from("tampered\n");
  const box = runInSandbox(base, bundle, {});
  try {
    assert.is.not(box.status, 0);
    assert.match(box.output, /FAILED|did NOT match/);
    assert.not.ok(readFileSync(box.log, "utf8").includes("systemctl"));
  } finally {
    rmSync(box.root, { recursive: true, force: true });
  }
});

test.run();
