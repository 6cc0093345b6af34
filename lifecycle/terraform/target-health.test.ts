/**
 * The terraform engine's AWS side against MOCKS of the AWS SDK clients (aws-sdk-client-mock):
 * waiting for healthy targets (ELBv2 DescribeTargetHealth, answered in its response shape), the
 * drill's EC2 StopInstances / StartInstances, and what the engine reads from outputs and the stack.
 */
import { EC2Client, StartInstancesCommand, StopInstancesCommand } from "@aws-sdk/client-ec2";
import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client, type TargetHealthDescription } from "@aws-sdk/client-elastic-load-balancing-v2";
import { mockClient } from "aws-sdk-client-mock";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { exitCodeFor } from "../cli/main.js";
import { LifecycleError } from "../errors.js";
import type { LifecycleEvent } from "../events.js";
import { ec2DrillControl } from "./ec2-drill.js";
import { CODE_OF_REASON, readEnvironmentOutputs } from "./terraform-engine.js";
import { TargetHealthWatcher } from "./target-health.js";

const ARN = "arn:aws:elasticloadbalancing:eu-west-2:123456789012:targetgroup/seedstack-classic-tg/0123456789abcdef";
const target = (id: string, State: string, Reason?: string, Description?: string): TargetHealthDescription =>
  ({ Target: { Id: id, Port: 8080 }, HealthCheckPort: "8080", TargetHealth: { State, ...(Reason ? { Reason, Description } : {}) } }) as TargetHealthDescription;

function context(events: LifecycleEvent[]) {
  return { signal: new AbortController().signal, onEvent: (e: LifecycleEvent) => void events.push(e) };
}

test("waitHealthy: polls DescribeTargetHealth until both targets are healthy, reporting each change", async () => {
  const elb = mockClient(ElasticLoadBalancingV2Client);
  try {
    elb
      .on(DescribeTargetHealthCommand, { TargetGroupArn: ARN })
      .resolvesOnce({ TargetHealthDescriptions: [target("i-0a", "initial", "Elb.RegistrationInProgress", "Target registration is in progress"), target("i-0b", "initial")] })
      .resolvesOnce({ TargetHealthDescriptions: [target("i-0a", "healthy"), target("i-0b", "initial")] })
      .resolves({ TargetHealthDescriptions: [target("i-0a", "healthy"), target("i-0b", "healthy")] });
    const events: LifecycleEvent[] = [];
    await new TargetHealthWatcher(new ElasticLoadBalancingV2Client({ region: "eu-west-2" }), ARN, 5).waitHealthy(2, 10_000, context(events));
    assert.is(elb.commandCalls(DescribeTargetHealthCommand).length, 3);
    const changes = events.flatMap((e) => (e.type === "target-health" ? [`${e.instance} ${e.from}->${e.to}`] : []));
    assert.equal(changes, ["i-0a initial->healthy", "i-0b initial->healthy"]);
  } finally {
    elb.restore();
  }
});

test("waitHealthy at its deadline: ERR_TARGETS_UNHEALTHY with AWS's reason and description for each target", async () => {
  const elb = mockClient(ElasticLoadBalancingV2Client);
  try {
    elb.on(DescribeTargetHealthCommand).resolves({
      TargetHealthDescriptions: [target("i-0a", "healthy"), target("i-0b", "unhealthy", "Target.ResponseCodeMismatch", "Health checks failed with these codes: [404]")],
    });
    const events: LifecycleEvent[] = [];
    const watcher = new TargetHealthWatcher(new ElasticLoadBalancingV2Client({ region: "eu-west-2" }), ARN, 5);
    const error = await watcher.waitHealthy(2, 50, context(events)).then(() => undefined, (e: unknown) => e);
    assert.instance(error, LifecycleError);
    assert.is((error as LifecycleError).code, "ERR_TARGETS_UNHEALTHY");
    assert.match((error as LifecycleError).message, /1 of 2 targets healthy in target group arn:aws:elasticloadbalancing:eu-west-2:123456789012:targetgroup\/seedstack-classic-tg\/0123456789abcdef/);
    assert.match((error as LifecycleError).message, /i-0b: unhealthy \(Target\.ResponseCodeMismatch\): Health checks failed with these codes: \[404\]/);
    assert.equal(watcher.diagnose().map((d) => [d.target, d.kind]), [["i-0b", "status-mismatch"]]);
  } finally {
    elb.restore();
  }
});

test("waitHealthy: a throttled call is reported and asked again, not fatal", async () => {
  const elb = mockClient(ElasticLoadBalancingV2Client);
  try {
    const throttled = Object.assign(new Error("Rate exceeded"), { name: "Throttling" });
    elb.on(DescribeTargetHealthCommand).rejectsOnce(throttled).resolves({ TargetHealthDescriptions: [target("i-0a", "healthy")] });
    const events: LifecycleEvent[] = [];
    await new TargetHealthWatcher(new ElasticLoadBalancingV2Client({ region: "eu-west-2" }), ARN, 5).waitHealthy(1, 10_000, context(events));
    assert.ok(events.some((e) => e.type === "progress" && e.message === "DescribeTargetHealth: Throttling: Rate exceeded"), JSON.stringify(events));
  } finally {
    elb.restore();
  }
});

test("drill control: the process dies = StopInstances of that instance, recovery = StartInstances; a stopped target (unused) counts as unhealthy", async () => {
  const elb = mockClient(ElasticLoadBalancingV2Client);
  const ec2 = mockClient(EC2Client);
  try {
    elb.on(DescribeTargetHealthCommand).resolves({ TargetHealthDescriptions: [target("i-0a", "unused", "Target.InvalidState", "Target is in the stopped state"), target("i-0b", "healthy")] });
    ec2.on(StopInstancesCommand).resolves({ StoppingInstances: [{ InstanceId: "i-0a", CurrentState: { Code: 64, Name: "stopping" } }] });
    ec2.on(StartInstancesCommand).resolves({ StartingInstances: [{ InstanceId: "i-0a", CurrentState: { Code: 0, Name: "pending" } }] });
    const watcher = new TargetHealthWatcher(new ElasticLoadBalancingV2Client({ region: "eu-west-2" }), ARN, 5);
    await watcher.read();
    const control = ec2DrillControl(new EC2Client({ region: "eu-west-2" }), watcher);
    assert.equal(control.targets(), [{ id: "i-0a", state: "unhealthy" }, { id: "i-0b", state: "healthy" }]);
    await control.fail("i-0a", "process-dies");
    assert.equal(ec2.commandCalls(StopInstancesCommand).map((c) => c.args[0].input), [{ InstanceIds: ["i-0a"] }]);
    await control.recover("i-0a", "process-dies");
    assert.equal(ec2.commandCalls(StartInstancesCommand).map((c) => c.args[0].input), [{ InstanceIds: ["i-0a"] }]);
    const refused = await control.fail("i-0b", "health-fails").then(() => undefined, (e: Error) => e.message);
    assert.match(refused ?? "", /drill mode health-fails is not available on the terraform engine: .*needs a shell on the instance/);
    assert.is(ec2.commandCalls(StopInstancesCommand).length, 1, "nothing stopped for the refused mode");
  } finally {
    elb.restore();
    ec2.restore();
  }
});

test("outputs: each missing or ill-typed output named in one ERR_STACK_INVALID", () => {
  const out = (value: unknown, type: unknown = "string") => ({ sensitive: false, type, value });
  const error = (() => {
    try {
      readEnvironmentOutputs({ url: out("ftp://x"), instance_ids: out("i-1") });
    } catch (e) {
      return e as LifecycleError;
    }
    return undefined;
  })();
  assert.is(error?.code, "ERR_STACK_INVALID");
  // Without a target group the engine waits for no health and drills nothing (said at run time): not a problem here.
  assert.not.match(error!.message, /target_group_arn/);
  assert.match(error!.message, /output "instance_ids" is "string", not a list of strings/);
  assert.match(error!.message, /output "url" is "ftp:\/\/x", not an http:\/\/ or https:\/\/ URL/);
  assert.equal(readEnvironmentOutputs({ url: out("https://a.example"), target_group_arn: out(ARN), instance_ids: out(["i-1", "i-2"], ["list", "string"]) }), {
    url: "https://a.example",
    targetGroupArn: ARN,
    instanceIds: ["i-1", "i-2"],
  });
  assert.equal(readEnvironmentOutputs({ url: out("https://a.example") }), { url: "https://a.example" });
});

test("each terraform failure reason has its exit code: 1 for the stack's failures, 4 when resources may be left, 130 cancelled", () => {
  const codes = Object.fromEntries(Object.entries(CODE_OF_REASON).map(([reason, code]) => [reason, exitCodeFor(code)]));
  assert.equal(codes, { "state-locked": 1, "plan-failed": 1, "apply-failed": 1, "smoke-failed": 1, "destroy-failed": 4, cancelled: 130 });
});

test.run();
