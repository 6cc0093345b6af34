/**
 * PostgresStore against a real PostgreSQL that the test starts itself (test-support/test-postgres.ts), in a
 * temp dir on a free port, stopped in `after`.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import pg from "pg";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "../logger.js";
import { serveApp } from "../test-support/app-server.js";
import { call, postJson } from "../test-support/http.js";
import { setupOrFail } from "../test-support/setup-or-fail.js";
import { startTestPostgres, type TestPostgres } from "../test-support/test-postgres.js";
import { PostgresStore } from "./postgres-store.js";
import { postgresPoolConfig } from "./postgres-connection.js";
import { StoreUnavailableError } from "./seed-store.js";

const pgSuite = suite<{ db: TestPostgres }>("postgres store", { db: undefined as unknown as TestPostgres });
let tableCounter = 0;
/** A fresh table per test, so tests do not see each other's seeds. */
const freshTable = () => `seed_test_${process.pid}_${++tableCounter}`;

async function rawQuery(db: TestPostgres, sql: string, params: unknown[] = []): Promise<pg.QueryResultRow[]> {
  const client = new pg.Client(db.connection);
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

setupOrFail(pgSuite, async (ctx) => {
  ctx.db = await startTestPostgres();
});
pgSuite.after(async (ctx) => {
  await ctx.db?.destroy();
});

pgSuite("creates its table when missing, starts at 0, and stores big integers exactly as text", async ({ db }) => {
  const table = freshTable();
  const store = new PostgresStore({ connection: db.connection, table });
  try {
    assert.equal(await rawQuery(db, "SELECT 1 FROM information_schema.tables WHERE table_name = $1", [table]), []);
    assert.is(await store.get(), "0");
    assert.equal(await rawQuery(db, `SELECT value FROM ${table}`), [{ value: "0" }]);
    for (const n of [(2n ** 64n + 1n).toString(), "-" + "987654321".repeat(60), "42", "0"]) {
      assert.is(await store.set(n), n);
      assert.is(await store.get(), n);
      assert.equal(await rawQuery(db, `SELECT value FROM ${table} WHERE id = 1`), [{ value: n }]);
    }
  } finally {
    await store.close();
  }
});

pgSuite("the table refuses anything but canonical integers, even from other writers", async ({ db }) => {
  const table = freshTable();
  const store = new PostgresStore({ connection: db.connection, table });
  try {
    await store.check();
    for (const bad of ["1.5", "007", "-0", "abc", ""]) {
      let rejected = false;
      await rawQuery(db, `UPDATE ${table} SET value = $1 WHERE id = 1`, [bad]).catch(() => (rejected = true));
      assert.ok(rejected, bad);
    }
  } finally {
    await store.close();
  }
});

pgSuite("servers sharing the database share the seed, and a restarted server loses nothing", async ({ db }) => {
  const table = freshTable();
  const a = new PostgresStore({ connection: db.connection, table });
  const b = new PostgresStore({ connection: db.connection, table });
  try {
    await a.set("31415926535897932384626433832795028841971");
    assert.is(await b.get(), "31415926535897932384626433832795028841971");
    await b.set("-7");
    assert.is(await a.get(), "-7");
  } finally {
    await a.close();
    await b.close();
  }
  const restarted = new PostgresStore({ connection: db.connection, table });
  try {
    assert.is(await restarted.get(), "-7");
  } finally {
    await restarted.close();
  }
});

pgSuite("servers starting together on an empty database both create-or-find the table", async ({ db }) => {
  const table = freshTable();
  const stores = Array.from({ length: 4 }, () => new PostgresStore({ connection: db.connection, table }));
  try {
    assert.equal(await Promise.all(stores.map((s) => s.get())), ["0", "0", "0", "0"]);
  } finally {
    await Promise.all(stores.map((s) => s.close()));
  }
});

pgSuite("concurrent writes from two servers never tear; every read is a value that was written", async ({ db }) => {
  const table = freshTable();
  const a = new PostgresStore({ connection: db.connection, table });
  const b = new PostgresStore({ connection: db.connection, table });
  try {
    await a.check();
    const values = Array.from({ length: 100 }, (_, i) => `${i + 1}${"5".repeat(400)}${i}`);
    const allowed = new Set(["0", ...values]);
    const reads: string[] = [];
    await Promise.all([
      ...values.map((v, i) => (i % 2 ? a : b).set(v)),
      ...Array.from({ length: 100 }, async (_, i) => reads.push(await (i % 2 ? b : a).get())),
    ]);
    for (const r of reads) assert.ok(allowed.has(r), `read a value never written: ${r.slice(0, 30)}...`);
    const final = await a.get();
    assert.ok(values.includes(final));
    assert.is(await b.get(), final);
  } finally {
    await a.close();
    await b.close();
  }
});

pgSuite("a dropped table is recreated on the next request", async ({ db }) => {
  const table = freshTable();
  const store = new PostgresStore({ connection: db.connection, table });
  try {
    await store.set("5");
    await rawQuery(db, `DROP TABLE ${table}`);
    assert.is(await store.get(), "0");
    assert.is(await store.set("6"), "6");
  } finally {
    await store.close();
  }
});

pgSuite("an outage gives 503s and a failing /status, no crash; service resumes with the data intact", async ({ db }) => {
  const table = freshTable();
  const logLines: string[] = [];
  const logger = createLogger({ write: (l) => void logLines.push(l), quiet: true });
  const store = new PostgresStore({ connection: db.connection, table, logger, connectTimeoutMs: 2000 });
  const served = await serveApp({ store, instanceId: "pg-test", logger });
  try {
    assert.is((await postJson(served.url + "/", '{"num": 123456789012345678901234567890}')).status, 200);
    assert.is((await call(served.url + "/status")).status, 200);

    await db.stop();
    for (const res of [await call(served.url + "/"), await postJson(served.url + "/", '{"num": 1}'), await call(served.url + "/status")]) {
      assert.is(res.status, 503);
      assert.match(res.body, /^seed store \(postgres\) unavailable: /);
    }
    // The pool's idle connections died with the server; that is logged, not thrown.
    assert.ok(logLines.some((l) => l.includes("postgres connection lost") || l.includes("store unavailable")));

    await db.start();
    assert.is((await call(served.url + "/status")).status, 200);
    assert.is((await call(served.url + "/")).body, "123456789012345678901234567890");
    assert.is((await postJson(served.url + "/", '{"num": 2}')).body, "2");
  } finally {
    await served.close();
    await store.close();
  }
});

pgSuite("a server started while the database is down waits for it instead of failing", async ({ db }) => {
  const table = freshTable();
  await db.stop();
  const store = new PostgresStore({ connection: db.connection, table, connectTimeoutMs: 2000 });
  try {
    let error: unknown;
    await store.get().catch((err: unknown) => (error = err));
    assert.instance(error, StoreUnavailableError);
    await db.start();
    assert.is(await store.get(), "0");
    assert.is(await store.set("9"), "9");
  } finally {
    await db.start();
    await store.close();
  }
});

pgSuite("PGPASSWORD_FILE: a rotated password is picked up from the file without a restart", async ({ db }) => {
  const table = freshTable();
  const role = `rotating_${table.slice(-8)}`;
  const dir = mkdtempSync(join(tmpdir(), "seedstack-pgpass-"));
  const file = join(dir, "password");
  writeFileSync(file, "first-password\n", { mode: 0o600 });
  await rawQuery(db, `CREATE ROLE ${role} LOGIN PASSWORD 'first-password'`);
  await rawQuery(db, `GRANT ALL ON SCHEMA public TO ${role}`);
  const { password } = postgresPoolConfig({ passwordFile: file });
  const store = new PostgresStore({ connection: { ...db.connection, user: role, password }, table, connectTimeoutMs: 2000 });
  /** Drop the store's open connections, as a rotation does not, so the next query must log in again. */
  const dropConnections = () => rawQuery(db, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1", [role]);
  /** The first query after the drop may meet the dead connection; what counts is the next login. */
  const getAfterDrop = async () => {
    await dropConnections();
    await store.get().catch(() => undefined);
    return store.get();
  };
  try {
    assert.is(await store.set("5"), "5");
    await rawQuery(db, `ALTER ROLE ${role} PASSWORD 'second-password'`);
    let error: unknown;
    await getAfterDrop().catch((err: unknown) => (error = err));
    assert.instance(error, StoreUnavailableError, "the old password in the file no longer logs in");
    writeFileSync(file, "second-password\n");
    assert.is(await getAfterDrop(), "5", "the new password in the file is used for the next connection");
  } finally {
    await store.close();
    await rawQuery(db, `DROP TABLE IF EXISTS ${table}`);
    await rawQuery(db, `REVOKE ALL ON SCHEMA public FROM ${role}`);
    await rawQuery(db, `DROP ROLE ${role}`);
    rmSync(dir, { recursive: true, force: true });
  }
});

pgSuite.run();
