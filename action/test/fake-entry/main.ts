// TEST ENTRY of the main step: the action's own main step over the runner's ports, with the FAKE
// lifecycle (../fake-lifecycle.ts) passed in as its lifecycle port. Bundled only by the tests.
import { runMain } from "../../src/run-main.js";
import { mainPorts } from "../../src/runtime.js";
import { fakeLifecycle } from "../fake-lifecycle.js";
import { FAKE_JOURNAL_ENV, FAKE_SCENARIO_ENV } from "./names.js";

await runMain({ ...mainPorts(), lifecycle: fakeLifecycle(process.env[FAKE_SCENARIO_ENV] ?? "", process.env[FAKE_JOURNAL_ENV]) });
