/**
 * The stack's `aws_lb` with its listeners and target group as a service: the certificate is
 * generated from the stack's TLS resources, then the local load balancer (alb/load-balancer.ts)
 * starts its listeners. Targets are registered later, by the web servers.
 */
import { startLoadBalancer } from "./alb/load-balancer.js";
import { generateCertificate, type GeneratedCertificate } from "./certificate.js";
import type { EmulatedService } from "./emulated-service.js";
import { addressInCidr } from "./loopback-network.js";

export const loadBalancerService: EmulatedService = {
  name: "load balancer",
  async start(w) {
    const { stack } = w;
    // Each HTTPS listener serves the certificate it names; one generated per certificate of the stack.
    const bySource = new Map<string, Promise<GeneratedCertificate>>();
    const tls = new Map<string, GeneratedCertificate>();
    for (const l of stack.loadBalancer.listeners) {
      if (!l.certificate) continue;
      const source = l.certificate.source;
      if (!bySource.has(source)) bySource.set(source, generateCertificate(l.certificate));
      tls.set(l.address, await bySource.get(source)!);
    }
    // The certificate clients pin: the one of the listener they use (the stack's `certificate`).
    const clientListener = stack.loadBalancer.listeners.find((l) => l.certificate !== undefined && l.certificate.source === stack.certificate?.source);
    const address = addressInCidr(stack.loadBalancer.subnetCidrs[0], 10);
    const alb = await startLoadBalancer({
      name: stack.loadBalancer.name,
      listeners: stack.loadBalancer.listeners,
      targetGroup: stack.targetGroup,
      securityGroups: stack.securityGroups,
      endpoint: { label: `load balancer ${stack.loadBalancer.name}`, groups: stack.loadBalancer.securityGroups, ...(address ? { address } : {}) },
      idleTimeoutSeconds: stack.loadBalancer.idleTimeoutSeconds,
      ...(tls.size > 0 ? { tls } : {}),
      ...(w.settings.clientAddress ? { clientAddress: w.settings.clientAddress } : {}),
      speedup: w.settings.speedup,
      onEvent: (e) => w.ctx.onEvent(e),
    });
    const certificatePem = clientListener ? tls.get(clientListener.address)?.cert : undefined;
    w.loadBalancer = { alb, ...(certificatePem ? { certificatePem } : {}) };
    return { [Symbol.asyncDispose]: () => alb.dispose() };
  },
};
