/**
 * Where the smoke test connects for a terraform-engine environment. An `acm-arn` PR stack's `url`
 * is `https://pr-<n>.<domain>`, a name no one created a DNS record for, so it never resolves. We
 * do not create one (that needs a hosted zone and Route 53 rights the PR role would otherwise not
 * need): the smoke test connects to the load balancer's own DNS name (the `alb_dns_name` output)
 * and sends the URL's name as TLS server name and Host, so the ACM certificate is still verified
 * for that name. Connecting to the ALB's name is also right when the record exists (acm-dns): the
 * test then does not wait on DNS propagation.
 */

/** The `connectTo` of the smoke target (smoke-test.ts), or undefined when the URL's own host is the ALB's. */
export function smokeConnectTo(url: string, albDnsName: string | undefined): string | undefined {
  if (!albDnsName) return undefined;
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return undefined;
  }
  return host.toLowerCase() === albDnsName.toLowerCase() ? undefined : albDnsName;
}
