/**
 * Test helpers shared by the compute modules' tests (network, role, servers). Not part of the
 * public API: synthesizes a stack to its parsed Terraform JSON, and literal fixture values for the
 * contracts other modules implement (used only when the real module is not what a test is about).
 */
import type { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import * as assert from "uvu/assert";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group/index.js";
import type { DatabaseConnection, IDatabase, INetwork, IServerArtifact, IWebServers } from "../modules/contracts.js";
import { synthStack as synthTestStack } from "./synth-stack.js";

/** The parts of cdk.tf.json the tests read. */
export interface SynthJson {
  readonly resource: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly output?: Record<string, unknown>;
}

/**
 * Build a stack with `build`, synthesize it (test/synth-stack.ts) and return the parsed JSON, with
 * `resource` always present, plus what `build` returned.
 */
export function synthStack<T>(build: (stack: TerraformStack) => T): { json: SynthJson; result: T } {
  const { json, result } = synthTestStack(build);
  const parsed = json as Partial<SynthJson>;
  return { json: { ...parsed, resource: parsed.resource ?? {} }, result };
}

/** All resources of one type, as a list of [logical name, config]. */
export function resourcesOf(json: SynthJson, type: string): Array<[string, Record<string, any>]> {
  return Object.entries(json.resource[type] ?? {}) as Array<[string, Record<string, any>]>;
}

/** The only resource of a type whose logical name contains `idPart`; throws if not exactly one. */
export function resourceNamed(json: SynthJson, type: string, idPart: string): Record<string, any> {
  const matches = resourcesOf(json, type).filter(([name]) => name.includes(idPart));
  if (matches.length !== 1) {
    throw new Error(`expected one ${type} named like ${idPart}; found ${matches.map(([n]) => n).join(", ") || "none"}`);
  }
  return matches[0]![1];
}

/** `${aws_x.name.attr}` reference string for a resource of a type whose logical name contains idPart. */
export function refTo(json: SynthJson, type: string, idPart: string, attr = "id"): string {
  const matches = resourcesOf(json, type).filter(([name]) => name.includes(idPart));
  if (matches.length !== 1) throw new Error(`expected one ${type} named like ${idPart}`);
  return `\${${type}.${matches[0]![0]}.${attr}}`;
}

/** A literal IServerArtifact: what an ArtifactBucket would expose, as plain strings. */
export const fixtureArtifact: IServerArtifact = {
  bucketName: "fixture-artifacts",
  bucketArn: "arn:aws:s3:::fixture-artifacts",
  objectKey: "seed-server/0123456789ab.mjs",
  contentHash: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
};

/** A literal IDatabase whose allowFrom records the servers it was called with. */
export class FixtureDatabase extends Construct implements IDatabase {
  public readonly connection: DatabaseConnection = {
    host: "fixture-db.abc123.us-east-1.rds.amazonaws.com",
    port: 5432,
    databaseName: "seed",
    username: "seedadmin",
    secretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-fixture-AbCdEf",
  };
  public readonly allowedFrom: IWebServers[] = [];
  public readonly securityGroup: SecurityGroup;
  constructor(scope: Construct, id: string, network: INetwork) {
    super(scope, id);
    this.securityGroup = new SecurityGroup(this, "sg", { description: "fixture database group", vpcId: network.vpc.id });
  }
  public allowFrom(servers: IWebServers): void {
    this.allowedFrom.push(servers);
    servers.role.grantSecretRead(this.connection.secretArn);
  }
}

/**
 * Assert that `attempt(props)` throws and that its message mentions every fragment (what was given
 * and what is allowed); fails when it does not throw.
 */
export function assertRejects<P>(attempt: (props: P) => unknown, props: P, ...fragments: string[]): void {
  try {
    attempt(props);
  } catch (error) {
    const message = (error as Error).message;
    fragments.forEach((f) => assert.ok(message.includes(f), `"${message}" should mention ${f}`));
    return;
  }
  assert.unreachable(`expected ${JSON.stringify(props)} to be rejected`);
}
