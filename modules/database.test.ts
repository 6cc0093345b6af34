import { test } from "uvu";
import * as assert from "uvu/assert";
import { TerraformOutput } from "cdktf";
import { Network } from "./network.js";
import { Database, DEFAULT_POSTGRES_MAJOR_VERSION, POSTGRES_MAJOR_VERSIONS, type DatabaseProps } from "./database.js";
import { FixtureTarget } from "../test/fixture-target.js";
import { onlyResource, ref, synthStack } from "../test/synth-stack.js";
import type { Attributes, SynthJson } from "../test/synth-json.js";
import { networkInZones } from "../test/fixture-network.js";

type Extra = Partial<DatabaseProps>;

function dbStack(extra: Extra = {}, allow = true) {
  return synthStack((s) => {
    const network = new Network(s, "network", { availabilityZones: ["us-east-1a", "us-east-1b"] });
    const db = new Database(s, "db", { network, ...extra });
    const servers = new FixtureTarget(s, "servers", { network });
    if (allow) db.allowFrom(servers);
    new TerraformOutput(s, "secret", { value: db.secretArn });
    new TerraformOutput(s, "host", { value: db.connection.host });
    return { db, servers, network };
  });
}
const all = (json: SynthJson, type: string): Array<[string, Attributes]> => Object.entries(json.resource?.[type] ?? {});
const outputs = (json: SynthJson) => (json as unknown as { output: Record<string, { value: string }> }).output;

test("defaults: PostgreSQL 17 on db.t4g.micro, 20 GiB gp3 encrypted, private, managed password, 7-day backups", () => {
  const { json } = dbStack();
  const db = onlyResource(json, "aws_db_instance").attrs;
  assert.equal(
    {
      engine: db.engine,
      version: db.engine_version,
      cls: db.instance_class,
      storage: db.allocated_storage,
      type: db.storage_type,
      encrypted: db.storage_encrypted,
      public: db.publicly_accessible,
      managed: db.manage_master_user_password,
      password: db.password,
      backups: db.backup_retention_period,
      multiAz: db.multi_az,
      minor: db.auto_minor_version_upgrade,
      copyTags: db.copy_tags_to_snapshot,
      iam: db.iam_database_authentication_enabled,
      port: db.port,
      name: db.db_name,
      user: db.username,
      id: db.identifier,
      idPrefix: db.identifier_prefix,
      nameTag: db.tags.Name,
    },
    {
      engine: "postgres",
      version: "17",
      cls: "db.t4g.micro",
      storage: 20,
      type: "gp3",
      encrypted: true,
      public: false,
      managed: true,
      password: undefined,
      backups: 7,
      multiAz: false,
      minor: true,
      copyTags: true,
      iam: false,
      port: 5432,
      name: "seed",
      user: "seedadmin",
      id: undefined,
      idPrefix: "seedstack-db-",
      nameTag: "seedstack-db",
    },
  );
});

test("protected by default: deletion protection, final snapshot with a unique stamped name", () => {
  const { json } = dbStack();
  const db = onlyResource(json, "aws_db_instance").attrs;
  assert.is(db.deletion_protection, true);
  assert.is(db.skip_final_snapshot, false);
  assert.ok(db.final_snapshot_identifier.includes("seedstack-db-final"), db.final_snapshot_identifier);
  assert.ok(db.final_snapshot_identifier.includes("timestamp()"), db.final_snapshot_identifier);
  assert.equal(db.lifecycle.ignore_changes, ["final_snapshot_identifier"]);
});

test("ephemeral: no deletion protection, no final snapshot; explicit props win", () => {
  const eph = onlyResource(dbStack({ ephemeral: true }).json, "aws_db_instance").attrs;
  assert.equal([eph.deletion_protection, eph.skip_final_snapshot, eph.final_snapshot_identifier], [false, true, undefined]);
  const mixed = onlyResource(dbStack({ ephemeral: true, deletionProtection: true }).json, "aws_db_instance").attrs;
  assert.equal([mixed.deletion_protection, mixed.skip_final_snapshot], [true, true]);
  const separate = onlyResource(dbStack({ skipFinalSnapshot: true }).json, "aws_db_instance").attrs;
  assert.equal([separate.deletion_protection, separate.skip_final_snapshot], [true, true]);
});

test("private subnets, its own group, TLS forced by the parameter group of the major version", () => {
  const { json } = dbStack();
  const db = onlyResource(json, "aws_db_instance").attrs;
  const subnets = onlyResource(json, "aws_db_subnet_group");
  const privateSubnets = all(json, "aws_subnet").filter(([n]) => n.includes("private")).map(([n]) => ref("aws_subnet", n));
  assert.equal(subnets.attrs.subnet_ids, privateSubnets);
  assert.is(db.db_subnet_group_name, ref("aws_db_subnet_group", subnets.name, "name"));
  const pg = onlyResource(json, "aws_db_parameter_group");
  assert.is(pg.attrs.family, "postgres17");
  assert.equal(pg.attrs.parameter, [{ name: "rds.force_ssl", value: "1", apply_method: "immediate" }]);
  assert.is(db.parameter_group_name, ref("aws_db_parameter_group", pg.name, "name"));
  const sg = all(json, "aws_security_group").find(([n]) => n.startsWith("db_"))!;
  assert.equal(db.vpc_security_group_ids, [ref("aws_security_group", sg[0])]);
  assert.is(sg[1].description, "Database seedstack-db: PostgreSQL from the web servers security group only");
});

test("a new engineMajorVersion is an upgrade RDS accepts: allow_major_version_upgrade, with the new family's parameter group", () => {
  for (const engineMajorVersion of [17, 18]) {
    const { json } = dbStack({ engineMajorVersion });
    const db = onlyResource(json, "aws_db_instance").attrs;
    assert.is(db.engine_version, String(engineMajorVersion));
    assert.is(db.allow_major_version_upgrade, true);
    assert.is(onlyResource(json, "aws_db_parameter_group").attrs.family, `postgres${engineMajorVersion}`);
  }
});

test("no ingress until allowFrom; then exactly one rule from the servers' group on 5432, and a secret grant", () => {
  const closed = dbStack({}, false).json;
  const dbSgName = all(closed, "aws_security_group").find(([n]) => n.startsWith("db_"))![0];
  assert.is(all(closed, "aws_vpc_security_group_ingress_rule").filter(([, r]) => r.security_group_id === ref("aws_security_group", dbSgName)).length, 0);

  const { json, result } = dbStack();
  const dbSg = ref("aws_security_group", all(json, "aws_security_group").find(([n]) => n.startsWith("db_"))![0]);
  const serversSg = ref("aws_security_group", all(json, "aws_security_group").find(([n]) => n.startsWith("servers_"))![0]);
  const rules = all(json, "aws_vpc_security_group_ingress_rule").filter(([, r]) => r.security_group_id === dbSg).map(([, r]) => r);
  assert.equal(
    rules.map((r) => [r.ip_protocol, r.from_port, r.to_port, r.referenced_security_group_id, r.cidr_ipv4]),
    [["tcp", 5432, 5432, serversSg, undefined]],
  );
  assert.is(rules[0]!.description, "PostgreSQL 5432 from the web servers in test/servers/sg only");
  assert.equal(result.servers.role.grants, [{ kind: "secret", args: [result.db.secretArn] }]);
  assert.equal(all(json, "aws_vpc_security_group_egress_rule").filter(([, r]) => r.security_group_id === dbSg), []);
});

test("allowFrom twice for the same servers adds no second rule", () => {
  const { json } = synthStack((s) => {
    const network = new Network(s, "network", { availabilityZones: ["us-east-1a", "us-east-1b"] });
    const db = new Database(s, "db", { network });
    const servers = new FixtureTarget(s, "servers", { network });
    db.allowFrom(servers);
    db.allowFrom(servers);
    const other = new FixtureTarget(s, "other", { network });
    db.allowFrom(other);
  });
  assert.is(all(json, "aws_vpc_security_group_ingress_rule").length, 2);
});

test("connection: host, port, database, user and the RDS-managed secret ARN", () => {
  const { json, result } = dbStack({ port: 6543, databaseName: "app", username: "appadmin" });
  const db = onlyResource(json, "aws_db_instance");
  assert.is(outputs(json).secret!.value, `\${aws_db_instance.${db.name}.master_user_secret[0].secret_arn}`);
  assert.is(outputs(json).host!.value, ref("aws_db_instance", db.name, "address"));
  assert.equal(
    [result.db.connection.port, result.db.connection.databaseName, result.db.connection.username],
    [6543, "app", "appadmin"],
  );
  assert.equal([db.attrs.port, db.attrs.db_name, db.attrs.username], [6543, "app", "appadmin"]);
  const rule = all(json, "aws_vpc_security_group_ingress_rule").find(([, r]) => r.referenced_security_group_id)![1];
  assert.equal([rule.from_port, rule.to_port], [6543, 6543]);
});

test("options: version, class, storage, multi-AZ, backups, IAM auth, namePrefix", () => {
  const { json } = dbStack({
    engineMajorVersion: 16,
    instanceClass: "db.m7g.large",
    allocatedStorage: 100,
    multiAz: true,
    backupRetentionDays: 14,
    iamAuthentication: true,
    namePrefix: "pr-9",
  });
  const db = onlyResource(json, "aws_db_instance").attrs;
  assert.equal(
    [db.engine_version, db.instance_class, db.allocated_storage, db.multi_az, db.backup_retention_period, db.iam_database_authentication_enabled, db.identifier_prefix],
    ["16", "db.m7g.large", 100, true, 14, true, "pr-9-db-"],
  );
  const pg = onlyResource(json, "aws_db_parameter_group").attrs;
  assert.equal([pg.family, pg.name, pg.name_prefix], ["postgres16", undefined, "pr-9-db-pg16-"]);
  assert.is(onlyResource(json, "aws_db_subnet_group").attrs.name_prefix, "pr-9-db-");
});

test("fewer than two availability zones: error lists them", () => {
  assert.throws(
    () => synthStack((s) => new Database(s, "db", { network: networkInZones(s, ["eu-west-1a", "eu-west-1a"]) })),
    (e: Error) => e.message.includes("Database needs private subnets in at least 2 availability zones") && e.message.includes("got 1: eu-west-1a"),
  );
});

test("validation errors name what was given and what is allowed", () => {
  const cases: Array<[Extra, (m: string) => boolean]> = [
    [{ engineMajorVersion: 12 }, (m) => m === "Database engineMajorVersion must be one of 14, 15, 16, 17, 18; got 12"],
    [{ instanceClass: "t4g.micro" }, (m) => m.includes('"t4g.micro"') && m.includes("db.t4g.micro")],
    [{ allocatedStorage: 10 }, (m) => m === "Database allocatedStorage must be a whole number from 20 to 65536; got 10"],
    [{ backupRetentionDays: 0 }, (m) => m.includes("backupRetentionDays") && m.includes("1 to 35") && m.includes("got 0")],
    [{ port: 80 }, (m) => m.includes("port") && m.includes("got 80")],
    [{ databaseName: "1db" }, (m) => m.includes("databaseName") && m.includes('"1db"')],
    [{ username: "my-user" }, (m) => m.includes("username") && m.includes('"my-user"')],
    [{ username: "rdsadmin" }, (m) => m.includes('"rdsadmin"') && m.includes("reserved")],
    [{ namePrefix: "DB" }, (m) => m.startsWith("Database: namePrefix") && m.includes('"DB"')],
  ];
  for (const [extra, check] of cases) {
    assert.throws(() => dbStack(extra), (e: Error) => check(e.message), JSON.stringify(extra));
  }
});

test("the exported version facts are the documented ones: default 17, offered 14 to 18", () => {
  assert.is(DEFAULT_POSTGRES_MAJOR_VERSION, 17);
  assert.equal([...POSTGRES_MAJOR_VERSIONS], [14, 15, 16, 17, 18]);
});

test.run();
