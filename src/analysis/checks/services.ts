/**
 * Kubernetes Services.
 *
 *   IST0118 PortNameIsNotUnderNamingConvention — a port whose name (or appProtocol) names no protocol Istio knows:
 *           Istio falls back to protocol sniffing for it.
 */
import { kubePortProtocol } from '../../engine/protocol';
import { specOf } from '../../engine/raw';
import type { Ctx } from '../context';

const SYSTEM_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease', 'local-path-storage']);

export function checkServices(ctx: Ctx): void {
  for (const svc of ctx.services) {
    const r = svc.res;
    if (!r || svc.kind !== 'Service' || SYSTEM_NAMESPACES.has(svc.namespace)) continue;
    const labels = r.metadata?.labels ?? {};
    // istioctl skips Istio's own Services (label `istio`, or `release: istio`) and gateway Services Istio manages.
    if (labels.istio !== undefined || labels.release === 'istio') continue;
    if (labels['gateway.istio.io/managed'] !== undefined) continue;
    if (specOf<{ type?: unknown }>(r).type === 'ExternalName') continue;
    for (const p of svc.ports) {
      if (kubePortProtocol(p.name, p.protocol, p.appProtocol) !== 'UNSUPPORTED') continue;
      ctx.report('IST0118', r, ['spec', 'ports', p.index, ...(p.name ? ['name'] : [])],
        `Port name ${p.name || '(none)'} (port: ${p.number}, targetPort: ${p.targetPort}) doesn't follow the naming convention of Istio port (<protocol>[-<suffix>], e.g. http-web, grpc, tcp-db, or set appProtocol); Istio detects the protocol of this port instead.`);
    }
  }
}
