/**
 * Test-only: read the IAM policies a synthesized stack gives a role (aws_iam_policy_document data
 * sources behind aws_iam_policy / aws_iam_role) and evaluate requests against them the way IAM's
 * documented policy logic does for one account: an explicit Deny wins, else an Allow whose
 * action, resource and every condition match, else the implicit deny.
 *
 * It covers what our policies use: `*`/`?` wildcards in actions (case-insensitive) and resources,
 * the String*, Arn*, Null and Bool operators, `...IfExists`, and `ForAllValues:`. A condition
 * operator it does not know fails the test instead of guessing. It is NOT AWS: service-specific
 * authorization (which resources and keys an action really presents) is what the requests in the
 * tests say, taken from the Service Authorization Reference.
 */
import { dataSourcesOf, resourcesOf, type SynthJson } from "./synth-json.js";

/** A policy statement as an aws_iam_policy_document synthesizes it. */
export interface DocStatement {
  readonly sid?: string;
  readonly effect?: string;
  readonly actions?: string[];
  readonly resources?: string[];
  readonly condition?: Array<{ test: string; variable: string; values: string[] }>;
  readonly principals?: Array<{ type: string; identifiers: string[] }>;
}

/** A request: an action on a resource with the context keys the request presents. */
export interface IamRequest {
  readonly action: string;
  readonly resource: string;
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
  /** For trust policies: the federated principal asking. */
  readonly principal?: { readonly type: string; readonly id: string };
}

/** What the tests pretend the Terraform references are: the stand-in's account, partition aws. */
export const EVAL_ACCOUNT = "123456789012";

/** Replace the data-source references our documents use with the test account's values. */
export function resolveReferences<T>(value: T): T {
  const text = JSON.stringify(value)
    .replace(/\$\{data\.aws_partition\.[A-Za-z0-9_-]+\.partition\}/g, "aws")
    .replace(/\$\{data\.aws_caller_identity\.[A-Za-z0-9_-]+\.account_id\}/g, EVAL_ACCOUNT);
  const left = /\$\{[^}]+\}/.exec(text);
  if (left) throw new Error(`a policy refers to ${left[0]}, which the evaluator cannot resolve: keep policies readable at plan time`);
  return JSON.parse(text) as T;
}

/** The statements of the aws_iam_policy_document that `reference` (`${data.aws_iam_policy_document.x.json}`) names. */
export function documentStatements(stack: SynthJson, reference: unknown): DocStatement[] {
  const match = /^\$\{data\.aws_iam_policy_document\.([A-Za-z0-9_-]+)\.json\}$/.exec(String(reference));
  if (!match) throw new Error(`not a policy document reference: ${JSON.stringify(reference)}`);
  const doc = dataSourcesOf(stack, "aws_iam_policy_document").find((d) => d.name === match[1]);
  if (!doc) throw new Error(`no aws_iam_policy_document ${match[1]}`);
  return resolveReferences((doc.attrs.statement ?? []) as DocStatement[]);
}

/** Every statement of every managed policy attached to the aws_iam_role with `name`. */
export function rolePermissions(stack: SynthJson, roleName: string): DocStatement[] {
  const role = resourcesOf(stack, "aws_iam_role").find((r) => r.attrs.name === roleName);
  if (!role) throw new Error(`no aws_iam_role named ${roleName}`);
  const policies = resourcesOf(stack, "aws_iam_role_policy_attachment")
    .filter((a) => a.attrs.role === `\${aws_iam_role.${role.name}.name}`)
    .map((a) => {
      const key = /^\$\{aws_iam_policy\.([A-Za-z0-9_-]+)\.arn\}$/.exec(String(a.attrs.policy_arn))?.[1];
      const policy = resourcesOf(stack, "aws_iam_policy").find((p) => p.name === key);
      if (!policy) throw new Error(`${a.address} attaches ${a.attrs.policy_arn}, not a policy of this stack`);
      return policy;
    });
  return policies.flatMap((p) => documentStatements(stack, p.attrs.policy));
}

/** The trust policy statements of the aws_iam_role with `name`. */
export function roleTrust(stack: SynthJson, roleName: string): DocStatement[] {
  const role = resourcesOf(stack, "aws_iam_role").find((r) => r.attrs.name === roleName);
  if (!role) throw new Error(`no aws_iam_role named ${roleName}`);
  return documentStatements(stack, role.attrs.assume_role_policy);
}

/** The statements of the aws_iam_policy with `name`. */
export function managedPolicy(stack: SynthJson, name: string): DocStatement[] {
  const policy = resourcesOf(stack, "aws_iam_policy").find((p) => p.attrs.name === name);
  if (!policy) throw new Error(`no aws_iam_policy named ${name}`);
  return documentStatements(stack, policy.attrs.policy);
}

/** `*` and `?` wildcards, as IAM matches them. */
function glob(pattern: string, value: string, ignoreCase: boolean): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${source}$`, ignoreCase ? "is" : "s").test(value);
}

function conditionHolds(test: string, variable: string, values: string[], context: IamRequest["context"] = {}): boolean {
  const present = Object.prototype.hasOwnProperty.call(context, variable);
  const raw = context[variable];
  const given = raw === undefined ? [] : typeof raw === "string" ? [raw] : [...raw];
  let op = test;
  let setOp: "all" | "any" | undefined;
  if (op.startsWith("ForAllValues:")) [setOp, op] = ["all", op.slice("ForAllValues:".length)];
  else if (op.startsWith("ForAnyValue:")) [setOp, op] = ["any", op.slice("ForAnyValue:".length)];
  const ifExists = op.endsWith("IfExists");
  if (ifExists) op = op.slice(0, -"IfExists".length);
  if (op === "Null") return (values[0] === "true") === !present;
  if (!present) {
    if (setOp === "all" || ifExists) return true;
    // A negated operator on a missing key matches (IAM's documented behaviour).
    return op.startsWith("StringNot") || op.startsWith("ArnNot");
  }
  const one = (value: string): boolean => {
    switch (op) {
      case "StringEquals":
      case "ArnEquals":
        return values.includes(value);
      case "StringNotEquals":
      case "ArnNotEquals":
        return !values.includes(value);
      case "StringLike":
      case "ArnLike":
        return values.some((pattern) => glob(pattern, value, false));
      case "StringNotLike":
      case "ArnNotLike":
        return !values.some((pattern) => glob(pattern, value, false));
      case "Bool":
        return values.includes(value);
      default:
        throw new Error(`the evaluator does not know the condition operator ${test}`);
    }
  };
  if (setOp === "all") return given.every(one);
  return given.some(one);
}

function statementMatches(s: DocStatement, request: IamRequest): boolean {
  if (!(s.actions ?? []).some((pattern) => glob(pattern, request.action, true))) return false;
  if (s.resources !== undefined && !s.resources.some((pattern) => glob(pattern, request.resource, false))) return false;
  if (s.principals !== undefined) {
    const p = request.principal;
    if (!p || !s.principals.some((x) => x.type === p.type && x.identifiers.includes(p.id))) return false;
  }
  return (s.condition ?? []).every((c) => conditionHolds(c.test, c.variable, c.values, request.context));
}

/** IAM's decision for `request` under `statements`: "allow", or "deny" (explicit or implicit). */
export function decide(statements: readonly DocStatement[], request: IamRequest): "allow" | "deny" {
  if (statements.some((s) => (s.effect ?? "Allow") === "Deny" && statementMatches(s, request))) return "deny";
  return statements.some((s) => (s.effect ?? "Allow") === "Allow" && statementMatches(s, request)) ? "allow" : "deny";
}

/** The policy as IAM stores it, minified: its length is what IAM's 6,144-character limit counts (whitespace aside). */
export function renderPolicy(statements: readonly DocStatement[]): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: statements.map((s) => ({
      ...(s.sid ? { Sid: s.sid } : {}),
      Effect: s.effect ?? "Allow",
      Action: s.actions,
      Resource: s.resources,
      ...(s.condition?.length
        ? { Condition: Object.fromEntries([...new Set(s.condition.map((c) => c.test))].map((t) => [t, Object.fromEntries(s.condition!.filter((c) => c.test === t).map((c) => [c.variable, c.values]))])) }
        : {}),
    })),
  });
}
