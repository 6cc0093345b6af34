// The action's main step (action.yml `runs.main`): the work is in run-main.ts, over the runner's ports.
import { runMain } from "./run-main.js";
import { mainPorts } from "./runtime.js";

await runMain(mainPorts());
