import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  al2023AmiParameterName,
  architectureOf,
  IMDSV2_METADATA_OPTIONS,
  isEbsOptimizedByDefault,
  launchTemplateRootVolume,
  rootBlockDevice,
  validateInstanceType,
  validateRootVolumeSize,
} from "./instance-hardening.js";

test("Graviton instance types are arm64, everything else x86_64", () => {
  for (const type of ["t4g.micro", "t4g.small", "m7g.large", "c7gn.xlarge", "r8g.medium", "x2gd.large", "im4gn.large", "m6gd.large", "a1.medium", "g5g.xlarge"]) {
    assert.is(architectureOf(type), "arm64", type);
  }
  for (const type of ["t3.micro", "t2.micro", "m5.large", "c6i.large", "g4dn.xlarge", "g5.xlarge", "m7i-flex.large", "t3a.nano", "m6a.large"]) {
    assert.is(architectureOf(type), "x86_64", type);
  }
});

test("EBS-optimized by default: every current-generation type, not t1/t2 or other previous generations", () => {
  for (const type of ["t3.micro", "t3a.nano", "t4g.micro", "m5.large", "m4.large", "c4.large", "c5n.large", "m7i-flex.large", "r5n.large"]) {
    assert.ok(isEbsOptimizedByDefault(type), type);
  }
  for (const type of ["t2.micro", "t2.large", "t1.micro", "m3.medium", "m1.small", "c3.large", "r3.large", "i2.xlarge", "hs1.8xlarge"]) {
    assert.not.ok(isEbsOptimizedByDefault(type), type);
  }
});

test("the AL2023 AMI comes from the public SSM parameter for the architecture", () => {
  assert.is(al2023AmiParameterName("t3.micro"), "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64");
  assert.is(al2023AmiParameterName("t4g.micro"), "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64");
});

test("IMDSv2 required with hop limit 1", () => {
  assert.is(IMDSV2_METADATA_OPTIONS.httpTokens, "required");
  assert.is(IMDSV2_METADATA_OPTIONS.httpPutResponseHopLimit, 1);
  assert.is(IMDSV2_METADATA_OPTIONS.httpEndpoint, "enabled");
});

test("root volumes are encrypted gp3, for instances and launch templates alike", () => {
  assert.equal(rootBlockDevice(), { volumeType: "gp3", volumeSize: 8, encrypted: true, deleteOnTermination: true });
  assert.equal(rootBlockDevice(20).volumeSize, 20);
  const lt = launchTemplateRootVolume(12);
  assert.is(lt.deviceName, "/dev/xvda");
  assert.equal(lt.ebs, { volumeType: "gp3", volumeSize: 12, encrypted: "true", deleteOnTermination: "true" });
});

test("validation names what was given", () => {
  assert.throws(() => validateInstanceType("micro", "X"), /X: instanceType.*got "micro"/);
  assert.throws(() => validateInstanceType("T3.MICRO", "X"), /got "T3\.MICRO"/);
  assert.not.throws(() => validateInstanceType("m7i-flex.large", "X"));
  assert.throws(() => validateRootVolumeSize(4, "X"), /rootVolumeSize.*from 8.*got 4/);
  assert.throws(() => validateRootVolumeSize(8.5, "X"), /got 8\.5/);
  assert.throws(() => architectureOf("nope"), /"nope"/);
});

test.run();
