/**
 * The Tagging API STAND-IN (tagging-stand-in.ts) answers the real AWS SDK client as AWS would:
 * tag filters ANDed, a filter's Values ORed, a filter without Values matching any value of its key,
 * resource-type filters read from the ARN, and every request's body recorded in the API's own JSON.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient, type GetResourcesCommandInput } from "@aws-sdk/client-resource-groups-tagging-api";
import { startTaggingStandIn, type StandInTaggedResource } from "./tagging-stand-in.js";

const tags = (pairs: Record<string, string>) => Object.entries(pairs).map(([Key, Value]) => ({ Key, Value }));
const VPC_PR_9 = "arn:aws:ec2:us-east-1:123456789012:vpc/vpc-0a1b2c3d4e5f60718";
const BUCKET_PR_4 = "arn:aws:s3:::seedstack-pr-4-assets";
const VPC_OTHER = "arn:aws:ec2:us-east-1:123456789012:vpc/vpc-0c1d2e3f4a5b60799";
const INSTANCE_NO_PR = "arn:aws:ec2:us-east-1:123456789012:instance/i-0f1e2d3c4b5a69788";
const RESOURCES: StandInTaggedResource[] = [
  { ResourceARN: VPC_PR_9, Tags: tags({ Project: "seedstack", PR: "9" }) },
  { ResourceARN: BUCKET_PR_4, Tags: tags({ Project: "seedstack", PR: "4" }) },
  { ResourceARN: VPC_OTHER, Tags: tags({ Project: "webshop", PR: "9" }) },
  { ResourceARN: INSTANCE_NO_PR, Tags: tags({ Project: "seedstack" }) },
];

async function ask(input: GetResourcesCommandInput): Promise<{ arns: string[]; recorded: unknown }> {
  const standIn = await startTaggingStandIn(RESOURCES);
  const client = new ResourceGroupsTaggingAPIClient({ endpoint: standIn.url, region: "us-east-1", credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" } });
  try {
    const page = await client.send(new GetResourcesCommand(input));
    assert.is(page.PaginationToken, "", "one page, the last");
    assert.equal(standIn.targets, ["ResourceGroupsTaggingAPI_20170126.GetResources"]);
    return { arns: (page.ResourceTagMappingList ?? []).map((r) => r.ResourceARN!), recorded: standIn.requests[0]?.body };
  } finally {
    client.destroy();
    await standIn.close();
  }
}

test("no filters: every resource", async () => {
  assert.equal((await ask({})).arns, [VPC_PR_9, BUCKET_PR_4, VPC_OTHER, INSTANCE_NO_PR]);
});

test("tag filters: all of them must match; no Values means any value of the key; the body is recorded as sent", async () => {
  const TagFilters = [{ Key: "Project", Values: ["seedstack"] }, { Key: "PR" }];
  const { arns, recorded } = await ask({ TagFilters, ResourcesPerPage: 100 });
  assert.equal(arns, [VPC_PR_9, BUCKET_PR_4]);
  assert.equal(recorded, { TagFilters, ResourcesPerPage: 100 });
});

test("a filter's Values: any one of them", async () => {
  assert.equal((await ask({ TagFilters: [{ Key: "Project", Values: ["webshop", "seedstack"] }, { Key: "PR", Values: ["9"] }] })).arns, [VPC_PR_9, VPC_OTHER]);
});

test("resource type filters, read from the ARN: a service, or service:type", async () => {
  assert.equal((await ask({ ResourceTypeFilters: ["s3"] })).arns, [BUCKET_PR_4]);
  assert.equal((await ask({ ResourceTypeFilters: ["ec2:vpc"] })).arns, [VPC_PR_9, VPC_OTHER]);
  assert.equal((await ask({ ResourceTypeFilters: ["ec2:instance", "s3"], TagFilters: [{ Key: "Project", Values: ["seedstack"] }] })).arns, [BUCKET_PR_4, INSTANCE_NO_PR]);
});

test.run();
