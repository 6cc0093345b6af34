import { suite } from "uvu";
import * as assert from "uvu/assert";
import { LifecycleError } from "../errors.js";
import { removeSynthFixtures, stackJson } from "../test-support/synth-fixture.js";
import { parseStack } from "./read-stack.js";
import { checkLocalStack } from "../local/local-check.js";

const test = suite("read the target tracking policy");
test.after(() => removeSynthFixtures());

const groupOf = (json: Record<string, any>) => {
  const servers = parseStack(json, "autoscaled", "autoscaled (test)").servers;
  if (servers.kind !== "auto-scaling") throw new Error("expected an Auto Scaling group");
  return servers;
};

test("the autoscaled stack's policy: ASGAverageCPUUtilization at 50%, t3.micro, warm-up from the group", async () => {
  const g = groupOf(await stackJson("autoscaled"));
  assert.equal(g.scalingPolicy && { name: g.scalingPolicy.name, metric: g.scalingPolicy.metric, target: g.scalingPolicy.targetValue, disableScaleIn: g.scalingPolicy.disableScaleIn }, {
    name: "cpu-target-tracking",
    metric: "ASGAverageCPUUtilization",
    target: 50,
    disableScaleIn: false,
  });
  assert.is(g.instanceType, "t3.micro");
  assert.is(g.defaultInstanceWarmupSeconds, g.gracePeriodSeconds);
});

test("a group without a policy has none; a policy on another metric is read, and the local engine refuses it by name", async () => {
  const json = await stackJson("autoscaled");
  const without = structuredClone(json);
  delete without.resource.aws_autoscaling_policy;
  assert.is(groupOf(without).scalingPolicy, undefined);
  const other = structuredClone(json);
  for (const p of Object.values(other.resource.aws_autoscaling_policy) as any[]) p.target_tracking_configuration.predefined_metric_specification.predefined_metric_type = "ALBRequestCountPerTarget";
  assert.is(groupOf(other).scalingPolicy?.metric, "ALBRequestCountPerTarget");
  try {
    checkLocalStack(parseStack(other, "autoscaled", "autoscaled (test)"));
    assert.unreachable("expected ERR_STACK_UNSUPPORTED");
  } catch (err) {
    assert.instance(err, LifecycleError);
    assert.is((err as LifecycleError).code, "ERR_STACK_UNSUPPORTED");
    assert.match((err as Error).message, /tracks ALBRequestCountPerTarget; the local engine models ASGAverageCPUUtilization/);
  }
});

test.run();
