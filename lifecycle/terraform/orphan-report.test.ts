/**
 * The orphan report: the pure choice on literal GetResources entries, and the listing through the
 * SDK client with the Tagging API MOCKED (aws-sdk-client-mock; only a real account can answer it),
 * in GetResources' response shape with its pagination token.
 */
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient } from "@aws-sdk/client-resource-groups-tagging-api";
import { mockClient } from "aws-sdk-client-mock";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { listPullRequestResources, orphanReportLines, orphansOf } from "./orphan-report.js";

const tags = (t: Record<string, string>) => Object.entries(t).map(([Key, Value]) => ({ Key, Value }));
const ALB_12 = { ResourceARN: "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/seedstack-pr-12-alb/abc", Tags: tags({ Project: "seedstack", Stack: "pr-12", PR: "12" }) };
const VPC_7 = { ResourceARN: "arn:aws:ec2:us-east-1:123456789012:vpc/vpc-0a1b", Tags: tags({ Project: "seedstack", Stack: "pr-7", PR: "7" }) };
const CLASSIC = { ResourceARN: "arn:aws:ec2:us-east-1:123456789012:vpc/vpc-9", Tags: tags({ Project: "seedstack", Stack: "classic" }) };
const OTHER = { ResourceARN: "arn:aws:ec2:us-east-1:123456789012:vpc/vpc-8", Tags: tags({ Project: "other", PR: "7" }) };

test("orphansOf: PR-tagged resources without a state; resources of a state, long-lived ones and other projects are not", () => {
  assert.equal(orphansOf([ALB_12, VPC_7, CLASSIC, OTHER], new Set([12])), [{ arn: VPC_7.ResourceARN, prNumber: 7, stack: "pr-7" }]);
  assert.equal(orphansOf([ALB_12, VPC_7], new Set([7, 12])), []);
});

test("orphanReportLines: says they are listed, not deleted", () => {
  const lines = orphanReportLines(orphansOf([VPC_7], new Set()));
  assert.match(lines[0]!, /1 resource\(s\) tagged for a pull request that no state knows about \(listed, not deleted/);
  assert.is(lines[1], `  pr-7: ${VPC_7.ResourceARN}`);
  assert.equal(orphanReportLines([]), ["no resource tagged for a pull request lies outside the states"]);
});

test("listPullRequestResources: filters on Project=seedstack and the PR tag, follows every page", async () => {
  const mock = mockClient(ResourceGroupsTaggingAPIClient);
  try {
    mock.on(GetResourcesCommand).callsFake(async (input: { PaginationToken?: string }) =>
      input.PaginationToken === "page-2" ? { PaginationToken: "", ResourceTagMappingList: [VPC_7] } : { PaginationToken: "page-2", ResourceTagMappingList: [ALB_12] },
    );
    const found = await listPullRequestResources({ client: new ResourceGroupsTaggingAPIClient({ region: "us-east-1" }) });
    assert.equal(found.map((r) => r.ResourceARN), [ALB_12.ResourceARN, VPC_7.ResourceARN]);
    const calls = mock.commandCalls(GetResourcesCommand).map((c) => c.args[0].input);
    assert.is(calls.length, 2);
    assert.equal(calls[0]!.TagFilters, [{ Key: "Project", Values: ["seedstack"] }, { Key: "PR" }]);
    assert.is(calls[1]!.PaginationToken, "page-2");
  } finally {
    mock.restore();
  }
});

test.run();
