/**
 * The stack's `aws_lb` with its listeners and target group as a service: the certificate is
 * generated from the stack's TLS resources, then the local load balancer (alb/load-balancer.ts)
 * starts its listeners. Targets are registered later, by the web servers.
 */
import { startLoadBalancer } from "./alb/load-balancer.js";
import { generateCertificate } from "./certificate.js";
import type { EmulatedService } from "./emulated-service.js";
import { addressInCidr } from "./loopback-network.js";

export const loadBalancerService: EmulatedService = {
  name: "load balancer",
  async start(w) {
    const { stack } = w;
    const tls = stack.certificate ? await generateCertificate(stack.certificate) : undefined;
    const address = addressInCidr(stack.loadBalancer.subnetCidrs[0], 10);
    const alb = await startLoadBalancer({
      name: stack.loadBalancer.name,
      listeners: stack.loadBalancer.listeners,
      targetGroup: stack.targetGroup,
      securityGroups: stack.securityGroups,
      endpoint: { label: `load balancer ${stack.loadBalancer.name}`, groups: stack.loadBalancer.securityGroups, ...(address ? { address } : {}) },
      idleTimeoutSeconds: stack.loadBalancer.idleTimeoutSeconds,
      ...(tls ? { tls } : {}),
      ...(w.settings.clientAddress ? { clientAddress: w.settings.clientAddress } : {}),
      speedup: w.settings.speedup,
      onEvent: (e) => w.ctx.onEvent(e),
    });
    w.loadBalancer = { alb, ...(tls ? { certificatePem: tls.cert } : {}) };
    return { [Symbol.asyncDispose]: () => alb.dispose() };
  },
};
