/**
 * The configuration of one gateway workload: Gateway servers selecting it, merged per listener
 * port (Service port → targetPort translation, protocol conflicts), HTTP route tables built from
 * the intersection of server hosts with bound VirtualServices (merged, catch-alls last), TLS
 * filter chains by SNI, and TCP/TLS routes.
 */
import type { FieldPath, Resource } from '../model/resource';
import { exportGroup, hostMatches, hostSubsetOf, isExportedTo } from './hosts';
import { parseProtocol, serverClass, type Protocol } from './protocol';
import { asArray, compareByCreation, labelsMatch, specOf, type RawGateway, type RawServer } from './raw';
import type { Registry, Service } from './registry';
import { compileHttpRoutes, compileL4Routes, type CompileCtx, type CompiledRoute, type L4Route, type OmittedMatch, type ProxyRef } from './routes';
import { addVhost, newTable, type RouteTable, type VirtualHost } from './tables';
import type { VsInfo } from './virtualservice';

export interface GwServer {
  gateway: Resource;
  /** `namespace/name` of the Gateway. */
  gwName: string;
  index: number;
  path: FieldPath;
  number: number;
  listenerPort: number;
  protocol: Protocol;
  cls: 'http' | 'tls' | 'tcp';
  hosts: Array<{ ns: string; host: string }>;
  tlsMode: string | null;
  httpsRedirect: boolean;
  name: string;
}

export interface TlsChain {
  server: GwServer;
  /** HTTPS terminated: its own route table. */
  table: RouteTable | null;
  /** PASSTHROUGH: tls routes; TLS terminated: tcp routes. */
  l4: L4Route[];
}

export interface GwListener {
  port: number;
  cls: 'http' | 'tls' | 'tcp';
  servers: GwServer[];
  dropped: Array<{ server: GwServer; reason: string }>;
  httpTable: RouteTable | null;
  chains: TlsChain[];
  tcp: L4Route[];
}

export interface GatewayProxy {
  ref: ProxyRef;
  listeners: Map<number, GwListener>;
  /** The Kubernetes Services whose endpoints are this gateway. */
  services: Service[];
}

function listenerPortFor(number: number, services: Service[]): number {
  for (const s of services) {
    const sp = s.ports.find((p) => p.number === number);
    if (sp) {
      if (typeof sp.targetPort === 'number') return sp.targetPort;
      const ep = s.endpoints[0];
      const named = ep?.workload?.namedPorts[sp.targetPort];
      if (typeof named === 'number') return named;
    }
  }
  return number;
}

function serverHosts(raw: RawServer, gwNs: string): Array<{ ns: string; host: string }> {
  return asArray(raw.hosts).map((h) => {
    const s = String(h);
    const i = s.indexOf('/');
    const ns = i >= 0 ? s.slice(0, i) : '*';
    return { ns: ns === '.' ? gwNs : ns, host: (i >= 0 ? s.slice(i + 1) : s).toLowerCase() };
  });
}

/** Istio host.Names.Intersection: each overlapping pair yields the more specific name. */
function intersect(serverH: string[], vsH: string[]): string[] {
  const out: string[] = [];
  for (const h of serverH) {
    for (const o of vsH) {
      const pick = hostSubsetOf(h, o) ? h : hostSubsetOf(o, h) ? o : null;
      if (pick && !out.includes(pick)) out.push(pick);
    }
  }
  return out;
}

/** Istio SortVHostRoutes: catch-all routes move to the end, order otherwise kept. */
function catchAllLast(routes: CompiledRoute[]): CompiledRoute[] {
  const isCatchAll = (r: CompiledRoute) => r.match === null || r.match.catchAll;
  return [...routes.filter((r) => !isCatchAll(r)), ...routes.filter(isCatchAll)];
}

export function buildGateway(ref: ProxyRef, reg: Registry, gateways: readonly Resource[], allVs: readonly VsInfo[], ctx: CompileCtx): GatewayProxy {
  const services = reg.services.filter((s) => s.kind === 'Service' && s.endpoints.some((e) => e.workload === ref.workload));
  const selecting = [...gateways].sort(compareByCreation).filter((g) => {
    const sel = specOf<RawGateway>(g).selector;
    return !sel || Object.keys(sel).length === 0 || labelsMatch(sel, ref.labels);
  });
  const byPort = new Map<number, GwServer[]>();
  for (const g of selecting) {
    asArray(specOf<RawGateway>(g).servers).forEach((raw, index) => {
      const number = raw?.port?.number;
      if (typeof number !== 'number') return;
      const protocol = parseProtocol(raw.port?.protocol);
      const lp = listenerPortFor(number, services);
      const srv: GwServer = {
        gateway: g, gwName: `${g.namespace}/${g.name}`, index, path: ['spec', 'servers', index], number, listenerPort: lp, protocol,
        cls: serverClass(protocol), hosts: serverHosts(raw, g.namespace), tlsMode: raw.tls?.mode ?? (serverClass(protocol) === 'tls' ? 'PASSTHROUGH' : null),
        httpsRedirect: raw.tls?.httpsRedirect === true, name: raw.port?.name ?? raw.name ?? '',
      };
      const list = byPort.get(lp) ?? [];
      list.push(srv);
      byPort.set(lp, list);
    });
  }
  const vsFor = (gwName: string) =>
    allVs
      .filter((v) => !v.isDelegate && v.gateways.includes(gwName) && isExportedTo(v.exportTo, v.namespace, ref.namespace))
      .map((v, i) => ({ v, i, g: exportGroup(v.exportTo, v.namespace, ref.namespace) }))
      .sort((a, b) => a.g - b.g || a.i - b.i)
      .map((x) => x.v);
  const listeners = new Map<number, GwListener>();
  for (const [port, servers] of byPort) {
    const cls = servers[0].cls;
    const kept = servers.filter((s) => s.cls === cls);
    const dropped = servers.filter((s) => s.cls !== cls).map((server) => ({ server, reason: `port ${port} is already a ${cls.toUpperCase()} listener from ${servers[0].gwName}: this ${server.protocol} server conflicts and is dropped` }));
    const l: GwListener = { port, cls, servers: kept, dropped, httpTable: null, chains: [], tcp: [] };
    if (cls === 'http') l.httpTable = httpTable(`http.${port}`, kept, vsFor, ctx, ref);
    else if (cls === 'tls') {
      for (const s of kept) {
        if (s.tlsMode === 'PASSTHROUGH' || s.tlsMode === 'AUTO_PASSTHROUGH') {
          l.chains.push({ server: s, table: null, l4: s.tlsMode === 'PASSTHROUGH' ? tlsRoutes(s, vsFor(s.gwName), ctx, ref) : [] });
        } else if (s.protocol === 'HTTPS') {
          l.chains.push({ server: s, table: httpTable(`https.${s.number}.${s.name}.${s.gateway.name}.${s.gateway.namespace}`, [s], vsFor, ctx, ref), l4: [] });
        } else {
          l.chains.push({ server: s, table: null, l4: vsFor(s.gwName).flatMap((v) => compileL4Routes(v, 'tcp', ctx, ref, { port: s.number, gateway: s.gwName, defaultDestPort: s.number })) });
        }
      }
    } else {
      for (const s of kept) l.tcp.push(...vsFor(s.gwName).flatMap((v) => compileL4Routes(v, 'tcp', ctx, ref, { port: s.number, gateway: s.gwName, defaultDestPort: s.number })));
    }
    listeners.set(port, l);
  }
  return { ref, listeners, services };
}

function tlsRoutes(s: GwServer, vss: VsInfo[], ctx: CompileCtx, ref: ProxyRef): L4Route[] {
  const hosts = s.hosts.map((h) => h.host);
  const out: L4Route[] = [];
  for (const v of vss) {
    const admitted = s.hosts.filter((h) => h.ns === '*' || h.ns === v.namespace).map((h) => h.host);
    if (intersect(admitted, v.hosts).length === 0) continue;
    for (const r of compileL4Routes(v, 'tls', ctx, ref, { port: s.number, gateway: s.gwName, defaultDestPort: s.number })) {
      // A tls match is only used where its SNI hosts overlap the server's hosts.
      if (r.sniHosts && !r.sniHosts.some((sni) => hosts.some((h) => hostMatches(h, sni)))) continue;
      out.push(r);
    }
  }
  return out;
}

function httpTable(name: string, servers: GwServer[], vsFor: (gw: string) => VsInfo[], ctx: CompileCtx, ref: ProxyRef): RouteTable {
  const t = newTable(name);
  const vhosts = new Map<string, VirtualHost>();
  const cache = new Map<string, { routes: CompiledRoute[]; omitted: OmittedMatch[] }>();
  for (const s of servers) {
    for (const vs of vsFor(s.gwName)) {
      const admitted = s.hosts.filter((h) => h.ns === '*' || h.ns === vs.namespace).map((h) => h.host);
      const hostnames = intersect(admitted, vs.hosts);
      if (hostnames.length === 0) continue;
      const ck = `${s.gwName}|${vs.key}`;
      let compiled = cache.get(ck);
      if (!compiled) {
        const omitted: OmittedMatch[] = [];
        compiled = { routes: compileHttpRoutes(vs, ctx, ref, { port: s.number, gateway: s.gwName, defaultDestPort: s.number }, omitted), omitted };
        cache.set(ck, compiled);
      }
      for (const h of hostnames) {
        const vh = vhosts.get(h);
        if (vh) {
          vh.routes = [...vh.routes, ...compiled.routes];
          if (!vh.vs.includes(vs)) vh.vs.push(vs);
          vh.omitted.push(...compiled.omitted);
          if (s.httpsRedirect) vh.requireTls = true;
        } else {
          vhosts.set(h, { name: `${h}:${s.number}`, domains: [h], routes: [...compiled.routes], kind: 'gateway', service: null, vs: [vs], requireTls: s.httpsRedirect, note: null, noteRef: null, omitted: [...compiled.omitted] });
        }
      }
    }
    if (s.httpsRedirect) {
      for (const { host } of s.hosts) {
        const vh = vhosts.get(host);
        if (vh) vh.requireTls = true;
        else vhosts.set(host, { name: `${host}:${s.number}`, domains: [host], routes: [], kind: 'gateway', service: null, vs: [], requireTls: true, note: 'httpsRedirect', noteRef: { resource: s.gateway.key, path: [...s.path, 'tls', 'httpsRedirect'] }, omitted: [] });
      }
    }
  }
  if (vhosts.size === 0) {
    const s = servers[0];
    addVhost(t, { name: `blackhole:${s.number}`, domains: ['*'], routes: [], kind: 'blackhole', service: null, vs: [], requireTls: false, note: `no VirtualService is bound to ${servers.map((x) => x.gwName).join(', ')} for hosts ${servers.flatMap((x) => x.hosts.map((h) => `${h.ns}/${h.host}`)).join(', ')}: every request gets 404`, noteRef: { resource: s.gateway.key, path: [...s.path, 'hosts'] }, omitted: [] });
    return t;
  }
  for (const vh of vhosts.values()) {
    vh.routes = catchAllLast(vh.routes);
    addVhost(t, vh);
  }
  return t;
}

/** Envoy filter-chain choice by SNI among TLS servers: exact name, then wildcard (longest), then servers with `*`. */
export function chainForSni(l: GwListener, sni: string | null): TlsChain | null {
  let best: TlsChain | null = null;
  let bestScore = -1;
  for (const c of l.chains) {
    for (const { host } of c.server.hosts) {
      let score = -1;
      if (host === '*') score = 0;
      else if (sni !== null && host === sni) score = 100000;
      else if (sni !== null && host.startsWith('*') && hostMatches(host, sni)) score = host.length;
      if (score > bestScore) {
        best = c;
        bestScore = score;
      }
    }
  }
  return best;
}
