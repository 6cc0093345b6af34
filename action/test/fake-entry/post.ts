// TEST ENTRY of the post step, with the FAKE lifecycle (see main.ts beside it).
import { runPost } from "../../src/run-post.js";
import { stepPorts } from "../../src/runtime.js";
import { fakeLifecycle } from "../fake-lifecycle.js";
import { FAKE_JOURNAL_ENV, FAKE_SCENARIO_ENV } from "./names.js";

await runPost({ ...stepPorts(), lifecycle: fakeLifecycle(process.env[FAKE_SCENARIO_ENV] ?? "", process.env[FAKE_JOURNAL_ENV]) });
