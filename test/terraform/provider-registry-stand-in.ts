/**
 * Test-only STAND-IN for the Terraform provider registry (registry.terraform.io), on loopback, for
 * `terraform providers mirror` on a machine without network: it serves the providers of a local
 * unpacked mirror (`<host>/<namespace>/<type>/<version>/<os>_<arch>/...`) in the registry's own
 * protocol (Provider Registry Protocol v1: `versions`, `download/<os>/<arch>` with `shasum`,
 * `shasums_url`, `shasums_signature_url` and `signing_keys`), each package a zip made from the
 * mirror's files at start (or, from a packed mirror, its zips as they are), its SHA256SUMS signed by a throwaway OpenPGP key (openpgp-signer.ts).
 * A provider the mirror lacks gets the registry's 404, as an unknown provider does there.
 *
 * Terraform is pointed at it by a `host "registry.terraform.io"` block in its CLI configuration
 * (service discovery overridden; see cliConfig()). It is not the registry: no HashiCorp signature
 * (terraform reports the packages as signed by a community key) and only what the mirror holds.
 */
import { createReadStream, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileSha256 } from "./file-sha256.js";
import { makeOpenPgpKey } from "./openpgp-signer.js";
import { writeStoredZip } from "./stored-zip.js";

/** A package the stand-in serves. */
interface Package {
  readonly namespace: string;
  readonly type: string;
  readonly version: string;
  readonly os: string;
  readonly arch: string;
  readonly filename: string;
  readonly zip: string;
  readonly sha256: string;
}

/** A running stand-in. */
export interface ProviderRegistryStandIn {
  /** The `providers.v1` service URL, ending in `/`. */
  readonly providersUrl: string;
  /** `<namespace>/<type>/<version>/<os>_<arch>` of every package it serves, with its zip's SHA-256. */
  readonly packages: ReadonlyArray<{ readonly id: string; readonly sha256: string }>;
  /** Every request, `GET /v1/providers/hashicorp/aws/versions -> 200`, in order. */
  readonly requests: readonly string[];
  /** A terraform CLI configuration whose registry.terraform.io is this stand-in. */
  cliConfig(): string;
  /** Stop listening and remove the packages. */
  close(): Promise<void>;
}

/** Protocol 5: what the providers of our mirror (hashicorp/aws 5.x, `_x5` binaries) speak. */
const PROTOCOLS = ["5.0"];

function subdirectories(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() || (e.isSymbolicLink() && statSync(join(dir, e.name)).isDirectory()))
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

/** Start serving every provider of `mirror` (unpacked or packed layout) under `hostname`. */
export async function startProviderRegistryStandIn(mirror: string, hostname = "registry.terraform.io"): Promise<ProviderRegistryStandIn> {
  const work = mkdtempSync(join(tmpdir(), "seedstack-registry-stand-in-"));
  const requests: string[] = [];
  let server: Server | undefined;
  try {
    const key = makeOpenPgpKey();
    const packages: Package[] = [];
    const root = join(mirror, hostname);
    for (const namespace of subdirectories(root)) {
      for (const type of subdirectories(join(root, namespace))) {
        // Packed layout: the zips themselves (a mirror `terraform providers mirror` built).
        for (const file of readdirSync(join(root, namespace, type)).sort()) {
          const packed = new RegExp(`^terraform-provider-${type}_([^_]+)_([a-z0-9]+)_([a-z0-9]+)\\.zip$`).exec(file);
          if (!packed) continue;
          const zip = join(root, namespace, type, file);
          packages.push({ namespace, type, version: packed[1]!, os: packed[2]!, arch: packed[3]!, filename: file, zip, sha256: fileSha256(zip) });
        }
        // Unpacked layout: zipped here from the version's platform directory.
        for (const version of subdirectories(join(root, namespace, type))) {
          for (const platform of subdirectories(join(root, namespace, type, version))) {
            const [os, arch] = platform.split("_");
            const dir = join(root, namespace, type, version, platform);
            const filename = `terraform-provider-${type}_${version}_${platform}.zip`;
            const zip = join(work, filename);
            const sha256 = writeStoredZip(
              zip,
              readdirSync(dir).sort().map((name) => ({ name, path: join(dir, name) })),
            );
            packages.push({ namespace, type, version, os: os!, arch: arch!, filename, zip, sha256 });
          }
        }
      }
    }

    let base = "";
    const sums = (p: Package) => `${p.sha256}  ${p.filename}\n`;
    server = createServer((req, res) => {
      const path = new URL(req.url ?? "/", "http://stand-in").pathname;
      const reply = (status: number, body: unknown) => {
        requests.push(`${req.method} ${path} -> ${status}`);
        res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
      };
      let m = /^\/v1\/providers\/([^/]+)\/([^/]+)\/versions$/.exec(path);
      if (m) {
        const found = packages.filter((p) => p.namespace === m![1] && p.type === m![2]);
        if (found.length === 0) return reply(404, { errors: ["Not Found"] });
        const versions = [...new Set(found.map((p) => p.version))].map((version) => ({
          version,
          protocols: PROTOCOLS,
          platforms: found.filter((p) => p.version === version).map((p) => ({ os: p.os, arch: p.arch })),
        }));
        return reply(200, { versions });
      }
      m = /^\/v1\/providers\/([^/]+)\/([^/]+)\/([^/]+)\/download\/([^/]+)\/([^/]+)$/.exec(path);
      if (m) {
        const p = packages.find((c) => c.namespace === m![1] && c.type === m![2] && c.version === m![3] && c.os === m![4] && c.arch === m![5]);
        if (p === undefined) return reply(404, { errors: ["Not Found"] });
        return reply(200, {
          protocols: PROTOCOLS,
          os: p.os,
          arch: p.arch,
          filename: p.filename,
          download_url: `${base}/files/${p.filename}`,
          shasums_url: `${base}/files/${p.filename}_SHA256SUMS`,
          shasums_signature_url: `${base}/files/${p.filename}_SHA256SUMS.sig`,
          shasum: p.sha256,
          signing_keys: { gpg_public_keys: [{ key_id: key.keyId, ascii_armor: key.armoredPublicKey, trust_signature: "", source: "seedstack test stand-in", source_url: null }] },
        });
      }
      m = /^\/files\/(.+?)(_SHA256SUMS(\.sig)?)?$/.exec(path);
      const p = m ? packages.find((c) => c.filename === m![1]) : undefined;
      if (m && p) {
        requests.push(`${req.method} ${path} -> 200`);
        if (m[3]) return res.writeHead(200, { "content-type": "application/octet-stream" }).end(key.signDetached(Buffer.from(sums(p))));
        if (m[2]) return res.writeHead(200, { "content-type": "text/plain" }).end(sums(p));
        res.writeHead(200, { "content-type": "application/zip", "content-length": statSync(p.zip).size });
        createReadStream(p.zip).pipe(res);
        return;
      }
      reply(404, { errors: ["Not Found"] });
    });
    await new Promise<void>((resolve, reject) => {
      server!.once("error", reject);
      server!.listen(0, "127.0.0.1", resolve);
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const providersUrl = `${base}/v1/providers/`;
    const running = server;
    return {
      providersUrl,
      packages: packages.map((p) => ({ id: `${p.namespace}/${p.type}/${p.version}/${p.os}_${p.arch}`, sha256: p.sha256 })),
      requests,
      cliConfig: () =>
        [
          "# Test only: registry.terraform.io is the loopback provider-registry stand-in.",
          "disable_checkpoint = true",
          `host ${JSON.stringify(hostname)} {`,
          `  services = {`,
          `    "providers.v1" = ${JSON.stringify(providersUrl)}`,
          `  }`,
          `}`,
          "",
        ].join("\n"),
      async close() {
        running.closeAllConnections();
        await new Promise<void>((resolve) => running.close(() => resolve()));
        rmSync(work, { recursive: true, force: true });
      },
    };
  } catch (error) {
    server?.close();
    rmSync(work, { recursive: true, force: true });
    throw error;
  }
}

/** Write `standIn.cliConfig()` to `file`; returns `file`. */
export function writeStandInCliConfig(standIn: ProviderRegistryStandIn, file: string): string {
  writeFileSync(file, standIn.cliConfig());
  return file;
}
