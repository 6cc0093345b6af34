import { test } from "uvu";
import * as assert from "uvu/assert";
import { stickinessCookies } from "./stickiness.js";

test("AWSALB and AWSALBCORS name the target and expire after the stack's duration", () => {
  const cookies = stickinessCookies(3600);
  const [alb, cors] = cookies.setCookies("i-0abc", new Date("2026-01-01T00:00:00Z"));
  assert.match(alb!, /^AWSALB=[^;]+; Expires=Thu, 01 Jan 2026 01:00:00 GMT; Path=\/$/);
  assert.match(cors!, /^AWSALBCORS=[^;]+; Expires=Thu, 01 Jan 2026 01:00:00 GMT; Path=\/; SameSite=None; Secure$/);
  const value = alb!.split(";")[0]!;
  assert.is(cookies.targetOf(`other=1; ${value}`), "i-0abc");
});

test("a forged or foreign cookie names no target", () => {
  const cookies = stickinessCookies(60);
  const forged = `AWSALB=${Buffer.from("i-0evil").toString("base64url")}.AAAAAAAAAAAAAAAAAAAAAA`;
  assert.is(cookies.targetOf(forged), undefined);
  const other = stickinessCookies(60).setCookies("i-0abc")[0]!.split(";")[0]!;
  assert.is(cookies.targetOf(other), undefined);
  assert.is(cookies.targetOf(undefined), undefined);
});

test.run();
