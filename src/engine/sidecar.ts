/**
 * The outbound configuration of one sidecar: what it imports (exportTo, Sidecar resource), its
 * HTTP route tables per port (service vhosts with the winning VirtualService or a default route,
 * literal VirtualService hosts, the allow_any/block_all catch-all), per-service tables for
 * auto-detected ports, and its TCP/TLS destinations.
 */
import type { FieldPath, Resource, ResourceKey } from '../model/resource';
import { CLUSTER_DOMAIN, DomainIndex, exportGroup, hostMatches, isExportedTo, isWildcard } from './hosts';
import { asArray, asRecord, compareByCreation, labelsMatch, specOf, type RawSidecar } from './raw';
import { portOfService, serviceVisible, type Registry, type Service } from './registry';
import { compileHttpRoutes, compileL4Routes, defaultRoute, serviceDest, type CompileCtx, type OmittedMatch, type ProxyRef } from './routes';
import { addVhost, newTable, type L4Entry, type RouteTable } from './tables';
import type { OutboundMode } from './types';
import type { VsInfo } from './virtualservice';

export interface SidecarProxy {
  ref: ProxyRef;
  outbound: OutboundMode;
  outboundRef: { resource: ResourceKey; path: FieldPath } | null;
  sidecarResource: ResourceKey | null;
  services: Service[];
  byHost: Map<string, Service>;
  wildcards: Service[];
  httpTables: Map<number, RouteTable>;
  /** Auto-detected ports of services with a VIP: `<fqdn>:<port>` → its own table (domain `*`, no catch-all). */
  sniffed: Map<string, RouteTable>;
  /** TCP/TLS ports of services with a VIP: `<fqdn>:<port>`. */
  vipL4: Map<string, L4Entry>;
  /** TLS ports of services without VIP, by SNI. */
  sniByPort: Map<number, DomainIndex<L4Entry>>;
  /** TCP ports of services without VIP: matched by port only. */
  tcpByPort: Map<number, L4Entry>;
  /** Memoised DNS answers (host → service or null). */
  dns: Map<string, Service | null>;
}

interface ImportRule {
  ns: string;
  host: string;
}

function sidecarResourceFor(resources: readonly Resource[], ns: string, labels: Record<string, string>, rootNs: string): Resource | null {
  const sorted = [...resources].sort(compareByCreation);
  const withSel = sorted.find((r) => r.namespace === ns && specOf<RawSidecar>(r).workloadSelector?.labels && labelsMatch(asRecord(specOf<RawSidecar>(r).workloadSelector!.labels), labels));
  return withSel ?? sorted.find((r) => r.namespace === ns && !specOf<RawSidecar>(r).workloadSelector) ?? sorted.find((r) => r.namespace === rootNs && !specOf<RawSidecar>(r).workloadSelector) ?? null;
}

function importRules(sc: Resource | null, proxyNs: string): ImportRule[] | null {
  // No egress section: the sidecar imports everything visible to its namespace.
  if (!sc || asArray(specOf<RawSidecar>(sc).egress).length === 0) return null;
  const rules: ImportRule[] = [];
  for (const e of asArray(specOf<RawSidecar>(sc).egress)) {
    for (const h of asArray(e?.hosts)) {
      const [ns, host] = String(h).includes('/') ? String(h).split('/', 2) : ['*', String(h)];
      rules.push({ ns: ns === '.' ? proxyNs : ns, host: host.toLowerCase() });
    }
  }
  return rules;
}

const imports = (rules: ImportRule[] | null, ns: string, hosts: readonly string[]): boolean =>
  !rules || rules.some((r) => r.ns !== '~' && (r.ns === '*' || r.ns === ns) && hosts.some((h) => r.host === '*' || hostMatches(r.host, h)));

/** Domains of a service's virtual host as seen from a proxy namespace. */
export function serviceDomains(s: Service, proxyNs: string): string[] {
  if (s.kind !== 'Service') return [s.hostname, `${s.hostname}.`];
  const base = [s.hostname, `${s.hostname}.`, `${s.name}.${s.namespace}.svc`, `${s.name}.${s.namespace}`];
  if (s.namespace === proxyNs) base.push(s.name);
  if (s.clusterIP) base.push(s.clusterIP);
  if (s.headless) return [...base, ...base.filter((d) => !/^\d/.test(d)).map((d) => `*.${d}`)];
  return base;
}

/**
 * Which VirtualService claims a service for this sidecar: an exact host first, then a wildcard;
 * within each, the order of `vss` (private, exported by name, public; oldest first).
 */
class Claims {
  private readonly exact = new Map<string, VsInfo>();
  private readonly wild: VsInfo[] = [];
  constructor(vss: readonly VsInfo[], has: (v: VsInfo) => boolean) {
    for (const v of vss) {
      if (!has(v)) continue;
      for (const h of v.hosts) {
        if (isWildcard(h)) {
          if (!this.wild.includes(v)) this.wild.push(v);
        } else if (!this.exact.has(h)) this.exact.set(h, v);
      }
    }
  }
  get(s: Service): VsInfo | null {
    return this.exact.get(s.hostname) ?? this.wild.find((v) => v.hosts.some((h) => isWildcard(h) && hostMatches(h, s.hostname))) ?? null;
  }
}

type HostServices = Map<VsInfo, Array<{ h: string; svcs: Service[] }>>;

export function buildSidecar(ref: ProxyRef, reg: Registry, allVs: readonly VsInfo[], sidecars: readonly Resource[], ctx: CompileCtx, meshMode: OutboundMode, meshRef: ResourceKey | undefined): SidecarProxy {
  const ns = ref.namespace;
  const sc = sidecarResourceFor(sidecars, ns, ref.labels, reg.rootNamespace);
  const rules = importRules(sc, ns);
  const scMode = sc ? specOf<RawSidecar>(sc).outboundTrafficPolicy?.mode : undefined;
  const outbound: OutboundMode = scMode === 'REGISTRY_ONLY' || scMode === 'ALLOW_ANY' ? scMode : meshMode;
  const outboundRef = scMode && sc ? { resource: sc.key, path: ['spec', 'outboundTrafficPolicy', 'mode'] } : meshRef ? { resource: meshRef, path: ['data', 'mesh'] } : null;

  const services = reg.services.filter((s) => serviceVisible(s, ns) && imports(rules, s.namespace, [s.hostname]));
  const byHost = new Map<string, Service>();
  for (const s of services) if (!byHost.has(s.hostname) || s.namespace === ns) byHost.set(s.hostname, s);
  const vss = allVs
    .filter((v) => !v.isDelegate && v.gateways.includes('mesh') && isExportedTo(v.exportTo, v.namespace, ns) && imports(rules, v.namespace, v.hosts))
    .map((v, i) => ({ v, i, g: exportGroup(v.exportTo, v.namespace, ns) }))
    .sort((a, b) => a.g - b.g || a.i - b.i)
    .map((x) => x.v);
  const httpClaims = new Claims(vss, (v) => v.http.length > 0);
  const tcpClaims = new Claims(vss, (v) => asArray(v.spec.tcp).length > 0);
  const tlsClaims = new Claims(vss, (v) => asArray(v.spec.tls).length > 0);
  const hostSvcs: HostServices = new Map();
  for (const v of vss) {
    if (v.http.length === 0) continue;
    hostSvcs.set(v, v.hosts.map((h) => ({ h, svcs: isWildcard(h) ? services.filter((s) => hostMatches(h, s.hostname)) : byHost.has(h) ? [byHost.get(h)!] : [] })));
  }

  const p: SidecarProxy = { ref, outbound, outboundRef, sidecarResource: sc?.key ?? null, services, byHost, wildcards: services.filter((s) => isWildcard(s.hostname)), httpTables: new Map(), sniffed: new Map(), vipL4: new Map(), sniByPort: new Map(), tcpByPort: new Map(), dns: new Map() };

  // Ports that get a shared HTTP route table (0.0.0.0_P): declared HTTP ports, and auto-detected ports of services without VIP.
  const httpPorts = new Map<number, Service[]>();
  for (const s of services) {
    for (const sp of s.ports) {
      if (sp.cls === 'http' || (sp.cls === 'auto' && !s.vip)) {
        const list = httpPorts.get(sp.number) ?? [];
        list.push(s);
        httpPorts.set(sp.number, list);
      } else if (sp.cls === 'tcp' || sp.cls === 'tls' || sp.cls === 'auto') {
        // Auto-detected ports of VIP services: their own HTTP table, plus a TCP chain for non-HTTP traffic.
        if (sp.cls === 'auto') p.sniffed.set(`${s.hostname}:${sp.number}`, sniffedTable(s, sp.number, httpClaims.get(s), ctx, ref));
        const kind = sp.cls === 'tls' ? 'tls' : 'tcp';
        const vs = (kind === 'tls' ? tlsClaims : tcpClaims).get(s);
        const routes = vs ? compileL4Routes(vs, kind, ctx, ref, { port: sp.number, gateway: 'mesh', defaultDestPort: sp.number }) : null;
        const entry: L4Entry = { service: s, port: sp, vs, routes: routes && routes.length ? routes : null, dflt: serviceDest(s, sp.number, ctx, ref) };
        if (s.vip || s.headless) p.vipL4.set(`${s.hostname}:${sp.number}`, entry);
        else if (sp.cls === 'tls') {
          const idx = p.sniByPort.get(sp.number) ?? new DomainIndex<L4Entry>();
          idx.add(s.hostname, entry);
          p.sniByPort.set(sp.number, idx);
        } else if (!p.tcpByPort.has(sp.number)) p.tcpByPort.set(sp.number, entry);
      }
    }
  }
  for (const [port, svcs] of httpPorts) p.httpTables.set(port, httpTable(port, svcs, vss, httpClaims, hostSvcs, ctx, ref, outbound, outboundRef));
  return p;
}

function sniffedTable(s: Service, port: number, vs: VsInfo | null, ctx: CompileCtx, ref: ProxyRef): RouteTable {
  const t = newTable(`${s.hostname}:${port}`);
  const omitted: OmittedMatch[] = [];
  const routes = vs ? compileHttpRoutes(vs, ctx, ref, { port, gateway: 'mesh', defaultDestPort: port }, omitted) : [];
  addVhost(t, {
    omitted,
    name: `${s.hostname}:${port}`,
    domains: ['*'],
    routes: routes.length ? routes : [defaultRoute(s, port, ctx, ref)],
    kind: routes.length ? 'virtualservice' : 'service',
    service: s,
    vs: vs && routes.length ? [vs] : [],
    requireTls: false,
    note: `port ${port} of ${s.hostname} has no declared protocol: HTTP was auto-detected, and this service's own route table ignores the Host header`,
    noteRef: { resource: s.key, path: portOfService(s, port)?.path ?? [] },
  });
  return t;
}

function httpTable(port: number, svcs: Service[], vss: readonly VsInfo[], claims: Claims, hostSvcs: HostServices, ctx: CompileCtx, ref: ProxyRef, outbound: OutboundMode, outboundRef: SidecarProxy['outboundRef']): RouteTable {
  const t = newTable(String(port));
  const sel = { port, gateway: 'mesh', defaultDestPort: port };
  // Service virtual hosts, with the VirtualService that claims them (if it yields routes here).
  for (const s of svcs) {
    const vs = claims.get(s);
    const omitted: OmittedMatch[] = [];
    const routes = vs ? compileHttpRoutes(vs, ctx, ref, sel, omitted) : [];
    addVhost(t, {
      omitted,
      name: `${s.hostname}:${port}`,
      domains: serviceDomains(s, ref.namespace),
      routes: routes.length ? routes : [defaultRoute(s, port, ctx, ref)],
      kind: routes.length ? 'virtualservice' : 'service',
      service: s,
      vs: vs && routes.length ? [vs] : [],
      requireTls: false,
      note: vs && !routes.length ? `VirtualService ${vs.namespace}/${vs.name} applies to ${s.hostname} but yields no route for this sidecar on port ${port}: default route` : null,
      noteRef: vs && !routes.length ? { resource: vs.key, path: ['spec', 'http'] } : null,
    });
  }
  // Literal hosts of VirtualServices that are not services (Istio: port 80, or ports of the VS's own services).
  const portSvcs = new Set(svcs);
  for (const vs of vss) {
    const hs = hostSvcs.get(vs);
    if (!hs) continue;
    const literal = hs.filter((x) => x.svcs.length === 0).map((x) => x.h);
    if (literal.length === 0) continue;
    const svcHere = hs.some((x) => x.svcs.some((s) => portSvcs.has(s)));
    const anySvc = hs.some((x) => x.svcs.some((s) => s.ports.some((sp) => sp.cls === 'http' || sp.cls === 'auto')));
    if (!(svcHere || (!anySvc && port === 80))) continue;
    const omitted: OmittedMatch[] = [];
    const routes = compileHttpRoutes(vs, ctx, ref, sel, omitted);
    if (routes.length === 0) continue;
    for (const h of literal) {
      addVhost(t, { omitted, name: `${h}:${port}`, domains: [h], routes, kind: 'virtualservice', service: null, vs: [vs], requireTls: false, note: `${h} is not a service: a virtual host made from VirtualService ${vs.namespace}/${vs.name}`, noteRef: { resource: vs.key, path: ['spec', 'hosts', vs.hosts.indexOf(h)] } });
    }
  }
  // Catch-all for unknown hosts.
  const allow = outbound === 'ALLOW_ANY';
  addVhost(t, {
    omitted: [],
    name: allow ? 'allow_any' : 'block_all',
    domains: ['*'],
    routes: [],
    kind: allow ? 'allow_any' : 'block_all',
    service: null,
    vs: [],
    requireTls: false,
    note: `outboundTrafficPolicy ${outbound}`,
    noteRef: outboundRef,
  });
  return t;
}

/** Kubernetes DNS as seen from a pod: exact names, then the search path, then wildcard ServiceEntries. */
export function resolveDns(p: SidecarProxy, host: string): Service | null {
  const memo = p.dns.get(host);
  if (memo !== undefined) return memo;
  const found = resolveDnsSlow(p, host);
  if (p.dns.size < 100_000) p.dns.set(host, found);
  return found;
}

function resolveDnsSlow(p: SidecarProxy, host: string): Service | null {
  const h = host.endsWith('.') ? host.slice(0, -1) : host;
  const exact = p.byHost.get(h);
  if (exact) return exact;
  const dots = h.split('.').length - 1;
  const candidates = dots === 0 ? [`${h}.${p.ref.namespace}.${CLUSTER_DOMAIN}`] : dots === 1 ? [`${h}.${CLUSTER_DOMAIN}`] : h.endsWith('.svc') ? [`${h}.cluster.local`] : [];
  for (const c of candidates) {
    const s = p.byHost.get(c);
    if (s) return s;
  }
  let best: Service | null = null;
  for (const s of p.wildcards) if (hostMatches(s.hostname, h) && (!best || s.hostname.length > best.hostname.length)) best = s;
  return best;
}
