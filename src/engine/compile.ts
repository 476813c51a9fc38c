/**
 * compileMesh: turns a model into the indexed, precompiled form both routing paths use. Shared
 * parts (registry, VirtualServices with compiled matchers, DestinationRule and
 * PeerAuthentication indexes) are built at once; each proxy's listeners and route tables are
 * built on first use and cached.
 */
import type { MeshModel } from '../model/model';
import type { Resource } from '../model/resource';
import { asArray, labelsMatch, specOf, type RawDestinationRule, type RawSidecar } from './raw';
import { buildDrIndex, type DrIndex } from './destinationrule';
import { buildGateway, type GatewayProxy } from './gateway';
import { resolveMeshSettings } from './meshconfig';
import { buildRegistry, type Registry, type Workload } from './registry';
import { serviceDest, type CompileCtx, type CompiledDest, type ProxyRef } from './routes';
import { buildSidecar, type SidecarProxy } from './sidecar';
import { buildPaIndex, type PaIndex } from './tls';
import type { ConfigIssue, MeshSettings } from './types';
import { buildVirtualServices, type VsInfo } from './virtualservice';

export interface CompiledMesh {
  model: MeshModel;
  mesh: MeshSettings;
  reg: Registry;
  virtualServices: VsInfo[];
  drs: DrIndex;
  pa: PaIndex;
  gateways: readonly Resource[];
  sidecarResources: readonly Resource[];
  /** Configuration Istio would reject or warn about (e.g. invalid regexes): reported, never thrown. */
  issues: ConfigIssue[];
  ctx: CompileCtx;
  sidecars: Map<Workload, SidecarProxy>;
  /** Sidecars whose configuration is identical share tables: namespace + which label selectors match. */
  sidecarShapes: Map<string, SidecarProxy>;
  /** Every workload label selector in the configuration that can change a sidecar's tables. */
  selectors: Array<Record<string, string>>;
  gatewayProxies: Map<Workload, GatewayProxy>;
  /** Plain (no-sidecar) clients: `host:port` → the Kubernetes Service cluster kube-proxy sends to. */
  plain: Map<string, CompiledDest | null>;
}

export function compileMesh(model: MeshModel, meshConfig?: Record<string, unknown> | null): CompiledMesh {
  const issues: ConfigIssue[] = [];
  const mesh = resolveMeshSettings(model, meshConfig, issues);
  const reg = buildRegistry(model, mesh.rootNamespace);
  const virtualServices = buildVirtualServices(model.ofKind('VirtualService'), issues);
  const drs = buildDrIndex(model.ofKind('DestinationRule'), mesh.rootNamespace);
  const pa = buildPaIndex(model.ofKind('PeerAuthentication'), mesh.rootNamespace);
  const ctx: CompileCtx = { reg, drs, retryDefaults: mesh.defaultHttpRetryPolicy };
  return {
    model, mesh, reg, virtualServices, drs, pa, issues, ctx,
    gateways: model.ofKind('Gateway'),
    sidecarResources: model.ofKind('Sidecar'),
    sidecars: new Map(),
    sidecarShapes: new Map(),
    selectors: collectSelectors(model, virtualServices),
    gatewayProxies: new Map(),
    plain: new Map(),
  };
}

export function proxyRef(w: Workload, kind: 'sidecar' | 'gateway'): ProxyRef {
  return { id: `${kind} ${w.name}.${w.namespace}`, kind, namespace: w.namespace, labels: w.labels, workload: w };
}

function collectSelectors(model: MeshModel, vss: readonly VsInfo[]): Array<Record<string, string>> {
  const out: Array<Record<string, string>> = [];
  const seen = new Set<string>();
  const add = (sel: unknown) => {
    if (!sel || typeof sel !== 'object') return;
    const k = JSON.stringify(Object.entries(sel as Record<string, string>).sort());
    if (!seen.has(k)) {
      seen.add(k);
      out.push(sel as Record<string, string>);
    }
  };
  for (const v of vss) {
    for (const r of v.http) for (const m of r.matches ?? []) add(m.raw.sourceLabels);
    for (const k of ['tcp', 'tls'] as const) for (const r of asArray(v.spec[k])) for (const m of asArray(r?.match)) add(m?.sourceLabels);
  }
  for (const r of model.ofKind('DestinationRule')) add(specOf<RawDestinationRule>(r).workloadSelector?.matchLabels);
  for (const r of model.ofKind('Sidecar')) add(specOf<RawSidecar>(r).workloadSelector?.labels);
  return out;
}

export function sidecarProxy(c: CompiledMesh, w: Workload): SidecarProxy {
  let p = c.sidecars.get(w);
  if (!p) {
    const shape = `${w.namespace}|${c.selectors.map((s) => (labelsMatch(s, w.labels) ? 1 : 0)).join('')}`;
    let shared = c.sidecarShapes.get(shape);
    if (!shared) {
      shared = buildSidecar(proxyRef(w, 'sidecar'), c.reg, c.virtualServices, c.sidecarResources, c.ctx, c.mesh.outboundTrafficPolicy.mode, c.mesh.origin.resource);
      c.sidecarShapes.set(shape, shared);
    }
    p = { ...shared, ref: proxyRef(w, 'sidecar') };
    c.sidecars.set(w, p);
  }
  return p;
}

export function gatewayProxy(c: CompiledMesh, w: Workload): GatewayProxy {
  let g = c.gatewayProxies.get(w);
  if (!g) {
    g = buildGateway(proxyRef(w, 'gateway'), c.reg, c.gateways, c.virtualServices, c.ctx);
    c.gatewayProxies.set(w, g);
  }
  return g;
}

/** Destination of a client without sidecar: kube-proxy load-balances over the Service's endpoints. */
export function plainDest(c: CompiledMesh, w: Workload, host: string, port: number): CompiledDest | null {
  const key = `${w.namespace}|${host}:${port}`;
  if (c.plain.has(key)) return c.plain.get(key)!;
  const h = host.endsWith('.') ? host.slice(0, -1) : host;
  const dots = h.split('.').length - 1;
  const names = [h, dots === 0 ? `${h}.${w.namespace}.svc.cluster.local` : dots === 1 ? `${h}.svc.cluster.local` : `${h}.cluster.local`];
  const svc = c.reg.services.find((s) => s.kind === 'Service' && names.includes(s.hostname)) ?? null;
  const d = svc && svc.ports.some((p) => p.number === port) ? serviceDest(svc, port, c.ctx, proxyRef(w, 'sidecar')) : null;
  c.plain.set(key, d);
  return d;
}
