import { test } from "uvu";
import * as assert from "uvu/assert";
import { hostname } from "node:os";
import { ConfigError, helpText, loadConfig, OPTIONS, type SeedServerConfig } from "./config.js";

function config(argv: string[], env: NodeJS.ProcessEnv = {}): SeedServerConfig {
  const result = loadConfig(argv, env);
  if (result.kind !== "config") throw new Error("expected a configuration, got help");
  return result.config;
}

function configError(argv: string[], env: NodeJS.ProcessEnv = {}): string {
  try {
    loadConfig(argv, env);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error(`expected ${argv.join(" ")} ${JSON.stringify(env)} to be rejected`);
}

test("defaults: port 8080, all interfaces, memory store, a 10-second drain, info logs, the host name", () => {
  assert.equal(config([]), {
    port: 8080,
    host: "0.0.0.0",
    store: "memory",
    drainSeconds: 10,
    logLevel: "info",
    quiet: false,
    instanceId: hostname(),
  });
});

test("environment variables are read", () => {
  const c = config([], { PORT: "9000", HOST: "127.0.0.1", DRAIN_SECONDS: "2.5", LOG_LEVEL: "warn", QUIET: "1", SEED_INSTANCE_ID: "i-0abc" });
  assert.equal([c.port, c.host, c.drainSeconds, c.logLevel, c.quiet, c.instanceId], [9000, "127.0.0.1", 2.5, "warn", true, "i-0abc"]);
});

test("flags win over environment variables", () => {
  const env = { PORT: "9000", HOST: "10.0.0.1", DRAIN_SECONDS: "30", LOG_LEVEL: "warn", SEED_INSTANCE_ID: "from-env", SEED_STORE: "postgres" };
  const c = config(["--port", "0", "--host=127.0.0.1", "--drain-seconds", "0", "--log-level", "debug", "--quiet", "--instance-id", "from-flag", "--store", "memory"], env);
  assert.equal([c.port, c.host, c.drainSeconds, c.logLevel, c.quiet, c.instanceId, c.store], [0, "127.0.0.1", 0, "debug", true, "from-flag", "memory"]);
});

test("the store is postgres when DATABASE_URL is set, unless told otherwise", () => {
  const url = "postgres://u:p@db.example:5432/seeds";
  const c = config([], { DATABASE_URL: url });
  assert.is(c.store, "postgres");
  assert.is(c.postgres?.connectionString, url);
  assert.is(config(["--store", "memory"], { DATABASE_URL: url }).store, "memory");
  assert.is(config([], { SEED_STORE: "memory", DATABASE_URL: url }).postgres, undefined);
});

test("postgres without DATABASE_URL leaves the PG* variables to node-postgres and maps PGSSLMODE like libpq", () => {
  const c = config(["--store", "postgres"], { PGHOST: "db", PGSSLMODE: "require" });
  assert.is(c.postgres?.connectionString, undefined);
  assert.equal(c.postgres?.ssl, { rejectUnauthorized: false });
});

test("invalid values name the flag or variable, the value and what is allowed", () => {
  assert.is(configError(["--port", "80a"]), '--port must be an integer from 0 to 65535; got "80a"');
  assert.is(configError([], { PORT: "70000" }), 'PORT must be an integer from 0 to 65535; got "70000"');
  assert.is(configError(["--store", "redis"]), '--store must be one of memory, postgres; got "redis"');
  assert.is(configError([], { SEED_STORE: "disk" }), 'SEED_STORE must be one of memory, postgres; got "disk"');
  assert.is(configError(["--drain-seconds=-1"]), '--drain-seconds must be a number of seconds from 0 to 3600; got "-1"');
  assert.match(configError(["--drain-seconds", "-1"]), /'--drain-seconds' argument is ambiguous.*; see --help$/);
  assert.is(configError([], { DRAIN_SECONDS: "ten" }), 'DRAIN_SECONDS must be a number of seconds from 0 to 3600; got "ten"');
  assert.is(configError(["--log-level", "verbose"]), '--log-level must be one of debug, info, warn, error; got "verbose"');
  assert.is(configError([], { QUIET: "maybe" }), 'QUIET must be 1/true/yes/on or 0/false/no/off; got "maybe"');
  assert.match(configError(["--instance-id", "has space"]), /--instance-id must be 1-128 visible ASCII characters/);
  assert.match(configError(["--host", " "]), /--host must not be empty/);
  assert.match(configError(["--prot", "1"]), /Unknown option '--prot'; see --help/);
  assert.match(configError(["--port"]), /--port.*argument missing|--port <value>.*argument missing/i);
  assert.match(configError(["serve"]), /unexpected argument "serve"/);
  assert.match(configError([], { DATABASE_URL: "mysql://x@y/z" }), /DATABASE_URL must start with postgres:\/\//);
  assert.match(configError([], { DATABASE_URL: "postgres://x@y/z", PGSSLMODE: "prefer" }), /PGSSLMODE \(or sslmode\) must be one of disable, require, verify-ca, verify-full; got "prefer"/);
});

test("QUIET=0 and empty variables mean unset", () => {
  assert.is(config([], { QUIET: "0" }).quiet, false);
  assert.is(config([], { PORT: "" }).port, 8080);
});

test("--help lists every flag and variable with its default", () => {
  const result = loadConfig(["--help"], {});
  assert.is(result.kind, "help");
  const text = result.kind === "help" ? result.text : "";
  assert.is(text, helpText());
  for (const option of OPTIONS) {
    assert.ok(text.includes(`--${option.flag}`), option.flag);
    assert.ok(text.includes(option.env), option.env);
    assert.ok(text.includes(`default: ${option.defaultText}`), option.flag);
  }
  // The defaults the help states, as the contract (docs/seed-server.md) gives them.
  assert.match(text, /--port <0-65535> +PORT\n[^\n]*; default: 8080\n/);
  assert.match(text, /--drain-seconds <seconds> +DRAIN_SECONDS\n[^\n]*; default: 10\n/);
  for (const name of ["DATABASE_URL", "PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE", "PGSSLMODE", "PGSSLROOTCERT"]) assert.ok(text.includes(name), name);
  assert.is(loadConfig(["-h"], {}).kind, "help");
});

test("the names the EC2 user data relies on are exactly these", () => {
  assert.equal(
    OPTIONS.map((o) => [o.flag, o.env]),
    [
      ["port", "PORT"],
      ["host", "HOST"],
      ["store", "SEED_STORE"],
      ["drain-seconds", "DRAIN_SECONDS"],
      ["log-level", "LOG_LEVEL"],
      ["quiet", "QUIET"],
      ["instance-id", "SEED_INSTANCE_ID"],
    ],
  );
});

test.run();
