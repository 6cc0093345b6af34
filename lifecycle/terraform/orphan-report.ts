/**
 * Resources tagged for a pull request that no state knows about: what a lost or deleted state, a
 * create whose response was lost, or a hand-made copy left behind. Found with the Resource Groups
 * Tagging API (GetResources, tag filters Project=seedstack and PR present), in the sweeper's region,
 * and only LISTED: a resource outside every state cannot be destroyed through one, and deleting by
 * tag alone could hit something a person made on purpose. Note that the Tagging API is eventually
 * consistent: a resource destroyed minutes ago can still be listed.
 */
import type { ResourceGroupsTaggingAPIClient } from "@aws-sdk/client-resource-groups-tagging-api";

/** The Project tag of every seedstack resource (stacks/environment.ts PROJECT_TAG). */
export const PROJECT_TAG_VALUE = "seedstack";

/** One entry of GetResources' ResourceTagMappingList, as far as it is read here. */
export interface TaggedResource {
  readonly ResourceARN?: string;
  readonly Tags?: ReadonlyArray<{ readonly Key?: string; readonly Value?: string }>;
}

/** A resource tagged for a pull request whose environment has no state. */
export interface Orphan {
  readonly arn: string;
  /** The PR tag's number; undefined when the tag is not a PR number. */
  readonly prNumber?: number;
  /** The Stack tag (`pr-12`), or empty. */
  readonly stack: string;
}

/** The orphans among `resources`: tagged PR n, while no state of `pr-<n>` exists (pure). */
export function orphansOf(resources: readonly TaggedResource[], prNumbersWithState: ReadonlySet<number>): Orphan[] {
  const orphans: Orphan[] = [];
  for (const r of resources) {
    if (!r.ResourceARN) continue;
    const tag = (key: string) => r.Tags?.find((t) => t.Key === key)?.Value;
    if (tag("Project") !== PROJECT_TAG_VALUE) continue;
    const pr = tag("PR");
    if (pr === undefined) continue;
    const prNumber = /^[1-9]\d*$/.test(pr) ? Number(pr) : undefined;
    if (prNumber !== undefined && prNumbersWithState.has(prNumber)) continue;
    orphans.push({ arn: r.ResourceARN, ...(prNumber !== undefined ? { prNumber } : {}), stack: tag("Stack") ?? "" });
  }
  return orphans.sort((a, b) => (a.prNumber ?? 0) - (b.prNumber ?? 0) || a.arn.localeCompare(b.arn));
}

/** Every resource tagged Project=seedstack with a PR tag, every page (GetResources). */
export async function listPullRequestResources(options: { readonly region?: string; readonly client?: ResourceGroupsTaggingAPIClient } = {}): Promise<TaggedResource[]> {
  const sdk = await import("@aws-sdk/client-resource-groups-tagging-api");
  const client = options.client ?? new sdk.ResourceGroupsTaggingAPIClient(options.region ? { region: options.region } : {});
  const found: TaggedResource[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new sdk.GetResourcesCommand({ TagFilters: [{ Key: "Project", Values: [PROJECT_TAG_VALUE] }, { Key: "PR" }], ResourcesPerPage: 100, ...(token ? { PaginationToken: token } : {}) }),
    );
    found.push(...(page.ResourceTagMappingList ?? []));
    token = page.PaginationToken || undefined; // "" on the last page
  } while (token);
  return found;
}

/** The report as lines for people: one line per orphan, grouped by PR. */
export function orphanReportLines(orphans: readonly Orphan[]): string[] {
  if (orphans.length === 0) return ["no resource tagged for a pull request lies outside the states"];
  return [
    `${orphans.length} resource(s) tagged for a pull request that no state knows about (listed, not deleted; check and delete them by hand):`,
    ...orphans.map((o) => `  ${o.stack || (o.prNumber !== undefined ? `pr-${o.prNumber}` : "(no Stack tag)")}: ${o.arn}`),
  ];
}
