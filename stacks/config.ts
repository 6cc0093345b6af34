/**
 * The app's configuration: typed, defaulted and validated in one place.
 *
 * Every setting can come from an environment variable (`SEEDSTACK_*`) or from a cdktf context key
 * (the `context` object in cdktf.json). The environment wins: cdktf.json holds the project's
 * committed defaults, and an environment variable is the per-run override (a CI job, one laptop
 * session). Every problem is collected and reported at once, each naming the variable, the value
 * given and what is allowed, so a user fixes their settings in one round trip.
 */
import { readFileSync } from "node:fs";
import { parseIpv4Cidr } from "../modules/cidr.js";
import { reservedStartProblem } from "../modules/naming.js";
import {
  DEFAULT_PRIVATE_SUBNET_TAGS,
  DEFAULT_PUBLIC_SUBNET_TAGS,
  MAX_SELECTED_ZONES,
  SUBNET_ID,
  VPC_ID,
  type SubnetSelection,
  type VpcSelection,
} from "../modules/network-selection.js";
import { parseTagList } from "./tag-list.js";

/** How the load balancer serves clients. */
export type TlsMode = "self-signed" | "acm-arn" | "acm-dns" | "http";
/** The TLS modes, in the order the docs list them. */
export const TLS_MODES: readonly TlsMode[] = ["self-signed", "acm-arn", "acm-dns", "http"];

/** Which topology a stack builds. */
export type Topology = "classic" | "autoscaled";
/** The topologies a pull-request environment can copy. */
export const TOPOLOGIES: readonly Topology[] = ["classic", "autoscaled"];

/** Where Terraform state lives. */
export type StateBackendConfig =
  | { readonly kind: "local" }
  | {
      readonly kind: "s3";
      /** The state bucket (must already exist). */
      readonly bucket: string;
      /** The bucket's region. */
      readonly region: string;
      /** DynamoDB lock table; when absent the S3-native lock file (Terraform >= 1.10) is used. */
      readonly lockTable?: string;
    };

/** What the bootstrap stack needs to know about the GitHub repository it sets AWS up for. */
export interface GitHubRepositoryConfig {
  /** `owner/repo`: the only repository whose workflows may assume the CI roles. */
  readonly repository: string;
  /** The branch the sweeper runs from (its role trusts only that branch). */
  readonly defaultBranch: string;
  /** An existing GitHub OIDC provider to trust; absent: the bootstrap stack creates one. */
  readonly oidcProviderArn?: string;
}

/** Where pull-request environments go instead of a VPC of their own (modules/existing-network.ts). */
export interface ExistingVpcConfig {
  /** The VPC, by ID or tags. */
  readonly vpc: VpcSelection;
  /** The load balancer's subnets (default: tagged Tier=public). */
  readonly publicSubnets: SubnetSelection;
  /** The servers' and database's subnets (default: tagged Tier=private). */
  readonly privateSubnets: SubnetSelection;
  /** Whether the private subnets reach the internet through a NAT gateway. */
  readonly natGateway: boolean;
  /** How many zones tag-selected subnets spread over; absent: ExistingNetwork's default (two). */
  readonly zoneCount?: number;
}

/** The validated configuration of the seedstack app. */
export interface SeedstackConfig {
  /** AWS region every stack is deployed to. */
  readonly region: string;
  /** Start of every physical resource name; stacks append their own part (`-classic`, `-pr-12`). */
  readonly namePrefix: string;
  /** The pull request to build an environment for; absent when no PR stack is wanted. */
  readonly prNumber?: number;
  /** The topology a PR environment copies. */
  readonly prTopology: Topology;
  /** How the load balancer serves clients. */
  readonly tls: TlsMode;
  /** The site's domain name (required for acm-dns; the URL output uses it when set). */
  readonly domain?: string;
  /** Route 53 hosted zone that holds `domain` (acm-dns only). */
  readonly hostedZoneId?: string;
  /** ARN of an existing ACM certificate in `region` (acm-arn only). */
  readonly certificateArn?: string;
  /** Whether the classic topology gets a PostgreSQL database shared by its servers. */
  readonly database: boolean;
  /**
   * Whether long-lived stacks guard their data against `destroy`: the database refuses deletion and
   * the artifact bucket must be emptied first. PR stacks are always destroyable.
   */
  readonly deletionProtection: boolean;
  /** EC2 instance type of the web servers. */
  readonly instanceType: string;
  /** Average CPU (percent) the autoscaled topology's target tracking policy keeps its group at. */
  readonly targetCpu: number;
  /** IPv4 CIDR blocks allowed to reach the load balancer. */
  readonly allowedCidrs: readonly string[];
  /** Hours a PR environment lives before the sweeper may destroy it. */
  readonly ttlHours: number;
  /** Who the environment belongs to (the Owner tag). */
  readonly owner: string;
  /** Creation time, ISO 8601 UTC to the second (`2025-01-31T12:00:00Z`). */
  readonly createdAt: string;
  /** Where Terraform state lives. */
  readonly state: StateBackendConfig;
  /** Permissions boundary (IAM policy ARN) every role the stacks create carries; absent: none. */
  readonly permissionsBoundary?: string;
  /** The repository to bootstrap AWS for; when set, the app also synthesizes the `bootstrap` stack. */
  readonly github?: GitHubRepositoryConfig;
  /** An existing VPC for pull-request environments; absent: each creates its own VPC. */
  readonly existingVpc?: ExistingVpcConfig;
}

/** One setting: its environment variable, its context key, and the docs' words for it. */
export interface SettingSpec {
  /** Environment variable name. */
  readonly env: string;
  /** cdktf context key (cdktf.json `context`). */
  readonly context: string;
  /** Default, in words. */
  readonly default: string;
  /** What is allowed, in words (also used in error messages). */
  readonly allowed: string;
  /** What it does. */
  readonly description: string;
}

/** The autoscaled topology's CPU target when SEEDSTACK_TARGET_CPU is not set: the course's 50%. */
export const DEFAULT_TARGET_CPU = 50;

/**
 * Every setting the app reads. The docs table in docs/stacks.md is this list; a test checks
 * that the two agree.
 */
export const SETTINGS = {
  region: {
    env: "SEEDSTACK_REGION",
    context: "region",
    default: "us-east-1",
    allowed: "an AWS region code such as us-east-1 or eu-west-2",
    description: "AWS region of every stack.",
  },
  namePrefix: {
    env: "SEEDSTACK_NAME_PREFIX",
    context: "namePrefix",
    default: "seedstack",
    allowed: "1-9 lowercase letters, digits and single hyphens, starting with a letter; not internal, sg or sthree, nor starting with sg- or sthree- (AWS refuses names that start with internal-, sg- or sthree-)",
    description: "Start of every resource name and Name tag (`seedstack-classic-alb`, `seedstack-pr-12-alb`); change it to run two copies in one account.",
  },
  prNumber: {
    env: "SEEDSTACK_PR_NUMBER",
    context: "prNumber",
    default: "none: no PR stack",
    allowed: "a pull-request number, a whole number from 1 to 9999999",
    description: "Adds the stack `pr-<n>`, an ephemeral copy for that pull request.",
  },
  prTopology: {
    env: "SEEDSTACK_PR_TOPOLOGY",
    context: "prTopology",
    default: "classic",
    allowed: `one of ${TOPOLOGIES.join(", ")}`,
    description: "Which topology the PR stack copies.",
  },
  tls: {
    env: "SEEDSTACK_TLS",
    context: "tls",
    default: "self-signed",
    allowed: `one of ${TLS_MODES.join(", ")}`,
    description: "How the ALB serves clients: a generated self-signed certificate, an existing ACM certificate, a new ACM certificate validated in Route 53, or plain HTTP (for course autograders; waives the HTTPS rule).",
  },
  domain: {
    env: "SEEDSTACK_DOMAIN",
    context: "domain",
    default: "none: the URL is the ALB's DNS name",
    allowed: "a lowercase DNS name such as app.example.com; only with SEEDSTACK_TLS=acm-arn or acm-dns",
    description: "The site's name, for classic; every other stack gets a subdomain named after it (autoscaled.<domain>, pr-12.<domain>). With acm-dns: each stack's certificate name and alias record to its ALB (required); with acm-arn: the name in the URL output (the certificate must cover it, e.g. a wildcard; point its DNS at the ALB yourself).",
  },
  hostedZoneId: {
    env: "SEEDSTACK_HOSTED_ZONE_ID",
    context: "hostedZoneId",
    default: "none",
    allowed: "a Route 53 hosted zone ID such as Z0123456789ABCDEFGHIJ; only with SEEDSTACK_TLS=acm-dns",
    description: "Hosted zone of the domain, for DNS validation and the alias record (acm-dns).",
  },
  certificateArn: {
    env: "SEEDSTACK_CERTIFICATE_ARN",
    context: "certificateArn",
    default: "none",
    allowed: "an ACM certificate ARN in the stack's region; only with SEEDSTACK_TLS=acm-arn",
    description: "Existing ACM certificate for the HTTPS listener (acm-arn).",
  },
  database: {
    env: "SEEDSTACK_DATABASE",
    context: "database",
    default: "off",
    allowed: "on or off",
    description: "Adds a PostgreSQL database (RDS) shared by the stack's servers; off, each server keeps its seed in memory.",
  },
  deletionProtection: {
    env: "SEEDSTACK_DELETION_PROTECTION",
    context: "deletionProtection",
    default: "on",
    allowed: "on or off",
    description: "classic and autoscaled only: on, the database refuses deletion and the artifact bucket must be empty before `destroy`; off, `cdktf destroy` removes everything (the database still leaves a final snapshot). PR stacks are always destroyable.",
  },
  instanceType: {
    env: "SEEDSTACK_INSTANCE_TYPE",
    context: "instanceType",
    default: "t3.micro",
    allowed: "an EC2 instance type such as t3.micro or t3.small",
    description: "Instance type of the web servers.",
  },
  targetCpu: {
    env: "SEEDSTACK_TARGET_CPU",
    context: "targetCpu",
    default: String(DEFAULT_TARGET_CPU),
    allowed: "a CPU percentage from 1 to 100 (decimals allowed, such as 2.5)",
    description: "autoscaled topology: the average CPU its target tracking policy keeps the group at. On AWS keep 50, the course's value: CloudWatch's CPUUtilization counts the whole instance (the kernel's network work, Node.js's helper threads, the agents), so a saturated seed server can cross it. Locally only the seed server's own process is measured (one busy thread reads at most 50% of a t3.micro's 2 vCPUs) and the load balancer is the bottleneck long before: use 1 to watch the group scale on one machine (`seedstack load --stack autoscaled`, `seedstack up`'s console; docs/console.md).",
  },
  allowedCidrs: {
    env: "SEEDSTACK_ALLOWED_CIDRS",
    context: "allowedCidrs",
    default: "0.0.0.0/0 (anyone)",
    allowed: "comma-separated IPv4 CIDR blocks such as 203.0.113.0/24,198.51.100.7/32",
    description: "Who may reach the load balancer.",
  },
  ttlHours: {
    env: "SEEDSTACK_TTL_HOURS",
    context: "ttlHours",
    default: "24",
    allowed: "a whole number of hours from 1 to 720",
    description: "Lifetime of a PR environment; sets its ExpiresAt tag, which the sweeper reads.",
  },
  owner: {
    env: "SEEDSTACK_OWNER",
    context: "owner",
    default: "the pull request's author (from the GitHub event in $GITHUB_EVENT_PATH), else $GITHUB_ACTOR, else $USER, else unknown",
    allowed: "1-256 letters, digits, spaces and _.:/=+-@ (the AWS tag value alphabet)",
    description: "Owner tag of every resource.",
  },
  createdAt: {
    env: "SEEDSTACK_CREATED_AT",
    context: "createdAt",
    default: "now",
    allowed: "an ISO 8601 time with a zone, such as 2025-01-31T12:00:00Z",
    description: "CreatedAt tag of a PR environment; ExpiresAt is this plus the TTL. Pass a fixed time (the PR's creation) so re-deploys do not re-tag everything.",
  },
  stateBucket: {
    env: "SEEDSTACK_STATE_BUCKET",
    context: "stateBucket",
    default: "none: local state files",
    allowed: "an existing S3 bucket name (3-63 lowercase letters, digits, dots and hyphens)",
    description: "Keep state in S3 (encrypted, locked), one key per stack: `<name prefix>/<stack>/terraform.tfstate`.",
  },
  stateRegion: {
    env: "SEEDSTACK_STATE_REGION",
    context: "stateRegion",
    default: "the stacks' region",
    allowed: "an AWS region code; only with SEEDSTACK_STATE_BUCKET",
    description: "Region of the state bucket.",
  },
  stateLockTable: {
    env: "SEEDSTACK_STATE_LOCK_TABLE",
    context: "stateLockTable",
    default: "none: S3-native lock file (Terraform >= 1.10)",
    allowed: "a DynamoDB table name (3-255 letters, digits, _ . -); only with SEEDSTACK_STATE_BUCKET",
    description: "Lock state with this DynamoDB table instead of the S3 lock file (for Terraform < 1.10).",
  },
  permissionsBoundary: {
    env: "SEEDSTACK_PERMISSIONS_BOUNDARY",
    context: "permissionsBoundary",
    default: "none",
    allowed: "an IAM policy ARN such as arn:aws:iam::123456789012:policy/seedstack-permissions-boundary",
    description: "Permissions boundary of every IAM role the stacks create. Required where CI deploys with the bootstrap stack's roles (they may create roles only with this boundary); the bootstrap stack prints its value.",
  },
  githubRepository: {
    env: "SEEDSTACK_GITHUB_REPOSITORY",
    context: "githubRepository",
    default: "none: no bootstrap stack",
    allowed: "owner/repo as on GitHub, such as acme/app",
    description: "Adds the stack `bootstrap`: state bucket, GitHub OIDC provider, permissions boundary, and the pull-request and sweeper roles trusted by this repository only (docs/stacks.md).",
  },
  githubDefaultBranch: {
    env: "SEEDSTACK_GITHUB_DEFAULT_BRANCH",
    context: "githubDefaultBranch",
    default: "main",
    allowed: "a branch name (letters, digits and / _ . -); only with SEEDSTACK_GITHUB_REPOSITORY",
    description: "The branch the scheduled sweeper runs from: the only branch its role trusts.",
  },
  githubOidcProviderArn: {
    env: "SEEDSTACK_GITHUB_OIDC_PROVIDER_ARN",
    context: "githubOidcProviderArn",
    default: "none: the bootstrap stack creates the provider",
    allowed: "the ARN of the account's existing token.actions.githubusercontent.com OIDC provider; only with SEEDSTACK_GITHUB_REPOSITORY",
    description: "Trust this existing GitHub OIDC provider instead of creating one (an account has at most one per URL).",
  },
  vpcId: {
    env: "SEEDSTACK_VPC_ID",
    context: "vpcId",
    default: "none: every environment creates its own VPC",
    allowed: "a VPC ID such as vpc-0123456789abcdef0; not with SEEDSTACK_VPC_TAGS",
    description: "Pull-request stacks go into this existing VPC instead of creating one (AWS allows 5 VPCs per region by default; see docs/stacks.md#vpc-quota). classic and autoscaled keep their own VPCs.",
  },
  vpcTags: {
    env: "SEEDSTACK_VPC_TAGS",
    context: "vpcTags",
    default: "none",
    allowed: "tags as Key=Value,Key2=Value2 that match exactly one VPC, such as Name=shared-previews; not with SEEDSTACK_VPC_ID",
    description: "Like SEEDSTACK_VPC_ID, the VPC found by its tags when Terraform plans.",
  },
  publicSubnetIds: {
    env: "SEEDSTACK_PUBLIC_SUBNET_IDS",
    context: "publicSubnetIds",
    default: "none: the subnets tagged by SEEDSTACK_PUBLIC_SUBNET_TAGS",
    allowed: "2 or more comma-separated subnet IDs in different availability zones, such as subnet-0123456789abcdef0,subnet-0fedcba9876543210; only with an existing VPC; not with SEEDSTACK_PUBLIC_SUBNET_TAGS",
    description: "The existing VPC's subnets for the load balancer (public: routed to an internet gateway).",
  },
  publicSubnetTags: {
    env: "SEEDSTACK_PUBLIC_SUBNET_TAGS",
    context: "publicSubnetTags",
    default: "Tier=public (as seedstack's own VPCs tag them)",
    allowed: "tags as Key=Value,Key2=Value2; only with an existing VPC; not with SEEDSTACK_PUBLIC_SUBNET_IDS",
    description: "The load balancer's subnets by tag, in the existing VPC: one in each of the servers' zones (the first subnet ID in each).",
  },
  privateSubnetIds: {
    env: "SEEDSTACK_PRIVATE_SUBNET_IDS",
    context: "privateSubnetIds",
    default: "none: the subnets tagged by SEEDSTACK_PRIVATE_SUBNET_TAGS",
    allowed: "2 or more comma-separated subnet IDs in different availability zones; only with an existing VPC; not with SEEDSTACK_PRIVATE_SUBNET_TAGS",
    description: "The existing VPC's subnets for the servers and the database, in zones that offer the servers' instance type and hold a load-balancer subnet (the plan checks).",
  },
  privateSubnetTags: {
    env: "SEEDSTACK_PRIVATE_SUBNET_TAGS",
    context: "privateSubnetTags",
    default: "Tier=private (as seedstack's own VPCs tag them)",
    allowed: "tags as Key=Value,Key2=Value2; only with an existing VPC; not with SEEDSTACK_PRIVATE_SUBNET_IDS",
    description: "The servers' and database's subnets by tag, in the existing VPC: one per availability zone, the first SEEDSTACK_VPC_ZONES (default 2) zones by name that offer the servers' instance type (SEEDSTACK_INSTANCE_TYPE) and hold a load-balancer subnet.",
  },
  vpcNat: {
    env: "SEEDSTACK_VPC_NAT",
    context: "vpcNat",
    default: "off",
    allowed: "on or off; only with an existing VPC",
    description: "on: the existing VPC's private subnets reach the internet through a NAT gateway (servers may send HTTPS anywhere; Session Manager works). off: their route tables must route S3 through a gateway endpoint, and with a database the VPC needs a Secrets Manager interface endpoint (the plan checks both).",
  },
  vpcZones: {
    env: "SEEDSTACK_VPC_ZONES",
    context: "vpcZones",
    default: "2",
    allowed: `a whole number from 2 to ${MAX_SELECTED_ZONES}; only with an existing VPC; not with SEEDSTACK_PRIVATE_SUBNET_IDS`,
    description: "How many availability zones the servers' tag-chosen subnets in the existing VPC spread over (one per zone; the plan fails when fewer zones are usable). The load balancer's subnets follow them; given IDs are all used.",
  },
} as const satisfies Record<string, SettingSpec>;

/** A setting's key in {@link SETTINGS}. */
export type SettingName = keyof typeof SETTINGS;

/** Thrown by {@link loadConfig}; `problems` lists every invalid setting, one sentence each. */
export class ConfigError extends Error {
  /** One sentence per problem. */
  public readonly problems: readonly string[];

  /** @param problems one sentence per problem, each naming the setting, the value and what is allowed */
  constructor(problems: readonly string[]) {
    super(`the configuration has ${problems.length} problem${problems.length === 1 ? "" : "s"} (SEEDSTACK_* environment variables, cdktf.json "context"):\n` +
      problems.map((p) => `  - ${p}`).join("\n"));
    this.name = "ConfigError";
    this.problems = problems;
  }
}

/** Where {@link loadConfig} reads settings from. */
export interface ConfigSources {
  /** Environment variables (usually `process.env`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /**
   * Looks up a cdktf context key (usually `app.node.tryGetContext`).
   * @default no context: only the environment is read
   */
  readonly context?: (key: string) => unknown;
  /**
   * The current time, for the createdAt default.
   * @default the system clock
   */
  readonly now?: () => Date;
}

/** Longest namePrefix: `<prefix>-pr-<7 digits>` must fit the 20-character construct limit. */
export const MAX_APP_NAME_PREFIX_LENGTH = 9;
/** Largest PR number: 7 digits keep `seedstack-pr-<n>` within 20 characters. */
export const MAX_PR_NUMBER = 9_999_999;
/** Longest TTL: 30 days. An environment meant to live longer is not ephemeral. */
export const MAX_TTL_HOURS = 720;

const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
const NAME_PREFIX = /^[a-z](?:[a-z0-9]|-(?=[a-z0-9]))*$/;
const WHOLE_NUMBER = /^[1-9]\d*$/;
const DOMAIN = /^(?=.{1,253}$)(?:(?!-)[a-z0-9-]{1,63}(?<!-)\.)+[a-z]{2,63}$/;
const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,31}$/;
const CERTIFICATE_ARN = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):\d{12}:certificate\/[0-9a-f-]{36}$/;
const PERCENTAGE = /^\d{1,3}(\.\d+)?$/;
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,256}$/u;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const BUCKET = /^(?!xn--)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const DYNAMODB_TABLE = /^[A-Za-z0-9_.-]{3,255}$/;
const POLICY_ARN = /^arn:aws[a-z-]*:iam::\d{12}:policy\/[\w+=,.@/-]{1,512}$/;
const GITHUB_REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;
const BRANCH = /^(?!\/|.*\/\/|.*\.\.|.*\/$)[A-Za-z0-9/_.-]{1,255}$/;
const GITHUB_OIDC_PROVIDER_ARN = /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/;

/**
 * Read, default and validate every setting.
 * @throws ConfigError listing every problem found (not just the first)
 */
export function loadConfig(sources: ConfigSources): SeedstackConfig {
  const problems: string[] = [];
  const raw = (name: SettingName): string | undefined => readRaw(sources, name);
  /** Record a problem with `name`: the variable, the value given, and what is allowed. */
  const bad = (name: SettingName, value: string, extra = ""): undefined => {
    const spec = SETTINGS[name];
    problems.push(`${spec.env} (context "${spec.context}") is ${JSON.stringify(value)}${extra}; allowed: ${spec.allowed}.`);
    return undefined;
  };
  const matching = (name: SettingName, pattern: RegExp): string | undefined => {
    const value = raw(name);
    if (value === undefined) return undefined;
    return pattern.test(value) ? value : bad(name, value);
  };
  const oneOf = <T extends string>(name: SettingName, values: readonly T[], fallback: T): T => {
    const value = raw(name);
    if (value === undefined) return fallback;
    if ((values as readonly string[]).includes(value)) return value as T;
    bad(name, value);
    return fallback;
  };
  const wholeNumber = (name: SettingName, max: number): number | undefined => {
    const value = raw(name);
    if (value === undefined) return undefined;
    if (!WHOLE_NUMBER.test(value) || Number(value) > max) return bad(name, value);
    return Number(value);
  };

  const region = matching("region", REGION) ?? "us-east-1";

  const namePrefixRaw = raw("namePrefix");
  let namePrefix = "seedstack";
  if (namePrefixRaw !== undefined) {
    // Every resource name starts with "<prefix>-"; some starts are refused by AWS for some kinds.
    const reserved = reservedStartProblem(`${namePrefixRaw}-`);
    if (namePrefixRaw.length > MAX_APP_NAME_PREFIX_LENGTH || !NAME_PREFIX.test(namePrefixRaw)) bad("namePrefix", namePrefixRaw);
    else if (reserved !== undefined) bad("namePrefix", namePrefixRaw, ` (${reserved})`);
    else namePrefix = namePrefixRaw;
  }

  const prNumber = wholeNumber("prNumber", MAX_PR_NUMBER);
  const prTopology = oneOf("prTopology", TOPOLOGIES, "classic");
  const tls = oneOf("tls", TLS_MODES, "self-signed");
  // Cross-checks against the TLS mode only make sense once the mode itself is valid.
  const tlsValid = (TLS_MODES as readonly (string | undefined)[]).includes(raw("tls") ?? "self-signed");

  const domain = matching("domain", DOMAIN);
  const hostedZoneId = matching("hostedZoneId", HOSTED_ZONE_ID);
  const certificateArnRaw = raw("certificateArn");
  let certificateArn: string | undefined;
  if (certificateArnRaw !== undefined) {
    const match = CERTIFICATE_ARN.exec(certificateArnRaw);
    if (!match) bad("certificateArn", certificateArnRaw);
    else if (match[1] !== region) {
      // An ALB can only use a certificate from its own region; say so before Terraform does.
      bad("certificateArn", certificateArnRaw, ` (a certificate in ${match[1]}, but the stacks are in ${region})`);
    } else certificateArn = certificateArnRaw;
  }
  if (tlsValid) problems.push(...tlsModeProblems(tls, (name) => raw(name) !== undefined));

  const databaseRaw = oneOf("database", ["on", "off"], "off");
  const deletionProtectionRaw = oneOf("deletionProtection", ["on", "off"], "on");
  const instanceType = matching("instanceType", INSTANCE_TYPE) ?? "t3.micro";
  const targetCpuRaw = raw("targetCpu");
  const targetCpu = targetCpuRaw === undefined ? DEFAULT_TARGET_CPU : (percentage(targetCpuRaw) ?? bad("targetCpu", targetCpuRaw) ?? DEFAULT_TARGET_CPU);

  const cidrsRaw = raw("allowedCidrs");
  let allowedCidrs: string[] = ["0.0.0.0/0"];
  if (cidrsRaw !== undefined) {
    const blocks = cidrsRaw.split(",").map((s) => s.trim()).filter((s) => s.length > 0);
    const invalid: string[] = [];
    for (const block of blocks) {
      try {
        parseIpv4Cidr(block, SETTINGS.allowedCidrs.env);
      } catch (error) {
        invalid.push((error as Error).message);
      }
    }
    if (blocks.length === 0) bad("allowedCidrs", cidrsRaw, " (no blocks)");
    else if (invalid.length > 0) bad("allowedCidrs", cidrsRaw, ` (${invalid.join("; ")})`);
    else allowedCidrs = [...new Set(blocks)];
  }

  const ttlHours = wholeNumber("ttlHours", MAX_TTL_HOURS) ?? 24;

  const ownerRaw = raw("owner");
  let owner = defaultOwner(sources.env);
  if (ownerRaw !== undefined) {
    if (TAG_VALUE.test(ownerRaw)) owner = ownerRaw;
    else bad("owner", ownerRaw);
  }

  const createdAtRaw = raw("createdAt");
  let createdAt = isoSeconds((sources.now ?? (() => new Date()))());
  if (createdAtRaw !== undefined) {
    const parsed = new Date(createdAtRaw);
    if (ISO_TIME.test(createdAtRaw) && !Number.isNaN(parsed.getTime())) createdAt = isoSeconds(parsed);
    else bad("createdAt", createdAtRaw);
  }

  const stateBucket = matching("stateBucket", BUCKET);
  const stateRegion = matching("stateRegion", REGION);
  const stateLockTable = matching("stateLockTable", DYNAMODB_TABLE);
  if (raw("stateBucket") === undefined) {
    for (const name of ["stateRegion", "stateLockTable"] as const) {
      if (raw(name) !== undefined) problems.push(`${SETTINGS[name].env} is set but ${SETTINGS.stateBucket.env} is not; state is local unless a bucket is given.`);
    }
  }

  const permissionsBoundary = matching("permissionsBoundary", POLICY_ARN);
  const githubRepository = matching("githubRepository", GITHUB_REPOSITORY);
  const githubDefaultBranch = matching("githubDefaultBranch", BRANCH);
  const githubOidcProviderArn = matching("githubOidcProviderArn", GITHUB_OIDC_PROVIDER_ARN);
  if (raw("githubRepository") === undefined) {
    for (const name of ["githubDefaultBranch", "githubOidcProviderArn"] as const) {
      if (raw(name) !== undefined) problems.push(`${SETTINGS[name].env} is set but ${SETTINGS.githubRepository.env} is not; it is only used by the bootstrap stack.`);
    }
  }

  const existingVpc = existingVpcSettings(raw, bad, problems);

  if (problems.length > 0) throw new ConfigError(problems);

  const state: StateBackendConfig = stateBucket
    ? { kind: "s3", bucket: stateBucket, region: stateRegion ?? region, ...(stateLockTable ? { lockTable: stateLockTable } : {}) }
    : { kind: "local" };
  return {
    region,
    namePrefix,
    ...(prNumber !== undefined ? { prNumber } : {}),
    prTopology,
    tls,
    ...(domain !== undefined ? { domain } : {}),
    ...(hostedZoneId !== undefined ? { hostedZoneId } : {}),
    ...(certificateArn !== undefined ? { certificateArn } : {}),
    database: databaseRaw === "on",
    deletionProtection: deletionProtectionRaw === "on",
    instanceType,
    targetCpu,
    allowedCidrs,
    ttlHours,
    owner,
    createdAt,
    state,
    ...(permissionsBoundary !== undefined ? { permissionsBoundary } : {}),
    ...(githubRepository !== undefined
      ? { github: { repository: githubRepository, defaultBranch: githubDefaultBranch ?? "main", ...(githubOidcProviderArn !== undefined ? { oidcProviderArn: githubOidcProviderArn } : {}) } }
      : {}),
    ...(existingVpc !== undefined ? { existingVpc } : {}),
  };
}

/**
 * The existing-VPC settings: a VPC by ID or tags, each tier's subnets by IDs or tags (default the
 * Tier tags seedstack's own VPCs carry), NAT on or off. Subnet and NAT settings without a VPC are
 * a problem: they would be ignored, and the user would believe their PRs share a VPC.
 */
function existingVpcSettings(
  raw: (name: SettingName) => string | undefined,
  bad: (name: SettingName, value: string, extra?: string) => undefined,
  problems: string[],
): ExistingVpcConfig | undefined {
  const tags = (name: SettingName): Readonly<Record<string, string>> | undefined => {
    const value = raw(name);
    if (value === undefined) return undefined;
    const parsed = parseTagList(value);
    return "problem" in parsed ? bad(name, value, ` (${parsed.problem})`) : parsed.tags;
  };
  const subnetIds = (name: SettingName): string[] | undefined => {
    const value = raw(name);
    if (value === undefined) return undefined;
    const ids = value.split(",").map((id) => id.trim()).filter((id) => id.length > 0);
    const invalid = ids.filter((id) => !SUBNET_ID.test(id));
    if (invalid.length > 0) return bad(name, value, ` (${invalid.map((id) => JSON.stringify(id)).join(", ")} ${invalid.length === 1 ? "is not a subnet ID" : "are not subnet IDs"})`);
    const twice = ids.find((id, i) => ids.indexOf(id) !== i);
    if (twice !== undefined) return bad(name, value, ` (${twice} is given twice)`);
    if (ids.length < 2) return bad(name, value, ` (${ids.length} subnet${ids.length === 1 ? "" : "s"}; the load balancer and the database need two, in different availability zones)`);
    return ids;
  };
  const either = (a: SettingName, b: SettingName): void => {
    if (raw(a) !== undefined && raw(b) !== undefined) problems.push(`${SETTINGS[a].env} and ${SETTINGS[b].env} are both set; give one of them.`);
  };

  const vpcIdRaw = raw("vpcId");
  const vpcId = vpcIdRaw === undefined ? undefined : VPC_ID.test(vpcIdRaw) ? vpcIdRaw : bad("vpcId", vpcIdRaw);
  const vpcTags = tags("vpcTags");
  either("vpcId", "vpcTags");
  either("publicSubnetIds", "publicSubnetTags");
  either("privateSubnetIds", "privateSubnetTags");
  const publicIds = subnetIds("publicSubnetIds");
  const publicTags = tags("publicSubnetTags");
  const privateIds = subnetIds("privateSubnetIds");
  const privateTags = tags("privateSubnetTags");
  const natRaw = raw("vpcNat");
  if (natRaw !== undefined && natRaw !== "on" && natRaw !== "off") bad("vpcNat", natRaw);
  const zonesRaw = raw("vpcZones");
  let zoneCount: number | undefined;
  if (zonesRaw !== undefined) {
    const zones = /^\d+$/.test(zonesRaw) ? Number(zonesRaw) : NaN;
    if (!(zones >= 2 && zones <= MAX_SELECTED_ZONES)) bad("vpcZones", zonesRaw);
    else if (raw("privateSubnetIds") !== undefined) {
      problems.push(`${SETTINGS.vpcZones.env} and ${SETTINGS.privateSubnetIds.env} are both set; the zones are those of the given subnets (all of them are used).`);
    } else zoneCount = zones;
  }

  if (raw("vpcId") === undefined && raw("vpcTags") === undefined) {
    for (const name of ["publicSubnetIds", "publicSubnetTags", "privateSubnetIds", "privateSubnetTags", "vpcNat", "vpcZones"] as const) {
      if (raw(name) !== undefined) problems.push(`${SETTINGS[name].env} is set but neither ${SETTINGS.vpcId.env} nor ${SETTINGS.vpcTags.env} is; it only applies to an existing VPC.`);
    }
    return undefined;
  }
  const vpc: VpcSelection | undefined = vpcId !== undefined ? { id: vpcId } : vpcTags !== undefined ? { tags: vpcTags } : undefined;
  if (vpc === undefined) return undefined;
  return {
    vpc,
    publicSubnets: publicIds ? { ids: publicIds } : { tags: publicTags ?? DEFAULT_PUBLIC_SUBNET_TAGS },
    privateSubnets: privateIds ? { ids: privateIds } : { tags: privateTags ?? DEFAULT_PRIVATE_SUBNET_TAGS },
    natGateway: natRaw === "on",
    ...(zoneCount !== undefined ? { zoneCount } : {}),
  };
}

/**
 * Settings that belong to one TLS mode: required in that mode, rejected in the others (a
 * certificate ARN that is silently ignored is a certificate the user thinks they are serving).
 */
function tlsModeProblems(tls: TlsMode, given: (name: SettingName) => boolean): string[] {
  const problems: string[] = [];
  const required = (name: SettingName): void => {
    if (!given(name)) problems.push(`${SETTINGS[name].env} is required when ${SETTINGS.tls.env}=${tls}; allowed: ${SETTINGS[name].allowed}.`);
  };
  const onlyWith = (name: SettingName, modes: readonly TlsMode[]): void => {
    if (!modes.includes(tls) && given(name)) {
      const use = modes.map((mode) => `${SETTINGS.tls.env}=${mode}`).join(" or ");
      problems.push(`${SETTINGS[name].env} is set but ${SETTINGS.tls.env} is ${tls}; it is only used with ${use}: set that, or unset it.`);
    }
  };
  if (tls === "acm-arn") required("certificateArn");
  if (tls === "acm-dns") {
    required("domain");
    required("hostedZoneId");
  }
  onlyWith("certificateArn", ["acm-arn"]);
  onlyWith("hostedZoneId", ["acm-dns"]);
  // A self-signed certificate names the ALB's DNS name, and plain HTTP has no certificate: a domain
  // there would only produce a URL that fails verification or points nowhere.
  onlyWith("domain", ["acm-arn", "acm-dns"]);
  return problems;
}

/** `value` as a percentage from 1 to 100 (AWS's target value is a double: 2.5 is a fine target); undefined if it is not one. */
function percentage(value: string): number | undefined {
  const n = PERCENTAGE.test(value) ? Number(value) : Number.NaN;
  return n >= 1 && n <= 100 ? n : undefined;
}

/** The raw text of a setting: environment first, then context; empty means unset. */
function readRaw(sources: ConfigSources, name: SettingName): string | undefined {
  const spec = SETTINGS[name];
  const fromEnv = sources.env[spec.env];
  if (fromEnv !== undefined && fromEnv.trim() !== "") return fromEnv.trim();
  const fromContext = sources.context?.(spec.context);
  if (fromContext === undefined || fromContext === null) return undefined;
  // cdktf.json may hold JSON numbers, booleans and lists; read them as the same text an
  // environment variable would carry (true -> "on", [a, b] -> "a,b").
  const text = Array.isArray(fromContext)
    ? fromContext.map(String).join(",")
    : typeof fromContext === "boolean"
      ? fromContext ? "on" : "off"
      : String(fromContext);
  return text.trim() === "" ? undefined : text.trim();
}

/**
 * Who the environment belongs to, when SEEDSTACK_OWNER is not given: in a pull request's run the
 * PR's author (the same on every push; GITHUB_ACTOR is whoever pushed last, and a changed Owner
 * tag re-tags every resource and rolls the Auto Scaling group), else the GitHub actor, else the
 * login name on a laptop.
 */
function defaultOwner(env: Readonly<Record<string, string | undefined>>): string {
  for (const candidate of [pullRequestAuthor(env.GITHUB_EVENT_PATH), env.GITHUB_ACTOR, env.USER, env.USERNAME]) {
    if (candidate !== undefined && TAG_VALUE.test(candidate)) return candidate;
  }
  return "unknown";
}

/** `pull_request.user.login` of the GitHub event file, when there is one and it is a pull-request event. */
function pullRequestAuthor(eventPath: string | undefined): string | undefined {
  if (eventPath === undefined || eventPath === "") return undefined;
  try {
    const event = JSON.parse(readFileSync(eventPath, "utf8")) as { pull_request?: { user?: { login?: unknown } } };
    const login = event.pull_request?.user?.login;
    return typeof login === "string" ? login : undefined;
  } catch {
    // An unreadable event file is the runner's business; the next candidate decides.
    return undefined;
  }
}

/** `2025-01-31T12:00:00Z`: whole seconds, so tags do not carry noise. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}
