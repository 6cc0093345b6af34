/**
 * Reusable builders for the full seedstack topologies, for policy tests and stack tests:
 *
 * - classic:    Network + ArtifactBucket + WebServerPair + LoadBalancer (self-signed TLS) + Database
 * - autoscaled: Network + ArtifactBucket + AutoScaledWebServers + LoadBalancer (sticky sessions)
 *
 * Each builder adds constructs to a given stack and returns them, so callers choose the app,
 * provider and stack name. A tiny stand-in bundle is used unless a `bundlePath` is given, so the
 * builders work before `npm run build:bundle`.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Construct } from "constructs";
import { testTempDir } from "./temp-dirs.js";
import { Network, type NetworkProps } from "../modules/network.js";
import { ArtifactBucket } from "../modules/artifact-bucket.js";
import { WebServerPair } from "../modules/web-server-pair.js";
import { AutoScaledWebServers } from "../modules/auto-scaled-web-servers.js";
import { LoadBalancer, type LoadBalancerProps } from "../modules/load-balancer.js";
import { Database, type DatabaseProps } from "../modules/database.js";

let fixtureBundle: string | undefined;

/** Path of a small stand-in seed-server bundle (written once per process to a temp directory, removed at exit). */
export function fixtureBundlePath(): string {
  if (!fixtureBundle) {
    fixtureBundle = join(testTempDir("fixture-bundle-"), "seed-server.mjs");
    writeFileSync(fixtureBundle, "// stand-in seed-server bundle for synth tests\nexport {};\n");
  }
  return fixtureBundle;
}

/** Options shared by the topology builders. */
export interface TopologyOptions {
  /** Prefix of physical names. @default "seedstack" */
  readonly namePrefix?: string;
  /** Bundle to upload. @default a stand-in file from {@link fixtureBundlePath} */
  readonly bundlePath?: string;
  /** Extra Network props. @default two looked-up AZs, no NAT */
  readonly network?: Omit<NetworkProps, "namePrefix">;
  /** Extra LoadBalancer props (merged over the topology's). @default none */
  readonly loadBalancer?: Partial<Omit<LoadBalancerProps, "network" | "targets">>;
  /** Short-lived environment: deletable database and bucket. @default false */
  readonly ephemeral?: boolean;
}

/** The constructs of the classic topology. */
export interface ClassicTopology {
  readonly network: Network;
  readonly artifacts: ArtifactBucket;
  readonly database: Database;
  readonly servers: WebServerPair;
  readonly loadBalancer: LoadBalancer;
}

/** The Network and ArtifactBucket every topology starts with. */
function networkAndArtifacts(scope: Construct, options: TopologyOptions): { namePrefix: string | undefined; network: Network; artifacts: ArtifactBucket } {
  const namePrefix = options.namePrefix;
  const network = new Network(scope, "network", { ...options.network, ...(namePrefix ? { namePrefix } : {}) });
  const artifacts = new ArtifactBucket(scope, "artifacts", {
    bundlePath: options.bundlePath ?? fixtureBundlePath(),
    forceDestroy: options.ephemeral ?? false,
    ...(namePrefix ? { namePrefix } : {}),
  });
  return { namePrefix, network, artifacts };
}

/** Network + ArtifactBucket + WebServerPair + LoadBalancer (self-signed unless overridden) + Database. */
export function classicTopology(scope: Construct, options: TopologyOptions = {}, database: Partial<Omit<DatabaseProps, "network">> = {}): ClassicTopology {
  const { namePrefix, network, artifacts } = networkAndArtifacts(scope, options);
  const db = new Database(scope, "database", { network, ephemeral: options.ephemeral ?? false, ...database, ...(namePrefix ? { namePrefix } : {}) });
  const servers = new WebServerPair(scope, "web", { network, artifact: artifacts, database: db, ...(namePrefix ? { namePrefix } : {}) });
  const loadBalancer = new LoadBalancer(scope, "lb", {
    network,
    targets: servers,
    certificate: { kind: "self-signed" },
    ...(options.ephemeral ? { deregistrationDelay: 5 } : {}),
    ...options.loadBalancer,
    ...(namePrefix ? { namePrefix } : {}),
  });
  return { network, artifacts, database: db, servers, loadBalancer };
}

/** The constructs of the autoscaled topology. */
export interface AutoscaledTopology {
  readonly network: Network;
  readonly artifacts: ArtifactBucket;
  readonly servers: AutoScaledWebServers;
  readonly loadBalancer: LoadBalancer;
}

/** Network + ArtifactBucket + AutoScaledWebServers + LoadBalancer with sticky sessions (1 hour). */
export function autoscaledTopology(scope: Construct, options: TopologyOptions = {}): AutoscaledTopology {
  const { namePrefix, network, artifacts } = networkAndArtifacts(scope, options);
  const servers = new AutoScaledWebServers(scope, "web", { network, artifact: artifacts, maxSize: 4, ...(namePrefix ? { namePrefix } : {}) });
  const loadBalancer = new LoadBalancer(scope, "lb", {
    network,
    targets: servers,
    stickiness: { duration: 3600 },
    ...(options.ephemeral ? { deregistrationDelay: 5 } : {}),
    ...options.loadBalancer,
    ...(namePrefix ? { namePrefix } : {}),
  });
  return { network, artifacts, servers, loadBalancer };
}
