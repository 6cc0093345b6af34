/**
 * Test-only: a throwaway OpenPGP signing key (RSA 2048, made fresh in memory for each stand-in) and
 * detached signatures, in the binary and armored formats of RFC 4880 that terraform verifies a
 * provider registry's SHA256SUMS file with. node:crypto does the RSA (PKCS #1 v1.5 over SHA-256,
 * which is OpenPGP's RSA signature); this file only lays out the packets. No gpg, no agent left
 * running, no key on disk.
 */
import { createHash, generateKeyPairSync, sign, type KeyObject } from "node:crypto";

/** A signing key: the public half armored for the registry's `signing_keys`, and a signer. */
export interface OpenPgpKey {
  /** 16 hex digits, upper case (the registry protocol's `key_id`). */
  readonly keyId: string;
  /** `-----BEGIN PGP PUBLIC KEY BLOCK-----` ... with a self-signed user ID. */
  readonly armoredPublicKey: string;
  /** A binary detached signature of `document` (signature type 0x00), as `SHA256SUMS.sig` holds. */
  signDetached(document: Buffer): Buffer;
}

const PUBLIC_KEY_TAG = 6;
const USER_ID_TAG = 13;
const SIGNATURE_TAG = 2;
const RSA = 1;
const SHA256 = 8;

/** Old-format packet with a four-octet length. */
function packet(tag: number, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header[0] = 0x80 | (tag << 2) | 2;
  header.writeUInt32BE(body.length, 1);
  return Buffer.concat([header, body]);
}

/** Multiprecision integer: bit count, then the big-endian value without leading zeros. */
function mpi(value: Buffer): Buffer {
  let start = 0;
  while (start < value.length - 1 && value[start] === 0) start++;
  const bytes = value.subarray(start);
  const bits = (bytes.length - 1) * 8 + (32 - Math.clz32(bytes[0]!));
  const length = Buffer.alloc(2);
  length.writeUInt16BE(bits);
  return Buffer.concat([length, bytes]);
}

function subpacket(type: number, data: Buffer): Buffer {
  return Buffer.concat([Buffer.from([data.length + 1, type]), data]);
}

function uint32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

/** CRC-24 of RFC 4880 section 6.1, for the armor checksum. */
function crc24(data: Buffer): number {
  let crc = 0xb704ce;
  for (const byte of data) {
    crc ^= byte << 16;
    for (let i = 0; i < 8; i++) {
      crc <<= 1;
      if (crc & 0x1000000) crc ^= 0x1864cfb;
    }
  }
  return crc & 0xffffff;
}

function armor(kind: string, data: Buffer): string {
  const base64 = data.toString("base64").replace(/.{1,64}/g, "$&\n");
  const checksum = Buffer.from([(crc24(data) >> 16) & 0xff, (crc24(data) >> 8) & 0xff, crc24(data) & 0xff]).toString("base64");
  return `-----BEGIN PGP ${kind}-----\n\n${base64}=${checksum}\n-----END PGP ${kind}-----\n`;
}

/** A v4 RSA/SHA-256 signature packet of `type` over `signed` (the data the type says to hash). */
function signaturePacket(privateKey: KeyObject, keyId: Buffer, type: number, signed: Buffer, created: number, extraHashed: Buffer[] = []): Buffer {
  const hashed = Buffer.concat([subpacket(2, uint32(created)), ...extraHashed]);
  const head = Buffer.concat([Buffer.from([4, type, RSA, SHA256]), Buffer.from([hashed.length >> 8, hashed.length & 0xff]), hashed]);
  const trailer = Buffer.concat([head, Buffer.from([4, 0xff]), uint32(head.length)]);
  const toSign = Buffer.concat([signed, trailer]);
  const digest = createHash("sha256").update(toSign).digest();
  const value = sign("sha256", toSign, privateKey);
  const unhashed = subpacket(16, keyId);
  return packet(SIGNATURE_TAG, Buffer.concat([head, Buffer.from([unhashed.length >> 8, unhashed.length & 0xff]), unhashed, digest.subarray(0, 2), mpi(value)]));
}

/** Make a fresh key whose user ID names it as the test stand-in's. */
export function makeOpenPgpKey(userId = "seedstack test provider registry stand-in <stand-in@example.invalid>"): OpenPgpKey {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = publicKey.export({ format: "jwk" }) as { n: string; e: string };
  // Created a minute ago: a verifier must not see a key or signature from its future.
  const created = Math.floor(Date.now() / 1000) - 60;
  const keyBody = Buffer.concat([Buffer.from([4]), uint32(created), Buffer.from([RSA]), mpi(Buffer.from(jwk.n, "base64url")), mpi(Buffer.from(jwk.e, "base64url"))]);
  const keyForHash = Buffer.concat([Buffer.from([0x99, keyBody.length >> 8, keyBody.length & 0xff]), keyBody]);
  const fingerprint = createHash("sha1").update(keyForHash).digest();
  const keyId = fingerprint.subarray(12);
  const uid = Buffer.from(userId, "utf8");
  // Positive certification (0x13) of the user ID, key flags "certify and sign" (0x03).
  const certified = Buffer.concat([keyForHash, Buffer.from([0xb4]), uint32(uid.length), uid]);
  const selfSignature = signaturePacket(privateKey, keyId, 0x13, certified, created, [subpacket(27, Buffer.from([0x03]))]);
  const publicKeyBlock = Buffer.concat([packet(PUBLIC_KEY_TAG, keyBody), packet(USER_ID_TAG, uid), selfSignature]);
  return {
    keyId: keyId.toString("hex").toUpperCase(),
    armoredPublicKey: armor("PUBLIC KEY BLOCK", publicKeyBlock),
    signDetached: (document) => signaturePacket(privateKey, keyId, 0x00, document, Math.floor(Date.now() / 1000) - 30),
  };
}
