/**
 * The service registry as istiod sees it: Kubernetes Services (endpoints from Deployments/Pods),
 * ServiceEntries, workloads with or without sidecar, and the default gateways.
 */
import type { MeshModel } from '../model/model';
import type { FieldPath, Resource, ResourceKey } from '../model/resource';
import { resourceKey } from '../model/resource';
import { CLUSTER_DOMAIN, isExportedTo, isWildcard, hostMatches } from './hosts';
import { kubePortProtocol, parseProtocol, portClass, type PortClass, type Protocol } from './protocol';
import {
  asArray, asRecord, labelsMatch, specOf, compareByCreation,
  type RawDeployment, type RawGateway, type RawService, type RawServiceEntry,
} from './raw';

export interface Workload {
  name: string;
  namespace: string;
  key: ResourceKey;
  labels: Record<string, string>;
  replicas: number;
  sidecar: boolean;
  sidecarReason: string;
  /** A gateway proxy (ingress/egress): has Envoy, but as a gateway, not a sidecar. */
  gateway: boolean;
  namedPorts: Record<string, number>;
  builtin: boolean;
}

export interface ServicePort {
  number: number;
  name: string;
  protocol: Protocol;
  cls: PortClass;
  targetPort: number | string;
  path: FieldPath;
}

export interface Endpoint {
  workload: Workload | null;
  address: string;
  labels: Record<string, string>;
  /** ServiceEntry endpoint port overrides by port name. */
  ports: Record<string, number> | null;
  replicas: number;
  external: boolean;
  sidecar: boolean;
}

export type Resolution = 'KUBE' | 'NONE' | 'STATIC' | 'DNS' | 'DNS_ROUND_ROBIN' | 'DYNAMIC_DNS';

export interface Service {
  hostname: string;
  name: string;
  namespace: string;
  kind: 'Service' | 'ServiceEntry';
  key: ResourceKey;
  /** Path of the host in the resource (`['metadata','name']` or `['spec','hosts',i]`). */
  hostPath: FieldPath;
  ports: ServicePort[];
  exportTo: string[] | null;
  vip: boolean;
  headless: boolean;
  clusterIP: string | null;
  location: 'MESH_INTERNAL' | 'MESH_EXTERNAL';
  resolution: Resolution;
  endpoints: Endpoint[];
  builtin: boolean;
}

export interface Registry {
  services: Service[];
  byHost: Map<string, Service[]>;
  wildcards: Service[];
  workloads: Workload[];
  workloadsByName: Map<string, Workload[]>;
  rootNamespace: string;
}

const FALSE = /^(false|disabled|no|0)$/i;
const TRUE = /^(true|enabled|yes|1)$/i;

function sidecarFor(model: MeshModel, ns: string, rootNs: string, labels: Record<string, string>, annotations: Record<string, string>): [boolean, string] {
  const pod = labels['sidecar.istio.io/inject'] ?? annotations['sidecar.istio.io/inject'];
  const nsRes = model.byKey.get(resourceKey('Namespace', ns, ns)) ?? model.ofKind('Namespace').find((n) => n.name === ns);
  const nsLabels = asRecord(nsRes?.metadata?.labels);
  const inj = nsLabels['istio-injection'];
  if (inj !== undefined && FALSE.test(inj)) return [false, `namespace ${ns} has istio-injection=${inj}`];
  if (pod !== undefined && FALSE.test(pod)) return [false, `pod template has sidecar.istio.io/inject=${pod}`];
  if (pod !== undefined && TRUE.test(pod)) return [true, `pod template has sidecar.istio.io/inject=${pod}`];
  if (inj !== undefined && TRUE.test(inj)) return [true, `namespace ${ns} has istio-injection=${inj}`];
  if (nsLabels['istio.io/rev'] !== undefined) return [true, `namespace ${ns} has istio.io/rev=${nsLabels['istio.io/rev']}`];
  if (nsRes) return [false, `namespace ${ns} has no injection label`];
  if (ns === rootNs || ns === 'kube-system') return [false, `namespace ${ns} is never injected`];
  return [true, `namespace ${ns} is not in the design: assumed labelled istio-injection=enabled`];
}

function gatewaySelectors(model: MeshModel): Array<Record<string, string>> {
  return model.ofKind('Gateway').map((g) => asRecord(specOf<RawGateway>(g).selector));
}

const BUILTIN_GATEWAYS = [
  { name: 'istio-ingressgateway', labels: { app: 'istio-ingressgateway', istio: 'ingressgateway' }, always: true },
  { name: 'istio-egressgateway', labels: { app: 'istio-egressgateway', istio: 'egressgateway' }, always: false },
];

function buildWorkloads(model: MeshModel, rootNs: string): Workload[] {
  const selectors = gatewaySelectors(model);
  const out: Workload[] = [];
  const add = (r: Resource, labels: Record<string, string>, annotations: Record<string, string>, replicas: number, containers: unknown) => {
    const isGw = labels.istio === 'ingressgateway' || labels.istio === 'egressgateway' ||
      annotations['inject.istio.io/templates'] === 'gateway' ||
      selectors.some((s) => Object.keys(s).length > 0 && labelsMatch(s, labels));
    const [sidecar, reason] = isGw ? [false, 'gateway proxy'] : sidecarFor(model, r.namespace, rootNs, labels, annotations);
    const namedPorts: Record<string, number> = {};
    for (const c of asArray(containers as Array<{ ports?: Array<{ name?: string; containerPort?: number }> }>)) {
      for (const p of asArray(c?.ports)) if (p?.name && typeof p.containerPort === 'number') namedPorts[p.name] = p.containerPort;
    }
    out.push({ name: r.name, namespace: r.namespace, key: r.key, labels, replicas, sidecar, sidecarReason: reason, gateway: isGw, namedPorts, builtin: false });
  };
  for (const d of model.ofKind('Deployment')) {
    const s = specOf<RawDeployment>(d);
    const labels = { ...asRecord(s.selector?.matchLabels), ...asRecord(s.template?.metadata?.labels) };
    add(d, labels, asRecord(s.template?.metadata?.annotations), typeof s.replicas === 'number' ? s.replicas : 1, s.template?.spec?.containers);
  }
  for (const p of model.ofKind('Pod')) {
    add(p, asRecord(p.metadata?.labels), asRecord(p.metadata?.annotations), 1, (p.spec as { containers?: unknown }).containers);
  }
  return out;
}

function servicePorts(raw: RawService): ServicePort[] {
  return asArray(raw.ports).flatMap((p, i) => {
    if (typeof p?.port !== 'number') return [];
    const protocol = kubePortProtocol(p.name, p.protocol, p.appProtocol);
    return [{ number: p.port, name: p.name ?? '', protocol, cls: portClass(protocol), targetPort: p.targetPort ?? p.port, path: ['spec', 'ports', i] }];
  });
}

function kubeService(r: Resource, workloads: Workload[]): Service {
  const raw = specOf<RawService>(r);
  const selector = raw.selector && typeof raw.selector === 'object' ? asRecord(raw.selector) : null;
  const endpoints: Endpoint[] = [];
  if (selector && Object.keys(selector).length > 0) {
    for (const w of workloads) {
      if (w.namespace !== r.namespace || w.replicas <= 0 || !labelsMatch(selector, w.labels)) continue;
      endpoints.push({ workload: w, address: `${w.name}.${w.namespace}`, labels: w.labels, ports: null, replicas: w.replicas, external: false, sidecar: w.sidecar || w.labels['security.istio.io/tlsMode'] === 'istio' });
    }
  }
  const headless = raw.clusterIP === 'None';
  const exportAnn = asRecord(r.metadata?.annotations)['networking.istio.io/exportTo'];
  return {
    hostname: `${r.name}.${r.namespace}.${CLUSTER_DOMAIN}`.toLowerCase(),
    name: r.name,
    namespace: r.namespace,
    kind: 'Service',
    key: r.key,
    hostPath: ['metadata', 'name'],
    ports: servicePorts(raw),
    exportTo: exportAnn ? exportAnn.split(',').map((s) => s.trim()).filter(Boolean) : null,
    vip: !headless,
    headless,
    clusterIP: typeof raw.clusterIP === 'string' && raw.clusterIP !== 'None' ? raw.clusterIP : null,
    location: 'MESH_INTERNAL',
    resolution: 'KUBE',
    endpoints,
    builtin: false,
  };
}

function serviceEntryServices(r: Resource, workloads: Workload[]): Service[] {
  const raw = specOf<RawServiceEntry>(r);
  const location = raw.location === 'MESH_INTERNAL' ? 'MESH_INTERNAL' : 'MESH_EXTERNAL';
  const resolution = (['NONE', 'STATIC', 'DNS', 'DNS_ROUND_ROBIN', 'DYNAMIC_DNS'].includes(raw.resolution ?? '') ? raw.resolution : 'NONE') as Resolution;
  const ports: ServicePort[] = asArray(raw.ports).flatMap((p, i) => {
    if (typeof p?.number !== 'number') return [];
    const protocol = parseProtocol(p.protocol);
    return [{ number: p.number, name: p.name ?? '', protocol, cls: portClass(protocol), targetPort: p.targetPort ?? p.number, path: ['spec', 'ports', i] }];
  });
  return asArray(raw.hosts).map((h, i) => {
    const hostname = String(h).toLowerCase();
    const endpoints: Endpoint[] = [];
    for (const e of asArray(raw.endpoints)) {
      if (!e?.address) continue;
      const labels = asRecord(e.labels);
      endpoints.push({ workload: null, address: e.address, labels, ports: e.ports ? (e.ports as Record<string, number>) : null, replicas: Math.max(1, e.weight ?? 1), external: location === 'MESH_EXTERNAL', sidecar: labels['security.istio.io/tlsMode'] === 'istio' });
    }
    if (raw.workloadSelector?.labels) {
      for (const w of workloads) {
        if (w.namespace !== r.namespace || w.replicas <= 0 || !labelsMatch(asRecord(raw.workloadSelector.labels), w.labels)) continue;
        endpoints.push({ workload: w, address: `${w.name}.${w.namespace}`, labels: w.labels, ports: null, replicas: w.replicas, external: false, sidecar: w.sidecar });
      }
    }
    if (endpoints.length === 0 && (resolution === 'DNS' || resolution === 'DNS_ROUND_ROBIN' || resolution === 'NONE' || resolution === 'DYNAMIC_DNS') && !raw.workloadSelector) {
      // DNS: the proxy resolves the host itself; NONE: the original destination the app dialled.
      endpoints.push({ workload: null, address: hostname, labels: {}, ports: null, replicas: 1, external: true, sidecar: false });
    }
    return {
      hostname,
      name: r.name,
      namespace: r.namespace,
      kind: 'ServiceEntry' as const,
      key: r.key,
      hostPath: ['spec', 'hosts', i],
      ports,
      exportTo: Array.isArray(raw.exportTo) ? raw.exportTo : null,
      vip: asArray(raw.addresses).length > 0,
      headless: false,
      clusterIP: asArray(raw.addresses)[0] ?? null,
      location,
      resolution,
      endpoints,
      builtin: false,
    };
  });
}

function referencesHost(model: MeshModel, name: string): boolean {
  const needle = `${name}.`;
  for (const kind of ['VirtualService', 'DestinationRule'] as const) {
    for (const r of model.ofKind(kind)) if (JSON.stringify(r.spec ?? {}).includes(needle)) return true;
  }
  return false;
}

function addBuiltinGateways(model: MeshModel, rootNs: string, workloads: Workload[], services: Service[]): void {
  const selectors = gatewaySelectors(model);
  for (const g of BUILTIN_GATEWAYS) {
    if (services.some((s) => s.kind === 'Service' && s.namespace === rootNs && s.name === g.name)) continue;
    const used = g.always || selectors.some((s) => Object.keys(s).length > 0 && labelsMatch(s, g.labels)) || referencesHost(model, g.name);
    if (!used) continue;
    let w = workloads.find((x) => x.namespace === rootNs && labelsMatch(g.labels, x.labels));
    if (!w) {
      w = { name: g.name, namespace: rootNs, key: resourceKey('Deployment', rootNs, g.name), labels: { ...g.labels }, replicas: 1, sidecar: false, sidecarReason: 'gateway proxy', gateway: true, namedPorts: {}, builtin: true };
      workloads.push(w);
    }
    const mk = (number: number, name: string, target: number): ServicePort => ({ number, name, protocol: number === 443 ? 'HTTPS' : number === 15021 ? 'HTTP' : 'HTTP2', cls: number === 443 ? 'tls' : 'http', targetPort: target, path: [] });
    services.push({
      hostname: `${g.name}.${rootNs}.${CLUSTER_DOMAIN}`,
      name: g.name,
      namespace: rootNs,
      kind: 'Service',
      key: resourceKey('Service', rootNs, g.name),
      hostPath: [],
      ports: [mk(15021, 'status-port', 15021), mk(80, 'http2', 8080), mk(443, 'https', 8443)],
      exportTo: null,
      vip: true,
      headless: false,
      clusterIP: null,
      location: 'MESH_INTERNAL',
      resolution: 'KUBE',
      endpoints: [{ workload: w, address: `${w.name}.${rootNs}`, labels: w.labels, ports: null, replicas: 1, external: false, sidecar: false }],
      builtin: true,
    });
  }
}

export function buildRegistry(model: MeshModel, rootNamespace: string): Registry {
  const workloads = buildWorkloads(model, rootNamespace);
  const services: Service[] = [];
  for (const r of model.ofKind('Service')) services.push(kubeService(r, workloads));
  addBuiltinGateways(model, rootNamespace, workloads, services);
  const kubeHosts = new Set(services.map((s) => s.hostname));
  const entries = [...model.ofKind('ServiceEntry')].sort(compareByCreation);
  for (const r of entries) {
    // A ServiceEntry naming an existing Kubernetes Service only decorates it (endpoints stay Kubernetes').
    for (const s of serviceEntryServices(r, workloads)) if (!kubeHosts.has(s.hostname)) services.push(s);
  }
  const byHost = new Map<string, Service[]>();
  const wildcards: Service[] = [];
  for (const s of services) {
    let list = byHost.get(s.hostname);
    if (!list) byHost.set(s.hostname, (list = []));
    list.push(s);
    if (isWildcard(s.hostname)) wildcards.push(s);
  }
  const workloadsByName = new Map<string, Workload[]>();
  for (const w of workloads) {
    const list = workloadsByName.get(w.name) ?? [];
    list.push(w);
    workloadsByName.set(w.name, list);
  }
  return { services, byHost, wildcards, workloads, workloadsByName, rootNamespace };
}

export const serviceVisible = (s: Service, ns: string): boolean => isExportedTo(s.exportTo, s.namespace, ns);

/** Istio ServiceForHostname: the visible service for a host, preferring the proxy's namespace. */
export function serviceFor(reg: Registry, host: string, proxyNs: string): Service | null {
  const list = reg.byHost.get(host);
  if (!list) return null;
  let found: Service | null = null;
  for (const s of list) {
    if (!serviceVisible(s, proxyNs)) continue;
    if (s.namespace === proxyNs) return s;
    found ??= s;
  }
  return found;
}

/** Services (visible from `ns`) covered by a possibly-wildcard host. */
export function servicesMatching(reg: Registry, host: string, ns: string): Service[] {
  if (!isWildcard(host)) {
    const s = serviceFor(reg, host, ns);
    return s ? [s] : [];
  }
  return reg.services.filter((s) => serviceVisible(s, ns) && hostMatches(host, s.hostname));
}

export function portOfService(s: Service, port: number): ServicePort | undefined {
  const ps = s.ports;
  for (let i = 0; i < ps.length; i++) if (ps[i].number === port) return ps[i];
  return undefined;
}

/** The port an endpoint listens on for a service port (targetPort, named ports, SE endpoint ports). */
export function endpointPort(svc: Service, sp: ServicePort, ep: Endpoint): number {
  if (ep.ports && sp.name && typeof ep.ports[sp.name] === 'number') return ep.ports[sp.name];
  if (typeof sp.targetPort === 'number') return sp.targetPort;
  const named = ep.workload?.namedPorts[sp.targetPort];
  return typeof named === 'number' ? named : svc.kind === 'ServiceEntry' ? sp.number : sp.number;
}
