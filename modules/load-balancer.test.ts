import { test } from "uvu";
import * as assert from "uvu/assert";
import { TerraformOutput, TerraformStack, Testing } from "cdktf";
import { TlsProvider } from "@cdktf/provider-tls/lib/provider/index.js";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import { Network } from "./network.js";
import { LoadBalancer, type LoadBalancerProps } from "./load-balancer.js";
import { FixtureTarget } from "../test/fixture-target.js";
import { onlyResource, ref, synthStack } from "../test/synth-stack.js";
import type { Attributes, SynthJson } from "../test/synth-json.js";
import { networkInZones } from "../test/fixture-network.js";
import { testApp } from "../test/temp-dirs.js";

type Extra = Partial<LoadBalancerProps>;

/** A stack with a two-AZ Network, one fixture target (port 8080, /status) and a LoadBalancer. */
function lbStack(extra: Extra = {}, opts: { withTarget?: boolean; before?: (s: TerraformStack) => void } = {}) {
  return synthStack((s) => {
    opts.before?.(s);
    const network = new Network(s, "network", { availabilityZones: ["us-east-1a", "us-east-1b"] });
    const target = new FixtureTarget(s, "servers", { network });
    const lb = new LoadBalancer(s, "lb", { network, ...(opts.withTarget === false ? {} : { targets: target }), ...extra });
    new TerraformOutput(s, "url", { value: lb.url });
    if (lb.certificatePem) new TerraformOutput(s, "pem", { value: lb.certificatePem });
    return { network, target, lb };
  });
}

const all = (json: SynthJson, type: string): Array<[string, Attributes]> => Object.entries(json.resource?.[type] ?? {});
const named = (json: SynthJson, type: string, part: string) => {
  const found = all(json, type).filter(([n]) => n.includes(part));
  assert.is(found.length, 1, `one ${type} named like ${part}; found ${found.map(([n]) => n).join(", ")}`);
  return { name: found[0]![0], attrs: found[0]![1] };
};
const outputs = (json: SynthJson) => (json as unknown as { output: Record<string, { value: string }> }).output;

test("ALB defaults: internet-facing application LB in both public subnets, invalid headers dropped", () => {
  const { json } = lbStack();
  const alb = onlyResource(json, "aws_lb").attrs;
  // A generated name (AWS's 6-character name_prefix); the readable one is the Name tag.
  assert.equal([alb.name, alb.name_prefix, alb.tags.Name], [undefined, "seeds-", "seedstack-alb"]);
  assert.is(alb.load_balancer_type, "application");
  assert.is(alb.internal, false);
  assert.is(alb.drop_invalid_header_fields, true);
  assert.is(alb.idle_timeout, 60);
  assert.is(alb.enable_deletion_protection, false);
  const publicSubnets = all(json, "aws_subnet").filter(([n]) => n.includes("public")).map(([n]) => ref("aws_subnet", n));
  assert.equal(alb.subnets, publicSubnets);
  assert.is(publicSubnets.length, 2);
  const sg = named(json, "aws_security_group", "lb_sg");
  assert.equal(alb.security_groups, [ref("aws_security_group", sg.name)]);
  assert.is(sg.attrs.description, "Load balancer seedstack-alb: clients on 443 and 80; to web servers on their port only");
});

test("ALB depends on the internet gateway, the public route and its associations (no 'VPC has no internet gateway' race)", () => {
  const { json } = lbStack();
  const alb = onlyResource(json, "aws_lb").attrs;
  const dependsOn: string[] = alb.depends_on ?? [];
  const igw = onlyResource(json, "aws_internet_gateway").name;
  const route = all(json, "aws_route").find(([, r]) => r.gateway_id === ref("aws_internet_gateway", igw));
  assert.ok(route, "a route to the internet gateway");
  assert.ok(dependsOn.includes(`aws_internet_gateway.${igw}`), `depends_on ${JSON.stringify(dependsOn)}`);
  assert.ok(dependsOn.includes(`aws_route.${route![0]}`), `depends_on ${JSON.stringify(dependsOn)}`);
  const publicAssociations = all(json, "aws_route_table_association")
    .filter(([n]) => n.includes("public"))
    .map(([n]) => `aws_route_table_association.${n}`);
  assert.is(publicAssociations.length, 2);
  for (const association of publicAssociations) assert.ok(dependsOn.includes(association), association);
});

test("listeners: HTTPS 443 with the TLS 1.3 policy, HTTP 80 answering 301 to HTTPS", () => {
  const { json } = lbStack();
  const alb = onlyResource(json, "aws_lb");
  const https = named(json, "aws_lb_listener", "https").attrs;
  assert.equal([https.port, https.protocol, https.ssl_policy], [443, "HTTPS", "ELBSecurityPolicy-TLS13-1-2-2021-06"]);
  assert.is(https.load_balancer_arn, ref("aws_lb", alb.name, "arn"));
  const redirect = named(json, "aws_lb_listener", "lb_http_").attrs;
  assert.equal([redirect.port, redirect.protocol], [80, "HTTP"]);
  assert.equal(redirect.default_action, [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", status_code: "HTTP_301" } }]);
  assert.is(all(json, "aws_lb_listener").length, 2);
  assert.is(outputs(json).url!.value, `https://${ref("aws_lb", alb.name, "dns_name")}`);
});

test("target group: target's port and health path, fast-failover check, 30 s deregistration, no stickiness", () => {
  const { json, result } = lbStack();
  const tg = onlyResource(json, "aws_lb_target_group");
  assert.equal([tg.attrs.port, tg.attrs.protocol, tg.attrs.target_type], [8080, "HTTP", "instance"]);
  assert.equal([tg.attrs.name, tg.attrs.name_prefix, tg.attrs.tags.Name], [undefined, "seeds-", "seedstack-targets"]);
  assert.equal(tg.attrs.lifecycle, { create_before_destroy: true });
  assert.is(tg.attrs.vpc_id, ref("aws_vpc", onlyResource(json, "aws_vpc").name));
  assert.is(tg.attrs.deregistration_delay, "30");
  assert.is(tg.attrs.stickiness, undefined);
  const hc = tg.attrs.health_check;
  assert.equal(
    { path: hc.path, matcher: hc.matcher, interval: hc.interval, timeout: hc.timeout, healthy: hc.healthy_threshold, unhealthy: hc.unhealthy_threshold, enabled: hc.enabled },
    { path: "/status", matcher: "200", interval: 5, timeout: 4, healthy: 2, unhealthy: 2, enabled: true },
  );
  // The documented detection time is what the synthesized numbers imply.
  assert.is(result.lb.failureDetectionSeconds, hc.unhealthy_threshold * hc.interval);
  assert.is(result.lb.failureDetectionSeconds, 10);
  const https = named(json, "aws_lb_listener", "https").attrs;
  assert.equal(https.default_action, [{ type: "forward", target_group_arn: ref("aws_lb_target_group", tg.name, "arn") }]);
  assert.equal(result.target.attachedTo, [result.lb.targetGroup]);
});

test("security groups: clients to 443/80; ALB to the targets' group on the app port and nothing else", () => {
  const { json } = lbStack();
  const lbSg = ref("aws_security_group", named(json, "aws_security_group", "lb_sg").name);
  const targetSg = ref("aws_security_group", named(json, "aws_security_group", "servers_sg").name);
  const ingress = all(json, "aws_vpc_security_group_ingress_rule").map(([, a]) => a);
  const egress = all(json, "aws_vpc_security_group_egress_rule").map(([, a]) => a);
  const toLb = ingress.filter((r) => r.security_group_id === lbSg);
  assert.equal(toLb.map((r) => [r.from_port, r.to_port, r.cidr_ipv4]).sort(), [[443, 443, "0.0.0.0/0"], [80, 80, "0.0.0.0/0"]]);
  const toTargets = ingress.filter((r) => r.security_group_id === targetSg);
  assert.equal(
    toTargets.map((r) => [r.from_port, r.to_port, r.ip_protocol, r.referenced_security_group_id, r.cidr_ipv4]),
    [[8080, 8080, "tcp", lbSg, undefined]],
  );
  assert.equal(
    egress.map((r) => [r.security_group_id, r.from_port, r.to_port, r.ip_protocol, r.referenced_security_group_id]),
    [[lbSg, 8080, 8080, "tcp", targetSg]],
  );
  assert.equal(toLb.map((r) => r.description).sort(), ["HTTP from clients (redirected to HTTPS) 0.0.0.0/0", "HTTPS from clients 0.0.0.0/0"]);
  assert.equal(toTargets.map((r) => r.description), ["App port 8080 from load balancer seedstack-alb only"]);
  assert.equal(egress.map((r) => r.description), ["To web servers on app port 8080"]);
  assert.is(named(json, "aws_security_group", "lb_sg").attrs.ingress, undefined, "no inline rules mixed with rule resources");
});

test("default certificate: self-signed, ECDSA key, names the ALB's DNS name, imported into ACM, PEM exposed", () => {
  const { json } = lbStack();
  const alb = onlyResource(json, "aws_lb");
  const key = onlyResource(json, "tls_private_key");
  assert.equal([key.attrs.algorithm, key.attrs.ecdsa_curve], ["ECDSA", "P256"]);
  const cert = onlyResource(json, "tls_self_signed_cert");
  assert.equal(cert.attrs.dns_names, [ref("aws_lb", alb.name, "dns_name")]);
  assert.is(cert.attrs.private_key_pem, ref("tls_private_key", key.name, "private_key_pem"));
  assert.equal(cert.attrs.allowed_uses, ["digital_signature", "key_encipherment", "server_auth"]);
  assert.is(cert.attrs.validity_period_hours, 365 * 24);
  assert.is(cert.attrs.subject[0].common_name, "seedstack load balancer (self-signed)");
  const acm = onlyResource(json, "aws_acm_certificate");
  assert.is(acm.attrs.certificate_body, ref("tls_self_signed_cert", cert.name, "cert_pem"));
  assert.is(acm.attrs.private_key, ref("tls_private_key", key.name, "private_key_pem"));
  // Renewed or re-keyed: a new ACM certificate (the listener moves to it), never a re-import.
  assert.equal(acm.attrs.lifecycle, { create_before_destroy: true, replace_triggered_by: [`tls_self_signed_cert.${cert.name}`, `tls_private_key.${key.name}`] });
  assert.is(named(json, "aws_lb_listener", "https").attrs.certificate_arn, ref("aws_acm_certificate", acm.name, "arn"));
  assert.is(outputs(json).pem!.value, ref("tls_self_signed_cert", cert.name, "cert_pem"));
  const tls = (json as unknown as { provider: Record<string, unknown[]> }).provider.tls;
  assert.is(tls?.length, 1, "the TLS provider is declared once");
});

test("self-signed options: commonName and validityDays", () => {
  const { json } = lbStack({ certificate: { kind: "self-signed", commonName: "demo.local", validityDays: 10 } });
  const cert = onlyResource(json, "tls_self_signed_cert").attrs;
  assert.is(cert.subject[0].common_name, "demo.local");
  assert.is(cert.validity_period_hours, 240);
  assert.is(cert.early_renewal_hours, 5 * 24);
});

test("TLS provider: an existing one is reused; two load balancers share one", () => {
  const reuse = lbStack({}, { before: (s) => new TlsProvider(s, "my-tls") });
  const providers = (reuse.json as unknown as { provider: Record<string, unknown[]> }).provider.tls;
  assert.is(providers?.length, 1);
  const two = synthStack((s) => {
    const network = new Network(s, "network", { availabilityZones: ["us-east-1a", "us-east-1b"] });
    new LoadBalancer(s, "a", { network, namePrefix: "a" });
    new LoadBalancer(s, "b", { network, namePrefix: "b" });
  });
  assert.is((two.json as unknown as { provider: Record<string, unknown[]> }).provider.tls?.length, 1);
  assert.is(all(two.json, "tls_self_signed_cert").length, 2);
});

test("TLS provider declared after the LoadBalancer: synth validation says to declare it first", () => {
  const app = testApp();
  const stack = new TerraformStack(app, "late");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  const network = new Network(stack, "network", { availabilityZones: ["us-east-1a", "us-east-1b"] });
  new LoadBalancer(stack, "lb", { network });
  new TlsProvider(stack, "late-tls");
  assert.throws(() => Testing.synth(stack, true), (e: Error) => e.message.includes("2 default TLS providers") && e.message.includes("before the first LoadBalancer"));
  // An aliased provider is not a second default and passes.
  const ok = new TerraformStack(app, "aliased");
  new AwsProvider(ok, "aws", { region: "us-east-1" });
  new LoadBalancer(ok, "lb", { network: new Network(ok, "network", { availabilityZones: ["us-east-1a", "us-east-1b"] }) });
  new TlsProvider(ok, "other-tls", { alias: "other" });
  assert.ok(Testing.synth(ok, true).includes("tls_self_signed_cert"));
});

test("certificate acm-arn: the listener uses it and nothing is generated", () => {
  const arn = "arn:aws:acm:us-east-1:123456789012:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0";
  const { json, result } = lbStack({ certificate: { kind: "acm-arn", arn } });
  assert.is(named(json, "aws_lb_listener", "https").attrs.certificate_arn, arn);
  assert.is(all(json, "aws_acm_certificate").length, 0);
  assert.is(all(json, "tls_private_key").length, 0);
  assert.is((json as unknown as { provider: Record<string, unknown> }).provider.tls, undefined);
  assert.is(result.lb.certificatePem, undefined);
});

test("certificate acm-dns with zoneName: DNS-validated ACM cert, validation records, alias to the ALB", () => {
  const { json } = lbStack({ certificate: { kind: "acm-dns", domainName: "pr-12.dev.example.com", zoneName: "dev.example.com" } });
  const alb = onlyResource(json, "aws_lb");
  const zone = Object.entries(json.data?.aws_route53_zone ?? {});
  assert.is(zone.length, 1);
  assert.equal(zone[0]![1], { name: "dev.example.com", private_zone: false });
  const zoneId = `\${data.aws_route53_zone.${zone[0]![0]}.zone_id}`;
  const acm = onlyResource(json, "aws_acm_certificate");
  assert.equal([acm.attrs.domain_name, acm.attrs.validation_method], ["pr-12.dev.example.com", "DNS"]);
  const records = named(json, "aws_route53_record", "validation-record");
  assert.ok(records.attrs.for_each.includes(`aws_acm_certificate.${acm.name}.domain_validation_options`), records.attrs.for_each);
  assert.equal(
    [records.attrs.name, records.attrs.type, records.attrs.records, records.attrs.zone_id],
    ["${each.value.resource_record_name}", "${each.value.resource_record_type}", ["${each.value.resource_record_value}"], zoneId],
  );
  const validation = onlyResource(json, "aws_acm_certificate_validation");
  assert.is(validation.attrs.certificate_arn, ref("aws_acm_certificate", acm.name, "arn"));
  assert.ok(validation.attrs.validation_record_fqdns.includes(`aws_route53_record.${records.name}`));
  assert.is(named(json, "aws_lb_listener", "https").attrs.certificate_arn, ref("aws_acm_certificate_validation", validation.name, "certificate_arn"));
  const alias = named(json, "aws_route53_record", "alias").attrs;
  assert.equal(alias, {
    zone_id: zoneId,
    name: "pr-12.dev.example.com",
    type: "A",
    alias: { name: ref("aws_lb", alb.name, "dns_name"), zone_id: ref("aws_lb", alb.name, "zone_id"), evaluate_target_health: true },
  });
  assert.is(outputs(json).url!.value, "https://pr-12.dev.example.com");
});

test("certificate acm-dns with hostedZoneId: no zone lookup", () => {
  const { json } = lbStack({ certificate: { kind: "acm-dns", domainName: "app.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ" } });
  assert.is(json.data?.aws_route53_zone, undefined);
  for (const [, record] of all(json, "aws_route53_record")) assert.is(record.zone_id, "Z0123456789ABCDEFGHIJ");
});

test('protocol "http": one plain HTTP listener on 80 forwarding to the targets, no certificate, no 443', () => {
  const { json, result } = lbStack({ protocol: "http" });
  const listeners = all(json, "aws_lb_listener");
  assert.is(listeners.length, 1);
  const [, http] = listeners[0]!;
  assert.equal([http.port, http.protocol, http.ssl_policy, http.certificate_arn], [80, "HTTP", undefined, undefined]);
  assert.is(http.default_action[0].type, "forward");
  assert.is(all(json, "aws_acm_certificate").length, 0);
  const lbSg = ref("aws_security_group", named(json, "aws_security_group", "lb_sg").name);
  const ports = all(json, "aws_vpc_security_group_ingress_rule").filter(([, r]) => r.security_group_id === lbSg).map(([, r]) => r.from_port);
  assert.equal(ports, [80]);
  assert.is(outputs(json).url!.value, `http://${ref("aws_lb", onlyResource(json, "aws_lb").name, "dns_name")}`);
  assert.is(result.lb.redirectListener, undefined);
});

test("options: sslPolicy, allowedCidrs (IPv4 and IPv6), deregistrationDelay, stickiness, healthCheck, idleTimeout, names", () => {
  const { json, result } = lbStack({
    sslPolicy: "ELBSecurityPolicy-TLS13-1-3-2021-06",
    allowedCidrs: ["203.0.113.0/24", "2001:db8::/32"],
    deregistrationDelay: 5,
    stickiness: { duration: 3600 },
    healthCheck: { intervalSeconds: 10, timeoutSeconds: 5, healthyThreshold: 3, unhealthyThreshold: 4 },
    idleTimeout: 120,
    namePrefix: "pr-7",
    name: "custom-alb",
    deletionProtection: true,
  });
  assert.is(named(json, "aws_lb_listener", "https").attrs.ssl_policy, "ELBSecurityPolicy-TLS13-1-3-2021-06");
  const lbSg = ref("aws_security_group", named(json, "aws_security_group", "lb_sg").name);
  const sources = all(json, "aws_vpc_security_group_ingress_rule")
    .filter(([, r]) => r.security_group_id === lbSg)
    .map(([, r]) => `${r.from_port} ${r.cidr_ipv4 ?? r.cidr_ipv6}`)
    .sort();
  assert.equal(sources, ["443 2001:db8::/32", "443 203.0.113.0/24", "80 2001:db8::/32", "80 203.0.113.0/24"]);
  const tg = onlyResource(json, "aws_lb_target_group").attrs;
  assert.is(tg.deregistration_delay, "5");
  assert.equal(tg.stickiness, { enabled: true, type: "lb_cookie", cookie_duration: 3600 });
  assert.equal(
    [tg.health_check.interval, tg.health_check.timeout, tg.health_check.healthy_threshold, tg.health_check.unhealthy_threshold],
    [10, 5, 3, 4],
  );
  assert.is(result.lb.failureDetectionSeconds, 40);
  assert.equal([tg.name, tg.name_prefix], [undefined, "pr-7-"]);
  const alb = onlyResource(json, "aws_lb").attrs;
  assert.equal([alb.name, alb.name_prefix, alb.idle_timeout, alb.enable_deletion_protection], ["custom-alb", undefined, 120, true]);
  assert.equal([named(json, "aws_security_group", "lb_sg").attrs.name, named(json, "aws_security_group", "lb_sg").attrs.name_prefix], [undefined, "pr-7-alb-"]);
});

test("name prefixes fit AWS's 6 characters for every namePrefix, and keep its start", () => {
  for (const [prefix, expected] of [["pr-123456789-abcdefg", "pr-12-"], ["a", "a-"], ["ab-c", "ab-c-"], ["abcd-e", "abcd-"], ["seedstack-classic", "seeds-"]]) {
    const { json } = lbStack({ namePrefix: prefix });
    assert.is(onlyResource(json, "aws_lb").attrs.name_prefix, expected, prefix);
    assert.is(onlyResource(json, "aws_lb_target_group").attrs.name_prefix, expected, prefix);
    assert.is(onlyResource(json, "aws_lb").attrs.tags.Name, `${prefix}-alb`);
  }
});

test("no targets yet: 503 from the listener; addTargets later switches to forward", () => {
  const { json, result } = synthStack((s) => {
    const network = new Network(s, "network", { availabilityZones: ["us-east-1a", "us-east-1b"] });
    const lb = new LoadBalancer(s, "lb", { network });
    const thrown = (() => {
      try {
        void lb.targetGroup;
        return "";
      } catch (e) {
        return (e as Error).message;
      }
    })();
    return { lb, network, thrown };
  });
  assert.ok(result.thrown.includes("no target group yet"), result.thrown);
  const https = named(json, "aws_lb_listener", "https").attrs;
  assert.is(https.default_action[0].type, "fixed-response");
  assert.is(https.default_action[0].fixed_response.status_code, "503");
  assert.is(all(json, "aws_lb_target_group").length, 0);

  const later = synthStack((s) => {
    const network = new Network(s, "network", { availabilityZones: ["us-east-1a", "us-east-1b"] });
    const lb = new LoadBalancer(s, "lb", { network });
    lb.addTargets(new FixtureTarget(s, "servers", { network }));
  });
  assert.is(named(later.json, "aws_lb_listener", "https").attrs.default_action[0].type, "forward");
});

test("several targets share the target group; rules once per target security group", () => {
  const { json, result } = synthStack((s) => {
    const network = new Network(s, "network", { availabilityZones: ["us-east-1a", "us-east-1b"] });
    const a = new FixtureTarget(s, "a", { network });
    const b = new FixtureTarget(s, "b", { network });
    const sameGroupAsA = Object.assign(Object.create(Object.getPrototypeOf(a)), a, { attachedTo: [] }) as FixtureTarget;
    const lb = new LoadBalancer(s, "lb", { network, targets: [a, b] });
    lb.addTargets(sameGroupAsA);
    return { a, b, sameGroupAsA, lb };
  });
  assert.is(all(json, "aws_lb_target_group").length, 1);
  for (const t of [result.a, result.b, result.sameGroupAsA]) assert.equal(t.attachedTo, [result.lb.targetGroup]);
  assert.is(result.lb.targets.length, 3);
  assert.is(all(json, "aws_vpc_security_group_egress_rule").length, 2, "one egress per distinct target group");
  const fromLb = all(json, "aws_vpc_security_group_ingress_rule").filter(([, r]) => r.referenced_security_group_id);
  assert.is(fromLb.length, 2);
});

test("targets that disagree on port or health path are refused with both values", () => {
  assert.throws(
    () =>
      synthStack((s) => {
        const network = new Network(s, "network", { availabilityZones: ["us-east-1a", "us-east-1b"] });
        new LoadBalancer(s, "lb", { network, targets: [new FixtureTarget(s, "a", { network }), new FixtureTarget(s, "b", { network, port: 9090, healthCheckPath: "/health" })] });
      }),
    (e: Error) => e.message.includes("port 8080") && e.message.includes("port 9090") && e.message.includes('"/health"'),
  );
  assert.throws(
    () =>
      synthStack((s) => {
        const network = new Network(s, "network", { availabilityZones: ["us-east-1a", "us-east-1b"] });
        const a = new FixtureTarget(s, "a", { network });
        new LoadBalancer(s, "lb", { network, targets: [a, a] });
      }),
    /already registered/,
  );
  assert.throws(
    () =>
      synthStack((s) => {
        const network = new Network(s, "network", { availabilityZones: ["us-east-1a", "us-east-1b"] });
        new LoadBalancer(s, "lb", { network, targets: new FixtureTarget(s, "a", { network, healthCheckPath: "status" }) });
      }),
    (e: Error) => e.message.includes('must start with "/"') && e.message.includes('"status"'),
  );
});

test("fewer than two availability zones: error lists the zones", () => {
  assert.throws(
    () => synthStack((s) => new LoadBalancer(s, "lb", { network: networkInZones(s, ["us-west-2a"]) })),
    (e: Error) => e.message.includes("LoadBalancer needs subnets in at least 2 availability zones; got 1") && e.message.includes("us-west-2a"),
  );
  assert.throws(
    () => synthStack((s) => new LoadBalancer(s, "lb", { network: networkInZones(s, ["us-west-2a", "us-west-2a"]) })),
    (e: Error) => e.message === "LoadBalancer needs subnets in at least 2 availability zones; got 1: us-west-2a",
  );
});

test("validation errors name what was given and what is allowed", () => {
  const cases: Array<[Extra, (m: string) => boolean]> = [
    [{ name: "a-very-long-load-balancer-name-x35x" }, (m) => m === 'ALB name "a-very-long-load-balancer-name-x35x" is 35 characters; AWS allows 32'],
    [{ name: "bad_name" }, (m) => m.includes('"bad_name"') && m.includes("letters, digits and hyphens")],
    [{ name: "internal-x" }, (m) => m.includes('"internal-x"')],
    [{ certificate: { kind: "acm-dns", domainName: "app.example.com" } }, (m) => m.includes('"app.example.com"') && m.includes("hostedZoneId") && m.includes("zoneName")],
    [{ certificate: { kind: "acm-dns", domainName: "app.example.com", zoneName: "example.com", hostedZoneId: "Z123" } }, (m) => m.includes("not both")],
    [{ certificate: { kind: "acm-dns", domainName: "app.example.com", hostedZoneId: "zone-1" } }, (m) => m.includes('"zone-1"') && m.includes("Z0123456789ABCDEFGHIJ")],
    [{ certificate: { kind: "acm-dns", domainName: "app.example.com", zoneName: "other.org" } }, (m) => m.includes('"app.example.com"') && m.includes('"other.org"')],
    [{ certificate: { kind: "acm-dns", domainName: "*.example.com", zoneName: "example.com" } }, (m) => m.includes('"*.example.com"') && m.includes("no wildcard")],
    [{ certificate: { kind: "acm-arn", arn: "arn:aws:iam::123456789012:server-certificate/x" } }, (m) => m.includes("arn:aws:iam::123456789012:server-certificate/x") && m.includes("arn:aws:acm:")],
    [{ certificate: { kind: "pem" } as never }, (m) => m.includes('"pem"') && m.includes('"self-signed"')],
    [{ certificate: { kind: "self-signed", validityDays: 0 } }, (m) => m.includes("validityDays") && m.includes("got 0")],
    [{ certificate: { kind: "self-signed", commonName: "x".repeat(65) } }, (m) => m.includes("commonName") && m.includes("got 65")],
    [{ stickiness: { duration: 0 } }, (m) => m === "LoadBalancer stickiness.duration must be a whole number from 1 to 604800; got 0"],
    [{ stickiness: { duration: 604801 } }, (m) => m.includes("604800") && m.includes("got 604801")],
    [{ deregistrationDelay: 3601 }, (m) => m === "LoadBalancer deregistrationDelay must be a whole number from 0 to 3600; got 3601"],
    [{ deregistrationDelay: -1 }, (m) => m.includes("got -1")],
    [{ sslPolicy: "ELBSecurityPolicy-2016-08" }, (m) => m.includes('"ELBSecurityPolicy-2016-08"') && m.includes("ELBSecurityPolicy-TLS13-1-2-2021-06")],
    [{ sslPolicy: "ELBSecurityPolicy-TLS13-1-0-2021-06" }, (m) => m.includes('"ELBSecurityPolicy-TLS13-1-0-2021-06"')],
    [{ healthCheck: { intervalSeconds: 5, timeoutSeconds: 5 } }, (m) => m.includes("timeout 5 with interval 5")],
    [{ healthCheck: { intervalSeconds: 4 } }, (m) => m.includes("intervalSeconds") && m.includes("5 to 300") && m.includes("got 4")],
    [{ healthCheck: { unhealthyThreshold: 11 } }, (m) => m.includes("unhealthyThreshold") && m.includes("got 11")],
    [{ idleTimeout: 0 }, (m) => m.includes("idleTimeout") && m.includes("got 0")],
    [{ allowedCidrs: [] }, (m) => m.includes("at least one CIDR")],
    [{ allowedCidrs: ["0.0.0.0"] }, (m) => m.includes('"0.0.0.0"')],
    [{ allowedCidrs: ["1.2.3.4/32", "1.2.3.4/32"] }, (m) => m.includes('"1.2.3.4/32" more than once')],
    [{ allowedCidrs: ["fe80::zz/64"] }, (m) => m.includes('"fe80::zz/64"')],
    [{ protocol: "http", certificate: { kind: "self-signed" } }, (m) => m.includes('protocol "http"') && m.includes("certificate")],
    [{ protocol: "http", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" }, (m) => m.includes("sslPolicy")],
    [{ protocol: "ftp" as never }, (m) => m.includes('"ftp"') && m.includes('"https" or "http"')],
    [{ namePrefix: "Bad" }, (m) => m.startsWith("LoadBalancer: namePrefix") && m.includes('"Bad"')],
  ];
  for (const [extra, check] of cases) {
    assert.throws(() => lbStack(extra), (e: Error) => check(e.message), `${JSON.stringify(extra)}`);
  }
});

test("switching protocol keeps the security group and the port-80 listener (updated in place, not replaced)", () => {
  const https = lbStack({}).json;
  const http = lbStack({ protocol: "http" }).json;
  assert.is(named(https, "aws_security_group", "lb_sg").attrs.description, named(http, "aws_security_group", "lb_sg").attrs.description);
  const port80 = (json: SynthJson) => Object.entries(json.resource?.aws_lb_listener ?? {}).filter(([, l]) => l.port === 80).map(([name]) => name);
  assert.equal(port80(https), port80(http));
  assert.is(port80(http).length, 1);
});

test("namePrefix internal: the generated load balancer name cannot start with internal-; an explicit one is refused", () => {
  // The generated name starts with at most 6 characters of the prefix, so "internal-" cannot
  // occur; the prefix is still checked by the same rule (validateGeneratedName, naming.test.ts).
  const { json } = synthStack((s) => new LoadBalancer(s, "lb", { network: networkInZones(s, ["us-east-1a", "us-east-1b"]), namePrefix: "internal" }));
  assert.is(onlyResource(json, "aws_lb").attrs.name_prefix, "inter-");
  assert.throws(
    () => synthStack((s) => new LoadBalancer(s, "lb", { network: networkInZones(s, ["us-east-1a", "us-east-1b"]), name: "internal-web" })),
    /ALB name "internal-web" is not allowed/,
  );
});

test.run();
