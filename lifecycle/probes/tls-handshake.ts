/**
 * A TLS handshake with verification on, always: with a certificate PEM it trusts only that
 * certificate and requires the peer to present exactly it (pinning the stack's self-signed one);
 * without, it trusts the system's CAs (a real ALB's ACM certificate). Never throws: the result says
 * what was found.
 */
import { X509Certificate } from "node:crypto";
import { connect } from "node:tls";

/** What a handshake found. */
export interface HandshakeResult {
  readonly ok: boolean;
  readonly detail: string;
}

/** Handshake with the host and port of `url` (443 when it names none). */
export function tlsHandshake(url: string, pem: string | undefined, timeoutMs: number): Promise<HandshakeResult> {
  const u = new URL(url);
  const expected = pem ? new X509Certificate(pem).fingerprint256 : undefined;
  return new Promise((resolve) => {
    const socket = connect(
      { host: u.hostname, port: Number(u.port || 443), ...(pem ? { ca: pem } : {}), ...(/^[\d.]+$/.test(u.hostname) ? {} : { servername: u.hostname }), timeout: timeoutMs },
      () => {
        const got = socket.getPeerX509Certificate()?.fingerprint256;
        const protocol = socket.getProtocol();
        socket.end();
        if (!expected) resolve({ ok: true, detail: `${protocol}, verified against the system's CAs` });
        else resolve(got === expected ? { ok: true, detail: `${protocol}, certificate SHA-256 ${expected.slice(0, 23)}...` } : { ok: false, detail: `the peer's certificate ${got} is not the stack's ${expected}` });
      },
    );
    socket.once("error", (err) => resolve({ ok: false, detail: `TLS handshake with ${u.host} failed: ${err.message}` }));
    socket.once("timeout", () => {
      socket.destroy();
      resolve({ ok: false, detail: `no TLS handshake with ${u.host} within ${timeoutMs} ms` });
    });
  });
}
