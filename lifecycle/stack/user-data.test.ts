import { test } from "uvu";
import * as assert from "uvu/assert";
import { readUserData, unescapeHclString, userDataScript } from "./user-data.js";

test("a launch template's ${base64encode(\"...\")} is unwrapped: HCL escapes, and $${ for a literal ${", () => {
  const wrapped = '${base64encode("#!/bin/bash\\nPORT=\'9090\'\\necho \\"$${HOME}\\" \\\\ done\\n")}';
  assert.is(userDataScript(wrapped), '#!/bin/bash\nPORT=\'9090\'\necho "${HOME}" \\ done\n');
  assert.is(unescapeHclString("a\\u0041\\tb"), "aA\tb");
});

test("the port, store and drain come from the script's assignments; the env file's PORT=$PORT keeps them", () => {
  const script = ["PORT='9090'", "DRAIN_SECONDS='7'", "cat > /etc/seed-server/seed-server.env <<EOF", "PORT=$PORT", "SEED_STORE=postgres", "PGDATABASE=$DB", "EOF", "DB='seed'"].join("\n");
  const { facts, problems } = readUserData(script);
  assert.equal(problems, []);
  assert.equal(facts, { port: 9090, store: "postgres", drainSeconds: 7, logLevel: "info", database: { name: "seed", user: "postgres", port: 5432 } });
});

test("a script that sets nothing gets the seed server's own defaults; a bad value is a problem naming it", () => {
  assert.equal(readUserData("#!/bin/bash\nnode server.mjs\n").facts, { port: 8080, store: "memory", drainSeconds: 10, logLevel: "info" });
  assert.equal(readUserData("PORT='http'\nSEED_STORE=redis\n").problems, [
    'user data sets PORT to "http"; expected a whole number up to 65535',
    'user data sets SEED_STORE to "redis"; expected memory or postgres',
  ]);
});

test.run();
