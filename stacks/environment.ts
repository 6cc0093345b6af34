/**
 * Who a stack is: its name, the prefix of its resources' names, whether it is ephemeral, and the
 * tags every resource carries. One place decides these so two environments never collide.
 */
import type { SeedstackConfig, Topology } from "./config.js";
import { isoSeconds } from "./config.js";

/** Identity of one stack. */
export interface StackEnvironment {
  /** The cdktf stack name: `classic`, `autoscaled` or `pr-<n>`. */
  readonly stackName: string;
  /** The topology the stack builds. */
  readonly topology: Topology;
  /** Prefix of every physical resource name (at most 20 characters, see modules/naming.ts). */
  readonly namePrefix: string;
  /** The pull request this stack belongs to; absent for the long-lived stacks. */
  readonly prNumber?: number;
  /**
   * Short-lived: built to be destroyed without manual steps (no deletion protection, no final
   * snapshot, force-destroyed bucket, short deregistration delay) and as cheap as sensible.
   */
  readonly ephemeral: boolean;
  /** Provider default_tags: put on every resource that supports tags. */
  readonly tags: Readonly<Record<string, string>>;
}

/** Value of the Project tag, the sweeper's first filter. */
export const PROJECT_TAG = "seedstack";

/** Resource-name part per long-lived topology (`scaled` keeps `<prefix>-scaled-alb` short). */
const TOPOLOGY_NAME_PART: Readonly<Record<Topology, string>> = { classic: "classic", autoscaled: "scaled" };

/** The long-lived `classic` or `autoscaled` stack. */
export function longLivedEnvironment(config: SeedstackConfig, topology: Topology): StackEnvironment {
  return {
    stackName: topology,
    topology,
    namePrefix: `${config.namePrefix}-${TOPOLOGY_NAME_PART[topology]}`,
    ephemeral: false,
    // No CreatedAt/ExpiresAt here: a long-lived stack is re-deployed for months, and a creation
    // time that changed on every synth would re-tag every resource on every apply.
    tags: { Project: PROJECT_TAG, Stack: topology, Owner: config.owner },
  };
}

/** The stack name of pull request `prNumber`'s environment. */
export function prStackName(prNumber: number): string {
  return `pr-${prNumber}`;
}

/** The ephemeral `pr-<n>` stack, a copy of `config.prTopology`. */
export function prEnvironment(config: SeedstackConfig, prNumber: number): StackEnvironment {
  const stackName = prStackName(prNumber);
  const expiresAt = isoSeconds(new Date(Date.parse(config.createdAt) + config.ttlHours * 3_600_000));
  return {
    stackName,
    topology: config.prTopology,
    namePrefix: `${config.namePrefix}-${stackName}`,
    prNumber,
    ephemeral: true,
    tags: {
      Project: PROJECT_TAG,
      Stack: stackName,
      Owner: config.owner,
      PR: String(prNumber),
      CreatedAt: config.createdAt,
      ExpiresAt: expiresAt,
    },
  };
}

/** Every stack the app synthesizes: classic and autoscaled always, `pr-<n>` when a PR number is set. */
export function environmentsFor(config: SeedstackConfig): StackEnvironment[] {
  const environments = [longLivedEnvironment(config, "classic"), longLivedEnvironment(config, "autoscaled")];
  if (config.prNumber !== undefined) environments.push(prEnvironment(config, config.prNumber));
  return environments;
}
