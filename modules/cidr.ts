/**
 * IPv4 CIDR arithmetic for carving a VPC into subnets at synth time.
 *
 * Computed here rather than with Terraform's `cidrsubnet()` so that a CIDR without room for the
 * subnets is rejected by `cdktf synth` with a clear message, not by `terraform apply` halfway through.
 */

/** A parsed IPv4 CIDR block. */
export interface Ipv4Cidr {
  /** The network address as an unsigned 32-bit integer. */
  readonly address: number;
  /** The prefix length, 0-32. */
  readonly prefixLength: number;
}

const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/**
 * Parse `a.b.c.d/n`. Throws an Error naming `where` and the given value when it is not an IPv4
 * CIDR whose host bits are zero (AWS would silently use a different network otherwise).
 */
export function parseIpv4Cidr(cidr: string, where: string): Ipv4Cidr {
  const match = CIDR_PATTERN.exec(cidr);
  const octets = match ? match.slice(1, 5).map(Number) : [];
  const prefixLength = match ? Number(match[5]) : NaN;
  if (!match || octets.some((o) => o > 255) || prefixLength > 32) {
    throw new Error(`${where}: expected an IPv4 CIDR block such as "10.0.0.0/16"; got ${JSON.stringify(cidr)}`);
  }
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const hostMask = prefixLength === 32 ? 0 : 2 ** (32 - prefixLength) - 1;
  if (address % (hostMask + 1) !== 0) {
    const network = formatIpv4Cidr({ address: address - (address % (hostMask + 1)), prefixLength });
    throw new Error(`${where}: ${JSON.stringify(cidr)} has host bits set; did you mean "${network}"?`);
  }
  return { address, prefixLength };
}

/** `a.b.c.d/n` for a parsed block. */
export function formatIpv4Cidr(block: Ipv4Cidr): string {
  const a = block.address;
  const octets = [Math.floor(a / 2 ** 24) % 256, Math.floor(a / 2 ** 16) % 256, Math.floor(a / 2 ** 8) % 256, a % 256];
  return `${octets.join(".")}/${block.prefixLength}`;
}

/**
 * The `index`-th sub-block of `block` with prefix length `prefixLength`, like Terraform's
 * `cidrsubnet(block, prefixLength - block.prefixLength, index)`.
 */
export function subBlock(block: Ipv4Cidr, prefixLength: number, index: number): Ipv4Cidr {
  const count = 2 ** (prefixLength - block.prefixLength);
  if (prefixLength < block.prefixLength || prefixLength > 32 || !Number.isInteger(index) || index < 0 || index >= count) {
    throw new Error(`subBlock: /${prefixLength} block number ${index} does not fit in ${formatIpv4Cidr(block)}`);
  }
  return { address: block.address + index * 2 ** (32 - prefixLength), prefixLength };
}
