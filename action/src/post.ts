// The action's post step (action.yml `runs.post`, `post-if: always()`): the work is in run-post.ts.
import { runPost } from "./run-post.js";
import { stepPorts } from "./runtime.js";

await runPost(stepPorts());
