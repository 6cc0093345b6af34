/**
 * Benchmark baseline: the tiny stack with provider classes imported by deep path, the way
 * seedstack imports them. Compare with barrel-import-baseline.ts.
 */
import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import { Vpc } from "@cdktf/provider-aws/lib/vpc/index.js";
import { Subnet } from "@cdktf/provider-aws/lib/subnet/index.js";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group/index.js";
import { Lb } from "@cdktf/provider-aws/lib/lb/index.js";
import { synthTinyStack } from "./tiny-stack.js";

synthTinyStack({ AwsProvider, Vpc, Subnet, SecurityGroup, Lb });
