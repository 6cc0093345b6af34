/**
 * The AWS STAND-IN (aws-stand-in.ts) on its own: the wire formats the real provider parses. The
 * plan tests (plan-stacks.test.ts) show the real provider accepting these answers; here each
 * answer's shape is checked against AWS's documented formats, and every unsupported call against
 * the error a new data source must meet.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { startAwsStandIn, type AwsStandIn } from "./aws-stand-in.js";

let standIn: AwsStandIn;

test.before(async () => {
  standIn = await startAwsStandIn();
});
test.after(async () => {
  await standIn.close();
});

/** A SigV4 Authorization header for `service` in `region` (the stand-in reads the scope; it does not check signatures). */
function auth(service: string, region = "us-east-1"): string {
  return `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20250131/${region}/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=${"0".repeat(64)}`;
}

function query(service: string, body: string, region?: string): Promise<Response> {
  return fetch(standIn.url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8", authorization: auth(service, region) },
    body,
  });
}

function json11(target: string, body: unknown): Promise<Response> {
  return fetch(standIn.url, {
    method: "POST",
    headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": target, authorization: auth("ssm") },
    body: JSON.stringify(body),
  });
}

test("EC2 DescribeAvailabilityZones: the 2016-11-15 XML, zones of the signing region, filters applied", async () => {
  const res = await query(
    "ec2",
    "Action=DescribeAvailabilityZones&Version=2016-11-15&Filter.1.Name=opt-in-status&Filter.1.Value.1=opt-in-not-required&Filter.2.Name=state&Filter.2.Value.1=available",
    "eu-west-2",
  );
  assert.is(res.status, 200);
  assert.match(res.headers.get("content-type")!, "text/xml");
  const xml = await res.text();
  assert.match(xml, '<DescribeAvailabilityZonesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">');
  assert.match(xml, /<requestId>[0-9a-f-]{36}<\/requestId>/);
  assert.equal([...xml.matchAll(/<zoneName>([^<]+)<\/zoneName>/g)].map((m) => m[1]), ["eu-west-2a", "eu-west-2b", "eu-west-2c"]);
  assert.match(xml, "<item><zoneName>eu-west-2a</zoneName><zoneState>available</zoneState><regionName>eu-west-2</regionName><messageSet/><zoneId>euw2-az1</zoneId>");
  assert.match(xml, "<optInStatus>opt-in-not-required</optInStatus>");

  const none = await (await query("ec2", "Action=DescribeAvailabilityZones&Version=2016-11-15&Filter.1.Name=state&Filter.1.Value.1=impaired")).text();
  assert.not.match(none, "<item>");
  const named = await (await query("ec2", "Action=DescribeAvailabilityZones&Version=2016-11-15&ZoneName.1=us-east-1b")).text();
  assert.equal([...named.matchAll(/<zoneName>([^<]+)<\/zoneName>/g)].map((m) => m[1]), ["us-east-1b"]);
});

test("EC2 DescribeInstanceTypeOfferings: per-zone offerings of the filtered type, the first zone without the t3 family", async () => {
  const offerings = async (body: string) => {
    const res = await query("ec2", `Action=DescribeInstanceTypeOfferings&Version=2016-11-15&${body}`);
    assert.is(res.status, 200);
    const xml = await res.text();
    assert.match(xml, '<DescribeInstanceTypeOfferingsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">');
    return [...xml.matchAll(/<item><instanceType>([^<]+)<\/instanceType><locationType>([^<]+)<\/locationType><location>([^<]+)<\/location><\/item>/g)].map((m) => `${m[1]} ${m[2]} ${m[3]}`);
  };
  assert.equal(await offerings("LocationType=availability-zone&Filter.1.Name=instance-type&Filter.1.Value.1=t3.micro"), [
    "t3.micro availability-zone us-east-1b",
    "t3.micro availability-zone us-east-1c",
  ]);
  assert.equal(await offerings("LocationType=availability-zone&Filter.1.Name=instance-type&Filter.1.Value.1=t4g.micro&Filter.2.Name=location&Filter.2.Value.1=us-east-1a"), [
    "t4g.micro availability-zone us-east-1a",
  ]);
  assert.equal(await offerings("LocationType=region&Filter.1.Name=instance-type&Filter.1.Value.1=t3.micro"), ["t3.micro region us-east-1"]);
  const bad = await query("ec2", "Action=DescribeInstanceTypeOfferings&Version=2016-11-15&Filter.1.Name=vcpu&Filter.1.Value.1=2");
  assert.is(bad.status, 400);
});

test("EC2: an invalid filter is InvalidParameterValue; any other action is an EC2 error naming it", async () => {
  const bad = await query("ec2", "Action=DescribeAvailabilityZones&Version=2016-11-15&Filter.1.Name=colour&Filter.1.Value.1=red");
  assert.is(bad.status, 400);
  assert.match(await bad.text(), "<Response><Errors><Error><Code>InvalidParameterValue</Code><Message>The filter 'colour' is invalid");
  const other = await query("ec2", "Action=DescribeNatGateways&Version=2016-11-15");
  assert.is(other.status, 400);
  const xml = await other.text();
  assert.match(xml, "<Response><Errors><Error><Code>UnsupportedOperation</Code><Message>seedstack's AWS stand-in does not answer ec2:DescribeNatGateways");
  assert.match(xml, /<RequestID>[0-9a-f-]{36}<\/RequestID><\/Response>$/);
});

test("SSM GetParameter (JSON 1.1): the AL2023 AMI parameter; an unknown name is ParameterNotFound; another action UnknownOperationException", async () => {
  const name = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";
  const res = await json11("AmazonSSM.GetParameter", { Name: name, WithDecryption: true });
  assert.is(res.status, 200);
  assert.is(res.headers.get("content-type"), "application/x-amz-json-1.1");
  assert.equal(await res.json(), {
    Parameter: { ARN: `arn:aws:ssm:us-east-1::parameter${name}`, DataType: "text", LastModifiedDate: 1735689600, Name: name, Type: "String", Value: "ami-0123456789abcdef0", Version: 101 },
  });

  const missing = await json11("AmazonSSM.GetParameter", { Name: "/not/there" });
  assert.is(missing.status, 400);
  assert.is(missing.headers.get("x-amzn-errortype"), "ParameterNotFound");
  assert.is(((await missing.json()) as { __type: string }).__type, "ParameterNotFound");

  const other = await json11("AmazonSSM.GetParametersByPath", { Path: "/aws" });
  assert.is(other.status, 400);
  assert.equal(await other.json(), {
    __type: "UnknownOperationException",
    message: "seedstack's AWS stand-in does not answer ssm:GetParametersByPath; teach test/terraform/aws-stand-in-services.ts this call (in AWS's wire format) if a stack now needs it",
  });
});

test("STS GetCallerIdentity: the 2011-06-15 XML with the stand-in's account", async () => {
  const res = await query("sts", "Action=GetCallerIdentity&Version=2011-06-15");
  assert.is(res.status, 200);
  const xml = await res.text();
  assert.match(xml, '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n  <GetCallerIdentityResult>');
  assert.match(xml, "<Account>123456789012</Account>");
  assert.match(xml, "<Arn>arn:aws:iam::123456789012:user/seedstack-stand-in</Arn>");
  assert.match(xml, /<ResponseMetadata>\n    <RequestId>[0-9a-f-]{36}<\/RequestId>/);
  const other = await query("sts", "Action=AssumeRole&Version=2011-06-15");
  assert.is(other.status, 400);
  assert.match(await other.text(), "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n  <Error>\n    <Type>Sender</Type>\n    <Code>UnsupportedOperation</Code>");
});

test("a service the stand-in does not know, and an unsigned request, are refused naming the call", async () => {
  const elb = await query("elasticloadbalancing", "Action=DescribeLoadBalancers&Version=2015-12-01");
  assert.is(elb.status, 400);
  assert.match(await elb.text(), "does not answer elasticloadbalancing:DescribeLoadBalancers");
  const unsigned = await fetch(standIn.url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "Action=GetCallerIdentity" });
  assert.is(unsigned.status, 403);
  assert.match(await unsigned.text(), "answers only SigV4-signed requests; got an unsigned GetCallerIdentity");
});

test("every request is recorded with its service, region, action and status", async () => {
  const fresh = await startAwsStandIn();
  try {
    await fetch(fresh.url, { method: "POST", headers: { authorization: auth("sts", "eu-west-2") }, body: "Action=GetCallerIdentity&Version=2011-06-15" });
    await fetch(fresh.url, { method: "POST", headers: { authorization: auth("ec2") }, body: "Action=DescribeNatGateways" });
    assert.equal(fresh.requests, [
      { service: "sts", region: "eu-west-2", action: "GetCallerIdentity", status: 200 },
      { service: "ec2", region: "us-east-1", action: "DescribeNatGateways", status: 400 },
    ]);
  } finally {
    await fresh.close();
  }
});

test.run();
