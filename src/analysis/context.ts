/**
 * What every check needs, indexed once per `analyze` call: services and their hosts, workloads by namespace and
 * label, DestinationRules and subsets by host, VirtualServices with resolved hosts and gateways, Gateways by name.
 * Each index is a Map built in one pass, so checks look things up instead of scanning the design (a 1,000-service
 * design analyzes in well under the 300 ms budget of a keystroke).
 *
 * Host names, exportTo, label selectors and protocols follow the routing engine's helpers (src/engine), so that
 * what the analyzer calls "found" is what the simulator routes to.
 */
import type { MeshModel } from '../model/model';
import type { FieldPath, Resource, ResourceKey } from '../model/resource';
import { resourceKey } from '../model/resource';
import { CLUSTER_DOMAIN, hostMatches, isExportedTo, isWildcard, resolveShortName } from '../engine/hosts';
import { resolveMeshSettings } from '../engine/meshconfig';
import {
  asArray, asRecord, labelsMatch, specOf,
  type RawDeployment, type RawDestinationRule, type RawGateway, type RawServiceEntry, type RawTrafficPolicy, type RawVirtualService,
} from '../engine/raw';
import type { Workload } from '../engine/registry';
import { buildPaIndex, type PaIndex } from '../engine/tls';
import { resolveGatewayName } from '../engine/virtualservice';
import { CODES, type AnalyzeOptions, type Code, type Fix, type Level, type Message } from './types';

export interface PortInfo {
  number: number;
  name: string;
  /** Service targetPort (number or container port name); ServiceEntry targetPort or number. */
  targetPort: number | string;
  protocol: string;
  appProtocol: string;
  index: number;
}

export interface SvcInfo {
  host: string;
  name: string;
  namespace: string;
  kind: 'Service' | 'ServiceEntry';
  key: ResourceKey;
  /** null for the built-in ingress/egress gateway Services the engine assumes. */
  res: Resource | null;
  ports: PortInfo[];
  exportTo: string[] | null;
  /** Kubernetes Service selector (null: none); ServiceEntry workloadSelector labels. */
  selector: Record<string, string> | null;
  /** ServiceEntry `endpoints[].labels` (an endpoint without labels has `{}`); null for Services. */
  endpointLabels: Array<Record<string, string>> | null;
  builtin: boolean;
}

export interface SubsetInfo {
  name: string;
  labels: Record<string, string> | null;
  index: number;
  policy: RawTrafficPolicy | null;
}

export interface DrInfo {
  res: Resource;
  host: string;
  namespace: string;
  exportTo: string[] | null;
  spec: RawDestinationRule;
  subsets: SubsetInfo[];
}

export interface VsHost {
  raw: string;
  host: string;
  index: number;
}

export interface VsInfo {
  res: Resource;
  namespace: string;
  hosts: VsHost[];
  /** Resolved: `mesh` or `namespace/name`; `['mesh']` when the field is empty. */
  gateways: string[];
  meshBound: boolean;
  exportTo: string[] | null;
  isDelegate: boolean;
  spec: RawVirtualService;
}

const BUILTIN_GATEWAYS = [
  { name: 'istio-ingressgateway', labels: { app: 'istio-ingressgateway', istio: 'ingressgateway' } },
  { name: 'istio-egressgateway', labels: { app: 'istio-egressgateway', istio: 'egressgateway' } },
];

const FALSE = /^(false|disabled|no|0)$/i;
const TRUE = /^(true|enabled|yes|1)$/i;

export const resourceLabel = (r: Pick<Resource, 'kind' | 'namespace' | 'name'>): string =>
  `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;

/** `k=v,k2=v2`, keys sorted (Kubernetes' selector string). */
export const selectorString = (sel: Record<string, string>): string =>
  Object.keys(sel).sort().map((k) => `${k}=${sel[k]}`).join(',');

export class Ctx {
  readonly model: MeshModel;
  readonly rootNamespace: string;
  readonly enableAutoMtls: boolean;
  readonly messages: Message[] = [];
  private readonly suppressed: Set<string>;

  readonly services: SvcInfo[] = [];
  private readonly byHost = new Map<string, SvcInfo[]>();
  private readonly wildcardServices: SvcInfo[] = [];
  /** Namespaces holding at least one Kubernetes Service of the design (built-in gateway Services excluded). */
  private readonly serviceNamespaces = new Set<string>();
  private readonly serviceEntries: SvcInfo[] = [];
  private readonly seVisible = new Map<string, boolean>();

  readonly workloads: Workload[] = [];
  private readonly workloadsByNs = new Map<string, Workload[]>();
  private readonly workloadsByNsLabel = new Map<string, Workload[]>();
  private readonly workloadsByLabel = new Map<string, Workload[]>();
  /** Namespaces holding a Deployment or Pod of the design. */
  readonly workloadNamespaces = new Set<string>();
  private readonly endpointsCache = new Map<SvcInfo, Workload[]>();
  private readonly servicesByNs = new Map<string, SvcInfo[]>();

  readonly drs: DrInfo[] = [];
  private readonly drsByHost = new Map<string, DrInfo[]>();
  private readonly wildcardDrs: DrInfo[] = [];
  readonly drNamespaces = new Set<string>();

  readonly virtualServices: VsInfo[] = [];
  readonly vsByName = new Map<string, VsInfo>();
  readonly vsNamespaces = new Set<string>();

  readonly gateways = new Map<string, Resource>();
  readonly gatewayNamespaces = new Set<string>();

  readonly pa: PaIndex;
  private readonly nsLabels = new Map<string, Record<string, string>>();

  constructor(model: MeshModel, options: AnalyzeOptions = {}) {
    this.model = model;
    const mesh = resolveMeshSettings(model, options.rootNamespace ? { rootNamespace: options.rootNamespace } : null);
    this.rootNamespace = mesh.rootNamespace;
    this.enableAutoMtls = mesh.enableAutoMtls;
    this.suppressed = new Set(options.suppress ?? []);
    for (const n of model.ofKind('Namespace')) this.nsLabels.set(n.name, asRecord(n.metadata?.labels));
    this.buildWorkloads();
    this.buildServices();
    this.buildDestinationRules();
    this.buildVirtualServices();
    for (const g of model.ofKind('Gateway')) {
      this.gateways.set(`${g.namespace}/${g.name}`, g);
      this.gatewayNamespaces.add(g.namespace);
    }
    this.pa = buildPaIndex(model.ofKind('PeerAuthentication'), this.rootNamespace);
  }

  // ---- reporting ----

  report(code: Code, res: Resource, path: FieldPath, message: string, extra: { fix?: Fix; related?: ResourceKey[]; level?: Level } = {}): void {
    if (this.suppressed.has(code)) return;
    const m: Message = { code, name: CODES[code].name, level: extra.level ?? CODES[code].level, resource: resourceLabel(res), key: res.key, path, message };
    if (extra.fix) m.fix = extra.fix;
    if (extra.related?.length) m.related = extra.related;
    this.messages.push(m);
  }

  // ---- workloads ----

  private hasSidecar(ns: string, labels: Record<string, string>, annotations: Record<string, string>): boolean {
    const pod = labels['sidecar.istio.io/inject'] ?? annotations['sidecar.istio.io/inject'];
    const nsLabels = this.nsLabels.get(ns);
    const inj = nsLabels?.['istio-injection'];
    if (inj !== undefined && FALSE.test(inj)) return false;
    if (pod !== undefined && FALSE.test(pod)) return false;
    if (pod !== undefined && TRUE.test(pod)) return true;
    if (inj !== undefined && TRUE.test(inj)) return true;
    if (nsLabels?.['istio.io/rev'] !== undefined) return true;
    if (nsLabels) return false;
    // Same assumption as the engine: a namespace not in the design is injected, except the system ones.
    return ns !== this.rootNamespace && ns !== 'kube-system';
  }

  private addWorkload(w: Workload): void {
    this.workloads.push(w);
    let list = this.workloadsByNs.get(w.namespace);
    if (!list) this.workloadsByNs.set(w.namespace, (list = []));
    list.push(w);
    for (const k in w.labels) {
      const pair = `${k}=${w.labels[k]}`;
      const nsKey = `${w.namespace}\u0000${pair}`;
      let a = this.workloadsByNsLabel.get(nsKey);
      if (!a) this.workloadsByNsLabel.set(nsKey, (a = []));
      a.push(w);
      let b = this.workloadsByLabel.get(pair);
      if (!b) this.workloadsByLabel.set(pair, (b = []));
      b.push(w);
    }
  }

  private buildWorkloads(): void {
    const pending: Array<{ w: Workload; annotations: Record<string, string> }> = [];
    const add = (r: Resource, labels: Record<string, string>, annotations: Record<string, string>, replicas: number, containers: unknown) => {
      const namedPorts: Record<string, number> = {};
      for (const c of asArray(containers as Array<{ ports?: Array<{ name?: string; containerPort?: number }> }>)) {
        for (const p of asArray(c?.ports)) if (p?.name && typeof p.containerPort === 'number') namedPorts[p.name] = p.containerPort;
      }
      const gateway = labels.istio === 'ingressgateway' || labels.istio === 'egressgateway' || annotations['inject.istio.io/templates'] === 'gateway';
      const w: Workload = { name: r.name, namespace: r.namespace, key: r.key, labels, replicas, sidecar: false, sidecarReason: '', gateway, namedPorts, builtin: false };
      this.addWorkload(w);
      this.workloadNamespaces.add(r.namespace);
      pending.push({ w, annotations });
    };
    for (const d of this.model.ofKind('Deployment')) {
      const s = specOf<RawDeployment>(d);
      const labels = { ...asRecord(s.selector?.matchLabels), ...asRecord(s.template?.metadata?.labels) };
      add(d, labels, asRecord(s.template?.metadata?.annotations), typeof s.replicas === 'number' ? s.replicas : 1, s.template?.spec?.containers);
    }
    for (const p of this.model.ofKind('Pod')) {
      add(p, asRecord(p.metadata?.labels), asRecord(p.metadata?.annotations), 1, specOf<{ containers?: unknown }>(p).containers);
    }
    // Pods a Gateway selects run a gateway proxy, not a sidecar (engine: buildWorkloads).
    for (const g of this.model.ofKind('Gateway')) {
      const sel = asRecord(specOf<RawGateway>(g).selector);
      if (Object.keys(sel).length) for (const w of this.pick(sel, (pair) => this.workloadsByLabel.get(pair), () => this.workloads, true)) w.gateway = true;
    }
    for (const { w, annotations } of pending) w.sidecar = !w.gateway && this.hasSidecar(w.namespace, w.labels, annotations);
  }

  /** Workloads (with pods) of namespace `ns` whose labels include `selector`; every workload of `ns` for `{}`. */
  selectIn(ns: string, selector: Record<string, string>): Workload[] {
    return this.pick(selector, (pair) => this.workloadsByNsLabel.get(`${ns}\u0000${pair}`), () => this.workloadsByNs.get(ns));
  }

  /** Workloads of any namespace (the default scope of a Gateway selector). */
  selectAnywhere(selector: Record<string, string>): Workload[] {
    return this.pick(selector, (pair) => this.workloadsByLabel.get(pair), () => this.workloads);
  }

  private pick(selector: Record<string, string>, byPair: (pair: string) => Workload[] | undefined, all: () => Workload[] | undefined, scaledToZero = false): Workload[] {
    const keys = Object.keys(selector);
    let best: Workload[] | undefined;
    if (keys.length === 0) best = all();
    for (const k of keys) {
      const list = byPair(`${k}=${String(selector[k])}`);
      if (!list) return [];
      if (!best || list.length < best.length) best = list;
    }
    return (best ?? []).filter((w) => (scaledToZero || w.replicas > 0) && labelsMatch(selector, w.labels));
  }

  // ---- services ----

  private addService(s: SvcInfo): void {
    this.services.push(s);
    let list = this.byHost.get(s.host);
    if (!list) this.byHost.set(s.host, (list = []));
    list.push(s);
    if (isWildcard(s.host)) this.wildcardServices.push(s);
    let ns = this.servicesByNs.get(s.namespace);
    if (!ns) this.servicesByNs.set(s.namespace, (ns = []));
    ns.push(s);
  }

  private buildServices(): void {
    for (const r of this.model.ofKind('Service')) {
      const raw = specOf<{ selector?: unknown; ports?: unknown }>(r);
      const ports: PortInfo[] = [];
      asArray(raw.ports as Array<Record<string, unknown>>).forEach((p, index) => {
        if (typeof p?.port !== 'number') return;
        const tp = p.targetPort;
        ports.push({
          number: p.port, name: typeof p.name === 'string' ? p.name : '', targetPort: typeof tp === 'number' || typeof tp === 'string' ? tp : p.port,
          protocol: typeof p.protocol === 'string' ? p.protocol : 'TCP', appProtocol: typeof p.appProtocol === 'string' ? p.appProtocol : '', index,
        });
      });
      const sel = raw.selector && typeof raw.selector === 'object' ? asRecord(raw.selector) : null;
      const ann = asRecord(r.metadata?.annotations)['networking.istio.io/exportTo'];
      this.addService({
        host: `${r.name}.${r.namespace}.${CLUSTER_DOMAIN}`.toLowerCase(), name: r.name, namespace: r.namespace, kind: 'Service', key: r.key, res: r, ports,
        exportTo: ann ? ann.split(',').map((s) => s.trim()).filter(Boolean) : null,
        selector: sel && Object.keys(sel).length ? sel : null, endpointLabels: null, builtin: false,
      });
      this.serviceNamespaces.add(r.namespace);
    }
    // The gateways Istio installs, as the engine assumes them when the design does not define them.
    const root = this.rootNamespace;
    for (const g of BUILTIN_GATEWAYS) {
      if (this.byHost.has(`${g.name}.${root}.${CLUSTER_DOMAIN}`)) continue;
      if (!this.selectIn(root, g.labels).length) {
        this.addWorkload({ name: g.name, namespace: root, key: resourceKey('Deployment', root, g.name), labels: { ...g.labels }, replicas: 1, sidecar: false, sidecarReason: 'gateway proxy', gateway: true, namedPorts: {}, builtin: true });
      }
      const port = (number: number, name: string, targetPort: number, index: number): PortInfo => ({ number, name, targetPort, protocol: 'TCP', appProtocol: '', index });
      this.addService({
        host: `${g.name}.${root}.${CLUSTER_DOMAIN}`, name: g.name, namespace: root, kind: 'Service', key: resourceKey('Service', root, g.name), res: null,
        ports: [port(15021, 'status-port', 15021, 0), port(80, 'http2', 8080, 1), port(443, 'https', 8443, 2)],
        exportTo: null, selector: { ...g.labels }, endpointLabels: null, builtin: true,
      });
    }
    for (const r of this.model.ofKind('ServiceEntry')) {
      const raw = specOf<RawServiceEntry>(r);
      const ports: PortInfo[] = [];
      asArray(raw.ports).forEach((p, index) => {
        if (typeof p?.number !== 'number') return;
        const str = (v: unknown) => (typeof v === 'string' ? v : '');
        const tp = p.targetPort as unknown;
        ports.push({ number: p.number, name: str(p.name), targetPort: typeof tp === 'number' || typeof tp === 'string' ? tp : p.number, protocol: str(p.protocol), appProtocol: '', index });
      });
      const endpointLabels = asArray(raw.endpoints).filter((e) => e?.address).map((e) => asRecord(e.labels));
      const ws = raw.workloadSelector?.labels ? asRecord(raw.workloadSelector.labels) : null;
      asArray(raw.hosts).forEach((h) => {
        const host = String(h).toLowerCase();
        // A ServiceEntry for a Kubernetes Service's name only decorates it (the engine keeps the Service).
        if (this.byHost.get(host)?.some((s) => s.kind === 'Service')) return;
        const s: SvcInfo = {
          host, name: r.name, namespace: r.namespace, kind: 'ServiceEntry', key: r.key, res: r, ports,
          exportTo: Array.isArray(raw.exportTo) ? raw.exportTo : null, selector: ws, endpointLabels, builtin: false,
        };
        this.addService(s);
        this.serviceEntries.push(s);
      });
    }
  }

  /** Services (of the design or built in) whose host is `host`, or a wildcard ServiceEntry host covering it. */
  servicesFor(host: string): SvcInfo[] {
    const exact = this.byHost.get(host);
    if (exact) return exact;
    if (isWildcard(host)) return this.services.filter((s) => hostMatches(host, s.host));
    return this.wildcardServices.filter((s) => hostMatches(s.host, host));
  }

  servicesInNamespace(ns: string): SvcInfo[] {
    return this.servicesByNs.get(ns) ?? [];
  }

  /** The design defines Kubernetes Services in `ns`. */
  hasServicesIn(ns: string): boolean {
    return this.serviceNamespaces.has(ns);
  }

  /** The design defines a ServiceEntry visible from `ns`. */
  hasServiceEntriesVisibleIn(ns: string): boolean {
    let v = this.seVisible.get(ns);
    if (v === undefined) {
      v = this.serviceEntries.some((s) => isExportedTo(s.exportTo, s.namespace, ns));
      this.seVisible.set(ns, v);
    }
    return v;
  }

  /**
   * Whether a reference to a missing `host` is an error or just "not in this design": the design defines objects
   * of that kind where the host would live (Services in the FQDN's namespace; ServiceEntries visible from `ns`).
   */
  missingHostIsError(host: string, ns: string): boolean {
    const fq = parseServiceHost(host) ?? kubeShortForm(host);
    if (fq && this.hasServicesIn(fq.namespace)) return true;
    return this.hasServiceEntriesVisibleIn(ns);
  }

  /** The pods behind a service: Service selector in its namespace; ServiceEntry workloadSelector. */
  endpointsOf(s: SvcInfo): Workload[] {
    let eps = this.endpointsCache.get(s);
    if (!eps) {
      eps = s.selector ? this.selectIn(s.namespace, s.selector) : [];
      this.endpointsCache.set(s, eps);
    }
    return eps;
  }

  // ---- DestinationRules ----

  private buildDestinationRules(): void {
    for (const r of this.model.ofKind('DestinationRule')) {
      const spec = specOf<RawDestinationRule>(r);
      this.drNamespaces.add(r.namespace);
      if (typeof spec.host !== 'string' || !spec.host) continue;
      const subsets: SubsetInfo[] = [];
      asArray(spec.subsets).forEach((s, index) => {
        if (!s || typeof s.name !== 'string') return;
        subsets.push({ name: s.name, labels: s.labels && typeof s.labels === 'object' ? asRecord(s.labels) : null, index, policy: s.trafficPolicy ?? null });
      });
      const info: DrInfo = { res: r, host: resolveShortName(spec.host, r.namespace), namespace: r.namespace, exportTo: Array.isArray(spec.exportTo) ? spec.exportTo : null, spec, subsets };
      this.drs.push(info);
      let list = this.drsByHost.get(info.host);
      if (!list) this.drsByHost.set(info.host, (list = []));
      list.push(info);
      if (isWildcard(info.host)) this.wildcardDrs.push(info);
    }
  }

  /** DestinationRules whose host is `host` or a wildcard covering it. */
  drsFor(host: string): DrInfo[] {
    const exact = this.drsByHost.get(host) ?? [];
    if (!this.wildcardDrs.length) return exact;
    const wild = this.wildcardDrs.filter((d) => d.host !== host && hostMatches(d.host, host));
    return wild.length ? [...exact, ...wild] : exact;
  }

  drsWithExactHost(host: string): DrInfo[] {
    return this.drsByHost.get(host) ?? [];
  }

  // ---- VirtualServices ----

  private buildVirtualServices(): void {
    for (const r of this.model.ofKind('VirtualService')) {
      const spec = specOf<RawVirtualService>(r);
      const rawGws = asArray(spec.gateways).map((g) => String(g));
      const gateways = rawGws.length ? rawGws.map((g) => resolveGatewayName(g, r.namespace)) : ['mesh'];
      const hosts = asArray(spec.hosts).map((h, index) => ({ raw: String(h), host: resolveShortName(String(h), r.namespace), index }));
      const info: VsInfo = {
        res: r, namespace: r.namespace, hosts, gateways, meshBound: gateways.includes('mesh'),
        exportTo: Array.isArray(spec.exportTo) ? spec.exportTo : null, isDelegate: hosts.length === 0, spec,
      };
      this.virtualServices.push(info);
      this.vsByName.set(`${r.namespace}/${r.name}`, info);
      this.vsNamespaces.add(r.namespace);
    }
  }

  // ---- namespaces ----

  /** Namespaces a resource with `exportTo` is visible in: null = all. */
  static visibleNamespaces(exportTo: readonly string[] | null, own: string): Set<string> | null {
    if (!exportTo || exportTo.length === 0 || exportTo.includes('*')) return null;
    const out = new Set<string>();
    for (const e of exportTo) {
      if (e === '.') out.add(own);
      else if (e !== '~') out.add(e);
    }
    return out;
  }

  static visibilityOverlaps(a: Set<string> | null, b: Set<string> | null): boolean {
    if (a === null) return b === null || b.size > 0;
    if (b === null) return a.size > 0;
    for (const n of a) if (b.has(n)) return true;
    return false;
  }
}

/** `name.namespace.svc.cluster.local` → parts; undefined for other hosts (including wildcards). */
export function parseServiceHost(host: string): { name: string; namespace: string } | undefined {
  const suffix = `.${CLUSTER_DOMAIN}`;
  if (!host.endsWith(suffix)) return undefined;
  const parts = host.slice(0, -suffix.length).split('.');
  return parts.length === 2 && !parts[0].startsWith('*') && parts[0] && parts[1] ? { name: parts[0], namespace: parts[1] } : undefined;
}

/** `name.namespace` or `name.namespace.svc`: what Kubernetes DNS accepts, but Istio takes literally. */
export function kubeShortForm(host: string): { name: string; namespace: string } | undefined {
  const m = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)(\.svc)?$/.exec(host);
  return m ? { name: m[1], namespace: m[3] } : undefined;
}

/** Short form for messages and fixes: `reviews` when in `ns`, else the FQDN. */
export function shortHost(host: string, ns: string): string {
  const fq = parseServiceHost(host);
  return fq && fq.namespace === ns ? fq.name : host;
}
