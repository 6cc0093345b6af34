/**
 * STAND-IN for AWS's Resource Groups Tagging API on a loopback port: answers GetResources (the one
 * call the sweeper's orphan report makes) in the API's own wire format, AWS JSON 1.1 (POST /,
 * `X-Amz-Target: ResourceGroupsTaggingAPI_20170126.GetResources`, an
 * `application/x-amz-json-1.1` body with `ResourceTagMappingList` and an empty `PaginationToken` on
 * the last page). The AWS SDK finds it through AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API, so a
 * sweep in a test never reaches AWS. It returns every resource it holds, whatever the filters say:
 * the filtering that matters (Project=seedstack, a PR tag, no state) is the sweeper's own.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** One tagged resource, as GetResources lists it. */
export interface StandInTaggedResource {
  readonly ResourceARN: string;
  readonly Tags: ReadonlyArray<{ readonly Key: string; readonly Value: string }>;
}

/** The running stand-in. */
export interface TaggingStandIn {
  /** For AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API. */
  readonly url: string;
  /** The X-Amz-Target of every request, in order. */
  readonly targets: string[];
  close(): Promise<void>;
}

/** Start the stand-in holding `resources`. */
export async function startTaggingStandIn(resources: readonly StandInTaggedResource[]): Promise<TaggingStandIn> {
  const targets: string[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const target = String(req.headers["x-amz-target"] ?? "");
      targets.push(target);
      const reply = (status: number, body: unknown) => res.writeHead(status, { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": "6f1c2a4e-0d3b-4e5f-9a8b-7c6d5e4f3a2b" }).end(JSON.stringify(body));
      if (req.method === "POST" && target === "ResourceGroupsTaggingAPI_20170126.GetResources") reply(200, { PaginationToken: "", ResourceTagMappingList: resources });
      else reply(400, { __type: "com.amazon.coral.service#UnknownOperationException", message: `the stand-in answers GetResources only, not ${target || "(no X-Amz-Target)"}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    targets,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
