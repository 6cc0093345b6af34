/**
 * STAND-IN for AWS's Resource Groups Tagging API on a loopback port: answers GetResources (the one
 * call the sweeper's orphan report makes) in the API's own wire format, AWS JSON 1.1 (POST /,
 * `X-Amz-Target: ResourceGroupsTaggingAPI_20170126.GetResources`, an
 * `application/x-amz-json-1.1` body with `ResourceTagMappingList` and an empty `PaginationToken` on
 * the last page). The AWS SDK finds it through AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API, so a
 * sweep in a test never reaches AWS.
 *
 * It filters as AWS does, so a request without the sweeper's filters gets what AWS would send
 * back, and it records each request's body for the test to check the filters themselves:
 * - TagFilters `[{Key, Values}]`: a resource must match every filter; a filter matches a tag with
 *   its Key and, when Values is given and not empty, one of its Values (no Values: any value);
 * - ResourceTypeFilters `["service[:type]"]`: a resource must match one of them, read from its ARN
 *   (`arn:aws:ec2:...:vpc/vpc-0a1b...` is service `ec2`, type `vpc`).
 * Everything that matches comes on one page (the sweeper asks for 100 a page; a test holds fewer).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** One tagged resource, as GetResources lists it. */
export interface StandInTaggedResource {
  readonly ResourceARN: string;
  readonly Tags: ReadonlyArray<{ readonly Key: string; readonly Value: string }>;
}

/** The part of a GetResources request body the stand-in reads (the API's own field names). */
export interface GetResourcesBody {
  readonly TagFilters?: ReadonlyArray<{ readonly Key: string; readonly Values?: readonly string[] }>;
  readonly ResourceTypeFilters?: readonly string[];
  readonly [field: string]: unknown;
}

/** One request the stand-in received. */
export interface TaggingRequest {
  /** Its X-Amz-Target header. */
  readonly target: string;
  /** Its JSON body, parsed (undefined when it was not JSON). */
  readonly body: GetResourcesBody | undefined;
}

/** The running stand-in. */
export interface TaggingStandIn {
  /** For AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API. */
  readonly url: string;
  /** The X-Amz-Target of every request, in order. */
  readonly targets: string[];
  /** Every request, in order. */
  readonly requests: TaggingRequest[];
  close(): Promise<void>;
}

const GET_RESOURCES = "ResourceGroupsTaggingAPI_20170126.GetResources";

/** Whether `resource` is one that GetResources with `body`'s filters returns (see the header). */
export function matchesFilters(resource: StandInTaggedResource, body: GetResourcesBody): boolean {
  const tagsMatch = (body.TagFilters ?? []).every((filter) =>
    resource.Tags.some((tag) => tag.Key === filter.Key && (filter.Values === undefined || filter.Values.length === 0 || filter.Values.includes(tag.Value))),
  );
  const [, , service = "", , , resourcePart = ""] = resource.ResourceARN.split(":");
  const type = resourcePart.split("/")[0]!;
  const typeFilters = body.ResourceTypeFilters ?? [];
  const typeMatches = typeFilters.length === 0 || typeFilters.some((f) => f === service || f === `${service}:${type}`);
  return tagsMatch && typeMatches;
}

/** Start the stand-in holding `resources`. */
export async function startTaggingStandIn(resources: readonly StandInTaggedResource[]): Promise<TaggingStandIn> {
  const targets: string[] = [];
  const requests: TaggingRequest[] = [];
  const server = createServer((req, res) => {
    let text = "";
    req.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
    req.on("end", () => {
      const target = String(req.headers["x-amz-target"] ?? "");
      let body: GetResourcesBody | undefined;
      try {
        body = JSON.parse(text) as GetResourcesBody;
      } catch {
        body = undefined;
      }
      targets.push(target);
      requests.push({ target, body });
      const reply = (status: number, answer: unknown) => res.writeHead(status, { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": "6f1c2a4e-0d3b-4e5f-9a8b-7c6d5e4f3a2b" }).end(JSON.stringify(answer));
      if (req.method !== "POST" || target !== GET_RESOURCES) reply(400, { __type: "com.amazon.coral.service#UnknownOperationException", message: `the stand-in answers GetResources only, not ${target || "(no X-Amz-Target)"}` });
      else if (body === undefined || body === null || typeof body !== "object" || Array.isArray(body)) reply(400, { __type: "com.amazon.coral.service#SerializationException", message: "the request body is not a JSON object" });
      else reply(200, { PaginationToken: "", ResourceTagMappingList: resources.filter((r) => matchesFilters(r, body)) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    targets,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
