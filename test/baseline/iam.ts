/**
 * IAM rules: no AdministratorAccess or *FullAccess managed policy, and no wildcard S3 access in
 * inline or customer-managed policies (least privilege: the servers read one object).
 */
import { dataSourcesOf, list, resourcesOf, type Attributes, type Resource, type SynthJson } from "../synth-json.js";
import type { Violation } from "./violation.js";

/** A policy statement reduced to what the rules look at. */
interface Statement {
  readonly effect: string;
  readonly actions: string[];
  readonly resources: string[];
}

const ATTACHMENT_TYPES = [
  "aws_iam_role_policy_attachment",
  "aws_iam_policy_attachment",
  "aws_iam_user_policy_attachment",
  "aws_iam_group_policy_attachment",
];
const INLINE_POLICY_TYPES = ["aws_iam_role_policy", "aws_iam_policy", "aws_iam_user_policy", "aws_iam_group_policy"];
const DOCUMENT_REFERENCE = /^\$\{data\.aws_iam_policy_document\.([A-Za-z0-9_-]+)\.json\}$/;

/** Check managed-policy attachments and every permissions policy document in the stack. */
export function checkIam(stack: SynthJson): Violation[] {
  const violations: Violation[] = [];

  const managed: Array<{ resource: Resource; arn: string }> = [
    ...resourcesOf(stack, ...ATTACHMENT_TYPES).map((r) => ({ resource: r, arn: r.attrs.policy_arn })),
    ...resourcesOf(stack, "aws_iam_role").flatMap((r) => list(r.attrs.managed_policy_arns).map((arn) => ({ resource: r, arn }))),
    ...resourcesOf(stack, "aws_iam_role_policy_attachments_exclusive").flatMap((r) => list(r.attrs.policy_arns).map((arn) => ({ resource: r, arn }))),
  ].map(({ resource, arn }) => ({ resource, arn: resolveManagedPolicyArn(stack, arn) }));
  for (const { resource, arn } of managed) {
    if (/AdministratorAccess$/.test(arn)) {
      violations.push({ rule: "CKV_AWS_274", resource: resource.address, message: `attaches ${arn}` });
    } else if (/FullAccess$/.test(arn)) {
      violations.push({ rule: "SEEDSTACK_IAM_FULL_ACCESS", resource: resource.address, message: `attaches ${arn}; grant only the actions and resources needed` });
    }
  }

  const documents: Array<{ resource: Resource; policy: unknown }> = [
    ...resourcesOf(stack, ...INLINE_POLICY_TYPES).map((r) => ({ resource: r, policy: r.attrs.policy })),
    ...resourcesOf(stack, "aws_iam_role").flatMap((r) =>
      list(r.attrs.inline_policy).map((p) => ({ resource: r, policy: (p as Attributes | undefined)?.policy })),
    ),
  ];
  for (const { resource, policy } of documents) {
    const statements = readStatements(stack, policy);
    if (statements === undefined) {
      violations.push({
        rule: "SEEDSTACK_IAM_UNREADABLE",
        resource: resource.address,
        message: "policy is neither a JSON document nor a reference to an aws_iam_policy_document, so it cannot be checked",
      });
      continue;
    }
    for (const s of statements.filter((st) => st.effect === "Allow")) {
      if (s.actions.includes("*")) {
        violations.push({ rule: "CKV_AWS_63", resource: resource.address, message: 'a statement allows every action ("*")' });
      }
      if (s.actions.some((a) => a.toLowerCase() === "s3:*")) {
        violations.push({ rule: "SEEDSTACK_IAM_S3_WILDCARD", resource: resource.address, message: 'a statement allows "s3:*"; allow only s3:GetObject' });
      }
      const touchesS3 = s.actions.some((a) => a === "*" || a.toLowerCase().startsWith("s3:"));
      if (touchesS3 && s.resources.includes("*")) {
        violations.push({ rule: "CKV_AWS_355", resource: resource.address, message: 'a statement allows S3 actions on every resource ("*"); name the object ARN' });
      }
    }
  }
  return violations;
}

/** A managed-policy ARN, following a reference to a data.aws_iam_policy to its name or ARN. */
function resolveManagedPolicyArn(stack: SynthJson, value: unknown): string {
  const text = typeof value === "string" ? value : "";
  const match = /^\$\{data\.aws_iam_policy\.([A-Za-z0-9_-]+)\.arn\}$/.exec(text);
  if (!match) return text;
  const source = dataSourcesOf(stack, "aws_iam_policy").find((d) => d.name === match[1]);
  return String(source?.attrs.arn ?? source?.attrs.name ?? text);
}

/** Statements of a policy given as JSON text or as a reference to an aws_iam_policy_document. */
function readStatements(stack: SynthJson, policy: unknown): Statement[] | undefined {
  if (typeof policy !== "string") return undefined;
  const reference = DOCUMENT_REFERENCE.exec(policy.trim());
  if (reference) {
    const document = dataSourcesOf(stack, "aws_iam_policy_document").find((d) => d.name === reference[1]);
    if (!document) return undefined;
    return list(document.attrs.statement).map((raw) => {
      const s = raw as Attributes;
      return { effect: String(s.effect ?? "Allow"), actions: list(s.actions).map(String), resources: list(s.resources).map(String) };
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(policy);
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null) return undefined;
  return list((parsed as Attributes).Statement).map((raw) => {
    const s = raw as Attributes;
    return { effect: String(s.Effect), actions: list(s.Action).map(String), resources: list(s.Resource).map(String) };
  });
}
