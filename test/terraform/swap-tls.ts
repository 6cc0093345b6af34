/**
 * Test-only: a synthesized stack with its hashicorp/tls resources (the self-signed certificate's
 * key and certificate) swapped for input variables, because the local provider mirror holds no
 * hashicorp/tls and so such a stack cannot be initialised here. Every reference to a removed
 * resource's attribute becomes a reference to a variable whose default is a fixed placeholder
 * PEM, so everything that uses the certificate (the ACM import, the outputs) is still planned by
 * the real AWS provider. A `replace_triggered_by` entry naming a removed resource is dropped (a
 * variable cannot trigger a replacement, and plan never replaces for it). Stacks without tls
 * resources come back unchanged.
 */

/** A stack after the swap. */
export interface TlsSwap {
  /** The stack JSON to plan. */
  readonly json: Record<string, any>;
  /** Addresses of the resources removed (`tls_private_key.lb_certificate_key_EF21F0F2`); empty when the stack is planned whole. */
  readonly removed: readonly string[];
  /** The variables that replace their attributes. */
  readonly variables: readonly string[];
}

/** Placeholder values, labelled as such; plan only passes them through. */
const PLACEHOLDER: Record<string, string> = {
  private_key_pem: "-----BEGIN PRIVATE KEY-----\nc2VlZHN0YWNrIHRlc3QgcGxhY2Vob2xkZXIsIG5vdCBhIGtleQ==\n-----END PRIVATE KEY-----\n",
  cert_pem: "-----BEGIN CERTIFICATE-----\nc2VlZHN0YWNrIHRlc3QgcGxhY2Vob2xkZXIsIG5vdCBhIGNlcnRpZmljYXRl\n-----END CERTIFICATE-----\n",
};

const TLS_REFERENCE = /\btls_([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z0-9_]+)\b/g;

/** Swap the tls resources of `stack` for variables; throws naming anything it cannot swap. */
export function swapTlsForVariables(stack: Record<string, any>): TlsSwap {
  const json = structuredClone(stack) as Record<string, any>;
  const removed: string[] = [];
  for (const type of Object.keys(json.resource ?? {})) {
    if (!type.startsWith("tls_")) continue;
    for (const name of Object.keys(json.resource[type])) removed.push(`${type}.${name}`);
    delete json.resource[type];
  }
  if (removed.length === 0) return { json: stack, removed, variables: [] };
  dropReplaceTriggers(json, removed);

  const variables = new Map<string, string>();
  const rewrite = (value: unknown): unknown => {
    if (typeof value === "string") {
      return value.replace(TLS_REFERENCE, (_whole, type: string, name: string, attribute: string) => {
        const variable = `tls_${type}__${name}__${attribute}`.replace(/-/g, "_");
        variables.set(variable, attribute);
        return `var.${variable}`;
      });
    }
    if (Array.isArray(value)) return value.map(rewrite);
    if (value !== null && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewrite(v)]));
    }
    return value;
  };
  for (const block of ["resource", "output", "locals", "data"]) {
    if (json[block] !== undefined) json[block] = rewrite(json[block]);
  }
  delete json.provider?.tls;
  delete json.terraform?.required_providers?.tls;

  json.variable = { ...(json.variable ?? {}) };
  for (const [variable, attribute] of variables) {
    const placeholder = PLACEHOLDER[attribute];
    if (placeholder === undefined) throw new Error(`swapTlsForVariables: no placeholder for tls attribute ${attribute} (${variable})`);
    json.variable[variable] = {
      type: "string",
      default: placeholder,
      sensitive: attribute === "private_key_pem",
      description: "Test only: stands in for a hashicorp/tls attribute (no tls provider in the local mirror).",
    };
  }
  const leftover = JSON.stringify(json).match(/\btls_(private_key|self_signed_cert|cert_request|locally_signed_cert)\.[A-Za-z0-9_-]+/);
  if (leftover) throw new Error(`swapTlsForVariables: ${leftover[0]} is still referenced after the swap`);
  return { json, removed, variables: [...variables.keys()] };
}

/** Remove `replace_triggered_by` entries (`tls_self_signed_cert.x`) that name a removed resource. */
function dropReplaceTriggers(json: Record<string, any>, removed: readonly string[]): void {
  const names = (entry: unknown) => removed.includes(String(entry));
  for (const resources of Object.values(json.resource ?? {}) as Array<Record<string, any>>) {
    for (const resource of Object.values(resources)) {
      const triggers = resource.lifecycle?.replace_triggered_by;
      if (!Array.isArray(triggers)) continue;
      const kept = triggers.filter((entry) => !names(entry));
      if (kept.length > 0) resource.lifecycle.replace_triggered_by = kept;
      else delete resource.lifecycle.replace_triggered_by;
    }
  }
}
