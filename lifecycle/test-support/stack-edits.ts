/**
 * Edits of a synthesized stack's JSON, for tests that break a stack on purpose the way a user's
 * hand might (a listener changed, a certificate added): each finds what it changes by its meaning
 * (the listener on port 80), not by the construct ID cdktf gave it.
 */

/** The listener on `port`, with its resource name. */
export function listenerOn(json: Record<string, any>, port: number): { name: string; body: Record<string, any>; address: string } {
  const found = Object.entries(json.resource.aws_lb_listener as Record<string, Record<string, any>>).filter(([, l]) => Number(l.port) === port);
  if (found.length !== 1) throw new Error(`expected one listener on port ${port}, found ${found.length}`);
  const [name, body] = found[0]!;
  return { name, body, address: `aws_lb_listener.${name}` };
}

/** The `${...}` reference to the one resource of `type` (its `attribute`). */
export function referenceTo(json: Record<string, any>, type: string, attribute: string): string {
  const names = Object.keys(json.resource[type] ?? {});
  if (names.length !== 1) throw new Error(`expected one ${type}, found ${names.length}`);
  return `\${${type}.${names[0]}.${attribute}}`;
}

/**
 * Add a second self-signed certificate (its own key, subject `commonName`) imported into ACM as
 * the stack's modules do, and return the reference to its ARN, for a listener to name.
 */
export function addSelfSignedCertificate(json: Record<string, any>, name: string, commonName: string): string {
  json.resource.tls_private_key[`${name}_key`] = { algorithm: "ECDSA", ecdsa_curve: "P384", provider: "tls" };
  json.resource.tls_self_signed_cert[`${name}_cert`] = {
    allowed_uses: ["digital_signature", "server_auth"],
    private_key_pem: `\${tls_private_key.${name}_key.private_key_pem}`,
    provider: "tls",
    subject: [{ common_name: commonName, organization: "second" }],
    validity_period_hours: 24,
  };
  json.resource.aws_acm_certificate[`${name}_acm`] = {
    certificate_body: `\${tls_self_signed_cert.${name}_cert.cert_pem}`,
    private_key: `\${tls_private_key.${name}_key.private_key_pem}`,
  };
  return `\${aws_acm_certificate.${name}_acm.arn}`;
}

/** Move every security-group rule that opens `from` (as a single port) to `to`. */
export function moveSecurityGroupPort(json: Record<string, any>, from: number, to: number): void {
  for (const r of [...Object.values(json.resource.aws_vpc_security_group_ingress_rule ?? {}), ...Object.values(json.resource.aws_vpc_security_group_egress_rule ?? {})] as any[]) {
    if (r.from_port === from && r.to_port === from) r.from_port = r.to_port = to;
  }
}

/**
 * Add a second load balancer `name` (a copy of the first) with its own target group, the same
 * instances attached to it, and one plain-HTTP listener forwarding to it: a stack terraform
 * deploys as it is and the local engine cannot run.
 */
export function addSecondLoadBalancer(json: Record<string, any>, name: string): void {
  const first = <T>(byName: Record<string, T>): T => structuredClone(Object.values(byName)[0]!);
  json.resource.aws_lb[name] = { ...first(json.resource.aws_lb as Record<string, any>), name: `${name}-alb` };
  json.resource.aws_lb_target_group[name] = { ...first(json.resource.aws_lb_target_group as Record<string, any>), name: `${name}-tg` };
  json.resource.aws_lb_listener[name] = {
    load_balancer_arn: `\${aws_lb.${name}.arn}`,
    port: 80,
    protocol: "HTTP",
    default_action: [{ type: "forward", target_group_arn: `\${aws_lb_target_group.${name}.arn}` }],
  };
  for (const [key, attachment] of Object.entries({ ...(json.resource.aws_lb_target_group_attachment ?? {}) }) as [string, Record<string, any>][]) {
    json.resource.aws_lb_target_group_attachment[`${key}_${name}`] = { ...attachment, target_group_arn: `\${aws_lb_target_group.${name}.arn}` };
  }
}
