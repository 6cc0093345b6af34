/**
 * The `bootstrap` stack: what a GitHub repository needs in an AWS account before its pull requests
 * can deploy environments, as `cdk bootstrap` prepares an account for CDK and terraform-aws-modules'
 * GitHub OIDC modules prepare one for GitHub Actions:
 *
 * - the state bucket (state-bucket.ts), or an existing one named by SEEDSTACK_STATE_BUCKET;
 * - the GitHub OIDC provider, or an existing one (SEEDSTACK_GITHUB_OIDC_PROVIDER_ARN);
 * - the permissions boundary every role the stacks create carries (ci-policies.ts);
 * - the pull-request role, trusted by exactly `repo:<owner>/<repo>:pull_request`, and the sweeper
 *   role, trusted by the default branch only, with the policies of ci-policies.ts (scoped to the
 *   existing VPC pull requests share, when SEEDSTACK_VPC_ID or SEEDSTACK_VPC_TAGS is set);
 * - outputs: the repository variables to set, and the `gh variable set` commands that set them.
 *
 * The CI roles themselves carry no boundary: their own policies are their ceiling, and they may
 * never change the boundary. Deploy it once with an administrator's credentials:
 * `SEEDSTACK_GITHUB_REPOSITORY=owner/repo npm run cdktf -- deploy bootstrap`.
 */
import { TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity/index.js";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition/index.js";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document/index.js";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider/index.js";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy/index.js";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role/index.js";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment/index.js";
import type { GitHubRepositoryConfig, SeedstackConfig } from "./config.js";
import { addStateBackend } from "./backend.js";
import { PROJECT_TAG } from "./environment.js";
import { StateBucket } from "./state-bucket.js";
import { boundaryPolicy, pullRequestPolicies, sweeperPolicy, type CiPolicyContext, type PolicyPart } from "./ci-policies.js";

/** The stack's name. */
export const BOOTSTRAP_STACK_NAME = "bootstrap";
/** GitHub's OIDC issuer, and the audience `aws-actions/configure-aws-credentials` asks for. */
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
export const GITHUB_OIDC_AUDIENCE = "sts.amazonaws.com";

/** The `sub` claim of a pull-request run of `repository` (no fork: those get no secrets or OIDC token with write access). */
export function pullRequestSubject(repository: string): string {
  return `repo:${repository}:pull_request`;
}

/** The `sub` claim of a run on `branch` of `repository` (the scheduled sweeper runs on the default branch). */
export function branchSubject(repository: string, branch: string): string {
  return `repo:${repository}:ref:refs/heads/${branch}`;
}

/** Props of a {@link BootstrapStack}. */
export interface BootstrapStackProps {
  /** The app's validated configuration; `config.github` must be set. */
  readonly config: SeedstackConfig;
}

/** State bucket, OIDC provider, permissions boundary and the two CI roles of one repository. */
export class BootstrapStack extends TerraformStack {
  /** The stack's name, `bootstrap`. */
  public readonly stackName = BOOTSTRAP_STACK_NAME;
  /** The repository the roles trust. */
  public readonly github: GitHubRepositoryConfig;
  /** The role pull-request runs assume. */
  public readonly pullRequestRole: IamRole;
  /** The role the scheduled sweeper assumes. */
  public readonly sweeperRole: IamRole;
  /** ARN of the permissions boundary policy. */
  public readonly boundaryArn: string;

  /**
   * @param scope the app
   * @param props the configuration
   */
  constructor(scope: Construct, props: BootstrapStackProps) {
    super(scope, BOOTSTRAP_STACK_NAME);
    const { config } = props;
    if (config.github === undefined) throw new Error("BootstrapStack needs SEEDSTACK_GITHUB_REPOSITORY (owner/repo)");
    this.github = config.github;
    const prefix = config.namePrefix;

    new AwsProvider(this, "aws", { region: config.region, defaultTags: [{ tags: { Project: PROJECT_TAG, Stack: BOOTSTRAP_STACK_NAME, Owner: config.owner } }] });
    const identity = new DataAwsCallerIdentity(this, "account");
    const partition = new DataAwsPartition(this, "partition");
    const p = partition.partition;
    const account = identity.accountId;

    // An existing bucket keeps this stack's own state too (a key the PR role cannot reach); a new
    // one cannot hold the state of the stack that creates it, so that state stays local.
    addStateBackend(this, config.state, prefix, BOOTSTRAP_STACK_NAME);
    // The name as a string, not the bucket's attribute: a policy document that refers to a resource
    // being created is read only during apply, and could not be checked in the plan.
    const stateBucketName = config.state.kind === "s3" ? config.state.bucket : `${prefix}-tfstate-${account}-${config.region}`;
    const stateBucket = config.state.kind === "s3" ? undefined : new StateBucket(this, "state", { bucketName: stateBucketName });
    const stateRegion = config.state.kind === "s3" ? config.state.region : config.region;

    // An account has one provider per URL, so its ARN is known from the account alone: the trust
    // policies can be read in the plan. The roles depend on the provider instead.
    const oidcProvider = this.github.oidcProviderArn === undefined
      ? new IamOpenidConnectProvider(this, "github-oidc", {
          url: `https://${GITHUB_OIDC_HOST}`,
          clientIdList: [GITHUB_OIDC_AUDIENCE],
          // No thumbprint: AWS trusts GitHub's issuer through its own library of certificate authorities.
          tags: { Name: `${prefix}-github-oidc` },
        })
      : undefined;
    const oidcProviderArn = this.github.oidcProviderArn ?? `arn:${p}:iam::${account}:oidc-provider/${GITHUB_OIDC_HOST}`;

    const boundaryName = `${prefix}-permissions-boundary`;
    // Built from its name, not the resource's output: the CI policies refer to it without depending on it.
    this.boundaryArn = `arn:${p}:iam::${account}:policy/${boundaryName}`;
    const ctx: CiPolicyContext = {
      partition: p,
      account,
      region: config.region,
      namePrefix: prefix,
      stateBucketArn: `arn:${p}:s3:::${stateBucketName}`,
      boundaryArn: this.boundaryArn,
      ...(config.state.kind === "s3" && config.state.lockTable ? { lockTableArn: `arn:${p}:dynamodb:${stateRegion}:${account}:table/${config.state.lockTable}` } : {}),
      ...(config.tls === "acm-dns" ? { dns: { hostedZoneId: config.hostedZoneId!, domain: config.domain! } } : {}),
      // PR stacks in an existing VPC (SEEDSTACK_VPC_*): the role is scoped to it instead of building VPCs.
      ...(config.existingVpc ? { sharedVpc: { vpc: config.existingVpc.vpc, serverSubnets: config.existingVpc.privateSubnets } } : {}),
    };

    const boundary = this.managedPolicy(boundaryPolicy(ctx), boundaryName);
    const prPolicies = pullRequestPolicies(ctx).map((part) => this.managedPolicy(part, `${prefix}-ci-${part.name}`));
    const sweeperExtra = this.managedPolicy(sweeperPolicy(ctx), `${prefix}-ci-sweeper`);

    this.pullRequestRole = this.githubRole("pull-request", `${prefix}-github-pull-requests`, oidcProviderArn, pullRequestSubject(this.github.repository), `seedstack: pull-request runs of ${this.github.repository}`, oidcProvider);
    this.sweeperRole = this.githubRole("sweeper", `${prefix}-github-sweeper`, oidcProviderArn, branchSubject(this.github.repository, this.github.defaultBranch), `seedstack: the sweeper of ${this.github.repository} (${this.github.defaultBranch} only)`, oidcProvider);

    prPolicies.forEach((policy, i) => {
      new IamRolePolicyAttachment(this, `pull-request-policy-${i}`, { role: this.pullRequestRole.name, policyArn: policy.arn });
      // The sweeper destroys what pull requests deployed: the same policies.
      new IamRolePolicyAttachment(this, `sweeper-policy-${i}`, { role: this.sweeperRole.name, policyArn: policy.arn });
    });
    new IamRolePolicyAttachment(this, "sweeper-policy-sweep", { role: this.sweeperRole.name, policyArn: sweeperExtra.arn });

    const variables: Record<string, string> = {
      SEEDSTACK_AWS_ROLE_ARN: this.pullRequestRole.arn,
      SEEDSTACK_AWS_SWEEPER_ROLE_ARN: this.sweeperRole.arn,
      SEEDSTACK_REGION: config.region,
      SEEDSTACK_STATE_BUCKET: stateBucket?.bucketName ?? stateBucketName,
      SEEDSTACK_PERMISSIONS_BOUNDARY: boundary.arn,
      SEEDSTACK_NAME_PREFIX: prefix,
    };
    new TerraformOutput(this, "repository_variables", { value: variables, description: "The GitHub repository variables the workflows read" });
    new TerraformOutput(this, "gh_variable_commands", {
      value: Object.entries(variables)
        .map(([name, value]) => `gh variable set ${name} --repo ${this.github.repository} --body "${value}"`)
        .join(" && "),
      description: "One line that sets every repository variable with the GitHub CLI",
    });
    new TerraformOutput(this, "state_bucket", { value: stateBucket?.bucketName ?? stateBucketName, description: "The Terraform state bucket" });
  }

  /** One customer-managed policy from `part`'s statements, rendered by an aws_iam_policy_document. */
  private managedPolicy(part: PolicyPart, name: string): IamPolicy {
    const document = new DataAwsIamPolicyDocument(this, `${part.name}-document`, { statement: part.statements });
    return new IamPolicy(this, `${part.name}-policy`, { name, description: part.description, policy: document.json, tags: { Name: name } });
  }

  /** A role GitHub Actions runs of exactly `subject` may assume through the OIDC provider. */
  private githubRole(id: string, name: string, oidcProviderArn: string, subject: string, description: string, provider: IamOpenidConnectProvider | undefined): IamRole {
    const trust = new DataAwsIamPolicyDocument(this, `${id}-trust`, {
      statement: [
        {
          sid: "GitHubActionsOidc",
          effect: "Allow",
          actions: ["sts:AssumeRoleWithWebIdentity"],
          principals: [{ type: "Federated", identifiers: [oidcProviderArn] }],
          condition: [
            { test: "StringEquals", variable: `${GITHUB_OIDC_HOST}:aud`, values: [GITHUB_OIDC_AUDIENCE] },
            // StringEquals, not StringLike: no wildcard can widen it to other repositories, branches or events.
            { test: "StringEquals", variable: `${GITHUB_OIDC_HOST}:sub`, values: [subject] },
          ],
        },
      ],
    });
    return new IamRole(this, `${id}-role`, { name, description, assumeRolePolicy: trust.json, maxSessionDuration: 3600, tags: { Name: name }, ...(provider ? { dependsOn: [provider] } : {}) });
  }
}
