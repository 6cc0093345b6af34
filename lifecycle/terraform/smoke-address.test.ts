import { test } from "uvu";
import * as assert from "uvu/assert";
import { smokeConnectTo } from "./smoke-address.js";

const ALB = "seedstack-pr-12-alb-123456789.us-east-1.elb.amazonaws.com";

test("smokeConnectTo: a certificate's name is reached through the ALB's own DNS name; the ALB's URL needs nothing", () => {
  assert.is(smokeConnectTo("https://pr-12.example.com", ALB), ALB);
  assert.is(smokeConnectTo(`https://${ALB}`, ALB), undefined);
  assert.is(smokeConnectTo(`http://${ALB.toUpperCase()}/`, ALB), undefined);
  assert.is(smokeConnectTo("https://pr-12.example.com", undefined), undefined);
  assert.is(smokeConnectTo("not a url", ALB), undefined);
});

test.run();
