/**
 * Make sure a stack declares the hashicorp/tls provider before constructs use its resources.
 */
import type { Construct } from "constructs";
import { TerraformProvider, TerraformStack } from "cdktf";
import { TlsProvider } from "@cdktf/provider-tls/lib/provider/index.js";

/** Construct ID of the provider added by {@link ensureTlsProvider}, directly under the stack. */
export const TLS_PROVIDER_ID = "tls";

/**
 * The stack's TLS provider: the one already declared anywhere in the stack, or a new default one
 * (ID `tls` at the stack's root). Declare your own TlsProvider before the first construct that
 * needs one if it must be configured (a proxy, an alias).
 */
export function ensureTlsProvider(scope: Construct): TerraformProvider {
  const stack = TerraformStack.of(scope);
  const existing = stack.node
    .findAll()
    .find((c): c is TerraformProvider => c instanceof TerraformProvider && c.terraformResourceType === "tls");
  if (existing) return existing;
  const added = new TlsProvider(stack, TLS_PROVIDER_ID);
  // A TlsProvider declared after this one would be a second default configuration, which
  // Terraform rejects; say so at synth time instead.
  added.node.addValidation({
    validate: () => {
      const defaults = stack.node
        .findAll()
        .filter((c) => c instanceof TerraformProvider && c.terraformResourceType === "tls" && (c as TlsProvider).alias === undefined);
      return defaults.length > 1
        ? [
            `the stack declares ${defaults.length} default TLS providers (${defaults.map((c) => c.node.path).join(", ")}); ` +
              `seedstack added ${added.node.path} because none existed yet: declare your TlsProvider before the first LoadBalancer`,
          ]
        : [];
    },
  });
  return added;
}
