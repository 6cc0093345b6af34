/**
 * The report's parts against the real synthesized stacks (fixtures copied from `cdktf synth` of
 * this repository's classic stack with a database, and its autoscaled stack, read by the lifecycle's
 * one reader): what the report sees of them, the diagram, the cost on paper, redaction and the size limits.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readStackFile, type Stack } from "../../lifecycle/index.js";
import { estimateCost } from "../src/report/cost.js";
import { fitLimit, truncationNotice } from "../src/report/fit-limit.js";
import { mermaidDiagram, securityGroupEdges } from "../src/report/mermaid-diagram.js";
import { redact, sensitiveStrings } from "../src/report/redact.js";
import { renderEnvironment, withPostSection, withoutPostSection, renderPostSection } from "../src/report/render-report.js";
import { serversOf } from "../src/report/stack-servers.js";
import { FIXTURES } from "./run-action.js";

const classic = readStackFile(join(FIXTURES, "classic-with-database.cdk.tf.json"), "classic");
const autoscaled = readStackFile(join(FIXTURES, "autoscaled.cdk.tf.json"), "autoscaled");
/** The classic fixture with `edit` applied to its JSON, read as the Action reads a stack. */
function classicVariant(edit: (json: Record<string, any>) => void): Stack {
  const json = JSON.parse(readFileSync(join(FIXTURES, "classic-with-database.cdk.tf.json"), "utf8")) as Record<string, any>;
  edit(json);
  const dir = mkdtempSync(join(tmpdir(), "report-"));
  try {
    writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify(json));
    return readStackFile(join(dir, "cdk.tf.json"), "classic");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const groupName = (stack: Stack, address: string) => stack.securityGroups.get(address)?.name;

const facts = suite("what the report sees of a stack");
facts("classic with a database: ALB, two listeners, one target group, two servers in it, one database", () => {
  assert.equal(classic.loadBalancers.map((l) => l.name), ["seedstack-classic-alb"]);
  const listeners = classic.loadBalancers.flatMap((lb) => lb.listeners);
  assert.equal(listeners.map((l) => `${l.protocol}:${l.port}:${l.targetGroup ?? ""}:${l.action.type === "redirect" ? l.action.port : ""}`).sort(), [
    "HTTP:80::443",
    "HTTPS:443:aws_lb_target_group.lb_targets_723A5708:",
  ]);
  assert.equal(classic.targetGroups.map((t) => [t.name, t.port, t.healthCheck.path]), [["seedstack-classic-tg-8080", 8080, "/status"]]);
  assert.equal(serversOf(classic).instances.map((i) => [i.name, i.instanceType, i.targetGroups]), [
    ["seedstack-classic-web-0", "t3.micro", ["aws_lb_target_group.lb_targets_723A5708"]],
    ["seedstack-classic-web-1", "t3.micro", ["aws_lb_target_group.lb_targets_723A5708"]],
  ]);
  assert.equal(classic.databases.map((d) => [d.engine, d.instanceClass, d.storageGb, d.multiAz]), [["postgres", "db.t4g.micro", 20, false]]);
});
facts("security-group edges: clients to the ALB, the ALB to the servers, the servers to the database", () => {
  const named = securityGroupEdges(classic).map((e) => `${typeof e.from === "string" ? groupName(classic, e.from) : e.from.cidr} -> ${groupName(classic, e.to)} : ${e.port}`);
  for (const edge of ["0.0.0.0/0 -> seedstack-classic-alb : 443", "0.0.0.0/0 -> seedstack-classic-alb : 80", "seedstack-classic-alb -> seedstack-classic-web : 8080", "seedstack-classic-web -> seedstack-classic-db : 5432"]) {
    assert.ok(named.includes(edge), `missing ${edge} in ${named.join("; ")}`);
  }
});
facts("autoscaled: the group's size and instance type come from the group and its launch template", () => {
  const { instances, groups } = serversOf(autoscaled);
  assert.is(instances.length, 0);
  assert.equal(groups.map((a) => [a.instanceType, a.desired, a.min, a.max, a.targetGroups]), [["t3.micro", 1, 1, 2, ["aws_lb_target_group.lb_targets_723A5708"]]]);
  assert.ok(groups[0]!.securityGroups.length > 0, "the launch template's security groups are found");
});
facts("not a JSON object: a clear error", () => {
  const dir = mkdtempSync(join(tmpdir(), "report-"));
  try {
    writeFileSync(join(dir, "cdk.tf.json"), "[1, 2]");
    assert.throws(() => readStackFile(join(dir, "cdk.tf.json")), /cdk\.tf\.json: expected an object/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
facts.run();

const diagram = suite("mermaid diagram");
diagram("draws listeners, forwarding, targets and security-group edges with Mermaid-safe IDs", () => {
  const text = mermaidDiagram(classic);
  assert.ok(text.startsWith("flowchart LR\n"));
  for (const line of [
    '  clients -->|HTTPS 443| aws_lb_listener_lb_https_D53523F5',
    "  aws_lb_listener_lb_https_D53523F5 -->|forward| aws_lb_target_group_lb_targets_723A5708",
    "  aws_lb_target_group_lb_targets_723A5708 --> aws_instance_web_server_0_14D093DF",
    "  aws_instance_web_server_1_B87E7028 -.->|sg 5432| aws_db_instance_database_instance_D7FC2283",
    "  aws_lb_lb_alb_3A88C95E -.->|sg 8080| aws_instance_web_server_0_14D093DF",
  ]) {
    assert.ok(text.split("\n").includes(line), `missing line: ${line}\n${text}`);
  }
  assert.not.ok(/[A-Za-z0-9_]+-[A-Za-z0-9_]+\[/.test(text), "node IDs contain no hyphen");
});
diagram("an Auto Scaling group is one node with its size", () => {
  assert.ok(mermaidDiagram(autoscaled).includes('[["Auto Scaling seedstack-scaled-asg<br/>t3.micro x1 (1-2)"]]'));
});
diagram.run();

const cost = suite("cost on paper");
cost("classic with a database: every line priced from the us-east-1 table", () => {
  const estimate = estimateCost(classic);
  const lines = Object.fromEntries(estimate.lines.map((l) => [l.item, Number(l.hourly.toFixed(5))]));
  assert.equal(lines, {
    "Application Load Balancer": 0.0225,
    "ALB public IPv4 addresses": 0.01,
    "EC2 t3.micro": 0.0208,
    "EBS gp3 root volumes (8 GB)": 0.00175, // 2 x 8 GB x $0.08 / 730 h
    "RDS db.t4g.micro": 0.016,
    "RDS storage (20 GB)": 0.00315, // 20 GB x $0.115 / 730 h
    "Secrets Manager secret (database password)": 0.00055, // $0.40 / 730 h
    "Interface VPC endpoints (per AZ)": 0.02,
  });
  assert.is(Number(estimate.totalHourly.toFixed(4)), 0.0948); // 0.0893 fixed + 1.28/730 + 2.3/730 + 0.4/730 = 0.094752 (docs/stacks.md: about $0.095)
  assert.equal(estimate.unpriced, []);
});
cost("an instance type missing from the table is named, not guessed", () => {
  const odd: Stack = {
    ...classic,
    serverGroups: classic.serverGroups.map((g) => (g.kind === "instances" ? { ...g, instances: g.instances.map((i) => ({ ...i, instanceType: "c7i.large" })) } : g)),
    instances: classic.instances.map((i) => ({ ...i, instanceType: "c7i.large" })),
  };
  assert.equal(estimateCost(odd).unpriced, ["EC2 c7i.large"]);
});
cost("every load balancer is drawn and counted; a network load balancer is named, not priced as an ALB", () => {
  const lb = classic.loadBalancers[0]!;
  const nlb = { ...lb, address: "aws_lb.second", name: "second-nlb", type: "network" as const, listeners: [{ ...lb.listeners[1]!, address: "aws_lb_listener.second", protocol: "TCP" as const, port: 9000 }] };
  const two: Stack = { ...classic, loadBalancers: [lb, nlb] };
  const text = mermaidDiagram(two);
  assert.ok(text.includes('subgraph aws_lb_second["network LB second-nlb"]'), text);
  assert.ok(text.includes("  aws_lb_listener_second -->|forward| aws_lb_target_group_lb_targets_723A5708"), text);
  const estimate = estimateCost(two);
  assert.equal(estimate.lines.filter((l) => l.item === "Application Load Balancer").map((l) => l.quantity), [1]);
  assert.equal(estimate.unpriced, ["network/gateway load balancer"]);
});
cost("the cost table names its region: us-east-1's list prices, and a stack elsewhere is told they are not its region's", () => {
  assert.is(classic.region, "us-east-1", "the region is read from the synthesized provider block");
  assert.match(renderEnvironment({ stack: classic }), /On-demand list prices for us-east-1, where this stack runs;/);
  const elsewhere = renderEnvironment({ stack: { ...classic, region: "eu-west-2" } });
  assert.match(elsewhere, /us-east-1 on-demand list prices: this stack runs in eu-west-2, whose prices differ/);
  assert.not.match(elsewhere, /where this stack runs;/);
});
cost("an instance no target group has is priced too, each instance once", () => {
  const stack = classicVariant((json) => {
    const [first] = Object.values(json.resource.aws_instance as Record<string, Record<string, unknown>>);
    json.resource.aws_instance.worker = { ...first, instance_type: "t3.small", tags: { Name: "worker" } };
  });
  assert.equal(serversOf(stack).instances.length, 2, "not serving: not among the target group's servers");
  const lines = Object.fromEntries(estimateCost(stack).lines.map((l) => [l.item, l.quantity]));
  assert.is(lines["EC2 t3.micro"], 2);
  assert.is(lines["EC2 t3.small"], 1);
  assert.is(lines["EBS gp3 root volumes (8 GB)"], 3);
  assert.equal(estimateCost(stack).unpriced, []);
});
cost("public IPv4: one per load-balancer subnet, three subnet IDs are three addresses", () => {
  const stack = classicVariant((json) => {
    for (const lb of Object.values(json.resource.aws_lb as Record<string, Record<string, unknown>>)) lb.subnets = ["subnet-0a1b2c3d", "subnet-1a1b2c3d", "subnet-2a1b2c3d"];
  });
  const line = estimateCost(stack).lines.find((l) => l.item === "ALB public IPv4 addresses");
  assert.equal([line?.quantity, Number(line?.hourly.toFixed(4)), line?.atLeast], [3, 0.015, undefined]);
  assert.is(estimateCost(stack).atLeast, undefined);
  assert.match(renderEnvironment({ stack }), /\| ALB public IPv4 addresses \| 3 \| \$0\.0150 \|/);
});
cost("public IPv4: subnets given as a data source's list are counted as the stacks' 2, and the line and total say at least", () => {
  const stack = classicVariant((json) => {
    for (const lb of Object.values(json.resource.aws_lb as Record<string, Record<string, unknown>>)) lb.subnets = "${data.aws_subnets.public.ids}";
  });
  const estimate = estimateCost(stack);
  const line = estimate.lines.find((l) => l.item.startsWith("ALB public IPv4 addresses"));
  assert.equal([line?.quantity, line?.atLeast, estimate.atLeast], [2, true, true]);
  assert.match(line!.item, /seedstack-classic-alb: subnets known only when planned, counted as 2/);
  const text = renderEnvironment({ stack });
  assert.match(text, /\| ALB public IPv4 addresses \(.+\) \| at least 2 \| at least \$0\.0100 \|/);
  assert.match(text, /\| \*\*Total\*\* \| \| \*\*at least \$0\.\d{4}\*\* \(at least \$\d/);
  assert.not.match(renderEnvironment({ stack: classic }), /at least/, "literal subnets: exact");
});
cost.run();

const limits = suite("redaction and limits");
limits("sensitive values (also nested) and private key blocks are replaced; public certificates stay", () => {
  const secrets = sensitiveStrings({
    password: { value: "hunter2-long", sensitive: true },
    nested: { value: { a: ["tok-abcdef"] }, sensitive: true },
    url: { value: "https://example.test", sensitive: false },
  });
  const text = "pw hunter2-long tok-abcdef https://example.test\n-----BEGIN EC PRIVATE KEY-----\nAAA\n-----END EC PRIVATE KEY-----\n-----BEGIN CERTIFICATE-----\nBBB\n-----END CERTIFICATE-----";
  assert.is(redact(text, secrets), "pw *** *** https://example.test\n[private key removed]\n-----BEGIN CERTIFICATE-----\nBBB\n-----END CERTIFICATE-----");
});
limits("a text within the limit is unchanged", () => {
  assert.equal(fitLimit("short", 100, "chars", "!"), { text: "short", truncated: false });
});
limits("cut at a line, an open code fence closed, the notice last, within the limit", () => {
  const text = "# head\n```mermaid\n" + "flowchart line\n".repeat(100);
  const notice = truncationNotice("the limit", "See the run.");
  const { text: out, truncated } = fitLimit(text, 600, "chars", notice);
  assert.ok(truncated);
  assert.ok(out.length <= 600, `${out.length} characters`);
  assert.ok(out.endsWith(notice));
  assert.ok(out.includes("flowchart line\n```" + notice) || out.includes("flowchart line\n```\n"), "the fence is closed before the notice");
  assert.is((out.match(/^```/gm) ?? []).length % 2, 0);
});
limits("bytes are counted as UTF-8 for the job summary", () => {
  const text = "✅ ok\n".repeat(1000); // 7 bytes per line, 5 characters
  const { text: out } = fitLimit(text, 2000, "bytes", "\nCUT\n");
  assert.ok(Buffer.byteLength(out, "utf8") <= 2000);
  assert.ok(out.length > 1000, "most of the budget is used");
});
limits("the post step's section replaces the previous one instead of adding another", () => {
  const first = withPostSection("report", renderPostSection({ status: "incomplete", remaining: ["db"] }, "2026-11-30T10:00:00Z", true));
  const second = withPostSection(withoutPostSection(first), renderPostSection({ status: "destroyed", remaining: [] }, "2026-11-30T11:00:00Z", false));
  assert.is(second.split("<!-- seedstack:post-step -->").length - 1, 1);
  assert.ok(second.includes("2026-11-30 11:00:00 UTC"));
  assert.not.ok(second.includes("2026-11-30 10:00:00 UTC"));
});
limits.run();
