/**
 * The compute constructs wired to the real edge and data constructs (ArtifactBucket, LoadBalancer,
 * Database), checking the seams: the port the target group sends to and checks is the PORT the
 * user data starts the server with, and the security-group rules form exactly the intended paths.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Network } from "./network.js";
import { ArtifactBucket } from "./artifact-bucket.js";
import { LoadBalancer } from "./load-balancer.js";
import { Database } from "./database.js";
import { WebServerPair } from "./web-server-pair.js";
import { AutoScaledWebServers } from "./auto-scaled-web-servers.js";
import { refTo, resourceNamed, resourcesOf, synthStack } from "../test/compute-fixtures.js";

/** PORT as set in a rendered user-data script. */
const portIn = (script: string) => Number(/^PORT='(\d+)'$/m.exec(script)?.[1]);

test("pair + load balancer + database: target group port and health check = the servers' PORT and path", () => {
  for (const port of [8080, 9000]) {
    const { json, result } = synthStack((stack) => {
      const network = new Network(stack, "network");
      const artifact = new ArtifactBucket(stack, "artifacts");
      const database = new Database(stack, "db", { network, ephemeral: true });
      const pair = new WebServerPair(stack, "web", { network, artifact, database, port });
      new LoadBalancer(stack, "lb", { network, targets: pair });
      return { pair };
    });
    const tg = resourcesOf(json, "aws_lb_target_group")[0]![1];
    assert.is(tg.port, port);
    assert.is(tg.health_check.path, result.pair.healthCheckPath);
    const attachments = resourcesOf(json, "aws_lb_target_group_attachment").map(([, a]) => a);
    assert.is(attachments.length, 2);
    attachments.forEach((a) => assert.is(a.port, port));
    for (const [, instance] of resourcesOf(json, "aws_instance")) {
      assert.is(portIn(instance.user_data), port);
      assert.match(instance.user_data, /^SEED_STORE=postgres$/m);
      assert.match(instance.user_data, /^DB_SECRET_ARN='\$\{aws_db_instance\.[^']*secret_arn\}'$/m);
      assert.match(instance.user_data, /^PGHOST='\$\{aws_db_instance\.[^']*\}'$/m);
    }
  }
});

test("pair + load balancer + database: security groups allow exactly ALB -> servers:port and servers -> database:5432", () => {
  const { json } = synthStack((stack) => {
    const network = new Network(stack, "network");
    const artifact = new ArtifactBucket(stack, "artifacts");
    const database = new Database(stack, "db", { network, ephemeral: true });
    const pair = new WebServerPair(stack, "web", { network, artifact, database });
    new LoadBalancer(stack, "lb", { network, targets: pair });
  });
  const webSg = refTo(json, "aws_security_group", "web_sg");
  const dbSg = resourcesOf(json, "aws_security_group").find(([n]) => n.startsWith("db_"))!;
  const dbSgRef = `\${aws_security_group.${dbSg[0]}.id}`;
  const ingressToWeb = resourcesOf(json, "aws_vpc_security_group_ingress_rule").map(([, r]) => r).filter((r) => r.security_group_id === webSg);
  assert.is(ingressToWeb.length, 1, "only the load balancer reaches the servers");
  assert.is(ingressToWeb[0]!.from_port, 8080);
  const webEgress = resourcesOf(json, "aws_vpc_security_group_egress_rule").map(([, r]) => r).filter((r) => r.security_group_id === webSg);
  const toDb = webEgress.filter((r) => r.from_port === 5432);
  assert.is(toDb.length, 1, "egress to the database's group, not to subnets");
  assert.is(toDb[0]!.referenced_security_group_id, dbSgRef);
  const dbIngress = resourcesOf(json, "aws_vpc_security_group_ingress_rule").map(([, r]) => r).filter((r) => r.security_group_id === dbSgRef);
  assert.equal(dbIngress.map((r) => [r.from_port, r.referenced_security_group_id]), [[5432, webSg]]);
  const secretReads = resourcesOf(json, "aws_iam_role_policy").map(([, p]) => JSON.parse(p.policy).Statement[0]).filter((s) => s.Sid === "ReadOneSecret");
  assert.is(secretReads.length, 1, "the secret grant from allowFrom is not duplicated");
});

test("auto-scaled servers + load balancer: the group attaches to the target group on the servers' port", () => {
  const { json, result } = synthStack((stack) => {
    const network = new Network(stack, "network");
    const artifact = new ArtifactBucket(stack, "artifacts");
    const servers = new AutoScaledWebServers(stack, "web", { network, artifact, port: 8081 });
    new LoadBalancer(stack, "lb", { network, targets: servers, stickiness: { duration: 3600 } });
    return servers;
  });
  const tg = resourcesOf(json, "aws_lb_target_group")[0]!;
  assert.is(tg[1].port, 8081);
  assert.is(portIn(result.userData), 8081);
  const attachment = resourcesOf(json, "aws_autoscaling_attachment")[0]![1];
  assert.is(attachment.lb_target_group_arn, `\${aws_lb_target_group.${tg[0]}.arn}`);
  assert.is(attachment.autoscaling_group_name, refTo(json, "aws_autoscaling_group", "web_asg", "name"));
  const objectName = resourcesOf(json, "aws_s3_object")[0]![0];
  assert.ok(resourceNamed(json, "aws_autoscaling_group", "web_asg").depends_on.includes(`aws_s3_object.${objectName}`));
});

test.run();
