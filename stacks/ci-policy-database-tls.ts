/**
 * The pull-request role's database, certificate and DNS statements: RDS (instance, subnet and
 * parameter groups, the RDS-managed master secret), ACM, Route 53.
 *
 * As for EC2 (ci-policy-ec2.ts), a create is allowed only on the resource type it creates, tagged
 * `Stack=pr-*` in the request, and everything else it names must already be the pull request's:
 * - `CreateDBInstance` is also authorized on its subnet and parameter groups: they must be tagged
 *   `Stack=pr-*` (the option group may be the engine's default);
 * - RDS authorizes tags on create as `rds:AddTagsToResource` on the new resource and has no key
 *   that tells a create from a later call, so a resource not yet tagged may be created or tagged
 *   only under a pull request's name (`<prefix>-pr-*`, in RDS ARNs);
 * - ACM has neither such a key nor names in its ARNs: see `acmStatements`.
 */
import { allow, notYetTagged, requestTagged, resourceTagged, retagsOnlyToPr, type CiPolicyContext, type PolicyPart, type Statement } from "./ci-policy-parts.js";

/** The RDS creates, by the ARN type of the resource each creates (`db:<identifier>`). */
const RDS_NEW: Readonly<Record<string, string>> = {
  db: "rds:CreateDBInstance",
  subgrp: "rds:CreateDBSubnetGroup",
  pg: "rds:CreateDBParameterGroup",
};

/** Statement ID part of an RDS ARN type. */
const RDS_SID: Readonly<Record<string, string>> = { db: "DbInstance", subgrp: "SubnetGroup", pg: "ParameterGroup" };

/** Changes and deletes of a PR's own database and its groups; CreateDBInstance for the groups it names. */
const RDS_CHANGES = [
  "rds:CreateDBInstance",
  "rds:AddTagsToResource",
  "rds:RemoveTagsFromResource",
  "rds:ModifyDBInstance",
  "rds:RebootDBInstance",
  "rds:DeleteDBInstance",
  "rds:ModifyDBSubnetGroup",
  "rds:DeleteDBSubnetGroup",
  "rds:ModifyDBParameterGroup",
  "rds:ResetDBParameterGroup",
  "rds:DeleteDBParameterGroup",
];

function rdsStatements(ctx: CiPolicyContext): Statement[] {
  const { partition: p, region: r, account: a } = ctx;
  const rdsArn = (resource: string) => `arn:${p}:rds:${r}:${a}:${resource}`;
  const prNamed = (type: string) => rdsArn(`${type}:${ctx.namePrefix}-pr-*`);
  return [
    allow("RdsDescribe", ["rds:Describe*", "rds:ListTagsForResource"], ["*"]),
    ...Object.entries(RDS_NEW).map(([type, action]) => allow(`RdsNew${RDS_SID[type]}`, [action], [prNamed(type)], [requestTagged, notYetTagged])),
    allow("RdsTagOnCreate", ["rds:AddTagsToResource"], Object.keys(RDS_NEW).map(prNamed), [requestTagged, notYetTagged]),
    allow("RdsChangePrResources", RDS_CHANGES, Object.keys(RDS_NEW).map((type) => rdsArn(`${type}:*`)), [resourceTagged, retagsOnlyToPr]),
    // The engine's default option group, which AWS creates untagged and shares between databases.
    allow("CreateDbWithDefaultOptionGroup", ["rds:CreateDBInstance"], [rdsArn("og:default:*")]),
    // RDS-managed master password: RDS creates and deletes the secret with the caller's rights.
    allow("RdsManagedSecret", ["secretsmanager:CreateSecret", "secretsmanager:TagResource", "secretsmanager:DeleteSecret", "secretsmanager:DescribeSecret"], [`arn:${p}:secretsmanager:${r}:${a}:secret:rds!*`]),
    allow("RdsManagedSecretKey", ["kms:DescribeKey"], [`arn:${p}:kms:${r}:${a}:key/*`]),
  ];
}

/**
 * ACM: a new import or request, tagged for a pull request; tags on create (ACM authorizes them as
 * AddTagsToCertificate on the new certificate, with no key to tell a create from a later call and
 * no name in the ARN, so a certificate without any `Stack` tag can be tagged into a pull request);
 * changes and deletes of certificates tagged `Stack=pr-*`. Never a re-import (ImportCertificate on
 * an existing certificate, which carries no tags): a certificate tagged in that way can never have
 * its key replaced, and the PR stacks replace their self-signed certificate instead
 * (modules/certificate.ts). ACM refuses to delete a certificate a load balancer uses.
 */
function acmStatements(ctx: CiPolicyContext): Statement[] {
  const certificates = [`arn:${ctx.partition}:acm:${ctx.region}:${ctx.account}:certificate/*`];
  const statements: Statement[] = [
    allow("AcmNewImport", ["acm:ImportCertificate"], certificates, [requestTagged, notYetTagged]),
    allow("AcmTagOnCreate", ["acm:AddTagsToCertificate"], certificates, [requestTagged, notYetTagged]),
    allow("AcmChangePrCertificates", ["acm:AddTagsToCertificate", "acm:RemoveTagsFromCertificate", "acm:DeleteCertificate"], certificates, [resourceTagged, retagsOnlyToPr]),
    // Read the PR's certificates (an imported one's body too), tagged or about to be.
    allow("AcmRead", ["acm:DescribeCertificate", "acm:GetCertificate", "acm:ListTagsForCertificate"], certificates),
  ];
  if (ctx.dns) {
    // RequestCertificate has no resource type (`*`); only the PR's own names.
    statements.push(
      allow("AcmRequestPrNames", ["acm:RequestCertificate"], ["*"], [requestTagged, { test: "ForAllValues:StringLike", variable: "acm:DomainNames", values: [`pr-*.${ctx.dns.domain}`] }]),
    );
  }
  return statements;
}

function route53Statements(ctx: CiPolicyContext): Statement[] {
  if (!ctx.dns) return [];
  const zone = `arn:${ctx.partition}:route53:::hostedzone/${ctx.dns.hostedZoneId}`;
  return [
    allow("Route53Read", ["route53:GetHostedZone", "route53:ListResourceRecordSets", "route53:ListTagsForResource"], [zone]),
    allow("Route53Changes", ["route53:GetChange"], [`arn:${ctx.partition}:route53:::change/*`]),
    // Only the PR's own names: `pr-<n>.<domain>` and its certificate's `_<token>.pr-<n>.<domain>`.
    allow("Route53PrRecords", ["route53:ChangeResourceRecordSets"], [zone], [
      { test: "ForAllValues:StringLike", variable: "route53:ChangeResourceRecordSetsNormalizedRecordNames", values: [`pr-*.${ctx.dns.domain}`, `_*.pr-*.${ctx.dns.domain}`] },
    ]),
  ];
}

/** The database, certificate and DNS part of the pull-request role's policy. */
export function databaseTlsPolicy(ctx: CiPolicyContext): PolicyPart {
  return {
    name: "database-tls",
    description: "seedstack pull-request environments: RDS, ACM certificates, Route 53 records",
    statements: [...rdsStatements(ctx), ...acmStatements(ctx), ...route53Statements(ctx)],
  };
}
