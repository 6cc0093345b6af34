/**
 * Where the load balancer's TLS certificate comes from: an existing ACM certificate, a new ACM
 * certificate validated through Route 53 DNS, or a self-signed certificate for environments with
 * no domain (imported into ACM, its PEM exposed so clients can pin it instead of turning off
 * verification).
 */
import { Construct } from "constructs";
import { TerraformIterator, Token } from "cdktf";
import type { Lb } from "@cdktf/provider-aws/lib/lb/index.js";
import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate/index.js";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation/index.js";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record/index.js";
import { DataAwsRoute53Zone } from "@cdktf/provider-aws/lib/data-aws-route53-zone/index.js";
import { PrivateKey } from "@cdktf/provider-tls/lib/private-key/index.js";
import { SelfSignedCert } from "@cdktf/provider-tls/lib/self-signed-cert/index.js";
import { ensureTlsProvider } from "./tls-provider.js";

/** Use a certificate that already exists in ACM (same region as the load balancer). */
export interface AcmArnCertificate {
  /** Discriminator. */
  readonly kind: "acm-arn";
  /** The certificate's ARN, `arn:aws:acm:<region>:<account>:certificate/<id>`. */
  readonly arn: string;
}

/**
 * Request a public ACM certificate for `domainName`, validate it with DNS records in a Route 53
 * hosted zone, and point the domain at the load balancer with an alias A record.
 * Give exactly one of `hostedZoneId` or `zoneName`.
 */
export interface AcmDnsCertificate {
  /** Discriminator. */
  readonly kind: "acm-dns";
  /** The name clients use, e.g. `pr-12.dev.example.com`. */
  readonly domainName: string;
  /** ID of the public hosted zone that holds `domainName`, e.g. `Z0123456789ABCDEFGHIJ`. */
  readonly hostedZoneId?: string;
  /** Name of that public hosted zone, e.g. `dev.example.com`; looked up by Terraform. */
  readonly zoneName?: string;
}

/**
 * Generate a key and a self-signed certificate (hashicorp/tls provider) and import them into ACM.
 * The certificate names the load balancer's DNS name, so a client that trusts this one
 * certificate (`curl --cacert`) gets full verification. The private key is kept in Terraform
 * state: protect the state as you would the key.
 */
export interface SelfSignedCertificate {
  /** Discriminator. */
  readonly kind: "self-signed";
  /**
   * Subject common name (informational: clients verify the DNS names).
   * @default "<namePrefix> load balancer (self-signed)"
   */
  readonly commonName?: string;
  /**
   * Validity in days; Terraform replaces the certificate on the first apply in its last 30 days.
   * @default 365 days
   */
  readonly validityDays?: number;
}

/** The certificate options of a LoadBalancer. */
export type CertificateSource = AcmArnCertificate | AcmDnsCertificate | SelfSignedCertificate;

/** Props for {@link LoadBalancerCertificate}. */
export interface LoadBalancerCertificateProps {
  /** Where the certificate comes from. */
  readonly source: CertificateSource;
  /** The load balancer it is for (its DNS name goes into self-signed certificates and alias records). */
  readonly alb: Lb;
  /** Prefix for Name tags. */
  readonly namePrefix: string;
}

const ACM_ARN_PATTERN = /^arn:aws(?:-[a-z]+)*:acm:[a-z]{2}(?:-[a-z]+)+-\d:\d{12}:certificate\/[A-Za-z0-9-]+$/;
const HOSTED_ZONE_ID_PATTERN = /^Z[A-Z0-9]{1,31}$/;
const DNS_NAME_PATTERN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;
const EARLY_RENEWAL_DAYS = 30;

/**
 * The HTTPS listener's certificate, made from a {@link CertificateSource}. Construct IDs inside
 * depend on the kind: switching kinds replaces the certificate.
 */
export class LoadBalancerCertificate extends Construct {
  /**
   * ARN to put on the listener. For `acm-dns` this comes from the validation resource, so the
   * listener is only created once the certificate is issued.
   */
  public readonly certificateArn: string;
  /** PEM of the self-signed certificate (a token); undefined for ACM certificates. */
  public readonly certificatePem?: string;
  /** The domain clients should use (`acm-dns` only). */
  public readonly domainName?: string;

  /**
   * @param scope the LoadBalancer
   * @param id construct id
   * @param props source, load balancer and name prefix
   */
  constructor(scope: Construct, id: string, props: LoadBalancerCertificateProps) {
    super(scope, id);
    const source = props.source;
    switch (source.kind) {
      case "acm-arn":
        this.certificateArn = validateAcmArn(source.arn);
        break;
      case "acm-dns": {
        const dns = this.dnsValidated(source, props);
        this.certificateArn = dns.certificateArn;
        this.domainName = source.domainName;
        break;
      }
      case "self-signed": {
        const selfSigned = this.selfSigned(source, props);
        this.certificateArn = selfSigned.certificateArn;
        this.certificatePem = selfSigned.certificatePem;
        break;
      }
      default: {
        const kind = (source as { kind?: unknown }).kind;
        throw new Error(
          `LoadBalancer certificate.kind must be "acm-arn", "acm-dns" or "self-signed"; got ${JSON.stringify(kind)}`,
        );
      }
    }
  }

  private dnsValidated(source: AcmDnsCertificate, props: LoadBalancerCertificateProps): { certificateArn: string } {
    const domainName = validateDomainName(source.domainName);
    const zoneId = this.hostedZoneId(source, domainName);
    const certificate = new AcmCertificate(this, "acm", {
      domainName,
      validationMethod: "DNS",
      keyAlgorithm: "EC_prime256v1",
      tags: { Name: `${props.namePrefix}-${domainName}` },
      // A replacement certificate must exist before the listener lets go of the old one.
      lifecycle: { createBeforeDestroy: true },
    });
    const options = TerraformIterator.fromComplexList(certificate.domainValidationOptions, "domain_name");
    const records = new Route53Record(this, "validation-record", {
      forEach: options,
      zoneId,
      name: options.getString("resource_record_name"),
      type: options.getString("resource_record_type"),
      records: [options.getString("resource_record_value")],
      ttl: 60,
      // ACM reuses the same record for a re-requested certificate; overwrite instead of failing.
      allowOverwrite: true,
    });
    const validation = new AcmCertificateValidation(this, "validation", {
      certificateArn: certificate.arn,
      validationRecordFqdns: Token.asList(TerraformIterator.fromResources(records).pluckProperty("fqdn")),
    });
    new Route53Record(this, "alias", {
      zoneId,
      name: domainName,
      type: "A",
      alias: { name: props.alb.dnsName, zoneId: props.alb.zoneId, evaluateTargetHealth: true },
    });
    return { certificateArn: validation.certificateArn };
  }

  private hostedZoneId(source: AcmDnsCertificate, domainName: string): string {
    const { hostedZoneId, zoneName } = source;
    if (hostedZoneId === undefined && zoneName === undefined) {
      throw new Error(
        `LoadBalancer certificate "acm-dns" for ${JSON.stringify(domainName)} needs the Route 53 hosted zone for its ` +
          `validation records: give hostedZoneId (e.g. "Z0123456789ABCDEFGHIJ") or zoneName (e.g. "example.com"); got neither`,
      );
    }
    if (hostedZoneId !== undefined && zoneName !== undefined) {
      throw new Error(
        `LoadBalancer certificate "acm-dns": give hostedZoneId or zoneName, not both; got hostedZoneId ${JSON.stringify(hostedZoneId)} and zoneName ${JSON.stringify(zoneName)}`,
      );
    }
    if (hostedZoneId !== undefined) {
      if (!Token.isUnresolved(hostedZoneId) && !HOSTED_ZONE_ID_PATTERN.test(hostedZoneId)) {
        throw new Error(
          `LoadBalancer certificate hostedZoneId must be a Route 53 zone ID like "Z0123456789ABCDEFGHIJ" (Z then uppercase letters and digits); got ${JSON.stringify(hostedZoneId)}`,
        );
      }
      return hostedZoneId;
    }
    const zone = validateDomainName(zoneName!.replace(/\.$/, ""), "zoneName");
    if (domainName !== zone && !domainName.endsWith(`.${zone}`)) {
      throw new Error(`LoadBalancer certificate domainName ${JSON.stringify(domainName)} is not inside zoneName ${JSON.stringify(zone)}`);
    }
    return new DataAwsRoute53Zone(this, "zone", { name: zone, privateZone: false }).zoneId;
  }

  private selfSigned(source: SelfSignedCertificate, props: LoadBalancerCertificateProps): { certificateArn: string; certificatePem: string } {
    const validityDays = source.validityDays ?? 365;
    if (!Number.isInteger(validityDays) || validityDays < 1 || validityDays > 3650) {
      throw new Error(`LoadBalancer certificate validityDays must be a whole number from 1 to 3650; got ${validityDays}`);
    }
    const commonName = source.commonName ?? `${props.namePrefix} load balancer (self-signed)`;
    if (commonName.length === 0 || commonName.length > 64) {
      throw new Error(`LoadBalancer certificate commonName must be 1-64 characters (the X.509 limit); got ${commonName.length}: ${JSON.stringify(commonName)}`);
    }
    const provider = ensureTlsProvider(this);
    const key = new PrivateKey(this, "key", { provider, algorithm: "ECDSA", ecdsaCurve: "P256" });
    const cert = new SelfSignedCert(this, "cert", {
      provider,
      privateKeyPem: key.privateKeyPem,
      subject: [{ commonName, organization: "seedstack" }],
      // The name clients connect to; verification against this certificate then needs no -k.
      dnsNames: [props.alb.dnsName],
      allowedUses: ["digital_signature", "key_encipherment", "server_auth"],
      validityPeriodHours: validityDays * 24,
      earlyRenewalHours: Math.min(EARLY_RENEWAL_DAYS, Math.floor(validityDays / 2)) * 24,
    });
    const imported = new AcmCertificate(this, "acm", {
      privateKey: key.privateKeyPem,
      certificateBody: cert.certPem,
      tags: { Name: `${props.namePrefix}-self-signed` },
      // A new certificate or key replaces the ACM certificate rather than re-importing into it: the
      // pull-request role may import only new certificates (stacks/ci-policy-database-tls.ts), as a
      // re-import is how a certificate someone else tagged for a pull request would get a new key.
      // Plain addresses: terraform refuses `${...}` there, which cdktf renders for resource objects.
      lifecycle: { createBeforeDestroy: true, replaceTriggeredBy: [cert, key].map((r) => `${r.terraformResourceType}.${r.friendlyUniqueId}`) },
    });
    return { certificateArn: imported.arn, certificatePem: cert.certPem };
  }
}

/** Check an ACM certificate ARN (tokens pass through). */
export function validateAcmArn(arn: string): string {
  if (!Token.isUnresolved(arn) && !ACM_ARN_PATTERN.test(arn)) {
    throw new Error(
      `LoadBalancer certificate arn must be an ACM certificate ARN like "arn:aws:acm:us-east-1:123456789012:certificate/<id>"; got ${JSON.stringify(arn)}`,
    );
  }
  return arn;
}

function validateDomainName(name: string, what = "domainName"): string {
  if (Token.isUnresolved(name)) return name;
  if (!DNS_NAME_PATTERN.test(name)) {
    throw new Error(
      `LoadBalancer certificate ${what} must be a lowercase DNS name with at least two labels, e.g. "app.example.com" (no wildcard, no trailing dot); got ${JSON.stringify(name)}`,
    );
  }
  return name;
}
