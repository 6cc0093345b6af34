/**
 * The smoke test's client reaching a name that has no DNS record (an `acm-arn` PR stack's
 * `pr-<n>.<domain>`) through the load balancer's own address: a real HTTPS server on loopback with
 * a certificate for that name; the client connects to 127.0.0.1 and still sends the name as SNI
 * and Host and verifies the certificate against it.
 */
import { createServer, type Server } from "node:https";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { generate } from "selfsigned";
import { httpClient } from "./http-client.js";

const NAME = "pr-12.seedstack.invalid"; // .invalid never resolves (RFC 2606)

async function tlsServer(certName: string): Promise<{ server: Server; port: number; seen: Array<{ host?: string; sni?: string }>; pem: string }> {
  const pems = await generate([{ name: "commonName", value: certName }], { keyType: "ec", curve: "P-256", algorithm: "sha256", extensions: [{ name: "subjectAltName", altNames: [{ type: 2, value: certName }] }] });
  const seen: Array<{ host?: string; sni?: string }> = [];
  const server = createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    seen.push({ ...(req.headers.host ? { host: req.headers.host } : {}), sni: (req.socket as unknown as { servername?: string }).servername });
    res.writeHead(200, { "content-type": "text/plain" }).end("OK");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, port: (server.address() as { port: number }).port, seen, pem: pems.cert };
}

test("connectTo: the name's certificate is verified over the ALB's address; SNI and Host are the name", async () => {
  const s = await tlsServer(NAME);
  const client = httpClient(s.pem, { connectTo: "127.0.0.1" });
  const plain = httpClient(s.pem);
  try {
    const r = await client.send(`https://${NAME}:${s.port}/status`);
    assert.is(r.status, 200, r.error);
    assert.is(r.body, "OK");
    assert.equal(s.seen, [{ host: `${NAME}:${s.port}`, sni: NAME }]);
    const direct = await plain.send(`https://${NAME}:${s.port}/status`);
    assert.is(direct.ok, false, "without connectTo the name does not resolve");
    assert.match(direct.error ?? "", /ENOTFOUND|EAI_AGAIN/);
  } finally {
    await client.close();
    await plain.close();
    s.server.close();
  }
});

test("connectTo keeps verification: a certificate for another name is refused", async () => {
  const s = await tlsServer("other.seedstack.invalid");
  const client = httpClient(s.pem, { connectTo: "127.0.0.1" });
  try {
    const r = await client.send(`https://${NAME}:${s.port}/status`);
    assert.is(r.ok, false);
    assert.match(r.error ?? "", /ERR_TLS_CERT_ALTNAME_INVALID/);
    assert.equal(s.seen, []);
  } finally {
    await client.close();
    s.server.close();
  }
});

test.run();
