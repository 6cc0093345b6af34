/**
 * Entry point of the `seed-server` command and of its single-file bundle
 * (dist/bundle/seed-server.mjs). Run `seed-server --help` for the options.
 */
import { runSeedServerCli } from "./cli.js";
import { exitWhenLifelineCloses } from "./lifeline.js";

// Only when the local engine asks for it (SEEDSTACK_LIFELINE=stdin); never on EC2.
exitWhenLifelineCloses(process.env);

runSeedServerCli(process.argv.slice(2)).then(
  (status) => process.exit(status),
  (err: unknown) => {
    process.stderr.write(`seed-server: unexpected failure: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
