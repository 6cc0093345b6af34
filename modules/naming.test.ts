import { test } from "uvu";
import * as assert from "uvu/assert";
import { physicalName, reservedStartProblem, validateGeneratedName, validateNamePrefix } from "./naming.js";

test("physicalName joins prefix and suffix when it fits", () => {
  assert.is(physicalName("pr-12", "alb", 32), "pr-12-alb");
});

test("physicalName shortens with a stable hash and respects the limit", () => {
  const a = physicalName("pr-123456789012345", "targets-http-1234", 32);
  const b = physicalName("pr-123456789012345", "targets-http-1235", 32);
  assert.ok(a.length <= 32, a);
  assert.is.not(a, b);
  assert.is(a, physicalName("pr-123456789012345", "targets-http-1234", 32));
  assert.not.ok(a.includes("--"));
});

test("validateNamePrefix accepts simple prefixes, up to 20 characters", () => {
  for (const ok of ["a", "pr-1", "seedstack", "classic2", "x".repeat(20)]) {
    assert.not.throws(() => validateNamePrefix(ok, "T"), ok);
  }
});

test("validateNamePrefix names the bad prefix", () => {
  for (const bad of ["", "Pr-1", "1pr", "pr-", "pr--1", "pr_1", "x".repeat(21)]) {
    assert.throws(() => validateNamePrefix(bad, "LoadBalancer"), (e: Error) =>
      e.message.startsWith("LoadBalancer: namePrefix") && e.message.includes(JSON.stringify(bad)));
  }
});

test("generated names are checked like explicit ones: AWS's reserved starts are refused, naming prefix, name and rule", () => {
  assert.throws(
    () => validateGeneratedName("LoadBalancer", "internal", "load balancer", "internal-alb"),
    (e: Error) =>
      e.message ===
      'LoadBalancer: namePrefix "internal" gives the load balancer name "internal-alb"; AWS does not allow load balancer names that start with "internal-"; choose another namePrefix',
  );
  assert.is(validateGeneratedName("LoadBalancer", "intern", "load balancer", "intern-alb"), "intern-alb");
  // Each rule belongs to its kind of resource: "internal-" is fine for a bucket.
  assert.is(reservedStartProblem("internal-artifacts-", "S3 bucket"), undefined);
  assert.is(reservedStartProblem("sthree-artifacts-", "S3 bucket"), 'AWS does not allow S3 bucket names that start with "sthree-"');
  assert.is(reservedStartProblem("amzn-s3-demo-artifacts-", "S3 bucket"), 'AWS does not allow S3 bucket names that start with "amzn-s3-demo-"');
  assert.is(reservedStartProblem("sg-web", "security group"), 'AWS does not allow security group names that start with "sg-"');
});

test.run();
