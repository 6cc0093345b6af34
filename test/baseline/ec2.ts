/**
 * EC2 rules, applied to instances AND launch templates (scanners check templates only partly,
 * so the baseline does it here): IMDSv2 with hop limit 1, encrypted volumes, no public IP, an
 * instance profile.
 */
import { block, blocks, isTrue, num, referencedResources, resourcesOf, type Attributes, type Resource, type SynthJson } from "../synth-json.js";
import type { Violation } from "./violation.js";

/** Check every aws_instance, aws_launch_template and the subnets of every Auto Scaling group. */
export function checkCompute(stack: SynthJson): Violation[] {
  const violations: Violation[] = [];
  const servers = resourcesOf(stack, "aws_instance", "aws_launch_template");

  for (const server of servers) {
    violations.push(...checkMetadataOptions(server));
    if (server.type === "aws_instance") {
      violations.push(...checkInstanceVolumes(server));
      violations.push(...checkInstancePublicIp(stack, server));
      if (typeof server.attrs.iam_instance_profile !== "string" || server.attrs.iam_instance_profile === "") {
        violations.push({ rule: "CKV2_AWS_41", resource: server.address, message: "instance has no iam_instance_profile" });
      }
    } else {
      violations.push(...checkTemplateVolumes(server));
      for (const nic of blocks(server.attrs.network_interfaces)) {
        if (isTrue(nic.associate_public_ip_address)) {
          violations.push({ rule: "CKV_AWS_88", resource: server.address, message: "network_interfaces.associate_public_ip_address is true; web servers get no public IP" });
        }
      }
      const profile = block(server.attrs.iam_instance_profile);
      if (!profile || !(profile.name || profile.arn)) {
        violations.push({ rule: "CKV2_AWS_41", resource: server.address, message: "launch template has no iam_instance_profile (name or arn)" });
      }
    }
  }

  // An Auto Scaling group in subnets that hand out public IPs gives its instances one unless
  // the launch template says otherwise.
  for (const group of resourcesOf(stack, "aws_autoscaling_group")) {
    const publicSubnets = referencedResources(stack, group.attrs.vpc_zone_identifier, "aws_subnet").filter((s) => isTrue(s.attrs.map_public_ip_on_launch));
    if (publicSubnets.length > 0) {
      violations.push({
        rule: "CKV_AWS_88",
        resource: group.address,
        message: `group launches into subnets that assign public IPs: ${publicSubnets.map((s) => s.address).join(", ")}`,
      });
    }
  }
  return violations;
}

function checkMetadataOptions(server: Resource): Violation[] {
  const options = block(server.attrs.metadata_options);
  const violations: Violation[] = [];
  if (options?.http_tokens !== "required") {
    violations.push({
      rule: "CKV_AWS_79",
      resource: server.address,
      message: `metadata_options.http_tokens is ${JSON.stringify(options?.http_tokens)}; expected "required" (IMDSv2 only)`,
    });
  }
  if (num(options?.http_put_response_hop_limit) !== 1) {
    violations.push({
      rule: "CKV_AWS_341",
      resource: server.address,
      message: `metadata_options.http_put_response_hop_limit is ${JSON.stringify(options?.http_put_response_hop_limit)}; expected 1`,
    });
  }
  return violations;
}

function checkInstanceVolumes(instance: Resource): Violation[] {
  const root = block(instance.attrs.root_block_device);
  const violations: Violation[] = [];
  if (!root || !isTrue(root.encrypted)) {
    violations.push({ rule: "CKV_AWS_8", resource: instance.address, message: "root_block_device.encrypted is not true" });
  }
  for (const volume of blocks(instance.attrs.ebs_block_device)) {
    if (!isTrue(volume.encrypted)) {
      violations.push({ rule: "CKV_AWS_8", resource: instance.address, message: `ebs_block_device ${volume.device_name} is not encrypted` });
    }
  }
  return violations;
}

function checkTemplateVolumes(template: Resource): Violation[] {
  const mappings = blocks(template.attrs.block_device_mappings);
  if (mappings.length === 0) {
    return [{ rule: "CKV_AWS_8", resource: template.address, message: "launch template declares no block_device_mappings, so root volume encryption is left to the AMI" }];
  }
  return mappings
    .filter((m: Attributes) => !isTrue(block(m.ebs)?.encrypted))
    .map((m) => ({ rule: "CKV_AWS_8", resource: template.address, message: `block_device_mappings ${m.device_name}: ebs.encrypted is not true` }));
}

function checkInstancePublicIp(stack: SynthJson, instance: Resource): Violation[] {
  const explicit = instance.attrs.associate_public_ip_address;
  if (isTrue(explicit)) {
    return [{ rule: "CKV_AWS_88", resource: instance.address, message: "associate_public_ip_address is true; web servers get no public IP" }];
  }
  if (explicit === undefined) {
    const subnets = referencedResources(stack, instance.attrs.subnet_id, "aws_subnet").filter((s) => isTrue(s.attrs.map_public_ip_on_launch));
    if (subnets.length > 0) {
      return [{ rule: "CKV_AWS_88", resource: instance.address, message: `instance is in ${subnets[0]!.address}, which assigns public IPs, and does not opt out` }];
    }
  }
  return [];
}
