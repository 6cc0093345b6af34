/**
 * Real terraform, offline: every stack in every configuration the stacks' tests synthesize is
 * initialised from the local provider mirror, validated and planned by the real hashicorp/aws
 * 5.100.0 provider. The AWS calls planning makes are answered by a loopback STAND-IN
 * (aws-stand-in.ts), not AWS. Self-signed stacks are planned whole when the mirror holds
 * hashicorp/tls 4.1.0 (one built by `npm run provider-mirror`, as ci.yml does on GitHub's runners);
 * without it (our machines) their two tls resources are swapped for variables in a test-only copy
 * (swap-tls.ts). Every other configuration is planned whole.
 *
 * Skipped with one loud line on a machine without terraform or the mirror; a failure instead
 * under SEEDSTACK_REQUIRE_TERRAFORM=1 (.ci/run).
 */
import { createHash } from "node:crypto";
import { lstatSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { terraformEnv } from "../../lifecycle/terraform/terraform-env.js";
import { providerLayout, TLS_PROVIDER, terraformPlatform } from "../../lifecycle/terraform/provider-mirror.js";
import { runTerraform } from "../../scripts/plan/terraform-process.js";
import { PLAN_CONFIGURATIONS } from "./plan-configurations.js";
import { pooled } from "./plan-pool.js";
import { synthToDisk, type StackOnDisk } from "./synth-to-disk.js";
import { announceSkip, terraformAvailability, terraformRequired } from "./terraform-available.js";
import { PLAN_FILE, startTerraformRig, type PlannedStack, type TerraformRig } from "./terraform-rig.js";

const test = suite("real terraform: validate and plan every stack (AWS calls answered by a loopback stand-in)");
const availability = terraformAvailability();

/** A distinct stack to plan, with every configuration that synthesizes it. */
interface DistinctStack {
  readonly stack: StackOnDisk;
  readonly labels: string[];
  readonly region: string;
  readonly selfSigned: boolean;
}

/** Stacks plan alike when their JSON matches apart from metadata and the backend (replaced by local state for the plan). */
function planKey(json: Record<string, any>): string {
  const { "//": _metadata, ...rest } = json;
  const terraform = { ...rest.terraform };
  delete terraform.backend;
  return createHash("sha256").update(JSON.stringify({ ...rest, terraform })).digest("hex");
}

/** The AWS calls a plan of our stacks makes, found by running it: one each, and nothing else. */
const EXPECTED_AWS_CALLS = ["ec2:DescribeAvailabilityZones", "ec2:DescribeInstanceTypeOfferings", "ssm:GetParameter", "sts:GetCallerIdentity"];
/**
 * A PR stack in an existing VPC (modules/existing-network.ts) reads the VPC instead (DescribeVpcs,
 * its three attributes one call each, its main route table), the zones offering the servers'
 * instance type, the region's S3 prefix list, and DescribeSubnets once per aws_subnets lookup, per
 * candidate subnet and per subnet used. By tags (the stand-in has 3 public and 4 private
 * candidates): 2 + 7 + 4 = 13, the Secrets Manager endpoint (whose data source reads prefix lists
 * too), and without NAT the S3 route check's route tables (the ones routing S3, each private
 * subnet's): 1 + 2; by IDs, with NAT: 4 + 4 = 8 subnet reads and no route check.
 */
const EXISTING_VPC_AWS_CALLS: Readonly<Record<string, readonly string[]>> = {
  "pr-16": [
    ...["ec2:DescribeInstanceTypeOfferings", "ec2:DescribePrefixLists", "ec2:DescribePrefixLists"],
    ...Array<string>(1 + 3).fill("ec2:DescribeRouteTables"),
    ...Array<string>(13).fill("ec2:DescribeSubnets"),
    ...Array<string>(3).fill("ec2:DescribeVpcAttribute"),
    ...["ec2:DescribeVpcEndpoints", "ec2:DescribeVpcs", "ssm:GetParameter", "sts:GetCallerIdentity"],
  ],
  "pr-17": [
    ...["ec2:DescribeInstanceTypeOfferings", "ec2:DescribePrefixLists", "ec2:DescribeRouteTables"],
    ...Array<string>(8).fill("ec2:DescribeSubnets"),
    ...Array<string>(3).fill("ec2:DescribeVpcAttribute"),
    ...["ec2:DescribeVpcs", "ssm:GetParameter", "sts:GetCallerIdentity"],
  ],
};
/** The bootstrap stack's: the provider's account check and its aws_caller_identity (policy documents call nothing). */
const BOOTSTRAP_AWS_CALLS = ["sts:GetCallerIdentity", "sts:GetCallerIdentity"];

/** The addresses a stack synthesizes: `type.name`, and whether it makes several instances (for_each/count). */
function synthesizedResources(json: Record<string, any>): Array<{ addr: string; many: boolean }> {
  return Object.entries(json.resource ?? {}).flatMap(([type, byName]) =>
    Object.entries(byName as Record<string, any>).map(([name, attrs]) => ({ addr: `${type}.${name}`, many: attrs.for_each !== undefined || attrs.count !== undefined })),
  );
}

if (!availability.ok) {
  if (terraformRequired()) {
    test("terraform and the provider mirror are present (SEEDSTACK_REQUIRE_TERRAFORM=1)", () => {
      assert.unreachable(`the real-terraform tests cannot run: ${availability.reason}`);
    });
  } else {
    announceSkip(availability.reason);
  }
} else {
  const { terraform, mirror } = availability;
  // Known while tests are collected (the names say which way each self-signed stack is planned).
  const tlsWhole = providerLayout(mirror.path, TLS_PROVIDER, terraformPlatform()) !== undefined;
  // Synthesized while tests are collected (in this process, ~0.2 s a stack), so each distinct
  // stack gets a test named after its configurations.
  const synthRoot = mkdtempSync(join(tmpdir(), "seedstack-plan-synth-"));
  const distinct = new Map<string, DistinctStack>();
  let synthesizedCount = 0;
  PLAN_CONFIGURATIONS.forEach(({ label, env }, i) => {
    for (const stack of synthToDisk(env, join(synthRoot, `config-${i}`))) {
      synthesizedCount++;
      const key = planKey(stack.json);
      const seen = distinct.get(key);
      if (seen) seen.labels.push(`${label} / ${stack.name}`);
      else {
        // The bootstrap stack has no certificate whatever the TLS mode.
        const selfSigned = stack.json.resource?.tls_private_key !== undefined;
        distinct.set(key, { stack, labels: [`${label} / ${stack.name}`], region: env.SEEDSTACK_REGION ?? "us-east-1", selfSigned });
      }
    }
  });
  const defaultsClassic = [...distinct.values()][0]!;

  let rig: TerraformRig | undefined;
  const plans = new Map<DistinctStack, Promise<PlannedStack>>();

  test.before(async () => {
    // Two plans at a time, each with its own long-running provider process: two cores here.
    const workers = Math.max(1, Math.min(2, availableParallelism()));
    rig = await startTerraformRig(terraform, mirror, { sharedProviders: workers });
    const entries = [...distinct.values()];
    const started = pooled(workers, entries.map((d) => () => rig!.plan(d.stack.dir, d.stack.json, d.labels[0]!)));
    entries.forEach((d, i) => plans.set(d, started[i]!));
  });

  test.after(async () => {
    await rig?.close();
    rmSync(synthRoot, { recursive: true, force: true });
  });

  test(`terraform init installs hashicorp/aws 5.100.0${tlsWhole ? " and hashicorp/tls 4.1.0" : ""} from the local mirror, linked, not copied`, () => {
    const init = rig!.init;
    assert.is(init.code, 0);
    assert.match(init.stdout, "Installed hashicorp/aws v5.100.0");
    const lock = readFileSync(join(rig!.templateDir, ".terraform.lock.hcl"), "utf8");
    assert.match(lock, /provider "registry.terraform.io\/hashicorp\/aws" \{\s+version\s+= "5.100.0"/);
    const installed = join(rig!.templateDir, ".terraform", "providers", "registry.terraform.io", "hashicorp", "aws", "5.100.0", terraformPlatform());
    assert.ok(lstatSync(installed).isSymbolicLink(), `${installed} should link to the shared plugin cache`);
    // An unpacked mirror is linked as it is; a packed one (zips) is unpacked once into the shared cache.
    const home = mirror.layout === "unpacked" ? mirror.path : join(dirname(rig!.cliConfigFile), "plugin-cache");
    assert.ok(realpathSync(installed).startsWith(realpathSync(home)), `${installed} resolves to ${realpathSync(installed)}, outside ${home}`);
    assert.is(rig!.tlsFromMirror, tlsWhole);
    if (tlsWhole) {
      assert.match(init.stdout, "Installed hashicorp/tls v4.1.0");
      assert.match(lock, /provider "registry.terraform.io\/hashicorp\/tls" \{\s+version\s+= "4.1.0"/);
    }
  });

  test("the machine's terraform settings do not leak in: its CLI config, TF_LOG and TF_CLI_ARGS are ignored", async () => {
    const dir = mkdtempSync(join(tmpdir(), "seedstack-tf-leak-"));
    try {
      const machineConfig = join(dir, "machine.tfrc");
      // A machine config that would break init if it were read: a mirror that does not exist, no direct.
      writeFileSync(machineConfig, 'provider_installation {\n  filesystem_mirror {\n    path = "/nonexistent/seedstack-mirror"\n  }\n}\n');
      writeFileSync(join(dir, "main.tf.json"), JSON.stringify({ terraform: { required_providers: { aws: { source: "hashicorp/aws", version: "5.100.0" } } } }));
      const machine = { ...process.env, TF_CLI_CONFIG_FILE: machineConfig, TF_LOG: "TRACE", TF_CLI_ARGS_init: "-backend-config=nonexistent.hcl", TF_DATA_DIR: join(dir, "elsewhere") };
      const init = await runTerraform(["init", "-input=false", "-no-color"], { cwd: dir, env: terraformEnv(machine, { TF_CLI_CONFIG_FILE: rig!.cliConfigFile }), timeoutMs: 180_000, terraform });
      assert.is(init.code, 0, init.stdout + init.stderr);
      assert.not.match(init.stdout + init.stderr, "[TRACE]");
      assert.not.match(init.stdout + init.stderr, "/nonexistent/seedstack-mirror");
      assert.ok(lstatSync(join(dir, ".terraform", "providers")).isDirectory(), "providers installed in ./.terraform, not TF_DATA_DIR");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test(`every configuration's stacks are planned (${synthesizedCount} stacks; identical ones once)`, () => {
    assert.is(synthesizedCount, 56, "stacks synthesized over all configurations");
    assert.ok(distinct.size >= 25 && distinct.size <= 41, `${distinct.size} distinct stacks`);
  });

  for (const d of distinct.values()) {
    test(`${d.labels.join("; ")}: validate passes, plan exits 2 creating exactly the synthesized resources${d.selfSigned && !tlsWhole ? " (tls swapped for variables)" : " (planned whole)"}`, async () => {
      const planned = await plans.get(d)!;
      const where = `${d.labels[0]} (working copy ${planned.dir})`;

      // validate: the provider's schema and validation of every attribute, no warnings.
      assert.is(planned.validate.code, 0, `validate failed for ${where}:\n${planned.validate.stdout}${planned.validate.stderr}`);
      assert.ok(planned.validate.report.valid, where);
      assert.equal(planned.validate.report.diagnostics, [], `validate reported diagnostics for ${where}`);

      // plan: exit code 2 = changes present; no errors and no warnings (deprecations included).
      const { stream } = planned.plan;
      const diagnostics = stream.diagnostics.map((x) => `${x.severity}: ${x.summary}: ${x.detail}`).join("\n");
      assert.is(planned.plan.code, 2, `plan exited ${planned.plan.code} for ${where}:\n${diagnostics}${planned.plan.stderr}`);
      assert.equal(stream.diagnostics, [], `plan reported diagnostics for ${where}`);

      // One planned create per synthesized resource (a for_each resource: at least one instance).
      const changed = new Map<string, number>();
      for (const change of stream.changes) {
        assert.is(change.action, "create", `${change.addr} would be ${change.action}d, not created, in ${where}`);
        changed.set(`${change.type}.${change.name}`, (changed.get(`${change.type}.${change.name}`) ?? 0) + 1);
      }
      const synthesized = synthesizedResources(planned.planned);
      for (const { addr, many } of synthesized) {
        const count = changed.get(addr) ?? 0;
        assert.ok(many ? count >= 1 : count === 1, `${addr}: ${count} planned creates in ${where}`);
      }
      assert.equal([...changed.keys()].sort(), synthesized.map((s) => s.addr).sort(), `planned resources differ from synthesized ones in ${where}`);
      assert.equal(stream.summary, { add: stream.changes.length, change: 0, remove: 0 }, where);

      // The AWS calls: exactly the reads our data sources need, answered, signed for the stack's region.
      const expectedCalls = d.stack.name === "bootstrap" ? BOOTSTRAP_AWS_CALLS : d.stack.json.data?.aws_vpc ? EXISTING_VPC_AWS_CALLS[d.stack.name] : EXPECTED_AWS_CALLS;
      assert.equal(planned.awsCalls.map((c) => `${c.service}:${c.action}`).sort(), expectedCalls, `AWS calls of ${where}`);
      for (const call of planned.awsCalls) {
        assert.is(call.status, 200, `${call.service}:${call.action} answered ${call.status} in ${where}`);
        assert.is(call.region, d.region, `${call.service}:${call.action} signed for ${call.region} in ${where}`);
      }

      // Planned whole unless self-signed without tls in the mirror; then the copy loses exactly the two tls resources.
      if (d.selfSigned && !tlsWhole) assert.equal(planned.swapped.map((a) => a.split(".")[0]).sort(), ["tls_private_key", "tls_self_signed_cert"], where);
      else assert.equal(planned.swapped, [], where);
    });
  }

  test("the saved plan (terraform show -json): resource_changes match the synthesized resources one for one, default tags applied by the provider", async () => {
    const planned = await plans.get(defaultsClassic)!;
    const show = await runTerraform(["show", "-json", "-no-color", PLAN_FILE], { cwd: planned.dir, env: rig!.env, timeoutMs: 240_000, terraform });
    assert.is(show.code, 0, show.stderr);
    const plan = JSON.parse(show.stdout) as { resource_changes: Array<{ address: string; mode: string; type: string; change: { actions: string[]; after: Record<string, any> } }> };
    const managed = plan.resource_changes.filter((rc) => rc.mode === "managed");
    assert.equal(managed.map((rc) => rc.address).sort(), synthesizedResources(planned.planned).map((s) => s.addr).sort());
    for (const rc of managed) assert.equal(rc.change.actions, ["create"], rc.address);
    // tags_all is computed by the provider from the stack's default_tags: only a real plan shows it.
    const tagged = managed.filter((rc) => rc.change.after.tags_all !== undefined && rc.change.after.tags_all !== null);
    assert.ok(tagged.length >= 15, `only ${tagged.length} resources carry tags_all`);
    for (const rc of tagged) {
      assert.equal(
        { Owner: rc.change.after.tags_all.Owner, Project: rc.change.after.tags_all.Project, Stack: rc.change.after.tags_all.Stack },
        { Owner: "octocat", Project: "seedstack", Stack: "classic" },
        `${rc.address} tags_all`,
      );
    }
    // The stand-in's first zone offers no t3 (as us-east-1's use1-az3): the subnets skip it.
    const zones = managed.filter((rc) => rc.type === "aws_subnet").map((rc) => rc.change.after.availability_zone).sort();
    assert.equal(zones, ["us-east-1b", "us-east-1b", "us-east-1c", "us-east-1c"]);
  });

  const existingByTags = [...distinct.values()].find((d) => d.stack.name === "pr-16" && d.stack.json.data?.aws_vpc !== undefined);

  test("existing VPC by tags: the plan puts a server in the first private subnet of each zone offering t3 and holding a public subnet, the ALB in those zones' public subnets, the database across the private ones, every group in the VPC and its CIDR in the HTTPS rule", async () => {
    assert.ok(existingByTags, "the existing-VPC configuration synthesizes pr-16");
    const planned = await plans.get(existingByTags)!;
    const show = await runTerraform(["show", "-json", "-no-color", PLAN_FILE], { cwd: planned.dir, env: rig!.env, timeoutMs: 240_000, terraform });
    assert.is(show.code, 0, show.stderr);
    const plan = JSON.parse(show.stdout) as { resource_changes: Array<{ type: string; name: string; mode: string; change: { after: Record<string, any> } }> };
    const after = (type: string): Array<Record<string, any>> => plan.resource_changes.filter((rc) => rc.mode === "managed" && rc.type === type).map((rc) => ({ name: rc.name, ...rc.change.after }));
    // The stand-in's shared VPC (aws-stand-in-network.ts): public subnets in zones a, b and c; private
    // ones in a (...007, passed over: the stand-in's zone a offers no t3, though it comes first by
    // name), b (two: ...003 and ...005, the first by ID wins) and c (...004); the ALB follows the
    // servers to b and c (not a, where it would have no server); another VPC's subnet is tagged
    // Tier=public too and must not be picked.
    assert.equal([...after("aws_lb")[0]!.subnets].sort(), ["subnet-0a000000000000002", "subnet-0a000000000000008"]);
    assert.equal(after("aws_instance").map((i) => i.subnet_id).sort(), ["subnet-0b000000000000003", "subnet-0b000000000000004"]);
    assert.equal([...after("aws_db_subnet_group")[0]!.subnet_ids].sort(), ["subnet-0b000000000000003", "subnet-0b000000000000004"]);
    for (const group of after("aws_security_group")) assert.is(group.vpc_id, "vpc-0a1b2c3d4e5f60718", group.name);
    const vpcHttps = after("aws_vpc_security_group_egress_rule").filter((r) => r.name.includes("egress-vpc-https"));
    assert.equal(vpcHttps.map((r) => r.cidr_ipv4), ["10.20.0.0/16"]);
    assert.is(after("aws_vpc").length + after("aws_subnet").length, 0, "no network of its own");
  });

  const existingByIds = [...distinct.values()].find((d) => d.stack.name === "pr-17" && d.stack.json.data?.aws_vpc !== undefined);

  test("existing VPC: public tags in one zone (no server zone with a load-balancer subnet), a private ID in a zone without t3 or a load-balancer subnet, a table without the S3 route, a subnet of another VPC: each stops the plan with the construct's own message", async () => {
    assert.ok(existingByTags && existingByIds, "the existing-VPC configurations synthesize pr-16 and pr-17");
    const dataNamed = (json: Record<string, any>, type: string, part: string) => Object.entries(json.data[type] as Record<string, any>).find(([name]) => name.includes(part))![1];
    const errorsOf = (planned: PlannedStack) => planned.plan.stream.diagnostics.filter((x) => x.severity === "error").map((x) => `${x.summary}: ${x.detail}`).join("\n");
    const privateCandidates = (ids: string[]) => (json: Record<string, any>) => {
      dataNamed(json, "aws_subnet", "private-candidates").for_each = `\${toset(${JSON.stringify(ids).replace(/,/g, ", ")})}`;
    };
    const [publicOneZone, byIdsInZoneA, noS3Route, otherVpc] = await Promise.all([
      rig!.plan(existingByTags.stack.dir, existingByTags.stack.json, "existing VPC by tags / pr-16, public tags matching zone a only", (json) => {
        dataNamed(json, "aws_subnets", "public-lookup").filter[1] = { name: "tag:Name", values: ["shared-public-a"] };
      }),
      rig!.plan(existingByIds.stack.dir, existingByIds.stack.json, "existing VPC by IDs / pr-17, a private subnet in zone a", privateCandidates(["subnet-0b000000000000007", "subnet-0b000000000000004"])),
      rig!.plan(existingByTags.stack.dir, existingByTags.stack.json, "existing VPC by tags / pr-16, private subnets ...005 and ...004", privateCandidates(["subnet-0b000000000000005", "subnet-0b000000000000004"])),
      rig!.plan(existingByTags.stack.dir, existingByTags.stack.json, "existing VPC by tags / pr-16, a private subnet elsewhere", privateCandidates(["subnet-0b000000000000003", "subnet-0f000000000000006"])),
    ]);
    for (const planned of [publicOneZone, byIdsInZoneA, noS3Route, otherVpc]) assert.is(planned.plan.code, 1, `${planned.label}: ${errorsOf(planned)}`);
    // Private subnets in a, b, c; t3 in b and c; a public subnet only in a.
    assert.match(
      errorsOf(publicOneZone),
      "ExistingNetwork needs private subnets with the tags Tier=private in at least 2 availability zones of the VPC that offer t3.micro and hold a load-balancer subnet with the tags Tier=public (a load balancer sends no traffic to servers in a zone it has no subnet in); found them in 3 zone(s), 2 offering t3.micro, 0 of those with a load-balancer subnet",
    );
    // pr-17's public IDs are in b and c.
    const zoneA = errorsOf(byIdsInZoneA);
    assert.match(zoneA, "ExistingNetwork: private subnet subnet-0b000000000000007 is in us-east-1a, which does not offer t3.micro");
    assert.match(zoneA, "ExistingNetwork: private subnet subnet-0b000000000000007 is in us-east-1a, where the load balancer has no subnet among the public subnets given");
    // ...005 has a table of its own without the endpoint's route; ...004 uses the main table, which has it.
    const s3 = errorsOf(noS3Route);
    assert.match(s3, /ExistingNetwork: private subnet subnet-0b000000000000005 uses route table rtb-0d000000000000005, which has no route to S3 through a gateway endpoint \(com\.amazonaws\.us-east-1\.s3\)/);
    assert.not.match(s3, "subnet-0b000000000000004");
    assert.match(errorsOf(otherVpc), "ExistingNetwork: private subnet subnet-0f000000000000006 is in vpc-0ffffffffffffff01, not in the network's VPC");
  });

  test("a plan whose commands start their own provider (as npm run plan does) matches the plan attached to a shared provider", async () => {
    const own = await startTerraformRig(terraform, mirror, { sharedProviders: 0 });
    try {
      const alone = await own.plan(defaultsClassic.stack.dir, defaultsClassic.stack.json, "defaults / classic, own provider");
      const shared = await plans.get(defaultsClassic)!;
      assert.is(alone.validate.code, 0);
      assert.is(alone.plan.code, 2, alone.plan.stdout.slice(-2000));
      const byAddr = (changes: readonly { addr: string }[]) => [...changes].sort((a, b) => a.addr.localeCompare(b.addr));
      assert.equal(byAddr(alone.plan.stream.changes), byAddr(shared.plan.stream.changes));
      assert.equal(alone.plan.stream.summary, shared.plan.stream.summary);
      assert.equal(alone.plan.stream.diagnostics, []);
    } finally {
      await own.close();
    }
  });

  test("a name the provider rejects fails validate with the provider's own message (the rung is not vacuous)", async () => {
    const broken = await rig!.plan(defaultsClassic.stack.dir, defaultsClassic.stack.json, "defaults / classic with a 33-character ALB name", (json) => {
      const [alb] = Object.values(json.resource.aws_lb as Record<string, any>);
      delete alb.name_prefix; // the modules let terraform generate the name from a prefix
      alb.name = "a".repeat(33); // an ALB name has at most 32 characters
    });
    assert.is(broken.validate.code, 1);
    assert.ok(!broken.validate.report.valid);
    const messages = broken.validate.report.diagnostics.map((x) => `${x.summary} ${x.detail ?? ""}`).join("\n");
    assert.match(messages, `"name" cannot be longer than 32 characters`);
  });

  test("a data source the stand-in does not answer fails the plan loudly, naming the call", async () => {
    const broken = await rig!.plan(defaultsClassic.stack.dir, defaultsClassic.stack.json, "defaults / classic reading the region's NAT gateways", (json) => {
      json.data.aws_nat_gateways = { probe: {} };
    });
    assert.is(broken.plan.code, 1);
    assert.ok(broken.awsCalls.some((c) => c.service === "ec2" && c.action === "DescribeNatGateways" && c.status === 400), JSON.stringify(broken.awsCalls));
    const errors = broken.plan.stream.diagnostics.filter((x) => x.severity === "error").map((x) => `${x.summary} ${x.detail}`).join("\n");
    assert.match(errors, "seedstack's AWS stand-in does not answer ec2:DescribeNatGateways");
  });
}

test.run();
