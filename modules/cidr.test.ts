import { test } from "uvu";
import * as assert from "uvu/assert";
import { formatIpv4Cidr, parseIpv4Cidr, subBlock } from "./cidr.js";

test("parse and format round-trip", () => {
  for (const cidr of ["10.0.0.0/16", "192.168.4.0/24", "0.0.0.0/0", "172.31.255.240/28", "255.255.255.255/32"]) {
    assert.is(formatIpv4Cidr(parseIpv4Cidr(cidr, "t")), cidr);
  }
  assert.is(parseIpv4Cidr("10.0.0.0/16", "t").address, 10 * 2 ** 24);
});

test("subBlock numbers blocks like Terraform's cidrsubnet", () => {
  const vpc = parseIpv4Cidr("10.0.0.0/16", "t");
  assert.is(formatIpv4Cidr(subBlock(vpc, 24, 0)), "10.0.0.0/24");
  assert.is(formatIpv4Cidr(subBlock(vpc, 24, 255)), "10.0.255.0/24");
  assert.is(formatIpv4Cidr(subBlock(vpc, 17, 1)), "10.0.128.0/17");
  assert.is(formatIpv4Cidr(subBlock(parseIpv4Cidr("10.0.128.0/17", "t"), 24, 1)), "10.0.129.0/24");
  assert.throws(() => subBlock(vpc, 24, 256), /number 256 does not fit in 10\.0\.0\.0\/16/);
  assert.throws(() => subBlock(vpc, 8, 0), /does not fit/);
});

test("bad input names what was given", () => {
  assert.throws(() => parseIpv4Cidr("10.0.0.0/33", "Where"), /Where: .*"10\.0\.0\.0\/33"/);
  assert.throws(() => parseIpv4Cidr("10.0.0/16", "Where"), /"10\.0\.0\/16"/);
  assert.throws(() => parseIpv4Cidr("256.0.0.0/8", "Where"), /"256\.0\.0\.0\/8"/);
  assert.throws(() => parseIpv4Cidr("10.1.2.3/16", "Where"), /host bits set; did you mean "10\.1\.0\.0\/16"/);
});

test.run();
