/**
 * The test-only override files that point a synthesized stack's AWS provider at the stand-in
 * (aws-stand-in.ts) and its state at a throwaway local file. Terraform merges `*_override.tf.json`
 * files over the stack's own cdk.tf.json, so the stack itself is planned exactly as synthesized.
 */
import { awsProviderEndpointsToTerraform } from "@cdktf/provider-aws/lib/provider/index.js";

/**
 * Every service endpoint the provider accepts, from the provider bindings (generated from the
 * pinned provider's schema). All of them point at the stand-in: a call to any service goes to
 * loopback and gets a loud "not supported" there, never a slow retry loop against the real AWS.
 */
export function awsEndpointNames(): string[] {
  return Object.keys(awsProviderEndpointsToTerraform({})).filter((name) => !ENDPOINT_ALIASES.has(name));
}

/**
 * Endpoint names that are aliases of another (the provider warns "Only one of the following
 * attributes should be set" when both are): the bindings do not say which, the provider's plan did.
 * Canonical name first in each comment line; the plan tests fail on that warning if this drifts.
 */
const ENDPOINT_ALIASES = new Set([
  ...["prometheus", "prometheusservice"], // amp
  "applicationautoscaling", // appautoscaling
  "appintegrationsservice", // appintegrations
  "costexplorer", // ce
  "cloudcontrolapi", // cloudcontrol
  "cloudhsm", // cloudhsmv2
  "cognitoidentityprovider", // cognitoidp
  "config", // configservice
  "costandusagereportservice", // cur
  "gluedatabrew", // databrew
  "codedeploy", // deploy
  ...["databasemigration", "databasemigrationservice"], // dms
  "directoryservice", // ds
  "beanstalk", // elasticbeanstalk
  ...["es", "elasticsearchservice"], // elasticsearch
  "elasticloadbalancing", // elb
  "elasticloadbalancingv2", // elbv2
  ...["eventbridge", "cloudwatchevents"], // events
  "cloudwatchevidently", // evidently
  ...["managedgrafana", "amg"], // grafana
  "inspectorv2", // inspector2
  "msk", // kafka
  ...["lexmodelbuilding", "lexmodelbuildingservice", "lex"], // lexmodels
  "lexmodelsv2", // lexv2models
  "locationservice", // location
  ...["cloudwatchlog", "cloudwatchlogs"], // logs
  "cloudwatchobservabilityaccessmanager", // oam
  "opensearchservice", // opensearch
  "opensearchingestion", // osis
  "recyclebin", // rbin
  "redshiftdataapiservice", // redshiftdata
  "resourcegroupstagging", // resourcegroupstaggingapi
  "cloudwatchrum", // rum
  "s3api", // s3
  ...["serverlessapprepo", "serverlessapplicationrepository"], // serverlessrepo
  "appregistry", // servicecatalogappregistry
  "stepfunctions", // sfn
  "sdb", // simpledb
  "transcribeservice", // transcribe
]);

/** Access key of the stand-in's pretend user: AWS's documentation example, never a real key. */
export const STAND_IN_ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";

/**
 * `stand_in_override.tf.json`: the AWS provider with every endpoint at `standInUrl`, static
 * documentation credentials, and no instance-metadata lookup. Region and default tags stay as
 * synthesized (an override merges into the provider block it names).
 */
export function standInProviderOverride(standInUrl: string): object {
  const endpoints = Object.fromEntries(awsEndpointNames().map((name) => [name, standInUrl]));
  return {
    "//": "Test only: points the AWS provider at seedstack's loopback AWS stand-in (test/terraform/aws-stand-in.ts).",
    provider: {
      aws: [
        {
          access_key: STAND_IN_ACCESS_KEY,
          secret_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
          skip_metadata_api_check: true,
          // The stand-in's AZ and AMI answers are not retried-for; a failure should surface at once.
          max_retries: 1,
          endpoints: [endpoints],
        },
      ],
    },
  };
}

/** `local_state_override.tf.json`: state in the workspace, whatever backend (the project's file, S3) was synthesized. */
export function localStateOverride(): object {
  return {
    "//": "Test only: keeps this plan's state in its own temporary directory.",
    terraform: { backend: { local: { path: "terraform.tfstate" } } },
  };
}
