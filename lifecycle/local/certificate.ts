/**
 * The HTTPS listener's certificate, generated from the stack's own TLS resources (the key
 * algorithm and curve of its tls_private_key; the subject, validity and uses of its
 * tls_self_signed_cert) by `selfsigned` (Node's WebCrypto through @peculiar/x509; EC keys,
 * extensions). The stack names the ALB's DNS name; here the listener is 127.0.0.1, so that (and
 * localhost) are the certificate's names. Clients pin exactly this PEM.
 */
import { generate } from "selfsigned";
import type { CertificateSpec } from "../stack/stack.js";

/** A generated key and certificate, PEM. */
export interface GeneratedCertificate {
  readonly key: string;
  readonly cert: string;
}

const CURVES = { P256: "P-256", P384: "P-384", P521: "P-521" } as const;

/** Generate the certificate the stack describes, for 127.0.0.1 and localhost. */
export async function generateCertificate(spec: CertificateSpec): Promise<GeneratedCertificate> {
  const now = new Date();
  const attrs = [{ name: "commonName", value: spec.commonName.slice(0, 64) }, ...(spec.organization ? [{ name: "organizationName", value: spec.organization }] : [])];
  const pems = await generate(attrs, {
    ...(spec.keyAlgorithm === "ECDSA" ? { keyType: "ec" as const, curve: CURVES[spec.ecdsaCurve ?? "P256"] } : { keyType: "rsa" as const, keySize: spec.rsaBits ?? 2048 }),
    algorithm: "sha256",
    notBeforeDate: new Date(now.getTime() - 60_000),
    notAfterDate: new Date(now.getTime() + spec.validityHours * 3_600_000),
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: spec.keyAlgorithm === "RSA" },
      ...(spec.serverAuth ? [{ name: "extKeyUsage" as const, serverAuth: true }] : []),
      { name: "subjectAltName", altNames: [{ type: 7 as const, ip: "127.0.0.1" }, { type: 2 as const, value: "localhost" }] },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}
