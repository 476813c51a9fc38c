/**
 * Mutual TLS: PeerAuthentication on the server side (workload port > workload > namespace > mesh),
 * the client's upstream TLS (DestinationRule `tls`, else auto mTLS), and whether the two agree.
 */
import type { FieldPath, Resource, ResourceKey } from '../model/resource';
import type { PolicyValue } from './destinationrule';
import { asRecord, compareByCreation, labelsMatch, specOf, type RawPeerAuthentication, type RawTlsSettings } from './raw';
import type { Endpoint, Service, Workload } from './registry';
import type { MeshSettings } from './types';

export type PaMode = 'STRICT' | 'PERMISSIVE' | 'DISABLE';

export interface PaDecision {
  mode: PaMode;
  level: 'workload port' | 'workload' | 'namespace' | 'mesh' | 'default';
  resource: ResourceKey | null;
  path: FieldPath;
}

export interface PaIndex {
  list: Resource[];
  rootNamespace: string;
}

export function buildPaIndex(resources: readonly Resource[], rootNamespace: string): PaIndex {
  return { list: [...resources].sort(compareByCreation), rootNamespace };
}

const modeOf = (m: string | undefined): PaMode | null => (m === 'STRICT' || m === 'PERMISSIVE' || m === 'DISABLE' ? m : null);

function levelPolicies(idx: PaIndex, ns: string, labels: Record<string, string> | null) {
  const nsLevel = idx.list.find((r) => r.namespace === ns && !specOf<RawPeerAuthentication>(r).selector?.matchLabels);
  const mesh = idx.list.find((r) => r.namespace === idx.rootNamespace && !specOf<RawPeerAuthentication>(r).selector?.matchLabels);
  const workload = labels && ns !== idx.rootNamespace
    ? idx.list.find((r) => r.namespace === ns && specOf<RawPeerAuthentication>(r).selector?.matchLabels && labelsMatch(asRecord(specOf<RawPeerAuthentication>(r).selector!.matchLabels), labels))
    : undefined;
  return { workload, nsLevel, mesh };
}

/** The server-side mode for a workload's (container) port. Selector policies in the root namespace are ignored. */
export function effectivePeerAuth(idx: PaIndex, w: Workload, port: number): PaDecision {
  const { workload, nsLevel, mesh } = levelPolicies(idx, w.namespace, w.labels);
  if (workload) {
    const spec = specOf<RawPeerAuthentication>(workload);
    const pl = spec.portLevelMtls?.[String(port)];
    const pm = modeOf(pl?.mode);
    if (pm) return { mode: pm, level: 'workload port', resource: workload.key, path: ['spec', 'portLevelMtls', String(port), 'mode'] };
    const m = modeOf(spec.mtls?.mode);
    if (m) return { mode: m, level: 'workload', resource: workload.key, path: ['spec', 'mtls', 'mode'] };
  }
  const nm = nsLevel ? modeOf(specOf<RawPeerAuthentication>(nsLevel).mtls?.mode) : null;
  if (nsLevel && nm) return { mode: nm, level: 'namespace', resource: nsLevel.key, path: ['spec', 'mtls', 'mode'] };
  const mm = mesh ? modeOf(specOf<RawPeerAuthentication>(mesh).mtls?.mode) : null;
  if (mesh && mm) return { mode: mm, level: 'mesh', resource: mesh.key, path: ['spec', 'mtls', 'mode'] };
  return { mode: 'PERMISSIVE', level: 'default', resource: null, path: [] };
}

/** What auto mTLS infers for a service's namespace: only namespace- or mesh-level policies are known to clients. */
export function inferredNamespaceMode(idx: PaIndex, ns: string): PaDecision {
  const { nsLevel, mesh } = levelPolicies(idx, ns, null);
  const nm = nsLevel ? modeOf(specOf<RawPeerAuthentication>(nsLevel).mtls?.mode) : null;
  if (nsLevel && nm) return { mode: nm, level: 'namespace', resource: nsLevel.key, path: ['spec', 'mtls', 'mode'] };
  const mm = mesh ? modeOf(specOf<RawPeerAuthentication>(mesh).mtls?.mode) : null;
  if (mesh && mm) return { mode: mm, level: 'mesh', resource: mesh.key, path: ['spec', 'mtls', 'mode'] };
  return { mode: 'PERMISSIVE', level: 'default', resource: null, path: [] };
}

/** What a client proxy speaks to one upstream endpoint. */
export type UpstreamTlsMode = 'istio_mtls' | 'tls' | 'tls_client_cert' | 'plaintext';

export interface UpstreamTls {
  mode: UpstreamTlsMode;
  sni: string | null;
  why: string;
  resource: ResourceKey | null;
  path: FieldPath;
}

export function describeTls(m: UpstreamTlsMode | 'app_tls' | null): string {
  switch (m) {
    case 'istio_mtls':
      return 'Istio mTLS';
    case 'tls':
      return 'TLS (originated by the proxy)';
    case 'tls_client_cert':
      return 'mutual TLS (client certificate)';
    case 'app_tls':
      return "the application's own TLS (passed through)";
    case 'plaintext':
      return 'plaintext';
    default:
      return 'none';
  }
}

export function upstreamTls(
  policyTls: PolicyValue<RawTlsSettings> | null,
  svc: Service,
  ep: Endpoint,
  port: number,
  subset: string,
  host: string,
  mesh: MeshSettings,
  pa: PaIndex,
): UpstreamTls {
  if (policyTls) {
    const t = policyTls.value;
    const mode = (t.mode ?? 'DISABLE').toUpperCase();
    const src = `DestinationRule ${policyTls.level} tls.mode ${mode}`;
    if (mode === 'ISTIO_MUTUAL') return { mode: 'istio_mtls', sni: t.sni ?? `outbound_.${port}_.${subset}_.${svc.hostname}`, why: src, resource: policyTls.resource, path: policyTls.path };
    if (mode === 'SIMPLE') return { mode: 'tls', sni: t.sni ?? host, why: src, resource: policyTls.resource, path: policyTls.path };
    if (mode === 'MUTUAL') return { mode: 'tls_client_cert', sni: t.sni ?? host, why: src, resource: policyTls.resource, path: policyTls.path };
    return { mode: 'plaintext', sni: null, why: src, resource: policyTls.resource, path: policyTls.path };
  }
  if (!mesh.enableAutoMtls) return { mode: 'plaintext', sni: null, why: 'no DestinationRule tls and enableAutoMtls is false', resource: mesh.origin.resource ?? null, path: ['data', 'mesh'] };
  if (svc.location === 'MESH_EXTERNAL') return { mode: 'plaintext', sni: null, why: 'auto mTLS never applies to MESH_EXTERNAL ServiceEntries', resource: svc.key, path: ['spec', 'location'] };
  const inferred = inferredNamespaceMode(pa, svc.namespace);
  if (inferred.mode === 'DISABLE') return { mode: 'plaintext', sni: null, why: `auto mTLS: ${inferred.level}-level PeerAuthentication of ${svc.namespace} is DISABLE`, resource: inferred.resource, path: inferred.path };
  if (ep.sidecar) return { mode: 'istio_mtls', sni: `outbound_.${port}_.${subset}_.${svc.hostname}`, why: 'auto mTLS: the endpoint has a sidecar', resource: null, path: [] };
  return { mode: 'plaintext', sni: null, why: `auto mTLS: the endpoint has no sidecar${ep.workload?.gateway ? ' (gateway pods carry no tlsMode label)' : ''}`, resource: null, path: [] };
}

/** Result of offering a client TLS mode to a server: accepted, refused during the handshake, or reset. */
export type TlsFit = 'ok' | 'handshake_failure' | 'reset';

/** A sidecar server with a PeerAuthentication mode, facing what the client sends. */
export function sidecarAccepts(mode: PaMode, client: UpstreamTlsMode | 'app_tls'): TlsFit {
  if (client === 'istio_mtls') return mode === 'DISABLE' ? 'handshake_failure' : 'ok';
  if (client === 'plaintext') return mode === 'STRICT' ? 'reset' : 'ok';
  if (client === 'app_tls') return mode === 'STRICT' ? 'reset' : 'ok';
  // Non-Istio TLS: STRICT wants Istio mTLS; otherwise the TLS is passed to a plaintext application.
  return mode === 'STRICT' ? 'handshake_failure' : 'reset';
}
