/**
 * MOCKS of the AWS SDK clients the terraform engine calls (aws-sdk-client-mock), for what only a
 * real AWS account could answer: ELBv2 DescribeTargetHealth answers with the health of a LOCAL
 * ENGINE environment standing in for the ALB and its target group (in DescribeTargetHealth's
 * response shape), and EC2 StopInstances / StartInstances are recorded (and, for the local
 * stand-in, kill and restart its instance's process).
 */
import { EC2Client, StartInstancesCommand, StopInstancesCommand } from "@aws-sdk/client-ec2";
import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client, TargetGroupNotFoundException } from "@aws-sdk/client-elastic-load-balancing-v2";
import { mockClient } from "aws-sdk-client-mock";
import type { LocalEnvironment } from "../../local/local-environment.js";

/** A target group ARN of the fixture outputs (the format AWS uses; no such group exists). */
export const FIXTURE_TARGET_GROUP_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/seedstack-classic-tg/0123456789abcdef";

/** The mocks, with their clean-up. */
export interface AwsMocks {
  readonly elb: ReturnType<typeof mockElb>;
  readonly ec2: ReturnType<typeof mockEc2>;
  restore(): void;
}

const mockElb = () => mockClient(ElasticLoadBalancingV2Client);
const mockEc2 = () => mockClient(EC2Client);

/** Mock both clients; DescribeTargetHealth of FIXTURE_TARGET_GROUP_ARN reports `standIn`'s targets. */
export function mockAwsWithStandIn(standIn: LocalEnvironment): AwsMocks {
  const elb = mockElb();
  const ec2 = mockEc2();
  elb.on(DescribeTargetHealthCommand).callsFake(async (input: { TargetGroupArn?: string }) => {
    if (input.TargetGroupArn !== FIXTURE_TARGET_GROUP_ARN) {
      throw new TargetGroupNotFoundException({ message: `Target groups '${input.TargetGroupArn}' not found`, $metadata: { httpStatusCode: 400 } });
    }
    return {
      TargetHealthDescriptions: standIn.targets().map((t) => ({
        Target: { Id: t.id, Port: 8080 },
        HealthCheckPort: "8080",
        TargetHealth: t.state === "healthy" ? { State: "healthy" } : { State: t.state, Reason: "Target.FailedHealthChecks", Description: "Health checks failed" },
      })),
    };
  });
  ec2.on(StopInstancesCommand).callsFake(async (input: { InstanceIds?: string[] }) => {
    for (const id of input.InstanceIds ?? []) await standIn.killInstance(id);
    return { StoppingInstances: (input.InstanceIds ?? []).map((id) => ({ InstanceId: id, CurrentState: { Code: 64, Name: "stopping" }, PreviousState: { Code: 16, Name: "running" } })) };
  });
  ec2.on(StartInstancesCommand).callsFake(async (input: { InstanceIds?: string[] }) => {
    for (const id of input.InstanceIds ?? []) await standIn.restartInstance(id);
    return { StartingInstances: (input.InstanceIds ?? []).map((id) => ({ InstanceId: id, CurrentState: { Code: 0, Name: "pending" }, PreviousState: { Code: 80, Name: "stopped" } })) };
  });
  return {
    elb,
    ec2,
    restore() {
      elb.restore();
      ec2.restore();
    },
  };
}
