/**
 * Put the environment's tags on what an Auto Scaling group launches.
 *
 * The AWS provider's default_tags reach every resource Terraform creates, but not the instances
 * and volumes an Auto Scaling group launches (they take their tags from the launch template's
 * tag_specifications), nor the group itself (aws_autoscaling_group has `tag` blocks, not `tags`):
 * https://github.com/hashicorp/terraform-provider-aws/issues/19387. Without this, a PR
 * environment's servers would carry no PR or ExpiresAt tag, and the sweeper could not find them.
 */
import type { IAspect } from "cdktf";
import type { IConstruct } from "constructs";
import { LaunchTemplate, type LaunchTemplateTagSpecifications } from "@cdktf/provider-aws/lib/launch-template/index.js";
import { AutoscalingGroup, type AutoscalingGroupTag } from "@cdktf/provider-aws/lib/autoscaling-group/index.js";

/** The launched resource types that get the tags. */
const LAUNCHED_RESOURCE_TYPES = ["instance", "volume"];

/**
 * An Aspect that adds `tags` to every launch template's instance and volume tag specifications and
 * to every Auto Scaling group. Tags the constructs set themselves (such as Name) win.
 */
export class LaunchedInstanceTags implements IAspect {
  /** @param tags the tags to add (usually the stack's provider default_tags) */
  constructor(private readonly tags: Readonly<Record<string, string>>) {}

  /** Called by cdktf for every construct in the stack at synth time. */
  public visit(node: IConstruct): void {
    if (node instanceof LaunchTemplate) this.tagLaunchTemplate(node);
    else if (node instanceof AutoscalingGroup) this.tagAutoScalingGroup(node);
  }

  private tagLaunchTemplate(template: LaunchTemplate): void {
    const existing = asArray<LaunchTemplateTagSpecifications>(template.tagSpecificationsInput);
    const specs = existing.map((spec) =>
      LAUNCHED_RESOURCE_TYPES.includes(spec.resourceType ?? "") ? { ...spec, tags: { ...this.tags, ...spec.tags } } : spec,
    );
    for (const resourceType of LAUNCHED_RESOURCE_TYPES) {
      if (!specs.some((spec) => spec.resourceType === resourceType)) specs.push({ resourceType, tags: { ...this.tags } });
    }
    template.putTagSpecifications(specs);
  }

  private tagAutoScalingGroup(group: AutoscalingGroup): void {
    const existing = asArray<AutoscalingGroupTag>(group.tagInput);
    const keys = new Set(existing.map((tag) => tag.key));
    // propagate_at_launch false: instances get their tags from the launch template above, and one
    // source per tag avoids the two disagreeing.
    const added = Object.entries(this.tags)
      .filter(([key]) => !keys.has(key))
      .map(([key, value]) => ({ key, value, propagateAtLaunch: false }));
    group.putTag([...existing, ...added]);
  }
}

/** A list input as an array; a token list (unknown until apply) cannot be merged into. */
function asArray<T>(value: T[] | unknown): T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    throw new Error("LaunchedInstanceTags: tag blocks given as a token cannot be merged; pass them as a literal list");
  }
  return [...(value as T[])];
}
