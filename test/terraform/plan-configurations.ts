/**
 * The configurations the real-terraform tests plan: every configuration the stacks' own tests
 * synthesize (stacks/app.test.ts, stacks/seedstack-stack.test.ts), so each stack the synth and
 * policy tests check is also validated and planned by the real AWS provider. Stacks that come out
 * identical in two configurations (classic does not change with a PR number) are planned once.
 */
import { BOOTSTRAP_EXISTING, BOOTSTRAP_NEW, BOOTSTRAP_SHARED_VPC_BY_IDS, EXISTING_VPC_BY_IDS, EXISTING_VPC_BY_TAGS, TEST_CERTIFICATE_ARN } from "../../stacks/test-support.js";

/** One configuration: a label and the SEEDSTACK_* settings on top of the stack tests' base. */
export interface PlanConfiguration {
  readonly label: string;
  readonly env: Readonly<Record<string, string>>;
}

const ACM_DNS = { SEEDSTACK_TLS: "acm-dns", SEEDSTACK_DOMAIN: "seed.example.com", SEEDSTACK_HOSTED_ZONE_ID: "Z0123456789ABCDEFGHIJ" };
const ACM_ARN = { SEEDSTACK_TLS: "acm-arn", SEEDSTACK_CERTIFICATE_ARN: TEST_CERTIFICATE_ARN, SEEDSTACK_DOMAIN: "seed.example.com" };

export const PLAN_CONFIGURATIONS: readonly PlanConfiguration[] = [
  // stacks/app.test.ts: the configurations every stack is policy-checked under
  { label: "defaults (self-signed, no database)", env: {} },
  { label: "self-signed, database, PR copy of classic", env: { SEEDSTACK_DATABASE: "on", SEEDSTACK_PR_NUMBER: "12" } },
  { label: "plain HTTP, database, PR copy of autoscaled", env: { SEEDSTACK_TLS: "http", SEEDSTACK_DATABASE: "on", SEEDSTACK_PR_NUMBER: "13", SEEDSTACK_PR_TOPOLOGY: "autoscaled" } },
  { label: "acm-arn with a domain, PR", env: { ...ACM_ARN, SEEDSTACK_PR_NUMBER: "14" } },
  {
    label: "acm-dns, database, restricted clients, PR copy of autoscaled",
    env: { ...ACM_DNS, SEEDSTACK_DATABASE: "on", SEEDSTACK_ALLOWED_CIDRS: "203.0.113.0/24", SEEDSTACK_PR_NUMBER: "15", SEEDSTACK_PR_TOPOLOGY: "autoscaled" },
  },
  // stacks/app.test.ts: the longest names AWS must accept, both PR topologies
  { label: "longest name prefix and PR number, database, PR copy of classic", env: { SEEDSTACK_NAME_PREFIX: "abcdefghi", SEEDSTACK_PR_NUMBER: "9999999", SEEDSTACK_DATABASE: "on", SEEDSTACK_PR_TOPOLOGY: "classic" } },
  { label: "longest name prefix and PR number, database, PR copy of autoscaled", env: { SEEDSTACK_NAME_PREFIX: "abcdefghi", SEEDSTACK_PR_NUMBER: "9999999", SEEDSTACK_DATABASE: "on", SEEDSTACK_PR_TOPOLOGY: "autoscaled" } },
  // stacks/app.test.ts: state in S3 (replaced by local state for the plan; the rest is planned)
  { label: "state in S3, PR", env: { SEEDSTACK_STATE_BUCKET: "my-tf-state", SEEDSTACK_PR_NUMBER: "5" } },
  // stacks/seedstack-stack.test.ts
  { label: "another region (eu-west-2)", env: { SEEDSTACK_REGION: "eu-west-2" } },
  { label: "plain HTTP", env: { SEEDSTACK_TLS: "http" } },
  { label: "acm-arn with a domain", env: ACM_ARN },
  { label: "acm-dns with a domain", env: ACM_DNS },
  { label: "acm-dns with a domain, PR", env: { ...ACM_DNS, SEEDSTACK_PR_NUMBER: "12" } },
  { label: "database", env: { SEEDSTACK_DATABASE: "on" } },
  { label: "database without deletion protection", env: { SEEDSTACK_DATABASE: "on", SEEDSTACK_DELETION_PROTECTION: "off" } },
  { label: "PR copy of autoscaled, 48 h TTL", env: { SEEDSTACK_PR_NUMBER: "7", SEEDSTACK_PR_TOPOLOGY: "autoscaled", SEEDSTACK_TTL_HOURS: "48" } },
  // stacks/existing-vpc.test.ts: PR stacks in the stand-in's existing VPC (aws-stand-in-network.ts)
  { label: "existing VPC by tags, database, PR copy of classic", env: { ...EXISTING_VPC_BY_TAGS, SEEDSTACK_PR_NUMBER: "16", SEEDSTACK_DATABASE: "on" } },
  { label: "existing VPC by IDs, NAT, plain HTTP, PR copy of autoscaled", env: { ...EXISTING_VPC_BY_IDS, SEEDSTACK_PR_NUMBER: "17", SEEDSTACK_PR_TOPOLOGY: "autoscaled", SEEDSTACK_TLS: "http" } },
  // stacks/bootstrap-stack.test.ts: the bootstrap stack, creating everything / using what exists
  { label: "bootstrap: new state bucket and OIDC provider", env: BOOTSTRAP_NEW },
  { label: "bootstrap: existing state bucket, lock table and OIDC provider, acm-dns, another branch", env: BOOTSTRAP_EXISTING },
  // stacks/ci-policies-existing-vpc.test.ts: the role scoped to a shared VPC (the most statements: both denies, subnet ARNs)
  { label: "bootstrap: PR stacks in an existing VPC by IDs", env: BOOTSTRAP_SHARED_VPC_BY_IDS },
];
