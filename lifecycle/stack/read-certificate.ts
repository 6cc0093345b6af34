/**
 * The certificate an HTTPS listener serves, found by following its `certificate_arn` the way
 * terraform would resolve it: through an `aws_acm_certificate_validation` to the
 * `aws_acm_certificate`, and from an imported certificate (ACM or IAM) to the
 * `tls_self_signed_cert` whose PEM it imports. The listener's own certificate, not the first one in
 * the file: a stack with two certificates serves the one its listener names, and the smoke test
 * pins that one.
 *
 * AWS refuses an HTTPS listener without a certificate at apply; so does this reader, naming the
 * field. A certificate that exists outside the stack (a literal ARN, a data source or a variable)
 * and a DNS-validated ACM certificate keep their key inside AWS: locally a self-signed stand-in for
 * its domain is served instead.
 */
import { Problems, blockAt, integerAt, stringAt, stringListAt } from "./problems.js";
import { isExpression, parseReference } from "./references.js";
import { resourcesOfType, type ResourceSection } from "./resources-of-type.js";
import type { Address, CertificateSpec } from "./stack.js";

/** What an ACM or IAM certificate ARN looks like (literal ARNs name certificates outside the stack). */
const CERTIFICATE_ARN = /^arn:aws[a-z-]*:(acm:[a-z0-9-]+:\d{12}:certificate\/|iam::\d{12}:server-certificate\/)\S+$/;

/** Certificate resources whose `arn` a listener may name, and how far to follow them. */
const IMPORTED = new Set(["aws_acm_certificate", "aws_iam_server_certificate"]);

/** The certificate the HTTPS listener at `address` serves; problems name the listener's field. */
export function readListenerCertificate(resources: ResourceSection, address: Address, listener: Record<string, unknown>, problems: Problems): CertificateSpec {
  const where = `${address}.certificate_arn`;
  const arn = listener.certificate_arn;
  if (arn === undefined || arn === null || arn === "") {
    problems.add(where, "is missing: AWS refuses an HTTPS listener without a certificate (name one, e.g. an aws_acm_certificate's arn)");
    return standIn("missing", "localhost");
  }
  if (typeof arn !== "string") {
    problems.add(where, `expected a certificate ARN, got ${JSON.stringify(arn)}`);
    return standIn("missing", "localhost");
  }
  return follow(resources, arn, where, problems, 0);
}

function follow(resources: ResourceSection, value: string, where: string, problems: Problems, depth: number): CertificateSpec {
  const ref = parseReference(value);
  if (!ref) {
    // A data source, a variable or a literal ARN: a certificate that exists outside this stack.
    if (isExpression(value)) return standIn(value, "localhost");
    if (!CERTIFICATE_ARN.test(value)) problems.add(where, `expected an ACM or IAM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>), got ${JSON.stringify(value)}`);
    return standIn(value, "localhost");
  }
  const body = resourcesOfType(resources, ref.type).find(([a]) => a === ref.address)?.[1];
  if (!body || depth > 3) {
    problems.add(where, `names ${JSON.stringify(value)}, which is not a certificate of this stack`);
    return standIn(value, "localhost");
  }
  if (ref.type === "aws_acm_certificate_validation") {
    return follow(resources, String(body.certificate_arn ?? ""), `${ref.address}.certificate_arn`, problems, depth + 1);
  }
  if (!IMPORTED.has(ref.type)) {
    problems.add(where, `names ${JSON.stringify(value)}, of type ${ref.type}; an HTTPS listener needs an aws_acm_certificate or aws_iam_server_certificate`);
    return standIn(value, "localhost");
  }
  const certRef = parseReference(body.certificate_body);
  if (certRef?.type === "tls_self_signed_cert") {
    const cert = resourcesOfType(resources, "tls_self_signed_cert").find(([a]) => a === certRef.address)?.[1];
    if (!cert) {
      problems.add(`${ref.address}.certificate_body`, `names ${JSON.stringify(body.certificate_body)}, which is not a tls_self_signed_cert of this stack`);
      return standIn(ref.address, "localhost");
    }
    return selfSigned(resources, certRef.address, cert, problems);
  }
  // Requested from ACM (DNS-validated), or imported from a PEM we cannot read: its key stays in AWS.
  return standIn(ref.address, typeof body.domain_name === "string" && !isExpression(body.domain_name) ? body.domain_name : "localhost");
}

/** The stack's own self-signed certificate, generated locally with its key algorithm, subject, validity and uses. */
function selfSigned(resources: ResourceSection, address: Address, cert: Record<string, unknown>, problems: Problems): CertificateSpec {
  const subject = blockAt(cert.subject, `${address}.subject`, problems) ?? {};
  const keyAddress = parseReference(cert.private_key_pem)?.address ?? "";
  const key = resourcesOfType(resources, "tls_private_key").find(([a]) => a === keyAddress)?.[1];
  if (!key) problems.add(`${address}.private_key_pem`, "does not name a tls_private_key of this stack");
  const algorithm = stringAt(key ?? {}, "algorithm", keyAddress, problems, "RSA", ["RSA", "ECDSA"]) as "RSA" | "ECDSA";
  return {
    source: address,
    commonName: stringAt(subject, "common_name", `${address}.subject`, problems, "localhost"),
    ...(typeof subject.organization === "string" ? { organization: subject.organization } : {}),
    keyAlgorithm: algorithm,
    ...(algorithm === "ECDSA" ? { ecdsaCurve: ecdsaCurve(key ?? {}, keyAddress, problems) } : {}),
    ...(algorithm === "RSA" ? { rsaBits: integerAt(key ?? {}, "rsa_bits", keyAddress, problems, { min: 1024, max: 8192 }, 2048) } : {}),
    validityHours: integerAt(cert, "validity_period_hours", address, problems, { min: 1, max: 876000 }),
    serverAuth: stringListAt(cert, "allowed_uses", address, problems).includes("server_auth"),
  };
}

/** A stand-in for a certificate whose key never leaves AWS. */
function standIn(source: string, domain: string): CertificateSpec {
  return { source, commonName: domain, keyAlgorithm: "ECDSA", ecdsaCurve: "P256", validityHours: 24, serverAuth: true };
}

/** The key's curve; terraform's default, P224, is one WebCrypto (and so the local certificate) cannot make. */
function ecdsaCurve(key: Record<string, unknown>, address: string, problems: Problems): "P256" | "P384" | "P521" {
  const curve = stringAt(key, "ecdsa_curve", address, problems, "P224");
  if (curve === "P256" || curve === "P384" || curve === "P521") return curve;
  problems.add(`${address}.ecdsa_curve`, `is ${curve}${key.ecdsa_curve === undefined ? " (terraform's default)" : ""}; the local engine generates P256, P384 or P521 certificates`);
  return "P256";
}
