/**
 * Each engine says what it cannot run (`EnvironmentEngine.check`): the stack reader describes
 * every shape, the local engine refuses what it cannot emulate with the thing named, and the
 * terraform engine deploys the same stacks (its check looks at its settings only).
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { LifecycleError } from "./errors.js";
import { localEngine } from "./local/local-engine.js";
import { parseStack } from "./stack/read-stack.js";
import { terraformEngine } from "./terraform/terraform-engine.js";
import { runChangedStack } from "./test-support/run-broken-stack.js";
import { addSecondLoadBalancer } from "./test-support/stack-edits.js";
import { removeSynthFixtures, stackJson } from "./test-support/synth-fixture.js";

const test = suite("engine checks");
test.after(() => removeSynthFixtures());

const local = localEngine();
const terraform = terraformEngine({ recordDir: "/nonexistent/records" });

const refusal = (check: () => void): string | undefined => {
  try {
    check();
    return undefined;
  } catch (error) {
    assert.instance(error, LifecycleError);
    assert.is((error as LifecycleError).code, "ERR_STACK_UNSUPPORTED");
    return (error as Error).message;
  }
};

const variants: Array<[string, string, (json: Record<string, any>) => void, RegExp]> = [
  ["two load balancers", "classic", (json) => addSecondLoadBalancer(json, "second"), /has 2 load balancers \(the local engine runs one\); 2 target groups \(the local engine runs one\)/],
  ["a network load balancer", "classic", (json) => Object.values(json.resource.aws_lb).forEach((lb: any) => (lb.load_balancer_type = "network")), /is a network load balancer; the local engine runs application load balancers/],
  ["MySQL", "classic", (json) => Object.values(json.resource.aws_db_instance).forEach((db: any) => (db.engine = "mysql")), /runs mysql; the local engine runs PostgreSQL/],
  ["app_cookie stickiness", "autoscaled", (json) => Object.values(json.resource.aws_lb_target_group).forEach((tg: any) => (tg.stickiness = { enabled: true, type: "app_cookie", cookie_name: "s" })), /stickiness\.type is app_cookie; the local engine runs lb_cookie stickiness/],
];

for (const [what, name, change, refused] of variants) {
  test(`${what}: the local engine refuses it by name; the terraform engine's check does not (terraform and AWS judge the stack itself)`, async () => {
    const json = await stackJson(name, { SEEDSTACK_DATABASE: "on" });
    assert.is(refusal(() => local.check!(parseStack(json, name, `/tmp/${name}/cdk.tf.json`))), undefined, "the unchanged stack runs locally");
    change(json);
    const stack = parseStack(json, name, `/tmp/${name}/cdk.tf.json`);
    assert.match(refusal(() => local.check!(stack)) ?? "(accepted)", refused);
    assert.is(refusal(() => terraform.check!(stack)), undefined);
  });
}

test("through runLifecycle: the local engine's refusal ends the run at its summary, before anything starts", async () => {
  const { report } = await runChangedStack("classic", { change: (json) => addSecondLoadBalancer(json, "second") });
  assert.is(report.error?.code, "ERR_STACK_UNSUPPORTED");
  assert.match(report.error!.message, /2 load balancers/);
  assert.equal(report.phases.map((p) => [p.phase, p.ok]), [["summary", false]]);
});

test("the terraform engine takes the environment's PR and expiry from the stack's default tags (an unusable one is refused before anything runs)", async () => {
  const json = await stackJson("classic");
  json.provider.aws[0].default_tags = [{ tags: { PR: "12", ExpiresAt: "soon" } }];
  const stack = parseStack(json, "pr-12", "/tmp/pr-12/cdk.tf.json");
  try {
    terraform.check!(stack);
    assert.unreachable("expected ERR_USAGE");
  } catch (error) {
    assert.is((error as LifecycleError).code, "ERR_USAGE");
    assert.match((error as Error).message, /expiresAt must be an ISO 8601 date; got "soon"/);
  }
  assert.is(refusal(() => terraform.check!({ ...stack, defaultTags: { PR: "12", ExpiresAt: "2030-01-01T00:00:00Z" } })), undefined);
});

test.run();
