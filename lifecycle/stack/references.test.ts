import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parseReference } from "./references.js";

const test = suite("references");

test("a whole-string reference resolves to its resource's address; anything else does not", () => {
  assert.is(parseReference("${aws_security_group.lb_sg_ADA6ADBE.id}")?.address, "aws_security_group.lb_sg_ADA6ADBE");
  assert.is(parseReference("${aws_lb.lb_alb_3A88C95E.arn}")?.address, "aws_lb.lb_alb_3A88C95E");
  assert.is(parseReference("sg-0123"), undefined);
  assert.is(parseReference('${join(",", [a.b.c])}'), undefined);
  assert.is(parseReference("${data.aws_region.current.name}"), undefined);
});

test.run();
