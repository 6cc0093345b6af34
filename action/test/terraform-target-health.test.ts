/**
 * The action's wait for healthy targets on engine terraform. AWS's ELBv2 API is not reachable here:
 * DescribeTargetHealth is answered by aws-sdk-client-mock (a MOCK of the AWS SDK client, in the
 * shapes the SDK returns).
 */
import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client, type TargetHealthDescription, type TargetHealthStateEnum } from "@aws-sdk/client-elastic-load-balancing-v2";
import { mockClient } from "aws-sdk-client-mock";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { LifecycleEvent } from "../../lifecycle/events.js";
import { waitForTargets } from "../src/terraform-target-health.js";

const ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/seeds-abc/0123456789abcdef";
const STACK = { provider: { aws: [{ region: "us-east-1" }] } };
const outputs = { target_group_arn: { value: ARN, sensitive: false, type: "string" } } as never;

function target(id: string, State: TargetHealthStateEnum, Reason?: string): TargetHealthDescription {
  return { Target: { Id: id, Port: 8080 }, TargetHealth: { State, ...(Reason ? { Reason: Reason as never, Description: `${Reason} (mock)` } : {}) } };
}

function context() {
  const events: LifecycleEvent[] = [];
  return { events, ctx: { signal: new AbortController().signal, onEvent: (e: LifecycleEvent) => void events.push(e) } };
}

test("waits until every expected target is healthy, reading the target group named by the output", async () => {
  const elb = mockClient(ElasticLoadBalancingV2Client);
  elb
    .on(DescribeTargetHealthCommand, { TargetGroupArn: ARN })
    .resolvesOnce({ TargetHealthDescriptions: [target("i-1", "initial", "Elb.RegistrationInProgress"), target("i-2", "initial")] })
    .resolvesOnce({ TargetHealthDescriptions: [target("i-1", "healthy"), target("i-2", "unhealthy", "Target.FailedHealthChecks")] })
    .resolves({ TargetHealthDescriptions: [target("i-1", "healthy"), target("i-2", "healthy")] });
  const { ctx } = context();
  const result = await waitForTargets(outputs, { expectedTargets: 2, stackJson: STACK, ctx, client: new ElasticLoadBalancingV2Client({ region: "us-east-1" }), pollMs: 1, deadlineMs: 5_000 });
  assert.equal(result, { status: "healthy" });
  assert.is(elb.commandCalls(DescribeTargetHealthCommand).length, 3);
  elb.restore();
});

test("targets still unhealthy at the deadline: failed, naming each target's state and AWS's reason", async () => {
  const elb = mockClient(ElasticLoadBalancingV2Client);
  elb.on(DescribeTargetHealthCommand).resolves({ TargetHealthDescriptions: [target("i-1", "healthy"), target("i-2", "unhealthy", "Target.ResponseCodeMismatch")] });
  const { ctx } = context();
  const result = await waitForTargets(outputs, { expectedTargets: 2, stackJson: STACK, ctx, client: new ElasticLoadBalancingV2Client({ region: "us-east-1" }), pollMs: 1, deadlineMs: 30 });
  assert.is(result.status, "failed");
  if (result.status !== "failed") return;
  assert.match(result.message, /1 of 2 targets healthy in target group arn:aws:elasticloadbalancing/);
  assert.match(result.message, /i-2: unhealthy \(Target\.ResponseCodeMismatch\)/);
  elb.restore();
});

test("a stack without a target_group_arn output is not waited for, and says why", async () => {
  const elb = mockClient(ElasticLoadBalancingV2Client);
  const { ctx } = context();
  const result = await waitForTargets({ url: { value: "http://127.0.0.1:1", sensitive: false, type: "string" } } as never, { expectedTargets: 1, stackJson: {}, ctx, client: new ElasticLoadBalancingV2Client({ region: "us-east-1" }) });
  assert.equal(result, { status: "skipped", why: "the stack has no target_group_arn output to wait on" });
  assert.is(elb.commandCalls(DescribeTargetHealthCommand).length, 0);
  elb.restore();
});

test.run();
