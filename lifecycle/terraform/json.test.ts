/**
 * Decoding against real terraform JSON: public samples (test-fixtures/SOURCES.md says where each
 * comes from) and the real binary's own output on FIXTURE stacks.
 */
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { applyArgs, destroyArgs, initArgs, outputArgs, planArgs, showPlanArgs, showStateArgs } from "./args.js";
import { decodeOutputs, decodePlan, decodeStateResourceAddresses, redactedOutputs, stringOutput } from "./json.js";
import { runTerraform } from "./run-terraform.js";
import { changingStacks, happyStack, noOutputsStack } from "./test-support/fixture-stacks.js";
import { makeWorkspace, tfTest, type Workspace } from "./test-support/workspace.js";

const sample = (name: string) => readFileSync(new URL(`./test-fixtures/${name}`, import.meta.url), "utf8");

test("real sample: a plan creating an ALB topology counts 24 creates and lists their addresses", () => {
  const summary = decodePlan(sample("plan-create-aws-alb.json"));
  assert.is(summary.formatVersion, "1.2");
  assert.is(summary.terraformVersion, "1.10.4");
  assert.equal(summary.counts, { create: 24, update: 0, replace: 0, delete: 0, read: 0, forget: 0 });
  assert.is(summary.changes.length, 24);
  assert.ok(summary.changes.some((c) => c.address === "aws_lb.public_alb" && c.action === "create"));
  assert.ok(summary.changes.some((c) => c.address === "aws_route_table_association.aalimsee_tf_public[2]"));
  assert.equal(summary.changedOutputs, []);
  assert.is(summary.hasChanges, true);
});

test("real sample: a no-changes plan has no changes", () => {
  const summary = decodePlan(sample("plan-no-changes-aws-instance.json"));
  assert.is(summary.terraformVersion, "1.14.7");
  assert.equal(summary.counts, { create: 0, update: 0, replace: 0, delete: 0, read: 0, forget: 0 });
  assert.equal(summary.changes, []);
  assert.is(summary.hasChanges, false);
});

test("real sample: outputs keep their sensitive flag and type; values printed in clear are redacted for display", () => {
  const outputs = decodeOutputs(sample("output.json"));
  assert.equal(Object.keys(outputs).sort(), [
    "alb_dns_name", "ec2_instance_id", "ec2_private_ip", "private_subnet_ids", "public_subnet_ids", "rds_db_name", "rds_endpoint", "vpc_id",
  ]);
  assert.is(outputs.rds_endpoint!.sensitive, true);
  assert.is(outputs.alb_dns_name!.sensitive, false);
  assert.equal(outputs.private_subnet_ids!.type, ["tuple", ["string", "string"]]);
  assert.is(stringOutput(outputs, "alb_dns_name"), "devops-assignment-alb-371885925.ap-south-2.elb.amazonaws.com");
  assert.is(redactedOutputs(outputs).rds_endpoint, "(sensitive)");
  assert.is(redactedOutputs(outputs).vpc_id, "vpc-00ebc2d0cb70a3ac1");
});

test("stringOutput names the missing output and the ones there are, or the type it found", () => {
  const outputs = decodeOutputs(sample("output.json"));
  assert.throws(() => stringOutput(outputs, "url"), /the stack has no output "url"; its outputs: alb_dns_name, ec2_instance_id/);
  assert.throws(() => stringOutput(outputs, "public_subnet_ids"), /output "public_subnet_ids" is \["tuple",\["string","string"\]\], not a string/);
});

test("bad JSON is a clear error naming what was wrong", () => {
  assert.throws(() => decodePlan(""), /terraform show -json output is not JSON .*it starts with: \(empty\)/);
  assert.throws(() => decodePlan("Error: Failed to read the given file as a state or plan file"), /is not JSON.*starts with: Error: Failed to read/);
  assert.throws(() => decodePlan('{"format_version":"2.0"}'), /format_version "2.0" is not one this decoder reads/);
  assert.throws(() => decodePlan('{"format_version":"1.2","resource_changes":[{"address":"a.b","change":{"actions":["teleport"]}}]}'), /resource "a.b" has actions \[teleport\]/);
  assert.throws(() => decodePlan('{"format_version":"1.2","resource_changes":[{"change":{}}]}'), /resource_changes\[0\] has no address/);
  assert.throws(() => decodeOutputs('{"url":"https://x"}'), /output "url" is not \{sensitive, type, value\}/);
  assert.throws(() => decodeOutputs("[]"), /expected an object of outputs/);
});

async function tf(ws: Workspace, args: string[], successExitCodes = [0]) {
  const run = await runTerraform({ args, cwd: ws.stackDir, env: ws.env, successExitCodes });
  if (run.reason !== "ok") throw new Error(`terraform ${args[0]} failed: ${JSON.stringify(run)}`);
  return run;
}

tfTest("real binary: update, replace, delete, create and an output change are each counted", async () => {
  const ws = makeWorkspace();
  try {
    const { before, after } = changingStacks();
    ws.writeStack(before);
    await tf(ws, initArgs());
    await tf(ws, planArgs({ planFile: "tfplan", lockTimeoutSeconds: 1 }), [0, 2]);
    await tf(ws, applyArgs({ planFile: "tfplan", lockTimeoutSeconds: 1 }));
    ws.writeStack(after);
    await tf(ws, planArgs({ planFile: "tfplan2", lockTimeoutSeconds: 1 }), [0, 2]);
    const summary = decodePlan((await tf(ws, showPlanArgs("tfplan2"))).stdout);
    assert.equal(summary.counts, { create: 1, update: 1, replace: 1, delete: 1, read: 0, forget: 0 });
    assert.equal(
      [...summary.changes].sort((a, b) => a.address.localeCompare(b.address)),
      [
        { address: "terraform_data.added", action: "create" },
        { address: "terraform_data.dropped", action: "delete" },
        { address: "terraform_data.kept", action: "update" },
        { address: "terraform_data.renewed", action: "replace" },
      ],
    );
    assert.equal(summary.changedOutputs, ["version"]);
    assert.is(summary.hasChanges, true);
  } finally {
    ws.dispose();
  }
});

tfTest("real binary: output -json after apply, with the sensitive flag and a tuple; none decodes to none", async () => {
  const ws = makeWorkspace();
  try {
    ws.writeStack(happyStack());
    await tf(ws, initArgs());
    await tf(ws, planArgs({ planFile: "tfplan", lockTimeoutSeconds: 1 }), [0, 2]);
    await tf(ws, applyArgs({ planFile: "tfplan", lockTimeoutSeconds: 1 }));
    const outputs = decodeOutputs((await tf(ws, outputArgs())).stdout);
    assert.is(stringOutput(outputs, "url"), "https://fixture.example.test");
    assert.is(outputs.certificate_pem!.sensitive, true);
    assert.match(String(outputs.certificate_pem!.value), /BEGIN CERTIFICATE/);
    assert.equal(outputs.instance_ids!.type, ["tuple", ["string", "string"]]);

    ws.writeStack(noOutputsStack());
    await tf(ws, planArgs({ planFile: "tfplan", lockTimeoutSeconds: 1 }), [0, 2]);
    await tf(ws, applyArgs({ planFile: "tfplan", lockTimeoutSeconds: 1 }));
    assert.equal(decodeOutputs((await tf(ws, outputArgs())).stdout), {});
  } finally {
    ws.dispose();
  }
});

tfTest("real binary: state resources are listed (data sources not), and an empty or missing state has none", async () => {
  const ws = makeWorkspace();
  try {
    ws.writeStack(happyStack());
    await tf(ws, initArgs());
    assert.equal(decodeStateResourceAddresses((await tf(ws, showStateArgs())).stdout), [], "no state file yet");
    await tf(ws, planArgs({ planFile: "tfplan", lockTimeoutSeconds: 1 }), [0, 2]);
    await tf(ws, applyArgs({ planFile: "tfplan", lockTimeoutSeconds: 1 }));
    assert.equal(decodeStateResourceAddresses((await tf(ws, showStateArgs())).stdout).sort(), ["terraform_data.lb", "terraform_data.web"]);
    await tf(ws, destroyArgs({ lockTimeoutSeconds: 1 }));
    assert.equal(decodeStateResourceAddresses((await tf(ws, showStateArgs())).stdout), [], "destroyed");
  } finally {
    ws.dispose();
  }
});

test("state JSON: modules are walked, data sources skipped, bad shapes named", () => {
  const state = {
    format_version: "1.0",
    values: {
      root_module: {
        resources: [{ address: "aws_vpc.main", mode: "managed" }, { address: "data.aws_ami.al2023", mode: "data" }],
        child_modules: [{ address: "module.web", resources: [{ address: "module.web.aws_instance.server[0]", mode: "managed" }] }],
      },
    },
  };
  assert.equal(decodeStateResourceAddresses(JSON.stringify(state)), ["aws_vpc.main", "module.web.aws_instance.server[0]"]);
  assert.throws(() => decodeStateResourceAddresses('{"values":{}}'), /state JSON: expected an object with a format_version/);
  assert.throws(() => decodeStateResourceAddresses('{"format_version":"1.0","values":{"root_module":[]}}'), /values.root_module is not a module object/);
});

test.run();
