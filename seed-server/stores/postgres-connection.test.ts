import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConnectionConfigError, postgresConnectionFromEnv, postgresPoolConfig } from "./postgres-connection.js";

function rejection(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConnectionConfigError) return err.message;
    throw err;
  }
  throw new Error("expected a ConnectionConfigError");
}

test("no TLS unless asked (node-postgres' default), and node-postgres is never left to read PGSSLMODE itself", () => {
  assert.equal(postgresPoolConfig({}), { ssl: false });
  assert.equal(postgresPoolConfig({ sslMode: "disable" }), { ssl: false });
});

test("require means TLS without certificate verification, as in libpq", () => {
  assert.equal(postgresPoolConfig({ sslMode: "require" }).ssl, { rejectUnauthorized: false });
});

test("verify-full verifies chain and host name, against PGSSLROOTCERT when given", () => {
  const dir = mkdtempSync(join(tmpdir(), "seedstack-ca-"));
  try {
    const caFile = join(dir, "ca.pem");
    writeFileSync(caFile, "-----BEGIN CERTIFICATE-----\nfake\n-----END CERTIFICATE-----\n");
    assert.equal(postgresPoolConfig({ sslMode: "verify-full" }).ssl, { rejectUnauthorized: true });
    const withCa = postgresPoolConfig({ sslMode: "verify-full", sslRootCert: caFile }).ssl as Record<string, unknown>;
    assert.equal(withCa, { rejectUnauthorized: true, ca: "-----BEGIN CERTIFICATE-----\nfake\n-----END CERTIFICATE-----\n" });
    // verify-ca, and require with a root certificate (libpq's rule), check the chain but not the name.
    for (const mode of ["verify-ca", "require"]) {
      const ssl = postgresPoolConfig({ sslMode: mode, sslRootCert: caFile }).ssl as { rejectUnauthorized: boolean; ca: string; checkServerIdentity: () => unknown };
      assert.is(ssl.rejectUnauthorized, true, mode);
      assert.ok(ssl.ca.includes("fake"), mode);
      assert.is(ssl.checkServerIdentity(), undefined, mode);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("sslmode in DATABASE_URL wins over PGSSLMODE and is taken out of the URL", () => {
  const config = postgresPoolConfig({ databaseUrl: "postgres://u:p@h:5432/d?sslmode=require&application_name=x", sslMode: "disable" });
  assert.equal(config.ssl, { rejectUnauthorized: false });
  assert.is(config.connectionString, "postgres://u:p@h:5432/d?application_name=x");
});

test("unsupported modes and unreadable files are clear errors", () => {
  assert.match(rejection(() => postgresPoolConfig({ sslMode: "prefer" })), /must be one of disable, require, verify-ca, verify-full; got "prefer" \(node-postgres cannot fall back/);
  assert.match(rejection(() => postgresPoolConfig({ sslMode: "bogus" })), /got "bogus"$/);
  assert.match(rejection(() => postgresPoolConfig({ sslMode: "verify-full", sslRootCert: "/nonexistent/ca.pem" })), /PGSSLROOTCERT \(or sslrootcert\) file \/nonexistent\/ca.pem cannot be read/);
  assert.match(rejection(() => postgresPoolConfig({ databaseUrl: "not a url" })), /DATABASE_URL is not a valid URL/);
});

test("reads DATABASE_URL, PGSSLMODE and PGSSLROOTCERT from the environment, ignoring empty ones", () => {
  assert.equal(postgresConnectionFromEnv({ DATABASE_URL: "postgres://h/d", PGSSLMODE: "require", PGSSLROOTCERT: "/ca.pem", PGHOST: "ignored-here" }), {
    databaseUrl: "postgres://h/d",
    sslMode: "require",
    sslRootCert: "/ca.pem",
  });
  assert.equal(postgresConnectionFromEnv({ DATABASE_URL: "", PGSSLMODE: "" }), {});
});

test("PGPASSWORD_FILE: the password is read from the file for every new connection", async () => {
  const dir = mkdtempSync(join(tmpdir(), "seedstack-pw-"));
  try {
    const file = join(dir, "password");
    writeFileSync(file, "first\n");
    assert.equal(postgresConnectionFromEnv({ PGPASSWORD_FILE: file }), { passwordFile: file });
    const { password } = postgresPoolConfig({ passwordFile: file });
    assert.type(password, "function");
    const read = password as () => Promise<string>;
    assert.is(await read(), "first", "trailing newline dropped");
    writeFileSync(file, "second");
    assert.is(await read(), "second", "re-read, not cached");
    assert.match(rejection(() => postgresPoolConfig({ passwordFile: join(dir, "missing") })), /^PGPASSWORD_FILE .*missing cannot be read: ENOENT/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
