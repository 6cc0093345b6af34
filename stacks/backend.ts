/**
 * Where a stack keeps its Terraform state: a local file by default, an S3 bucket when one is
 * configured (one key per stack, so PR environments never share or overwrite state).
 */
import { LocalBackend, S3Backend, type TerraformBackend, type TerraformStack } from "cdktf";
import type { StateBackendConfig } from "./config.js";

/** The S3 key of a stack's state: `<namePrefix>/<stack>/terraform.tfstate`. */
export function stateKey(namePrefix: string, stackName: string): string {
  return `${namePrefix}/${stackName}/terraform.tfstate`;
}

/**
 * Give `stack` its state backend.
 * - local: cdktf's own default, `terraform.<stack>.tfstate` in the project directory.
 * - s3: encrypted at rest, locked either by the S3-native lock file (`use_lockfile`, Terraform
 *   1.10+; no table to create or pay for) or, when a table is named, by DynamoDB.
 */
export function addStateBackend(
  stack: TerraformStack,
  state: StateBackendConfig,
  namePrefix: string,
  stackName: string,
): TerraformBackend {
  if (state.kind === "local") return new LocalBackend(stack, {});
  const backend = new S3Backend(stack, {
    bucket: state.bucket,
    key: stateKey(namePrefix, stackName),
    region: state.region,
    encrypt: true,
    ...(state.lockTable ? { dynamodbTable: state.lockTable } : {}),
  });
  // cdktf 0.21's S3BackendConfig predates `use_lockfile`; Terraform reads it from the same block.
  if (!state.lockTable) backend.addOverride("use_lockfile", true);
  return backend;
}
