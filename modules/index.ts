/**
 * seedstack's public construct library: `import { Network, LoadBalancer } from "seedstack/modules"`.
 *
 * Only constructs, their props and the contracts between them are exported; helpers stay internal
 * so they can change without breaking other repos.
 */
export type {
  INetwork,
  IVpcReference,
  ISubnetReference,
  IGrantable,
  IServerArtifact,
  IWebServers,
  ILoadBalancerTarget,
  IDatabase,
  DatabaseConnection,
} from "./contracts.js";
export { DEFAULT_NAME_PREFIX, physicalName, validateNamePrefix } from "./naming.js";

export { Network, SSM_ENDPOINT_SERVICES, type NetworkProps, type NatGatewayMode } from "./network.js";
export { ExistingNetwork, type ExistingNetworkProps } from "./existing-network.js";
export { DEFAULT_PRIVATE_SUBNET_TAGS, DEFAULT_PUBLIC_SUBNET_TAGS, type SubnetSelection, type VpcSelection } from "./network-selection.js";
export { InstanceRole, type InstanceRoleProps } from "./instance-role.js";
export { ArtifactBucket, type ArtifactBucketProps } from "./artifact-bucket.js";
export type { WebServersProps } from "./web-servers-base.js";
export type { LogLevel } from "./user-data.js";
export { WebServerPair, type WebServerPairProps } from "./web-server-pair.js";
export { AutoScaledWebServers, type AutoScaledWebServersProps } from "./auto-scaled-web-servers.js";
export { LoadBalancer, type LoadBalancerProps, type LoadBalancerProtocol } from "./load-balancer.js";
export { DEFAULT_TLS_POLICY, type HealthCheckOptions, type StickinessOptions } from "./load-balancer-options.js";
export type { CertificateSource, AcmArnCertificate, AcmDnsCertificate, SelfSignedCertificate } from "./certificate.js";
export { Database, DEFAULT_POSTGRES_MAJOR_VERSION, POSTGRES_MAJOR_VERSIONS, type DatabaseProps } from "./database.js";
